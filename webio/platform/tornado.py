"""Serve webio apps with Tornado: standalone (``start_server``) or mounted (``webio_handler``).

One route answers everything: the page and the client's files, WebSocket upgrades,
and webio's HTTP transports (Server-Sent Events, long-polling, POSTed events,
PyWebIO's HTTP exchange) for visitors whose network blocks WebSockets. The shared
logic lives in :mod:`webio.platform.adaptor`; this module is request and socket glue.
"""
from __future__ import annotations

import asyncio
import socket
import weakref
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import tornado.httpserver
import tornado.httputil
import tornado.web
import tornado.websocket

from webio.platform.adaptor import event_loop
from webio.platform.adaptor.http import ALL_TRANSPORTS, HTTP_TRANSPORTS, HttpEndpoint, HttpRequest
from webio.platform.adaptor.hub import SessionHub, serving_hub
from webio.platform.adaptor.keepalive import Keepalive
from webio.platform.adaptor.origin import RequestFacts
from webio.platform.adaptor.responses import Response
from webio.platform.adaptor.serving import Shutdown, run_server
from webio.platform.adaptor.sse import EventStream
from webio.platform.adaptor.ws import WebSocketClient
from webio.tasks import retrieve_outcome

__all__ = ["start_server", "webio_handler"]

TORNADO_DEFAULT_MAX_BODY = 100 * 1024 * 1024


def _query(request: tornado.httputil.HTTPServerRequest) -> dict[str, str]:
    return {name: values[-1].decode("utf-8", "replace") for name, values in request.query_arguments.items()}


class WebIOHttpHandler(tornado.web.RequestHandler):
    """The page, the client's files and the HTTP transports of webio at one route.

    Subclasses set ``webio_endpoint`` (:func:`http_handler_class` does).
    """

    webio_endpoint: HttpEndpoint
    _stream: EventStream | None = None

    def webio_target(self) -> HttpEndpoint | Response:
        """The endpoint that serves this request, or an answer of its own (see path_deploy)."""
        return self.webio_endpoint

    async def get(self, *args: Any, **kwargs: Any) -> None:
        await self._serve_http()

    async def post(self, *args: Any, **kwargs: Any) -> None:
        await self._serve_http()

    async def head(self, *args: Any, **kwargs: Any) -> None:
        await self._serve_http()

    async def options(self, *args: Any, **kwargs: Any) -> None:
        await self._serve_http()

    def check_xsrf_cookie(self) -> None:
        """webio's POSTs are checked by origin (see :mod:`webio.platform.adaptor.origin`)."""

    async def _serve_http(self) -> None:
        target = self.webio_target()
        if isinstance(target, Response):
            self._answer(target)
            return
        request = self.request
        body = request.body or b""
        result = await target.handle(HttpRequest(
            method=request.method or "GET", query=_query(request), headers=request.headers,
            peer_ip=request.remote_ip or "", host=request.host, scheme=request.protocol,
            body=body[:target.max_body], oversized=len(body) >= target.max_body, raw=request))
        if isinstance(result, Response):
            self._answer(result)
            return
        self._stream = result
        stream = getattr(request.connection, "stream", None)
        if stream is not None:
            stream.set_nodelay(True)
        for name, value in result.headers.items():
            self.set_header(name, value)
        self.write(result.preamble)
        result.start(self._write_chunk)
        await result.wait_closed()

    def _write_chunk(self, chunk: bytes) -> Awaitable[None]:
        self.write(chunk)
        return self.flush()

    def _answer(self, response: Response) -> None:
        self.set_status(response.status)
        for name, value in response.headers.items():
            self.set_header(name, value)
        self.finish(response.body if response.status not in (204, 304) else None)

    def on_connection_close(self) -> None:
        if self._stream is not None:
            self._stream.disconnected()
        super().on_connection_close()


