"""Who may open a session: same host by default, allowed origins, trusted proxies."""
from __future__ import annotations

import asyncio

import pytest
import websockets

from webio.output import put_text
from webio.platform.adaptor.origin import OriginPolicy
from webio.testing import TestClient


def app():
    put_text("hello")


def handshake(port: int, headers: dict[str, str]) -> int:
    """The HTTP status of a WebSocket handshake with these headers (101 = accepted)."""

    async def attempt() -> int:
        try:
            async with websockets.connect(f"ws://127.0.0.1:{port}/?app=index&session=NEW", origin=headers.pop("Origin", None),
                                          additional_headers=headers, open_timeout=10):
                return 101
        except websockets.InvalidStatus as refused:
            return refused.response.status_code

    return asyncio.run(attempt())


@pytest.fixture
def server():
    def start(**options):
        client = TestClient(app, transport="websocket", **options)
        started.append(client)
        return client.port

    started: list[TestClient] = []
    yield start
    for client in started:
        client.close()


def test_same_host_pages_and_non_browser_clients_are_served(server):
    port = server()
    assert handshake(port, {}) == 101
    assert handshake(port, {"Origin": f"http://127.0.0.1:{port}"}) == 101


def test_other_origins_are_refused(server):
    port = server()
    assert handshake(port, {"Origin": "https://evil.example"}) == 403
    assert handshake(port, {"Origin": f"http://127.0.0.1.evil.example:{port}"}) == 403


def test_allowed_origins_patterns_and_check_origin(server):
    port = server(allowed_origins=["https://*.example.com"])
    assert handshake(port, {"Origin": "https://app.example.com"}) == 101
    assert handshake(port, {"Origin": "https://example.org"}) == 403
    decided = server(check_origin=lambda origin: origin.endswith(".trusted.test"))
    assert handshake(decided, {"Origin": "https://a.trusted.test"}) == 101
    assert handshake(decided, {"Origin": "https://a.untrusted.test"}) == 403
    assert handshake(decided, {"Origin": f"http://127.0.0.1:{decided}"}) == 101, "the page's own host stays allowed"


def test_forwarded_host_counts_only_from_a_trusted_proxy(server):
    proxied = {"Origin": "https://public.example", "X-Forwarded-Host": "public.example", "X-Forwarded-Proto": "https"}
    assert handshake(server(), dict(proxied)) == 403
    assert handshake(server(trusted_proxies=["127.0.0.1"]), dict(proxied)) == 101
    assert handshake(server(trusted_proxies=["10.0.0.0/8"]), dict(proxied)) == 403


def test_trusted_proxy_sets_the_visitor_address():
    policy = OriginPolicy(trusted_proxies=["10.0.0.0/8"])
    facts = policy.facts({"X-Forwarded-For": "203.0.113.7, 10.0.0.2"}, peer_ip="10.0.0.2", host="internal:8080",
                         scheme="http")
    assert facts.client_ip == "203.0.113.7"
    untrusted = policy.facts({"X-Forwarded-For": "203.0.113.7"}, peer_ip="198.51.100.1", host="h", scheme="http")
    assert untrusted.client_ip == "198.51.100.1"


def test_allowed_origins_must_be_a_list():
    with pytest.raises(TypeError, match="list of patterns"):
        OriginPolicy(allowed_origins="https://example.com")
