"""A session's socket writes at once (TCP_NODELAY), also when webio is mounted on a
listener of the application's own that does not set it.

With Nagle's algorithm on, a small frame written while the previous one is not yet
acknowledged waits for the client's delayed ACK: an ``input()`` round trip then takes
about 40 ms instead of well under one (PyWebIO's Tornado backend shows it).
"""
from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable

import pytest
import tornado.web
from aiohttp import web
from tornado.websocket import websocket_connect

from webio.input import input
from webio.platform import aiohttp as aiohttp_backend
from webio.platform import tornado as tornado_backend
from webio.platform.adaptor.http import ALL_TRANSPORTS, HttpEndpoint
from webio.platform.adaptor.hub import SessionHub, serving_hub
from webio.session.base import Session


def _plain_listener() -> socket.socket:
    """A listening socket as an application might make it: TCP_NODELAY not set."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.setblocking(False)
    assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
    return sock


async def _mount_tornado(hub: SessionHub, sock: socket.socket) -> Callable[[], Awaitable[None]]:
    application = tornado.web.Application([(r"/", tornado_backend.handler_class(hub))])
    return await tornado_backend.listen(application, sock)


async def _mount_aiohttp(hub: SessionHub, sock: socket.socket) -> Callable[[], Awaitable[None]]:
    app = web.Application()
    app.router.add_route("*", "/", aiohttp_backend.handler_for(HttpEndpoint(hub, ALL_TRANSPORTS)))
    return await aiohttp_backend.listen(app, sock)


def _server_socket(session: Session) -> socket.socket:
    """The server side of the session's WebSocket."""
    port = session._connection.port  # type: ignore[union-attr]
    if isinstance(port, aiohttp_backend._WebSocketPort):
        return port.request.transport.get_extra_info("socket")  # type: ignore[union-attr]
    return port.ws_connection.stream.socket


@pytest.mark.parametrize("mount", [_mount_tornado, _mount_aiohttp], ids=["tornado", "aiohttp"])
def test_a_mounted_sessions_socket_has_nagle_off(mount):
    async def main() -> int:
        hub = serving_hub(lambda: input("Name"), backend="testing", reconnect_timeout=0)
        sock = _plain_listener()
        stop = await mount(hub, sock)
        try:
            browser = await websocket_connect(f"ws://127.0.0.1:{sock.getsockname()[1]}/?app=index&session=NEW")
            assert "input_group" in await browser.read_message()
            (session,) = hub.sessions.values()
            nodelay = _server_socket(session).getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            browser.close()
            return nodelay
        finally:
            await stop()
            hub.close_all()

    assert asyncio.run(main()) != 0