class WebIOHandler(WebIOHttpHandler, tornado.websocket.WebSocketHandler):
    """Everything of :class:`WebIOHttpHandler`, and WebSocket connections.

    The application's ``websocket_ping_interval`` and ``websocket_ping_timeout`` are
    honoured by one :class:`~webio.platform.adaptor.keepalive.Keepalive` per
    application instead of Tornado's pinger task per connection.
    """

    # Slots, not instance attributes: Tornado's handler holds 27 of them once the socket
    # is open, and past 30 an instance's dict stops sharing its keys with the class's
    # other instances and costs about 1.3 KiB more per connection.
    __slots__ = ("_client", "_keepalive", "_target")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._client: WebSocketClient | None = None
        self._keepalive: Keepalive | None = None
        self._target: HttpEndpoint
        super().__init__(*args, **kwargs)

    async def get(self, *args: Any, **kwargs: Any) -> None:
        if self.request.headers.get("Upgrade", "").lower() != "websocket":
            await self._serve_http()
            return
        target = self.webio_target()
        if isinstance(target, Response):
            self._answer(target)
            return
        self._target = target
        await tornado.websocket.WebSocketHandler.get(self, *args, **kwargs)

    def _facts(self) -> RequestFacts:
        request = self.request
        return self._target.hub.facts(request.headers, peer_ip=request.remote_ip or "", host=request.host,
                                      scheme=request.protocol)

    def check_origin(self, origin: str) -> bool:
        return self._target.hub.origin_allowed(self._facts())

    def get_compression_options(self) -> None:
        return None

    @property
    def ping_interval(self) -> float | None:
        """Tornado pings nothing itself: :meth:`open` hands the socket to a shared keepalive."""
        return 0

    def _shared_keepalive(self) -> Keepalive | None:
        interval = self.settings.get("websocket_ping_interval") or 0
        if interval <= 0:
            return None
        keepalive = _keepalives.get(self.application)
        if keepalive is None:
            keepalive = _keepalives[self.application] = Keepalive(interval, self.settings.get("websocket_ping_timeout"))
        return keepalive

    def open(self, *args: Any, **kwargs: Any) -> None:
        hub = self._target.hub
        self.set_nodelay(True)
        self._keepalive = self._shared_keepalive()
        if self._keepalive is not None:
            self._keepalive.add(self)
        self._client = WebSocketClient(hub, self)
        info = hub.session_info(self.request.headers, self._facts(), protocol="websocket", request=self.request)
        self._client.open(_query(self.request), info)

    def on_message(self, message: str | bytes) -> None:
        if self._client is not None:
            self._client.on_message(message)

    def on_pong(self, data: bytes) -> None:
        if self._keepalive is not None:
            self._keepalive.answered(self)

    def on_close(self) -> None:
        if self._keepalive is not None:
            self._keepalive.discard(self)
        client, self._client = self._client, None  # it points back here: a cycle would keep both
        if client is not None:
            client.on_close()

    def send_ping(self) -> None:
        if self.ws_connection is not None and not self.ws_connection.is_closing():
            self.ping()

    def send_text(self, text: str) -> Awaitable[None] | None:
        written = self.write_message(text)
        stream = self.ws_connection.stream if self.ws_connection is not None else None
        if stream is not None and not stream.writing():
            # The socket took the whole frame. write_message still returns a task that
            # finishes a loop turn later; waiting for it would cost that turn per frame.
            written.add_done_callback(retrieve_outcome)
            return None
        return written

    def close_socket(self) -> None:
        self.close()

    def abort_socket(self) -> None:
        # close() would wait five seconds for the close frame of a peer that is gone.
        stream = self.ws_connection.stream if self.ws_connection is not None else None
        if stream is not None:
            stream.close()
        else:
            self.close()


_keepalives: weakref.WeakKeyDictionary[tornado.web.Application, Keepalive] = weakref.WeakKeyDictionary()
"""The keepalive of each application that serves webio's WebSockets with pings on."""


def handler_class(hub: SessionHub) -> type[WebIOHandler]:
    """A handler class serving ``hub`` over WebSocket and HTTP."""
    return type("WebIOHandler", (WebIOHandler,), {"webio_endpoint": HttpEndpoint(hub, ALL_TRANSPORTS)})


def http_handler_class(hub: SessionHub) -> type[WebIOHttpHandler]:
    """A handler class serving ``hub`` over HTTP only (no WebSocket)."""
    return type("WebIOHttpHandler", (WebIOHttpHandler,), {"webio_endpoint": HttpEndpoint(hub, HTTP_TRANSPORTS)})


def webio_handler(
    applications: Any,
    cdn: bool | str = True,
    reconnect_timeout: float = 0,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
    trusted_proxies: Sequence[str] = (),
    max_payload_size: int | str = "200M",
    debug: bool = False,
) -> type[tornado.web.RequestHandler]:
    """A Tornado handler class serving ``applications`` at the route you mount it on.

    ``applications`` is a function, a list of functions or a dict ``{name: function}``;
    ``?app=name`` picks one. Mount it in an existing application::

        Application([(r"/tool", webio_handler(main)), ...])

    The page connects by WebSocket and falls back on its own to Server-Sent Events
    and long-polling where WebSockets are blocked. Set ``websocket_max_message_size``
    in the application's settings to bound inbound frames, and
    ``websocket_ping_interval`` to have every WebSocket pinged and a silent one
    closed (``start_server`` sets both). ``cdn`` is accepted for PyWebIO compatibility: webio serves its client itself and
    never loads anything from a CDN.

    .. warning:: ``allowed_origins`` and ``check_origin`` widen who may drive your
       visitors' sessions; by default only pages of the same host may.
    """
    return handler_class(serving_hub(applications, backend="tornado", reconnect_timeout=reconnect_timeout,
                                     allowed_origins=allowed_origins, check_origin=check_origin,
                                     trusted_proxies=trusted_proxies, max_payload_size=max_payload_size,
                                     debug=debug))


