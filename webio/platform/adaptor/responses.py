"""Answers to plain GET requests (the page, its manifest, static files), for every adapter."""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from webio.platform.adaptor.hub import SessionHub
from webio.platform.adaptor.page import MANIFEST_QUERY, STATIC_QUERY

__all__ = ["SECURITY_HEADERS", "Response", "answer_get", "text_response"]

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


@dataclass
class Response:
    """A framework-neutral HTTP response."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def text_response(status: int, message: str) -> Response:
    """A short plain-text answer (errors, refusals)."""
    return Response(status, message.encode("utf-8"), {"Content-Type": "text/plain; charset=utf-8",
                                                      "Cache-Control": "no-store", **SECURITY_HEADERS})


def answer_get(hub: SessionHub, query: Mapping[str, str], headers: Mapping[str, str], transports: list[str]) -> Response:
    """The page of ``?app=…``, the manifest of ``?_webio_manifest=…`` or the client file of ``?_webio_static=…``."""
    static_name = query.get(STATIC_QUERY)
    if static_name is not None:
        static = hub.static.get(static_name)
        if static is None:
            return text_response(404, "no such file")
        common = {"ETag": static.etag, "Cache-Control": "no-cache", **SECURITY_HEADERS}
        if headers.get("If-None-Match") == static.etag:
            return Response(304, b"", common)
        return Response(200, static.body, {"Content-Type": static.content_type, **common})
    manifest_app = query.get(MANIFEST_QUERY)
    app_name = manifest_app or query.get("app") or "index"
    if app_name not in hub.apps:
        return text_response(404, f"no app called {app_name!r}")
    if manifest_app is not None:
        manifest = hub.page_config(app_name).manifest_json(app_name)
        if manifest is None:
            return text_response(404, "this app has no manifest")
        return Response(200, json.dumps(manifest).encode(), {"Content-Type": "application/manifest+json",
                                                             "Cache-Control": "no-cache", **SECURITY_HEADERS})
    page = hub.page_html(app_name, transports).encode("utf-8")
    return Response(200, page, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache",
                                **SECURITY_HEADERS})
