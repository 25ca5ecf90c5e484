"""Serve every app of a folder, by URL path, as PyWebIO's ``path_deploy``.

Each ``.py`` file under the folder that defines ``main`` is an app, served at its
path without ``.py``: ``tools/calc.py`` at ``/tools/calc``. ``main`` may be a function
or, as in ``start_server``, a list or dict of them (``?app=name`` picks one). A
folder's URL (ending in ``/``) shows its ``index.py`` app when there is one, else an
index of its apps and subfolders (``index=True``), your own page (``index`` a
function ``(folder path) -> HTML``), or nothing (``index=False``). Names starting
with ``.`` or ``_`` are never served. Add ``?reload`` to a page's URL to import its
file again after editing it.

.. warning:: Every ``.py`` file under ``base`` can be run by any visitor who can reach
   the server; deploy only a folder made for that.

This module imports Tornado only when a server starts.
"""
from __future__ import annotations

import html
import importlib.util
import logging
import os
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any
from urllib.parse import unquote

from webio.platform.adaptor.http import ALL_TRANSPORTS, HTTP_TRANSPORTS, HttpEndpoint
from webio.platform.adaptor.hub import ServerOptions, SessionHub
from webio.platform.adaptor.responses import SECURITY_HEADERS, Response, text_response
from webio.session.script_mode import forbid_script_mode

logger = logging.getLogger("webio.server")

__all__ = ["AppFolder", "folder_application", "path_deploy", "path_deploy_http"]

Index = bool | Callable[[str], str]


def _servable(name: str) -> bool:
    return bool(name) and not name.startswith((".", "_"))


def _load_module(path: str) -> ModuleType:
    """Import the file at ``path`` afresh (as ``__webio__``, so ``if __name__ == "__main__"`` stays off)."""
    spec = importlib.util.spec_from_file_location("__webio__", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def default_index(folder: str, base: str) -> str:
    """An HTML page listing the apps and subfolders of ``folder``."""
    shown = "/" + os.path.relpath(folder, base).replace(os.sep, "/").removeprefix(".").strip("/")
    entries = [] if folder == base else ["../"]
    for name in sorted(os.listdir(folder)):
        full = os.path.join(folder, name)
        if not _servable(name):
            continue
        if os.path.isdir(full):
            entries.append(name + "/")
        elif name.endswith(".py") and name != "index.py":
            entries.append(name[:-3])
    title = html.escape(f"Index of {shown.rstrip('/')}/")
    links = "\n".join(f'<li><a href="{html.escape(entry)}">{html.escape(entry)}</a></li>' for entry in entries)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            f"<body><h1>{title}</h1><ul>\n{links}\n</ul></body></html>")


class AppFolder:
    """The apps of one folder, found by URL path; one hub and endpoint per file.

    :param options: :class:`~webio.platform.adaptor.hub.ServerOptions` keyword arguments
    """

    def __init__(self, base: str, *, index: Index, transports: list[str], **options: Any) -> None:
        self.base = os.path.realpath(base)
        if not os.path.isdir(self.base):
            raise ValueError(f"path_deploy needs a folder, got {base!r}")
        if not (isinstance(index, bool) or callable(index)):
            raise TypeError(f"index must be True, False or a function (folder) -> HTML, got {index!r}")
        self.index = index
        self.transports = transports
        self.server_options = ServerOptions(**options)
        self.endpoints: dict[str, HttpEndpoint] = {}

    async def shutdown(self) -> None:
        """Close the sessions of every app (server shutdown)."""
        for endpoint in list(self.endpoints.values()):
            await endpoint.hub.shutdown()

    def target(self, url_path: str, query: str, *, reload: bool = False) -> HttpEndpoint | Response:
        """The endpoint of the app at ``url_path``, or the answer instead (index, redirect, 404)."""
        parts = unquote(url_path).split("/")
        if not all(_servable(part) for part in parts[1:-1]) or (parts[-1] and not _servable(parts[-1])):
            return text_response(403, "this path is not served")
        path = os.path.realpath(os.path.join(self.base, *[part for part in parts if part]))
        if path != self.base and not path.startswith(self.base + os.sep):
            return text_response(403, "this path is not served")
        if os.path.isdir(path):
            if not url_path.endswith("/"):
                location = url_path + "/" + (f"?{query}" if query else "")
                return Response(301, b"", {"Location": location, **SECURITY_HEADERS})
            if os.path.isfile(os.path.join(path, "index.py")):
                path = os.path.join(path, "index.py")
            elif self.index is False:
                return text_response(404, "no index here")
            else:
                page = self.index(path) if callable(self.index) else default_index(path, self.base)
                return Response(200, page.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8",
                                                            "Cache-Control": "no-cache", **SECURITY_HEADERS})
        else:
            path += ".py"
        if not os.path.isfile(path):
            return text_response(404, "no app here")
        return self._endpoint(path, reload)

    def _endpoint(self, path: str, reload: bool) -> HttpEndpoint | Response:
        known = self.endpoints.get(path)
        if known is not None and not reload:
            return known
        try:
            module = _load_module(path)
        except Exception:
            logger.exception("path_deploy: importing %s failed", path)
            return text_response(500, "this app failed to load; the server's log says why")
        main = getattr(module, "main", None)
        if main is None:
            return text_response(404, "no app here (the file defines no main)")
        forbid_script_mode()
        endpoint = HttpEndpoint(SessionHub(main, self.server_options, backend="tornado"), self.transports)
        if known is not None:
            # Sessions opened before the reload live on and can still be found.
            endpoint.hub.sessions = known.hub.sessions
        self.endpoints[path] = endpoint
        return endpoint


