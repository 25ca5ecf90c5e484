"""Keepalive: one timer pings every WebSocket of a server and closes those that never answer."""
from __future__ import annotations

import asyncio
import base64
import os
import socket
import time

import pytest
import tornado.web
from tornado.websocket import websocket_connect

from webio.input import input
from webio.platform import tornado as tornado_backend
from webio.platform.adaptor.hub import serving_hub
from webio.platform.adaptor.keepalive import SLICES, Keepalive
from webio.platform.adaptor.serving import bind_socket

INTERVAL = 0.05


class FakeSocket:
    """Counts pings; answers them when ``answers`` is set."""

    def __init__(self, keepalive: Keepalive, answers: bool) -> None:
        self.keepalive = keepalive
        self.answers = answers
        self.pings = 0
        self.closed = False

    def send_ping(self) -> None:
        self.pings += 1
        if self.answers:
            asyncio.get_running_loop().call_soon(self.keepalive.answered, self)

    def abort_socket(self) -> None:
        self.closed = True
        self.keepalive.discard(self)


def run(coro):
    return asyncio.run(coro)


def watch(keepalive: Keepalive, sockets: list[FakeSocket], seconds: float) -> None:
    """Add ``sockets`` to ``keepalive`` on a fresh event loop and let it run ``seconds``."""
    async def main():
        for fake in sockets:
            keepalive.add(fake)
        await asyncio.sleep(seconds)

    run(main())


def test_a_socket_that_answers_stays_and_one_that_does_not_is_closed():
    keepalive = Keepalive(INTERVAL)
    live, dead = FakeSocket(keepalive, answers=True), FakeSocket(keepalive, answers=False)
    watch(keepalive, [live, dead], INTERVAL * 6)
    assert dead.closed and dead.pings == 1, "closed at the round after its unanswered ping"
    assert not live.closed and live.pings >= 4
    assert len(keepalive) == 1


def test_a_shorter_timeout_closes_before_the_next_ping():
    keepalive = Keepalive(INTERVAL * 4, timeout=INTERVAL)
    dead = FakeSocket(keepalive, answers=False)
    watch(keepalive, [dead], INTERVAL * 4 + INTERVAL * 2)
    assert dead.closed and dead.pings == 1


def test_timeout_zero_pings_but_never_closes():
    keepalive = Keepalive(INTERVAL, timeout=0)
    silent = FakeSocket(keepalive, answers=False)
    watch(keepalive, [silent], INTERVAL * 5)
    assert not silent.closed and silent.pings >= 3


def test_the_timer_stops_with_the_last_socket_and_starts_again():
    async def main():
        keepalive = Keepalive(INTERVAL)
        first = FakeSocket(keepalive, answers=True)
        keepalive.add(first)
        keepalive.discard(first)
        await asyncio.sleep(INTERVAL * 3)
        assert first.pings == 0, "a forgotten socket was pinged"
        second = FakeSocket(keepalive, answers=True)
        keepalive.add(second)
        await asyncio.sleep(INTERVAL * 3)
        return second

    assert run(main()).pings >= 1


def test_a_socket_whose_ping_fails_does_not_stop_the_others():
    class Broken(FakeSocket):
        def send_ping(self) -> None:
            raise OSError("the socket broke")

    keepalive = Keepalive(INTERVAL)
    broken, live = Broken(keepalive, answers=False), FakeSocket(keepalive, answers=True)
    watch(keepalive, [broken, live], INTERVAL * 5)
    assert broken.closed, "a socket that cannot be pinged does not answer either"
    assert not live.closed and live.pings >= 3


def test_a_round_is_spread_over_the_interval_so_many_sockets_cost_no_long_pause():
    pings: list[tuple[float, FakeSocket]] = []

    class Timed(FakeSocket):
        def send_ping(self) -> None:
            pings.append((time.perf_counter(), self))
            super().send_ping()

    interval = 0.4
    keepalive = Keepalive(interval)
    sockets = [Timed(keepalive, answers=True) for _ in range(200)]

    async def main():
        for fake in sockets:
            keepalive.add(fake)
        # Until 200 pings were sent, however late a slow machine makes the ticks.
        deadline = time.perf_counter() + 10 * interval
        while len(pings) < 200 and time.perf_counter() < deadline:
            await asyncio.sleep(interval / SLICES / 2)

    run(main())
    first_round = pings[:200]
    assert len({id(fake) for _, fake in first_round}) == 200, "each socket pinged once in the first round"
    ticks = [[first_round[0][0]]]
    for moment, _ in first_round[1:]:
        if moment - ticks[-1][-1] > interval / SLICES / 4:
            ticks.append([])
        ticks[-1].append(moment)
    assert max(len(tick) for tick in ticks) <= 200 // SLICES, [len(tick) for tick in ticks]


def test_the_interval_must_be_positive():
    with pytest.raises(ValueError, match="more than 0 seconds"):
        Keepalive(0)


