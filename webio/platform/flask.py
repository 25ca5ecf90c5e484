"""Serve webio apps with Flask: standalone (``start_server``) or in your application.

Mount the view at any route of an existing Flask app; its own routes keep working::

    app.add_url_rule("/tool", "webio_view", webio_view(main), methods=["GET", "POST", "OPTIONS"])

Flask speaks HTTP: the page gets its commands pushed by Server-Sent Events (or by
long-polling where a proxy holds streams back) and sends events by POST; PyWebIO's
HTTP exchange works too. A click reaches the page as soon as the app answers it,
with no polling interval.

**Threads.** WSGI is synchronous, so webio runs its event loop in a background thread
(see :mod:`webio.platform.adaptor.bridge`, or start it yourself with
:func:`webio.platform.run_event_loop`). Each request thread hands its request to that
loop through one thread-safe door and waits for the answer; an event stream is a
response iterator fed from the loop through a thread-safe queue. An open stream holds
one server thread, so serve with a threaded server: ``start_server`` uses Werkzeug's
threaded server; in production use one with a thread per connection (gunicorn
``--worker-class gthread`` with enough ``--threads``, or gevent), not a small fixed
pool.

**WebSocket** (optional). With ``flask-sock`` installed, ``wsgi_app`` and
``start_server`` also accept WebSocket upgrades at their route and offer them to the
page first. Mounting a view yourself, route its ``websocket`` view too, at the same
path: ``app.add_url_rule("/tool", "tool_ws", view.websocket, websocket=True)``; the
page is offered WebSocket only where that rule exists. A socket holds its request
thread (and a reader thread); see :mod:`webio.platform.adaptor.thread_socket`.
Without ``flask-sock`` everything works over the HTTP transports.
"""
from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

import flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from webio.platform.adaptor.bridge import ThreadSink, call, event_loop
from webio.platform.adaptor.http import ALL_TRANSPORTS, HTTP_TRANSPORTS, HttpEndpoint, HttpRequest
from webio.platform.adaptor.hub import serving_hub
from webio.platform.adaptor.responses import Response
from webio.platform.adaptor.serving import announce, display_url, on_sigterm
from webio.platform.adaptor.thread_socket import serve_socket

try:
    import flask_sock
except ImportError:  # optional: without it Flask serves the HTTP transports only
    flask_sock = None

__all__ = ["start_server", "webio_view", "wsgi_app"]

View = Callable[[], flask.Response]
_SERVER_OPTIONS = {"ssl_context", "passthrough_errors"}
WEBSOCKET = flask_sock is not None
"""Whether Flask views can accept WebSockets here (``flask-sock`` is installed)."""


def _flask_sock_view(handler: Callable[[Any], None]) -> View:
    """flask-sock's view around ``handler(ws)``: it accepts the socket the way the
    running server needs (Werkzeug, gunicorn, eventlet) and closes it afterwards."""
    views: list[View] = []

    class _Collect:  # stands in for the blueprint flask-sock registers its view on
        def route(self, path: str, **options: Any) -> Callable[[View], None]:
            return views.append

    flask_sock.Sock().route("/", bp=_Collect())(handler)
    return views[0]


def _websocket_view(hub: Any, loop: asyncio.AbstractEventLoop | None) -> View:
    """The view accepting WebSocket upgrades for ``hub``, origin checked first."""

    def webio_websocket() -> flask.Response:
        loop_now = loop or event_loop()
        request = flask.request
        headers = cast(Mapping[str, str], request.headers)
        peer_ip, host, scheme = request.remote_addr or "", request.host, request.scheme
        raw = request._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy

        async def admit() -> Any:
            facts = hub.facts(headers, peer_ip=peer_ip, host=host, scheme=scheme)
            if not hub.origin_allowed(facts):
                return None
            return hub.session_info(headers, facts, protocol="websocket", request=raw)

        info = call(loop_now, admit)
        if info is None:
            return flask.Response("WebSocket connections from this origin are not allowed", status=403)
        query = request.args.to_dict()
        return _flask_sock_view(lambda ws: serve_socket(loop_now, hub, query, info, ws.receive, ws.send))()

    return webio_websocket


