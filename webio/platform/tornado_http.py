"""Serve webio apps with Tornado over plain HTTP only, as PyWebIO's ``tornado_http``.

For networks where WebSockets cannot pass: the page gets its commands by Server-Sent
Events (long-polling where a proxy holds streams back) and sends events by POST, or
speaks PyWebIO's HTTP exchange. A click still reaches the page at once: commands are
pushed, never polled for at an interval.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import tornado.web

from webio.platform.adaptor.hub import SessionHub, serving_hub
from webio.platform.tornado import build_application, http_handler_class, run, server_settings

__all__ = ["start_server", "webio_handler"]


def _hub(applications: Any, reconnect_timeout: float, session_expire_seconds: float | None,
         allowed_origins: Sequence[str] | None, check_origin: Callable[[str], bool] | None,
         trusted_proxies: Sequence[str], max_payload_size: int | str, debug: bool) -> SessionHub:
    return serving_hub(applications, backend="tornado", reconnect_timeout=reconnect_timeout,
                       session_expire_seconds=session_expire_seconds, allowed_origins=allowed_origins,
                       check_origin=check_origin, trusted_proxies=trusted_proxies,
                       max_payload_size=max_payload_size, debug=debug)


def webio_handler(
    applications: Any,
    cdn: bool | str = True,
    session_expire_seconds: float | None = None,
    session_cleanup_interval: float | None = None,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
    reconnect_timeout: float = 0,
    trusted_proxies: Sequence[str] = (),
    max_payload_size: int | str = "200M",
    debug: bool = False,
) -> type[tornado.web.RequestHandler]:
    """A Tornado handler class serving ``applications`` over HTTP at the route you mount it on.

    :param session_expire_seconds: how long a session waits for a client that stopped
        sending requests (default 60 s)
    :param session_cleanup_interval: accepted for PyWebIO compatibility; webio expires
        each session on its own timer, so there is no sweep to schedule

    The other arguments are those of :func:`webio.platform.tornado.webio_handler`.
    """
    return http_handler_class(_hub(applications, reconnect_timeout, session_expire_seconds, allowed_origins,
                                   check_origin, trusted_proxies, max_payload_size, debug))


def start_server(
    applications: Any,
    port: int = 8080,
    host: str = "",
    debug: bool = False,
    cdn: bool | str = True,
    static_dir: str | None = None,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
    auto_open_webbrowser: bool = False,
    session_expire_seconds: float | None = None,
    session_cleanup_interval: float | None = None,
    max_payload_size: int | str = "200M",
    reconnect_timeout: float = 0,
    trusted_proxies: Sequence[str] = (),
    **tornado_app_settings: Any,
) -> None:
    """Serve ``applications`` over HTTP with Tornado until SIGTERM or Ctrl-C.

    The arguments are those of :func:`webio_handler` and
    :func:`webio.platform.tornado.start_server`.
    """
    hub = _hub(applications, reconnect_timeout, session_expire_seconds, allowed_origins, check_origin,
               trusted_proxies, max_payload_size, debug)
    settings = server_settings(hub.options.max_payload_bytes, debug, tornado_app_settings)
    run(build_application(http_handler_class(hub), static_dir, settings), hub.shutdown,
        max_payload_bytes=hub.options.max_payload_bytes, host=host, port=port, open_browser=auto_open_webbrowser)
