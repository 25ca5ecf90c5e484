"""The HTML page and the client's static files, as every adapter serves them.

One route serves everything so webio can be mounted at any path of an existing app:
the page at ``PATH``, static files at ``PATH?_webio_static=js/main.js``. The client's
modules import each other through bare names (``webio/main.js``) that an import map
in the page resolves to those URLs.
"""
from __future__ import annotations

import hashlib
import html
import json
import mimetypes
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

__all__ = ["PageConfig", "StaticFiles", "StaticFile", "render_page", "STATIC_QUERY", "MANIFEST_QUERY"]

STATIC_QUERY = "_webio_static"
MANIFEST_QUERY = "_webio_manifest"
_PLACEHOLDER = re.compile(r"%%(TITLE|DESCRIPTION|IMPORTMAP|CONFIG|HEAD)%%")


@dataclass(frozen=True)
class StaticFile:
    """A file of the client, read once."""

    body: bytes
    content_type: str
    etag: str


class StaticFiles:
    """The client's files, loaded at start; only these names can be served."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._files: dict[str, StaticFile] = {}
        for path in sorted(self.root.rglob("*")):
            if not path.is_file() or path.suffix not in (".js", ".css", ".svg", ".html", ".png", ".ico"):
                continue
            name = path.relative_to(self.root).as_posix()
            body = path.read_bytes()
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            if path.suffix == ".js":
                content_type = "text/javascript"
            if content_type.startswith("text/") or path.suffix == ".js":
                content_type += "; charset=utf-8"
            etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
            self._files[name] = StaticFile(body, content_type, etag)
        template = self._files.get("index.html")
        if template is None:
            raise FileNotFoundError(f"the client's index.html is missing in {self.root}")
        self.template = template.body.decode("utf-8")
        self.import_map = {
            "imports": {
                "webio/" + name[len("js/"):]: f"?{STATIC_QUERY}={name}"
                for name in self._files
                if name.startswith("js/") and name.endswith(".js")
            }
        }

    def get(self, name: str) -> StaticFile | None:
        """The file called ``name`` (relative, e.g. ``'js/main.js'``), or None."""
        return self._files.get(name)


@dataclass(frozen=True)
class PageConfig:
    """What a page shows besides the app: title, description, theme, extra head content.

    :func:`webio.platform.config` fills it per app; the adapters pass it through.
    ``head_html`` is raw HTML; ``js_code``, ``js_file``, ``css_style`` and
    ``css_file`` become script and style elements; ``manifest`` is True (a manifest
    made from title and description), a dict of manifest fields, or False.
    """

    title: str = "webio"
    description: str = ""
    theme: str = "auto"
    head_html: str = ""
    js_code: str = ""
    js_file: tuple[str, ...] = ()
    css_style: str = ""
    css_file: tuple[str, ...] = ()
    manifest: bool | Mapping[str, Any] = True

    def head(self, app_name: str) -> str:
        """The HTML this configuration adds at the end of ``<head>``."""
        parts = [f'<link rel="stylesheet" href="{html.escape(url)}">' for url in self.css_file]
        if self.css_style:
            parts.append(f"<style>{_inert(self.css_style, 'style')}</style>")
        parts += [f'<script src="{html.escape(url)}"></script>' for url in self.js_file]
        if self.js_code:
            parts.append(f"<script>{_inert(self.js_code, 'script')}</script>")
        if self.manifest is not False:
            href = html.escape(f"?{MANIFEST_QUERY}={quote(app_name)}")
            parts.append(f'<link rel="manifest" href="{href}">')
        if self.head_html:
            parts.append(self.head_html)
        return "\n".join(parts)

    def manifest_json(self, app_name: str) -> dict[str, Any] | None:
        """The web app manifest of ``app_name``'s page, or None when it has none."""
        if self.manifest is False:
            return None
        manifest: dict[str, Any] = {
            "name": self.title,
            "short_name": self.title,
            "description": self.description,
            "start_url": f"?app={quote(app_name)}",
            "display": "standalone",
        }
        if isinstance(self.manifest, Mapping):
            manifest.update(self.manifest)
        return manifest


def _inert(code: str, tag: str) -> str:
    """``code`` that cannot close its ``<tag>`` element early."""
    return re.sub(f"</(?={tag})", "<\\\\/", code, flags=re.IGNORECASE)


def _script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_page(static: StaticFiles, page: PageConfig, *, app_name: str, transports: list[str],
                reconnect: bool, debug: bool, max_message_bytes: int) -> str:
    """The HTML page for app ``app_name``.

    ``max_message_bytes`` is the server's inbound limit: the page refuses a larger
    event itself, with a notice, instead of sending what the server would refuse by
    closing the connection.
    """
    config = {"app": app_name, "transports": transports, "debug": debug, "theme": page.theme,
              "reconnect": reconnect, "max_message_bytes": max_message_bytes}
    values = {
        "TITLE": html.escape(page.title),
        "DESCRIPTION": html.escape(page.description),
        "IMPORTMAP": _script_json(static.import_map),
        "CONFIG": _script_json(config),
        "HEAD": page.head(app_name),
    }
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], static.template)
