"""Serve webio apps with aiohttp: standalone (``start_server``) or in your application.

Mount the handler at a route of an existing ``aiohttp.web.Application``::

    app.router.add_route("*", "/tool", webio_handler(main))

It answers the page and the client's files, WebSocket upgrades, and webio's HTTP
transports (Server-Sent Events, long-polling, POSTed events, PyWebIO's HTTP exchange).
Mounted with ``web.get`` (as PyWebIO's documentation does) it still works, over
WebSocket only, since the HTTP transports also POST. The shared logic lives in
:mod:`webio.platform.adaptor`; this module is request and socket glue.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from aiohttp import WSMsgType, web

from webio.platform.adaptor import event_loop
from webio.platform.adaptor.http import ALL_TRANSPORTS, HttpEndpoint, HttpRequest
from webio.platform.adaptor.hub import SessionHub, serving_hub
from webio.platform.adaptor.keepalive import Keepalive
from webio.platform.adaptor.responses import Response
from webio.platform.adaptor.serving import Shutdown, run_server
from webio.platform.adaptor.sse import EventStream
from webio.platform.adaptor.ws import WebSocketClient
from webio.tasks import retrieve_outcome, spawn, start_now

__all__ = ["start_server", "static_routes", "webio_handler"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


WEBSOCKET_HEARTBEAT = 20.0
"""Seconds between pings of each WebSocket; a socket whose pong does not come within
half of it is closed, so a visitor whose network vanished is noticed.
``websocket_settings={"heartbeat": None}`` turns it off. The pings come from one
:class:`~webio.platform.adaptor.keepalive.Keepalive` per handler rather than from
aiohttp's heartbeat, which keeps a timer per connection and, once the connection is
lost, leaves the connection's objects in a reference cycle."""

CLIENT_CLOSE_GRACE = 5.0
"""Seconds the server waits for a client to close the socket after ``close_session``."""


class _WebSocketPort:
    """An aiohttp WebSocket as the port of a :class:`WebSocketClient`."""

    __slots__ = ("ws", "request", "_client_gone", "_gone_waiter", "__weakref__")

    def __init__(self, ws: web.WebSocketResponse, request: web.Request) -> None:
        self.ws = ws
        self.request = request
        self._client_gone = False
        self._gone_waiter: asyncio.Future[None] | None = None
        """Made only when a close waits for the client: an ``asyncio.Event`` per
        connection would hold an empty deque (about 760 bytes with the event) for the socket's whole life."""

    def send_ping(self) -> None:
        if not self.ws.closed:
            sending = start_now(self.ws.ping())
            if sending is not None:
                sending.add_done_callback(retrieve_outcome)

    def abort_socket(self) -> None:
        # close() would wait for the close frame of a peer that is gone.
        transport = self.request.transport
        if transport is not None:
            transport.abort()

    def send_text(self, text: str) -> Awaitable[None] | None:
        return start_now(self.ws.send_str(text))

    def client_gone(self) -> None:
        """The client's side of the socket has closed (the receive loop has ended)."""
        self._client_gone = True
        if self._gone_waiter is not None and not self._gone_waiter.done():
            self._gone_waiter.set_result(None)

    async def _until_client_gone(self) -> None:
        if self._client_gone:
            return
        if self._gone_waiter is None:
            self._gone_waiter = asyncio.get_running_loop().create_future()
        await asyncio.shield(self._gone_waiter)

    def close_socket(self) -> None:
        if not self.ws.closed:
            spawn(self._close_after_client(), name="webio-websocket-close")

    async def _close_after_client(self) -> None:
        # aiohttp's close() drops the transport without waiting for the client's close
        # frame; acks still in flight then turn into a TCP reset and the client loses
        # what it had not read yet. The client closes by itself after close_session.
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._until_client_gone(), CLIENT_CLOSE_GRACE)
        if not self.ws.closed:
            await self.ws.close()


async def _websocket(request: web.Request, hub: SessionHub, settings: Mapping[str, Any],
                     keepalive: Keepalive | None) -> web.StreamResponse:
    facts = hub.facts(request.headers, peer_ip=request.remote or "", host=request.host, scheme=request.scheme)
    if not hub.origin_allowed(facts):
        return web.Response(status=403, text="WebSocket connections from this origin are not allowed")
    ws = web.WebSocketResponse(**settings)
    await ws.prepare(request)
    port = _WebSocketPort(ws, request)
    client = WebSocketClient(hub, port)
    client.open(request.query, hub.session_info(request.headers, facts, protocol="websocket", request=request))
    if keepalive is not None:
        keepalive.add(port)
    try:
        async for message in ws:
            kind = message.type
            if kind is WSMsgType.TEXT or kind is WSMsgType.BINARY:
                client.on_message(message.data)
            elif kind is WSMsgType.PING:  # only with autoping off: answer as aiohttp would
                await ws.pong(message.data)
            elif kind is WSMsgType.PONG and keepalive is not None:
                keepalive.answered(port)
    finally:
        if keepalive is not None:
            keepalive.discard(port)
        port.client_gone()
        client.on_close()
    return ws


async def _read_body(request: web.Request, limit: int) -> tuple[bytes, bool]:
    """At most ``limit`` bytes of the body, and whether it was larger (then not read)."""
    if request.method != "POST":
        return b"", False
    if request.content_length is not None and request.content_length >= limit:
        return b"", True
    body = b""
    async for chunk in request.content.iter_chunked(65536):
        body += chunk
        if len(body) >= limit:
            return b"", True
    return body, False


async def _event_stream(request: web.Request, stream: EventStream) -> web.StreamResponse:
    response = web.StreamResponse(status=200, headers=stream.headers)
    await response.prepare(request)
    await response.write(stream.preamble)
    stream.start(lambda chunk: asyncio.ensure_future(response.write(chunk)))
    try:
        await stream.wait_closed()
    finally:
        stream.disconnected()
    return response


