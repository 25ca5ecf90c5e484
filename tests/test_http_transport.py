"""webio's HTTP transport on the wire: SSE framing and resume, POSTed events, long-polling.

A raw client (``webio.testing.http_wire``) talks to real Tornado, aiohttp and Flask
servers, so these tests pin down what a browser or a load driver sees.
"""
from __future__ import annotations

import asyncio
import json
from urllib.parse import urlencode

import pytest

from webio.output import put_buttons, put_text
from webio.testing import TestClient
from webio.testing.http_wire import HttpStatusError, open_event_stream, request, run_sync
from webio.testing.servers import BACKENDS

HTTP_BACKENDS = ["tornado", "aiohttp", "flask"]


def app_with_lines():
    for number in range(5):
        put_text(f"line {number}")
    put_buttons(["Go"], onclick=lambda _: put_text("went"))


@pytest.fixture(params=HTTP_BACKENDS)
def server(request):
    """``server(app, **options)``: a client whose real server (``.port``) has this backend."""
    clients: list[TestClient] = []

    def start(app, **options) -> TestClient:
        client = TestClient(app, transport="http", backend=request.param, **options)
        clients.append(client)
        return client

    yield start
    for client in clients:
        client.close()


def commands_of(data: str) -> list[dict]:
    decoded = json.loads(data)
    return decoded if isinstance(decoded, list) else [decoded]


class RawStream:
    """An SSE stream read by hand: events, ids and the session they name."""

    def __init__(self, port: int, query: dict, headers: dict | None = None) -> None:
        self.port, self.query, self.headers = port, query, headers or {}
        self.ids: list[str | None] = []
        self.commands: list[dict] = []
        self.session = self.token = None

    async def __aenter__(self) -> RawStream:
        self.stream = await open_event_stream("127.0.0.1", self.port, "/?" + urlencode(self.query), self.headers)
        self.events = self.stream.events().__aiter__()
        return self

    async def __aexit__(self, *exc_info) -> None:
        self.stream.close()

    async def until(self, predicate, timeout: float = 5) -> None:
        while not predicate():
            event = await asyncio.wait_for(self.events.__anext__(), timeout)
            self.ids.append(event.id)
            for command in commands_of(event.data):
                self.commands.append(command)
                if command["command"] == "set_session_id":
                    self.session = command["spec"]
                if command["command"] == "set_reconnect_token":
                    self.token = command["spec"]["token"]

    def seqs(self) -> list[int]:
        return [c["seq"] for c in self.commands if "seq" in c]

    def texts(self) -> list[str]:
        return [c["spec"]["content"] for c in self.commands if c["command"] == "output"
                and c["spec"].get("type") == "text"]

    def callback_id(self) -> str | None:
        """The callback id of the first buttons output received, None before it arrived."""
        return next((c["spec"]["callback_id"] for c in self.commands if c["command"] == "output"
                     and c["spec"].get("type") == "buttons"), None)


NEW_STREAM = {"app": "index", "session": "NEW", "transport": "sse"}


def post(port: int, query: dict, body: bytes, headers: dict | None = None):
    return request("127.0.0.1", port, "POST", "/?" + urlencode(query),
                   {"Content-Type": "application/json", **(headers or {})}, body)


def test_every_event_has_an_id_that_is_the_seq_of_its_last_command(server):
    port = server(app_with_lines).port

    async def scenario():
        async with RawStream(port, NEW_STREAM) as raw:
            await raw.until(lambda: len(raw.texts()) == 5 and raw.callback_id())
            assert raw.stream.retry_ms == 1000
            assert raw.stream.headers["content-type"].startswith("text/event-stream")
            assert raw.stream.headers["cache-control"] == "no-cache, no-transform"
            assert raw.ids[0] == "0"  # the session's first frame: its id and token, no command of the page
            assert all(event_id is not None for event_id in raw.ids)
            assert int(raw.ids[-1]) == raw.seqs()[-1]

    run_sync(scenario())