def server_settings(max_payload_bytes: int, debug: bool, app_settings: dict[str, Any]) -> dict[str, Any]:
    """``tornado.web.Application`` settings of a standalone webio server."""
    return {
        "websocket_max_message_size": max_payload_bytes,
        "websocket_ping_interval": 20,
        "websocket_ping_timeout": 20,
        "debug": debug,
        **app_settings,
    }


def build_application(handler: type[tornado.web.RequestHandler], static_dir: str | None,
                      settings: dict[str, Any], route: str = r"/") -> tornado.web.Application:
    """An application with ``handler`` at ``route`` and ``static_dir`` at ``/static/``."""
    routes: list[Any] = []
    if static_dir is not None:
        routes.append((r"/static/(.*)", tornado.web.StaticFileHandler, {"path": static_dir}))
    routes.append((route, handler))
    return tornado.web.Application(routes, **settings)


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
    trusted_proxies: Sequence[str] = (),
    **tornado_app_settings: Any,
) -> None:
    """Serve ``applications`` on ``host:port`` with Tornado until SIGTERM or Ctrl-C.

    ``port=0`` picks a free port. ``static_dir`` is served at ``/static/``.
    ``reconnect_timeout`` (seconds) keeps a session alive that long after its
    connection dropped, so the page resumes where it was. Extra keyword arguments go
    to ``tornado.web.Application``; ``websocket_ping_interval`` and
    ``websocket_ping_timeout`` (20 seconds each by default) say how often every
    WebSocket is pinged and how soon one that does not answer is closed.
    """
    hub = serving_hub(applications, backend="tornado", reconnect_timeout=reconnect_timeout,
                      allowed_origins=allowed_origins, check_origin=check_origin, trusted_proxies=trusted_proxies,
                      max_payload_size=max_payload_size, debug=debug)
    settings = server_settings(hub.options.max_payload_bytes, debug, tornado_app_settings)
    run(build_application(handler_class(hub), static_dir, settings), hub.shutdown,
        max_payload_bytes=hub.options.max_payload_bytes, host=host, port=port, open_browser=auto_open_webbrowser)


def run(application: tornado.web.Application, close_sessions: Shutdown, *, max_payload_bytes: int,
        host: str, port: int, open_browser: bool) -> None:
    """Run ``application`` until SIGTERM or Ctrl-C (the body of every Tornado ``start_server``)."""

    async def serve_until_stopped() -> None:
        await run_server(lambda sock: listen(application, sock, max_body_size=max_payload_bytes + 1),
                         close_sessions, host=host, port=port, open_browser=open_browser)

    try:
        event_loop.run(serve_until_stopped())
    except KeyboardInterrupt:
        print("webio: stopped", flush=True)


async def listen(application: tornado.web.Application, sock: socket.socket, *,
                 max_body_size: int = TORNADO_DEFAULT_MAX_BODY) -> Shutdown:
    """Serve ``application`` on the listening ``sock``; returns the coroutine function that stops it."""
    size = max(max_body_size, TORNADO_DEFAULT_MAX_BODY)
    server = tornado.httpserver.HTTPServer(application, xheaders=False, max_body_size=size, max_buffer_size=size)
    server.add_sockets([sock])

    async def shutdown() -> None:
        server.stop()
        await server.close_all_connections()

    return shutdown


async def serve(application: tornado.web.Application, hub: SessionHub, *, host: str, port: int,
                open_browser: bool = False, ready: Callable[[int], None] | None = None,
                stop: asyncio.Event | None = None) -> None:
    """Serve ``application`` until SIGTERM or ``stop`` is set; ``ready(port)`` is called once it listens."""
    limit = hub.options.max_payload_bytes + 1
    await run_server(lambda sock: listen(application, sock, max_body_size=limit), hub.shutdown,
                     host=host, port=port, open_browser=open_browser, ready=ready, stop=stop)