def handler_for(endpoint: HttpEndpoint, websocket_settings: Mapping[str, Any] | None = None) -> Handler:
    """The aiohttp request handler of ``endpoint`` (WebSocket and HTTP)."""
    hub = endpoint.hub
    settings = {"max_msg_size": hub.options.max_payload_bytes, "compress": False, **(websocket_settings or {})}
    heartbeat = settings.pop("heartbeat", WEBSOCKET_HEARTBEAT)
    keepalive = None
    if heartbeat:
        keepalive = Keepalive(heartbeat, timeout=heartbeat / 2)
        settings["autoping"] = False  # the loop below answers pings and hears the pongs

    async def webio_request_handler(request: web.Request) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return await _websocket(request, hub, settings, keepalive)
        body, oversized = await _read_body(request, endpoint.max_body)
        result = await endpoint.handle(HttpRequest(
            method=request.method, query=request.query, headers=request.headers, peer_ip=request.remote or "",
            host=request.host, scheme=request.scheme, body=body, oversized=oversized, raw=request))
        if isinstance(result, Response):
            return web.Response(status=result.status, body=result.body, headers=result.headers)
        return await _event_stream(request, result)

    webio_request_handler.webio_hub = hub  # type: ignore[attr-defined]
    return webio_request_handler


def webio_handler(
    applications: Any,
    cdn: bool | str = True,
    reconnect_timeout: float = 0,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
    max_payload_size: int | str = "200M",
    websocket_settings: Mapping[str, Any] | None = None,
    trusted_proxies: Sequence[str] = (),
    session_expire_seconds: float | None = None,
    debug: bool = False,
) -> Handler:
    """The aiohttp request handler serving ``applications`` at the route you mount it on.

    ``applications`` is a function, a list of functions or a dict ``{name: function}``;
    ``?app=name`` picks one. Route every method to it (``add_route("*", path, handler)``)
    so that visitors whose network blocks WebSockets get the HTTP transports.

    :param websocket_settings: keyword arguments of ``aiohttp.web.WebSocketResponse``,
        except ``heartbeat``: seconds between webio's pings of each socket,
        :data:`WEBSOCKET_HEARTBEAT` (20 s) unless given, ``None`` for none
    :param session_expire_seconds: how long an HTTP session waits for a client that
        stopped sending requests (default: ``reconnect_timeout``, else 60 s)

    The other arguments are those of :func:`webio.platform.tornado.webio_handler`.
    Bodies are read up to ``max_payload_size``, whatever the application's
    ``client_max_size``.

    .. warning:: ``allowed_origins`` and ``check_origin`` widen who may drive your
       visitors' sessions; by default only pages of the same host may.
    """
    hub = serving_hub(applications, backend="aiohttp", reconnect_timeout=reconnect_timeout,
                      allowed_origins=allowed_origins, check_origin=check_origin, trusted_proxies=trusted_proxies,
                      max_payload_size=max_payload_size, session_expire_seconds=session_expire_seconds,
                      debug=debug)
    return handler_for(HttpEndpoint(hub, ALL_TRANSPORTS), websocket_settings)


def static_routes(prefix: str = "/") -> list[web.AbstractRouteDef]:
    """Routes serving the browser client's folders (``js/``, ``css/``) under ``prefix``.

    webio's page loads its files from its own route (``?_webio_static=…``), so these
    are not needed; they exist for PyWebIO code that adds them.
    """
    import webio

    root = webio.STATIC_PATH
    base = prefix if prefix.endswith("/") else prefix + "/"
    return [web.static(base + name, os.path.join(root, name)) for name in sorted(os.listdir(root))
            if os.path.isdir(os.path.join(root, name))]


async def listen(app: web.Application, sock: socket.socket) -> Shutdown:
    """Serve ``app`` on the listening ``sock``; returns the coroutine function that stops it."""
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0, access_log=None)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    return runner.cleanup


def start_server(
    applications: Any,
    port: int = 0,
    host: str = "",
    debug: bool = False,
    cdn: bool | str = True,
    static_dir: str | None = None,
    reconnect_timeout: float = 0,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
    auto_open_webbrowser: bool = False,
    max_payload_size: int | str = "200M",
    websocket_settings: Mapping[str, Any] | None = None,
    trusted_proxies: Sequence[str] = (),
    **aiohttp_settings: Any,
) -> None:
    """Serve ``applications`` on ``host:port`` with aiohttp until SIGTERM or Ctrl-C.

    ``port=0`` picks a free port; ``static_dir`` is served at ``/static/``. Extra
    keyword arguments go to ``aiohttp.web.Application``. The other arguments are
    those of :func:`webio_handler` and :func:`webio.platform.tornado.start_server`.
    """
    handler = webio_handler(applications, cdn=cdn, reconnect_timeout=reconnect_timeout,
                            allowed_origins=allowed_origins, check_origin=check_origin,
                            max_payload_size=max_payload_size, websocket_settings=websocket_settings,
                            trusted_proxies=trusted_proxies, debug=debug)
    hub: SessionHub = handler.webio_hub  # type: ignore[attr-defined]

    async def serve() -> None:
        app = web.Application(**aiohttp_settings)
        app.router.add_route("*", "/", handler)
        if static_dir is not None:
            app.router.add_static("/static", static_dir)
        await run_server(lambda sock: listen(app, sock), hub.shutdown, host=host, port=port,
                         open_browser=auto_open_webbrowser)

    try:
        event_loop.run(serve(), debug=debug)
    except KeyboardInterrupt:
        print("webio: stopped", flush=True)