def test_a_resumed_stream_continues_after_last_event_id(server):
    port = server(app_with_lines).port

    async def scenario():
        async with RawStream(port, NEW_STREAM) as first:
            await first.until(lambda: len(first.texts()) == 5 and bool(first.commands[-1].get("seq")))
        last_id = first.ids[-1]
        target = {"session": first.session, "token": first.token}
        # The stream is gone; a click's output waits for the visitor to come back.
        click = json.dumps({"event": "callback", "task_id": first.callback_id(), "data": "Go"}).encode()
        assert (await post(port, target, click)).status == 204
        query = {"app": "index", **target, "transport": "sse"}
        async with RawStream(port, query, {"Last-Event-ID": last_id}) as second:
            await second.until(lambda: "went" in second.texts())
        assert second.seqs() == [int(last_id) + 1]
        assert second.texts() == ["went"]

    run_sync(scenario())


def test_an_event_source_cannot_resume_the_url_that_made_a_session(server):
    port = server(app_with_lines).port
    with pytest.raises(HttpStatusError) as refused:
        run_sync(open_event_stream("127.0.0.1", port, "/?" + urlencode(NEW_STREAM), {"Last-Event-ID": "3"}))
    assert refused.value.status == 409


def test_an_unknown_session_gets_close_session(server):
    port = server(app_with_lines).port

    async def scenario():
        query = {"app": "index", "session": "no-such-session", "transport": "sse"}
        async with RawStream(port, query) as raw:
            await raw.until(lambda: any(c["command"] == "close_session" for c in raw.commands))

    run_sync(scenario())


def test_posted_events_reach_the_session_and_bad_ones_are_refused(server):
    port = server(app_with_lines, max_payload_size="2K", allowed_origins=["http://partner.example"]).port

    async def scenario():
        async with RawStream(port, NEW_STREAM) as raw:
            await raw.until(lambda: len(raw.texts()) == 5 and raw.callback_id())
            target = {"session": raw.session, "token": raw.token}
            click = json.dumps([{"event": "callback", "task_id": raw.callback_id(), "data": "Go"}]).encode()
            assert (await post(port, target, click, {"Origin": "http://evil.example"})).status == 403
            assert (await post(port, target, b"[" + b" " * 3000 + b"]")).status == 413
            assert (await post(port, target, b"{not json")).status == 400
            assert (await post(port, {"session": "unknown"}, click)).status == 410
            answer = await post(port, target, click, {"Origin": "http://partner.example"})
            assert answer.status == 204
            assert answer.headers["access-control-allow-origin"] == "http://partner.example"
            await raw.until(lambda: "went" in raw.texts())
            notices = [c["spec"]["message"] for c in raw.commands if c["command"] == "notice"]
            assert len(notices) == 2 and "over the limit" in notices[0] and "not valid JSON" in notices[1]
            assert raw.texts().count("went") == 1

    run_sync(scenario())


def test_a_cors_preflight_is_answered_for_allowed_origins_only(server):
    port = server(app_with_lines, allowed_origins=["http://partner.example"]).port

    async def scenario():
        headers = {"Access-Control-Request-Method": "POST"}
        allowed = await request("127.0.0.1", port, "OPTIONS", "/?session=x",
                                {**headers, "Origin": "http://partner.example"})
        refused = await request("127.0.0.1", port, "OPTIONS", "/?session=x",
                                {**headers, "Origin": "http://evil.example"})
        assert allowed.status == 204
        assert allowed.headers["access-control-allow-methods"] == "GET, POST"
        assert "last-event-id" in allowed.headers["access-control-allow-headers"].lower()
        assert refused.status == 403

    run_sync(scenario())


def poll(port: int, query: dict):
    async def go():
        answer = await request("127.0.0.1", port, "GET", "/?" + urlencode({**query, "transport": "poll"}))
        assert answer.status == 200, answer.body
        return [command for frame in json.loads(answer.body) for command in (frame if isinstance(frame, list)
                                                                             else [frame])]

    return run_sync(go())