def _routes_websocket(websocket_view: View | None) -> bool:
    """Whether the current request's path also routes WebSocket upgrades to ``websocket_view``."""
    rule, app = flask.request.url_rule, flask.current_app
    return websocket_view is not None and rule is not None and any(
        other.websocket and other.rule == rule.rule and app.view_functions.get(other.endpoint) is websocket_view
        for other in app.url_map.iter_rules())


def view_for(endpoint: HttpEndpoint, loop: asyncio.AbstractEventLoop | None = None) -> View:
    """The Flask view of ``endpoint``, whose hub lives on ``loop`` (default: webio's own loop,
    started by the first request of each worker process).

    With ``flask-sock`` installed, the view's ``websocket`` attribute is its WebSocket view
    (route it with ``websocket=True`` at the same path), else ``None``.
    """
    websocket_view = _websocket_view(endpoint.hub, loop) if WEBSOCKET else None

    def webio_view() -> flask.Response:
        loop_now = loop or event_loop()
        request = flask.request
        body, oversized = b"", False
        if request.method == "POST":
            if (request.content_length or 0) >= endpoint.max_body:
                oversized = True
            else:
                body = request.stream.read(endpoint.max_body)
                oversized = len(body) >= endpoint.max_body
        result = call(loop_now, endpoint.handle, HttpRequest(
            method=request.method, query=request.args.to_dict(), headers=cast(Mapping[str, str], request.headers),
            peer_ip=request.remote_addr or "", host=request.host, scheme=request.scheme,
            body=b"" if oversized else body, oversized=oversized,
            raw=request._get_current_object(),  # type: ignore[attr-defined]  # a LocalProxy
            transports=ALL_TRANSPORTS if request.method == "GET" and _routes_websocket(websocket_view) else None))
        if isinstance(result, Response):
            return flask.Response(result.body, status=result.status, headers=result.headers)
        sink = ThreadSink(loop_now, result)
        sink.open()
        return flask.Response(sink.chunks(), status=200, headers=result.headers, direct_passthrough=True)

    webio_view.websocket = websocket_view  # type: ignore[attr-defined]
    webio_view.webio_hub = endpoint.hub  # type: ignore[attr-defined]
    return webio_view


def webio_view(
    applications: Any,
    cdn: bool | str = True,
    session_expire_seconds: float | None = None,
    session_cleanup_interval: float | None = None,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
    reconnect_timeout: float = 0,
    max_payload_size: int | str = "200M",
    trusted_proxies: Sequence[str] = (),
    debug: bool = False,
) -> View:
    """A Flask view serving ``applications`` at the route you add it to.

    Route GET, POST and OPTIONS to it. ``applications`` is a function, a list of
    functions or a dict ``{name: function}``; ``?app=name`` picks one.

    :param session_expire_seconds: how long a session waits for a client that stopped
        sending requests (default: ``reconnect_timeout``, else 60 s)
    :param session_cleanup_interval: accepted for PyWebIO compatibility; webio expires
        each session on its own timer, so there is no sweep to schedule
    :param max_payload_size: the largest request body accepted (``'200M'``, ``'4K'``, bytes)
    :param trusted_proxies: addresses or networks of reverse proxies whose
        ``X-Forwarded-*`` headers are believed

    ``cdn`` is accepted for PyWebIO compatibility: webio serves its client itself.
    The other arguments are those of :func:`webio.platform.tornado.webio_handler`.

    .. warning:: ``allowed_origins`` and ``check_origin`` widen who may drive your
       visitors' sessions; by default only pages of the same host may.
    """
    hub = serving_hub(applications, backend="flask", reconnect_timeout=reconnect_timeout,
                      session_expire_seconds=session_expire_seconds, allowed_origins=allowed_origins,
                      check_origin=check_origin, trusted_proxies=trusted_proxies,
                      max_payload_size=max_payload_size, debug=debug)
    return view_for(HttpEndpoint(hub, HTTP_TRANSPORTS))


def app_for(view: View, static_dir: str | None = None, websocket: bool = True) -> flask.Flask:
    """A Flask app with ``view`` at ``/`` (WebSocket too, with ``flask-sock``, unless not
    ``websocket``) and ``static_dir`` at ``/static/``."""
    app = flask.Flask(__name__, static_folder=static_dir, static_url_path="/static" if static_dir else None)
    app.add_url_rule("/", "webio_view", view, methods=["GET", "POST", "OPTIONS"])
    websocket_view = getattr(view, "websocket", None)
    if websocket and websocket_view is not None:
        app.add_url_rule("/", "webio_websocket", websocket_view, websocket=True)
        app.config["SOCK_SERVER_OPTIONS"] = {"max_message_size": view.webio_hub.options.max_payload_bytes,  # type: ignore[attr-defined]
                                             "ping_interval": 20}
    return app