async def _serve(ping_interval: float):
    hub = serving_hub(lambda: input("Name"), backend="tornado", reconnect_timeout=0)
    application = tornado.web.Application([(r"/", tornado_backend.handler_class(hub))],
                                          websocket_ping_interval=ping_interval)
    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    stop = await tornado_backend.listen(application, sock)
    return hub, port, stop


def _raw_websocket(port: int) -> socket.socket:
    """A WebSocket opened by hand that never reads, so it never answers a ping."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /?app=index&session=NEW HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                  f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                  f"Sec-WebSocket-Version: 13\r\n\r\n").encode())
    assert sock.recv(4096).startswith(b"HTTP/1.1 101")
    return sock


async def _serve_aiohttp(heartbeat: float):
    from aiohttp import web

    from webio.platform import aiohttp as aiohttp_backend
    from webio.platform.adaptor.http import ALL_TRANSPORTS, HttpEndpoint

    hub = serving_hub(lambda: input("Name"), backend="aiohttp", reconnect_timeout=0)
    app = web.Application()
    app.router.add_route("*", "/", aiohttp_backend.handler_for(HttpEndpoint(hub, ALL_TRANSPORTS),
                                                               {"heartbeat": heartbeat}))
    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    stop = await aiohttp_backend.listen(app, sock)
    return hub, port, stop


@pytest.mark.parametrize("backend", ["tornado", "aiohttp"])
def test_the_session_of_a_visitor_who_stopped_answering_pings_closes(backend):
    async def main():
        hub, port, stop = await (_serve(ping_interval=0.1) if backend == "tornado" else _serve_aiohttp(0.2))
        try:
            browser = await websocket_connect(f"ws://127.0.0.1:{port}/?app=index&session=NEW")
            await browser.read_message()
            loop = asyncio.get_running_loop()
            silent = await loop.run_in_executor(None, _raw_websocket, port)
            deadline = loop.time() + 5
            while len(hub.sessions) != 2 and loop.time() < deadline:
                await asyncio.sleep(0.02)
            assert len(hub.sessions) == 2
            while len(hub.sessions) == 2 and loop.time() < deadline:
                await asyncio.sleep(0.02)
            # Only the silent visitor's session ended; the one whose client answers pings stays.
            assert len(hub.sessions) == 1
            await asyncio.sleep(0.4)
            assert len(hub.sessions) == 1
            browser.close()
            silent.close()
        finally:
            await stop()
            hub.close_all()

    run(main())


def _frames_until(sock: socket.socket, opcode: int) -> bool:
    """Read frames (unmasked, as a server sends) until one with ``opcode``; False if the socket closed."""
    def exactly(count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = sock.recv(count - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    try:
        while True:
            first, second = exactly(2)
            length = second & 0x7F
            if length == 126:
                length = int.from_bytes(exactly(2), "big")
            elif length == 127:
                length = int.from_bytes(exactly(8), "big")
            exactly(length)
            if first & 0x0F == opcode:
                return True
    except (EOFError, ConnectionResetError):
        return False


PING, PONG = 0x9, 0xA


@pytest.mark.parametrize("websocket_settings", [None, {"heartbeat": None}], ids=["default", "heartbeat-off"])
def test_aiohttp_pings_by_default_and_not_with_the_heartbeat_off(monkeypatch, websocket_settings):
    from aiohttp import web

    from webio.platform import aiohttp as aiohttp_backend
    from webio.platform.adaptor.http import ALL_TRANSPORTS, HttpEndpoint

    monkeypatch.setattr(aiohttp_backend, "WEBSOCKET_HEARTBEAT", 0.2)

    async def main():
        hub = serving_hub(lambda: input("Name"), backend="aiohttp", reconnect_timeout=0)
        app = web.Application()
        app.router.add_route("*", "/", aiohttp_backend.handler_for(HttpEndpoint(hub, ALL_TRANSPORTS),
                                                                   websocket_settings))
        sock = bind_socket("127.0.0.1", 0)
        stop = await aiohttp_backend.listen(app, sock)
        loop = asyncio.get_running_loop()
        try:
            silent = await loop.run_in_executor(None, _raw_websocket, sock.getsockname()[1])
            silent.settimeout(0.6)
            pinged = await loop.run_in_executor(None, _frames_until, silent, PING)
        except TimeoutError:
            pinged = False
        finally:
            await stop()
            hub.close_all()
        silent.close()
        return pinged

    assert run(main()) is (websocket_settings is None)


def test_aiohttp_answers_a_visitors_ping():
    async def main():
        hub, port, stop = await _serve_aiohttp(20.0)
        loop = asyncio.get_running_loop()
        try:
            raw = await loop.run_in_executor(None, _raw_websocket, port)
            raw.settimeout(5)
            raw.sendall(bytes([0x80 | PING, 0x80]) + os.urandom(4))  # a masked ping, no payload
            return await loop.run_in_executor(None, _frames_until, raw, PONG)
        finally:
            await stop()
            hub.close_all()

    assert run(main()), "no pong came back"
