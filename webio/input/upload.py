"""``file_upload()``: files chosen by the visitor, checked and received by the server.

How files travel is in :mod:`webio.input.upload_store`: in chunks over the session's
connection, with progress, limits enforced on the server and one copy in memory.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from webio.input.common import finish, item_spec, make_field
from webio.input.upload_store import UploadLimits
from webio.protocol import parse_size
from webio.session.context import get_current_session

__all__ = ["CHUNK_SIZE", "file_upload", "upload_spec"]

CHUNK_SIZE = 1024 * 1024
"""Bytes of file per ``upload`` chunk event (less when the server's frame limit is small).

A mebibyte keeps the per-frame costs small next to the bytes (about 20 MB/s from
chromium to a local server) while a frame stays far below the default limit."""


def _size(value: int | str | None, what: str) -> int:
    if value is None or value == 0 or value == "0":
        return 0
    try:
        return parse_size(value)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{what}: {exc}") from None


def _accept_list(accept: str | Sequence[str] | None) -> tuple[str, ...]:
    if accept is None:
        return ()
    if isinstance(accept, str):
        return tuple(part.strip() for part in accept.split(",") if part.strip())
    if isinstance(accept, Sequence) and all(isinstance(part, str) for part in accept):
        return tuple(part.strip() for part in accept if part.strip())
    raise TypeError(f"accept must be a string or a list of strings like '.pdf' or 'image/*', got {accept!r}")


def upload_spec(
    kind: str,
    *,
    label: Any,
    name: str | None,
    accept: str | Sequence[str] | None,
    placeholder: str | None,
    multiple: bool,
    max_size: int | str,
    max_total_size: int | str,
    required: bool | None,
    help_text: str | None,
    other_html_attrs: dict[str, Any],
) -> tuple[dict[str, Any], UploadLimits]:
    """The spec and the server-side limits of a file item (shared with ``put_file_upload``).

    :raises ValueError: a limit above the server's ``max_payload_size``, as in PyWebIO.
    """
    server_limit = get_current_session().max_payload_bytes
    per_file, total = _size(max_size, "max_size"), _size(max_total_size, "max_total_size")
    if per_file > server_limit or total > server_limit:
        raise ValueError(f"max_size and max_total_size can be at most the server's max_payload_size "
                         f"({server_limit} bytes); raise max_payload_size of start_server() for larger files")
    limits = UploadLimits(max_size=per_file or server_limit, max_total_size=total or server_limit,
                          multiple=bool(multiple), accept=_accept_list(accept))
    chunk = max(1024, min(CHUNK_SIZE, server_limit // 2 * 3 // 4))
    spec = item_spec(kind, name=name, label=label, other_html_attrs=other_html_attrs,
                     accept=",".join(limits.accept) or None, placeholder=placeholder, multiple=bool(multiple),
                     max_size=limits.max_size, max_total_size=limits.max_total_size, required=required,
                     help_text=help_text, chunk_size=chunk)
    return spec, limits


def files_value(files: Any, spec: dict[str, Any]) -> Any:
    """The result of a file item: a list with ``multiple``, else one dict or None."""
    if spec.get("multiple"):
        return list(files)
    return files[0] if files else None


def file_upload(
    label: str = "",
    accept: str | Sequence[str] | None = None,
    name: str | None = None,
    placeholder: str = "Choose file",
    multiple: bool = False,
    max_size: int | str = 0,
    max_total_size: int | str = 0,
    required: bool | None = None,
    help_text: str | None = None,
    **other_html_attrs: Any,
) -> Any:
    """Let the visitor upload files; returns ``{"filename", "content", "mime_type",
    "last_modified"}`` (``content`` is bytes), a list of them with ``multiple``, and
    None (``[]`` with ``multiple``) when no file is chosen.

    ``accept`` is ``".pdf"``, ``"image/*"`` or a list of such. ``max_size`` limits each
    file and ``max_total_size`` all of them (bytes, or ``"40K"``, ``"3M"``, ``"1G"``;
    0: the server's ``max_payload_size``). The limits are enforced on the server: a
    file over a limit gets a message next to the field, and the rest of the form
    stays as the visitor filled it. Large files travel in chunks with a progress bar.
    """
    spec, limits = upload_spec("file", label=label, name=name, accept=accept, placeholder=placeholder,
                               multiple=multiple, max_size=max_size, max_total_size=max_total_size,
                               required=required, help_text=help_text, other_html_attrs=other_html_attrs)
    return finish(make_field(spec, files_value, upload=limits), name)