def wsgi_app(
    applications: Any,
    cdn: bool | str = True,
    static_dir: str | None = None,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
    session_expire_seconds: float | None = None,
    session_cleanup_interval: float | None = None,
    max_payload_size: int | str = "200M",
    reconnect_timeout: float = 0,
    trusted_proxies: Sequence[str] = (),
    debug: bool = False,
) -> flask.Flask:
    """A Flask app serving ``applications`` at ``/`` (and ``static_dir`` at ``/static/``).

    Hand it to any threaded WSGI server. The arguments are those of :func:`webio_view`.
    """
    view = webio_view(applications, cdn=cdn, session_expire_seconds=session_expire_seconds,
                      session_cleanup_interval=session_cleanup_interval, allowed_origins=allowed_origins,
                      check_origin=check_origin, reconnect_timeout=reconnect_timeout,
                      max_payload_size=max_payload_size, trusted_proxies=trusted_proxies, debug=debug)
    app = app_for(view, static_dir)
    app.extensions["webio"] = view.webio_hub  # type: ignore[attr-defined]
    return app


class _RequestHandler(WSGIRequestHandler):
    """Werkzeug's handler with Nagle's algorithm off, so small pushes leave at once."""

    def setup(self) -> None:
        super().setup()
        if self.connection.family in (socket.AF_INET, socket.AF_INET6):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _QuietRequestHandler(_RequestHandler):
    """The same, without a log line per request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Requests are not logged (errors still are)."""


def make_wsgi_server(app: Any, host: str, port: int, *, log_requests: bool = False, **options: Any) -> BaseWSGIServer:
    """Werkzeug's threaded server for ``app`` on ``host:port`` (port 0: a free one), listening."""
    unknown = set(options) - _SERVER_OPTIONS
    if unknown:
        raise TypeError(f"start_server() got options it does not know: {sorted(unknown)}; "
                        f"it passes only {sorted(_SERVER_OPTIONS)} to Werkzeug's server")
    handler = _RequestHandler if log_requests else _QuietRequestHandler
    return make_server(host or "0.0.0.0", port, app, threaded=True, request_handler=handler, **options)


def start_server(
    applications: Any,
    port: int = 8080,
    host: str = "",
    cdn: bool | str = True,
    static_dir: str | None = None,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
    session_expire_seconds: float | None = None,
    session_cleanup_interval: float | None = None,
    debug: bool = False,
    max_payload_size: int | str = "200M",
    reconnect_timeout: float = 0,
    trusted_proxies: Sequence[str] = (),
    auto_open_webbrowser: bool = False,
    **flask_options: Any,
) -> None:
    """Serve ``applications`` with Flask on Werkzeug's threaded server until SIGTERM or Ctrl-C.

    ``port=0`` picks a free port. ``flask_options`` may hold ``ssl_context`` and
    ``passthrough_errors`` (Werkzeug's). ``debug`` turns on the client's debug log and
    Werkzeug's request log; there is no code reloader. The other arguments are those
    of :func:`wsgi_app`.
    """
    app = wsgi_app(applications, cdn=cdn, static_dir=static_dir, allowed_origins=allowed_origins,
                   check_origin=check_origin, session_expire_seconds=session_expire_seconds,
                   session_cleanup_interval=session_cleanup_interval, max_payload_size=max_payload_size,
                   reconnect_timeout=reconnect_timeout, trusted_proxies=trusted_proxies, debug=debug)
    server = make_wsgi_server(app, host, port, log_requests=debug, **flask_options)
    announce(display_url(host, server.socket.getsockname()[1]), open_browser=auto_open_webbrowser)
    on_sigterm(lambda: threading.Thread(target=server.shutdown, name="webio-shutdown", daemon=True).start())
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        print("webio: stopped", flush=True)
    finally:
        server.server_close()
        call(event_loop(), app.extensions["webio"].shutdown, timeout=10)
