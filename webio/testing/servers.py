"""Real servers for :class:`~webio.testing.TestClient`: Tornado, aiohttp or Flask on loopback.

Each serves a given hub at ``/`` on a free port of 127.0.0.1, the way the backend's
``start_server`` would, and stops cleanly. Tornado and aiohttp run on the client's
event loop (where the hub lives); Flask runs on Werkzeug's threaded server in its own
thread and hands requests (and, with flask-sock, WebSocket frames) to that loop, as
under any WSGI server.
"""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from webio.platform.adaptor.http import ALL_TRANSPORTS, HTTP_TRANSPORTS, HttpEndpoint
from webio.platform.adaptor.hub import SessionHub
from webio.platform.adaptor.serving import bind_socket

__all__ = ["BACKENDS", "RunningServer", "start"]

try:
    import flask_sock  # noqa: F401  # Flask holds WebSockets only with it
    _FLASK_TRANSPORTS: tuple[str, ...] = ("websocket", "http")
except ImportError:
    _FLASK_TRANSPORTS = ("http",)

BACKENDS = {"tornado": ("websocket", "http"), "aiohttp": ("websocket", "http"), "flask": _FLASK_TRANSPORTS}
"""Each backend and the transports a test client can use with it (Flask's WebSocket needs flask-sock)."""


@dataclass
class RunningServer:
    """A server on ``127.0.0.1:port``; ``await stop()`` shuts it down."""

    port: int
    stop: Callable[[], Awaitable[Any]]


async def start(backend: str, transport: str, hub: SessionHub) -> RunningServer:
    """Serve ``hub`` with ``backend``; Tornado and Flask serve HTTP only for ``transport="http"``.

    Must be called on the event loop that runs ``hub``.
    """
    if transport not in BACKENDS.get(backend, ()):
        raise ValueError(f"backend {backend!r} cannot serve transport {transport!r}; "
                         f"choose from {sorted(BACKENDS)} with transports {BACKENDS}")
    if backend == "flask":
        return _start_flask(hub, websocket=transport == "websocket")
    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    if backend == "tornado":
        import tornado.web

        from webio.platform import tornado as tornado_backend

        make = tornado_backend.handler_class if transport == "websocket" else tornado_backend.http_handler_class
        application = tornado.web.Application([(r"/", make(hub))],
                                              websocket_max_message_size=hub.options.max_payload_bytes)
        return RunningServer(port, await tornado_backend.listen(application, sock))
    from aiohttp import web

    from webio.platform import aiohttp as aiohttp_backend

    app = web.Application()
    app.router.add_route("*", "/", aiohttp_backend.handler_for(HttpEndpoint(hub, ALL_TRANSPORTS)))
    return RunningServer(port, await aiohttp_backend.listen(app, sock))


def _start_flask(hub: SessionHub, websocket: bool) -> RunningServer:
    from webio.platform import flask as flask_backend

    loop = asyncio.get_running_loop()
    app = flask_backend.app_for(flask_backend.view_for(HttpEndpoint(hub, HTTP_TRANSPORTS), loop), websocket=websocket)
    server = flask_backend.make_wsgi_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="webio-testclient-flask", daemon=True)
    thread.start()

    async def stop() -> None:
        await loop.run_in_executor(None, server.shutdown)
        server.server_close()

    return RunningServer(server.socket.getsockname()[1], stop)