def folder_application(folder: AppFolder, *, websocket: bool, static_dir: str | None = None,
                       settings: dict[str, Any] | None = None) -> Any:
    """The ``tornado.web.Application`` that serves ``folder`` (every path but ``/static/``)."""
    from webio.platform.tornado import WebIOHandler, WebIOHttpHandler, build_application

    base_class: type[WebIOHttpHandler] = WebIOHandler if websocket else WebIOHttpHandler

    class PathDeployHandler(base_class):  # type: ignore[valid-type,misc]
        def webio_target(self) -> HttpEndpoint | Response:
            request = self.request
            return folder.target(request.path, request.query, reload="reload" in request.query_arguments)

    return build_application(PathDeployHandler, static_dir, settings or {}, route=r"/.*")


def _serve_folder(folder: AppFolder, *, websocket: bool, port: int, host: str, static_dir: str | None,
                  debug: bool, tornado_app_settings: dict[str, Any]) -> None:
    from webio.platform.tornado import run, server_settings

    limit = folder.server_options.max_payload_bytes
    settings = server_settings(limit, debug,
                               {key: value for key, value in tornado_app_settings.items() if value is not None})
    application = folder_application(folder, websocket=websocket, static_dir=static_dir, settings=settings)
    run(application, folder.shutdown, max_payload_bytes=limit, host=host, port=port, open_browser=False)


def path_deploy(
    base: str,
    port: int = 0,
    host: str = "",
    index: Index = True,
    static_dir: str | None = None,
    reconnect_timeout: float = 0,
    cdn: bool | str = True,
    debug: bool = False,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
    max_payload_size: int | str = "200M",
    trusted_proxies: Sequence[str] = (),
    **tornado_app_settings: Any,
) -> None:
    """Serve the apps of the folder ``base`` with Tornado (WebSocket, HTTP as fallback).

    :param index: what a folder's URL shows without an ``index.py``: True (a list of
        its apps), False (404) or a function ``(folder path) -> HTML``
    :param static_dir: a folder served at ``/static/``

    The other arguments are those of :func:`webio.platform.tornado.start_server`;
    PyWebIO's ``websocket_max_message_size``, ``websocket_ping_interval`` and
    ``websocket_ping_timeout`` go to Tornado with the other settings.
    """
    folder = AppFolder(base, index=index, transports=ALL_TRANSPORTS, reconnect_timeout=reconnect_timeout,
                       allowed_origins=allowed_origins, check_origin=check_origin, trusted_proxies=trusted_proxies,
                       max_payload_size=max_payload_size, debug=debug)
    _serve_folder(folder, websocket=True, port=port, host=host, static_dir=static_dir, debug=debug,
                  tornado_app_settings=tornado_app_settings)


def path_deploy_http(
    base: str,
    port: int = 0,
    host: str = "",
    index: Index = True,
    static_dir: str | None = None,
    cdn: bool | str = True,
    debug: bool = False,
    allowed_origins: Sequence[str] | None = None,
    check_origin: Callable[[str], bool] | None = None,
    session_expire_seconds: float | None = None,
    session_cleanup_interval: float | None = None,
    max_payload_size: int | str = "200M",
    trusted_proxies: Sequence[str] = (),
    **tornado_app_settings: Any,
) -> None:
    """Serve the apps of the folder ``base`` with Tornado over HTTP only.

    The arguments are those of :func:`path_deploy` and
    :func:`webio.platform.tornado_http.start_server`.
    """
    folder = AppFolder(base, index=index, transports=HTTP_TRANSPORTS,
                       session_expire_seconds=session_expire_seconds, allowed_origins=allowed_origins,
                       check_origin=check_origin, trusted_proxies=trusted_proxies,
                       max_payload_size=max_payload_size, debug=debug)
    _serve_folder(folder, websocket=False, port=port, host=host, static_dir=static_dir, debug=debug,
                  tornado_app_settings=tornado_app_settings)
