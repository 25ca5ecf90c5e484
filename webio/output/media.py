"""Images, files to download and links.

Bytes (an image, a file) travel inside the output's spec as base64, so the session
keeps exactly one copy of them while the output is on the page (in the page model,
for snapshots) and frees it with ``clear``/``remove``; the bytes the app passed in
are not kept. The browser turns a file into a download only when it is clicked.
"""
from __future__ import annotations

import base64
import io
import re
import sys
from typing import Any
from urllib.parse import urlencode, urlsplit

from webio.output.base import Output, OutputPosition, show

__all__ = ["put_image", "put_file", "put_link", "check_url"]

_FORMAT = re.compile(r"[A-Za-z0-9.+-]{1,20}")
_SAFE_SCHEMES = ("http", "https", "mailto", "tel", "ftp")
_MAGIC = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF8", "gif"),
          (b"BM", "bmp"), (b"\x00\x00\x01\x00", "x-icon"))


def check_url(url: Any, what: str, *, image: bool = False) -> str:
    """``url`` if it is a string whose scheme cannot run script in the page.

    Relative URLs and http(s), mailto, tel and ftp are accepted; for images also
    ``data:image/…`` and ``blob:``. ``javascript:``, ``vbscript:`` and other
    ``data:`` URLs raise ValueError.
    """
    if not isinstance(url, str):
        raise TypeError(f"{what} must be a URL string, got {url!r}")
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)  # browsers ignore these inside a scheme
    scheme = urlsplit(cleaned).scheme.lower() if ":" in cleaned.split("/", 1)[0] else ""
    if not scheme or scheme in _SAFE_SCHEMES:
        return url
    if image and (scheme == "blob" or (scheme == "data" and cleaned[5:].lower().startswith("image/"))):
        return url
    raise ValueError(f"{what} {url!r:.80} has a scheme ({scheme}:) that is not allowed; use http(s) or a relative URL")


def _image_format(data: bytes, format: str | None) -> str:  # noqa: A002 - PyWebIO's name
    if format is not None:
        if not isinstance(format, str) or not _FORMAT.fullmatch(format):
            raise ValueError(f"image format must be a name like 'png' or 'jpeg', got {format!r}")
        name = format.lower()
        return {"jpg": "jpeg", "svg": "svg+xml", "ico": "x-icon"}.get(name, name)
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if b"<svg" in data[:1024]:
        return "svg+xml"
    return "png"


def _pil_bytes(image: Any, format: str | None) -> tuple[bytes, str]:  # noqa: A002
    chosen = format or image.format or ("PNG" if image.mode in ("RGBA", "LA", "P", "1") else "JPEG")
    buffer = io.BytesIO()
    image.save(buffer, format=chosen)
    return buffer.getvalue(), chosen


def _css_length(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value}px"
    if isinstance(value, str):
        return value
    raise TypeError(f"{name} must be a CSS length like '30px' or '50%', got {value!r}")


def put_image(
    src: Any,
    format: str | None = None,  # noqa: A002 - PyWebIO's name
    title: str = "",
    width: str | None = None,
    height: str | None = None,
    scope: str | None = None,
    position: int = OutputPosition.BOTTOM,
) -> Output:
    """Output an image.

    ``src`` is a URL, the bytes of an image, or a ``PIL.Image.Image`` (Pillow is not
    needed otherwise). ``format`` names the format of bytes (``'png'``, ``'jpeg'``
    …; guessed from the bytes when omitted) or the format to save a PIL image in.
    ``title`` is the image's description, also read out by screen readers.
    ``width``/``height`` are CSS lengths (``'30px'``, ``'10%'``); given one, the
    other follows the image's proportions.
    """
    pil = sys.modules.get("PIL.Image")
    if pil is not None and isinstance(src, pil.Image):
        src, format = _pil_bytes(src, format)
    if isinstance(src, (bytes, bytearray, memoryview)):
        data = bytes(src)
        url = f"data:image/{_image_format(data, format)};base64,{base64.b64encode(data).decode('ascii')}"
    else:
        url = check_url(src, "put_image src", image=True)
    if not isinstance(title, str):
        raise TypeError(f"put_image title must be a string, got {title!r}")
    spec = {"type": "image", "src": url, "title": title,
            "width": _css_length(width, "width"), "height": _css_length(height, "height")}
    return show(spec, scope, position)


def put_file(
    name: str,
    content: bytes,
    label: str | None = None,
    scope: str | None = None,
    position: int = OutputPosition.BOTTOM,
) -> Output:
    """Output a link that downloads ``content`` as a file called ``name``.

    ``label`` is the link's text (default: the file name). The bytes are held once,
    in the output, while it is on the page (see the module's notes).
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"put_file name must be a non-empty string, got {name!r}")
    if not isinstance(content, (bytes, bytearray, memoryview)):
        raise TypeError(f"put_file content must be bytes, got {type(content).__name__}")
    spec = {"type": "file", "name": name, "label": name if label is None else str(label),
            "content": base64.b64encode(bytes(content)).decode("ascii")}
    return show(spec, scope, position)


def put_link(
    name: str,
    url: str | None = None,
    app: str | None = None,
    new_window: bool = False,
    scope: str | None = None,
    position: int = OutputPosition.BOTTOM,
) -> Output:
    """Output a link to ``url``, or to the webio app called ``app`` on this server.

    Give one of ``url`` and ``app``. ``new_window=True`` opens it in a new tab.
    URLs that could run script (``javascript:`` …) raise ValueError.
    """
    if (url is None) == (app is None):
        raise ValueError("put_link needs either url or app, not both and not neither")
    href = check_url(url, "put_link url") if url is not None else "?" + urlencode({"app": str(app)})
    return show({"type": "link", "name": str(name), "href": href, "new_window": bool(new_window)}, scope, position)
