"""Behaviour under load: a vanished client stalls nobody; many clicks leak nothing.

These check what a user would notice (answers arrive, threads and memory stay
flat), with generous bounds; speed itself is measured in benchmarks/.
"""
from __future__ import annotations

import json
import socket
import textwrap
import threading
import time

import pytest
from http_support import start_script, stop
from websockets.sync.client import connect

from webio.output import put_buttons, put_text, use_scope
from webio.testing import TestClient
from webio.testing.page import COMMANDS_KEPT

BURST = 200_000


def burst():
    for i in range(BURST):
        put_text(f"burst line {i}")


def clicker():
    count = 0

    def click(_value):
        nonlocal count
        count += 1
        with use_scope("count", clear=True):
            put_text(f"clicks: {count}")

    put_buttons(["Click"], onclick=click)


def open_and_stop_reading(port: int, path: str) -> socket.socket:
    """A WebSocket client that does the handshake and then never reads again."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                  "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  "Sec-WebSocket-Version: 13\r\n\r\n").encode())
    assert sock.recv(4096).startswith(b"HTTP/1.1 101")
    return sock


def test_a_client_that_vanishes_mid_burst_stalls_no_one_else():
    with TestClient({"index": clicker, "burst": burst}, transport="websocket") as client:
        vanished = open_and_stop_reading(client.port, "/?app=burst&session=NEW")
        try:
            client.wait_until(lambda: len(client.hub.sessions) == 2, what="the burst session")
            burst_session = next(s for s in list(client.hub.sessions.values()) if s.app_name == "burst")
            client.wait_until(lambda: burst_session.outbox.last_seq > 30_000, what="the burst to be under way")
            for n in range(1, 51):
                client.click("Click")
                client.wait_for_text(f"clicks: {n}", timeout=5)
            with TestClient(clicker, transport="websocket") as newcomer:
                newcomer.click("Click")
                newcomer.wait_for_text("clicks: 1", timeout=5)
            assert burst_session.outbox.last_seq < BURST, "the burst is held back, not buffered without bound"
        finally:
            vanished.close()
        client.wait_until(lambda: burst_session.closed, what="the vanished visitor's session to end")


STRETCH_SERVER = textwrap.dedent(
    """
    import sys, time
    from webio.output import put_text
    from webio.platform.{module} import start_server

    async def main():
        for i in range(6_000):
            put_text(f"line {i}")
        time.sleep(1.0)  # code that holds the event loop without awaiting
        put_text("end")

    start_server(main, port=int(sys.argv[1]), host="127.0.0.1", cdn=False)
    """
)


@pytest.mark.parametrize("module", ["tornado", "aiohttp"])
def test_outputs_sent_without_awaiting_leave_in_full_frames_while_the_code_runs(tmp_path, module):
    """A coroutine main that sends thousands of outputs and then holds the loop used to
    keep them all until it yielded; each full frame now leaves as it fills."""
    script = tmp_path / "stretch.py"
    script.write_text(STRETCH_SERVER.replace("{module}", module))
    process, port = start_script(script)
    arrived: dict[str, float] = {}
    try:
        with connect(f"ws://127.0.0.1:{port}/?app=index&session=NEW", open_timeout=10) as ws:
            while "end" not in arrived:
                frame = json.loads(ws.recv(timeout=20))
                for command in frame if isinstance(frame, list) else [frame]:
                    if command["command"] == "output":
                        arrived[command["spec"]["content"]] = time.monotonic()
    finally:
        stop(process)
    assert len(arrived) == 6_001
    assert arrived["end"] - arrived["line 5999"] > 0.5, "the outputs waited for main to yield"


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


def test_40000_clicks_leave_threads_and_memory_flat():
    with TestClient(clicker) as client:
        button = client.wait_until(lambda: client.buttons, what="the button")[0]
        frame = json.dumps({"event": "callback", "task_id": button.callback_id, "data": "Click"})

        def click_many(count: int, expected_total: int) -> None:
            # A bounded number in flight, as from real visitors: 20,000 queued at
            # once would leave the allocator's high-water mark in the RSS figure.
            in_flight = 500
            for done in range(in_flight, count + 1, in_flight):
                for _ in range(in_flight):
                    client.send_raw(frame)
                client.wait_for_text(f"clicks: {expected_total - count + done}", timeout=60)

        # Every click yields at least one command, so this warm-up fills the test
        # client's bounded command log: what grows afterwards is the server's.
        total = COMMANDS_KEPT
        click_many(total, total)
        threads_before = threading.active_count()
        # A leak grows memory in every round; one-off growth (an allocator arena,
        # another test's thread finishing) shows in one round only.
        growth_per_click = []
        for _ in range(3):
            rss_before = _rss_bytes()
            click_many(10_000, total + 10_000)
            total += 10_000
            growth_per_click.append((_rss_bytes() - rss_before) / 10_000)
        # The shared worker pool may start a thread or two when a click comes in
        # before its last worker went idle; a thread per click would be thousands.
        threads_added = threading.active_count() - threads_before
        assert threads_added <= 2, f"{threads_added} threads were started by 30,000 clicks"
        assert min(growth_per_click) < 512, f"memory grew {growth_per_click} bytes per click"
        assert len(client.session.page.scopes["count"]) == 1
