"""Serving webio apps: the web framework adapters and what they share.

========================================  =============================================
:mod:`webio.platform.tornado`             Tornado: WebSocket and HTTP (``start_server``,
                                          ``webio_handler``)
:mod:`webio.platform.tornado_http`        Tornado over HTTP only
:mod:`webio.platform.aiohttp`             aiohttp: WebSocket and HTTP (``start_server``,
                                          ``webio_handler``, ``static_routes``)
:mod:`webio.platform.flask`               Flask over HTTP, WebSocket with flask-sock
                                          (``start_server``, ``webio_view``, ``wsgi_app``)
:func:`path_deploy`, :func:`path_deploy_http`  every app of a folder, by URL path
:func:`config`                            title, description, theme, extra CSS/JS
:func:`run_event_loop`                    the event loop under a WSGI framework
========================================  =============================================

Frameworks are imported when first used: ``import webio.platform`` imports none.
(``path_deploy`` is imported here, as in PyWebIO, so that ``webio.platform.path_deploy``
is the function; its module imports Tornado only when a server starts.)
"""
from __future__ import annotations

from typing import Any

from webio.platform.page_config import config, seo
from webio.platform.path_deploy import path_deploy, path_deploy_http

__all__ = ["config", "path_deploy", "path_deploy_http", "run_event_loop", "seo", "start_server"]


def start_server(applications: Any, **kwargs: Any) -> None:
    """Serve ``applications`` with Tornado; see :func:`webio.platform.tornado.start_server`."""
    from webio.platform.tornado import start_server as tornado_start_server

    tornado_start_server(applications, **kwargs)


def run_event_loop(debug: bool = False) -> None:
    """Run webio's event loop in the calling thread, for WSGI frameworks such as Flask.

    Optional: the Flask adapter starts the loop in a daemon thread by itself. Call this
    (usually as ``threading.Thread(target=run_event_loop, daemon=True).start()``) to
    choose that thread, as PyWebIO's Flask recipe does. See
    :func:`webio.platform.adaptor.bridge.run_event_loop`.
    """
    from webio.platform.adaptor.bridge import run_event_loop as run

    run(debug)