def test_long_polling_delivers_resends_a_lost_answer_and_takes_clicks(server):
    port = server(app_with_lines).port
    first = poll(port, {"app": "index", "session": "NEW"})
    session = next(c["spec"] for c in first if c["command"] == "set_session_id")
    token = next(c["spec"]["token"] for c in first if c["command"] == "set_reconnect_token")
    ours = {"app": "index", "session": session, "token": token}
    seen, confirmed = list(first), 0
    while not any(c["command"] == "output" and c["spec"].get("type") == "buttons" for c in seen):
        answer = poll(port, {**ours, "last_seq": confirmed})
        # The answer is lost once: asking again with the same last_seq brings the same commands.
        assert poll(port, {**ours, "last_seq": confirmed}) == answer
        seen += answer
        confirmed = max([c["seq"] for c in seen if "seq" in c], default=0)
    callback_id = next(c["spec"]["callback_id"] for c in seen if c["command"] == "output"
                       and c["spec"].get("type") == "buttons")
    click = json.dumps({"event": "callback", "task_id": callback_id, "data": "Go"}).encode()
    assert run_sync(post(port, {"session": session, "token": token}, click)).status == 204
    after = poll(port, {**ours, "last_seq": confirmed})
    assert [c["spec"]["content"] for c in after if c["command"] == "output"] == ["went"]
    assert [c["seq"] for c in after] == [confirmed + 1]


def test_a_session_moves_from_long_polling_to_an_event_stream(server):
    port = server(app_with_lines).port
    first = poll(port, {"app": "index", "session": "NEW"})
    session = next(c["spec"] for c in first if c["command"] == "set_session_id")
    token = next(c["spec"]["token"] for c in first if c["command"] == "set_reconnect_token")

    async def scenario():
        query = {"app": "index", "session": session, "token": token, "last_seq": "0", "transport": "sse"}
        async with RawStream(port, query) as raw:
            await raw.until(lambda: len(raw.texts()) == 5 and raw.callback_id())
            click = json.dumps({"event": "callback", "task_id": raw.callback_id(), "data": "Go"}).encode()
            await post(port, {"session": session, "token": token}, click)
            await raw.until(lambda: "went" in raw.texts())

    run_sync(scenario())


def test_the_page_offers_the_transports_of_its_server():
    expectations = {("tornado", "websocket"): ["websocket", "sse", "poll"],
                    ("tornado", "http"): ["sse", "poll"],
                    ("aiohttp", "http"): ["websocket", "sse", "poll"],
                    ("flask", "http"): ["sse", "poll"],
                    ("flask", "websocket"): ["websocket", "sse", "poll"]}
    for (backend, transport), offered in expectations.items():
        if transport not in BACKENDS[backend]:
            continue  # Flask's WebSocket needs flask-sock
        with TestClient(app_with_lines, backend=backend, transport=transport) as client:
            page = run_sync(request("127.0.0.1", client.port or 0, "GET", "/?app=index"))
        config = page.body.decode().split('id="webio-config" type="application/json">')[1].split("</script>")[0]
        assert json.loads(config)["transports"] == offered, (backend, transport)



def test_a_client_that_vanished_is_noticed_by_the_heartbeat(server, monkeypatch):
    from webio.platform.adaptor import sse

    monkeypatch.setattr(sse, "HEARTBEAT_SECONDS", 0.05)

    def hold():
        put_buttons(["Stay"], onclick=lambda _: None)

    host = server(hold)

    async def scenario():
        async with RawStream(host.port, NEW_STREAM) as raw:
            await raw.until(lambda: any(c["command"] == "output" for c in raw.commands))
            return raw.session

    session_id = run_sync(scenario())  # the stream is cut on leaving the block

    async def detached():
        while host.hub.sessions[session_id].attached:
            await asyncio.sleep(0.01)

    host.run_on_loop(lambda: asyncio.wait_for(detached(), 5))
