"""Receiving files: chunked uploads over the session's own connection.

Why chunks over the socket: the socket is already open, authenticated by the session
and works on every transport; a file of any size then costs bounded frames (a few
hundred KiB), progress is exact, and nothing else (an HTTP route, a temp dir) has to
be kept in step with the session. The protocol (``docs/protocol.md``, event
``upload``, command ``upload_ack``):

1. The browser announces the files of one field: ``{"op": "start", "upload_id",
   "name", "files": [{"filename", "size", "mime_type", "last_modified"}]}``. The
   server checks the field is open and takes files, and the limits: the field's
   ``max_size`` per file, ``max_total_size`` for all, the server's
   ``max_payload_size`` for all files of one form, ``accept`` and ``multiple``. A
   refusal is an ``upload_ack`` with ``error`` and the message next to the field.
2. The browser sends the bytes in order, file by file: ``{"op": "chunk",
   "upload_id", "file", "offset", "data": BASE64}``; every chunk is acknowledged
   with the bytes received so far. The browser keeps only a few chunks unacknowledged,
   which bounds memory on both sides and gives its progress bar.
3. The submit names the upload (``{"upload_id": ...}``) as the field's value. An
   upload that did not finish (the connection dropped) fails with a clear message
   next to its field; the rest of the form stays as it was.

Memory: each file is written into its own :class:`io.BytesIO`. ``getvalue()`` of a
BytesIO hands over its buffer without copying it (CPython), so a 100 MB file costs
100 MB plus one chunk, never two or three copies. The store lives on the session (see
:func:`upload_store`); everything it holds is dropped when the form closes.

Threads: events arrive on the event loop thread, forms open and close on user
threads; one lock guards the store.
"""
from __future__ import annotations

import binascii
import io
import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from webio.input.form import Field, FieldError
from webio.protocol import Event, make_command
from webio.session.base import Session

logger = logging.getLogger("webio.input")

__all__ = ["PIN_TARGET", "UploadLimits", "UploadStore", "format_size", "upload_store"]

PIN_TARGET = "pin"
"""The ``task_id`` of uploads into pin widgets (forms use their own task id)."""

_UPLOAD_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_FILES = 1000
MAX_FILENAME = 1024


def format_size(size: int) -> str:
    """``1536`` → ``'1.5 KB'``: a size for people (1 KB = 1024 bytes)."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}".replace(".0 ", " ")
        value /= 1024
    return f"{size} bytes"


@dataclass(frozen=True)
class UploadLimits:
    """What a file item accepts; sizes in bytes, already capped by the server's limit."""

    max_size: int
    max_total_size: int
    multiple: bool = False
    accept: tuple[str, ...] = ()

    def accepts(self, filename: str, mime_type: str) -> bool:
        """Whether ``accept`` lets this file in (extension, MIME type or ``type/*``)."""
        if not self.accept:
            return True
        name, mime = filename.lower(), mime_type.lower()
        for entry in self.accept:
            entry = entry.strip().lower()
            if entry.startswith(".") and name.endswith(entry):
                return True
            if entry.endswith("/*") and mime.startswith(entry[:-1]):
                return True
            if entry == mime:
                return True
        return False


@dataclass
class _File:
    filename: str
    size: int
    mime_type: str
    last_modified: float
    buffer: io.BytesIO = field(default_factory=io.BytesIO)

    def as_result(self) -> dict[str, Any]:
        return {"filename": self.filename, "content": self.buffer.getvalue(), "mime_type": self.mime_type,
                "last_modified": self.last_modified}


@dataclass
class _Upload:
    upload_id: str
    files: list[_File]
    total: int
    index: int = 0
    offset: int = 0
    received: int = 0
    failure: str | None = None

    @property
    def complete(self) -> bool:
        return self.failure is None and self.received == self.total

    def skip_empty_files(self) -> None:
        while self.index < len(self.files) and self.offset == self.files[self.index].size:
            self.index += 1
            self.offset = 0


@dataclass
class _Target:
    task_id: str
    name: str
    limits: UploadLimits
    report: Callable[[str | None], None]
    upload: _Upload | None = None
    error_shown: bool = False


class _Refused(Exception):
    """An upload event that cannot be taken; the message is for the visitor."""


def _decode_base64(text: str) -> bytes | None:
    """The bytes of strict base64 ``text``, or None.

    ``a2b_base64`` skips characters outside the alphabet; a decoded length that
    differs from what the text's length promises reveals them. (Faster than
    ``b64decode(validate=True)``, whose regular expression costs more than the
    decoding itself on megabyte chunks.)
    """
    if len(text) % 4:
        return None
    try:
        chunk = binascii.a2b_base64(text)
    except (binascii.Error, ValueError):
        return None
    if len(chunk) != len(text) // 4 * 3 - text[-2:].count("="):
        return None
    return chunk


def _basename(filename: str) -> str:
    return re.split(r"[\\/]", filename)[-1]


class UploadStore:
    """The uploads of one session, by target (a form's field or a pin widget)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.max_payload_bytes: int = session.max_payload_bytes
        self._lock = threading.Lock()
        self._targets: dict[tuple[str, str], _Target] = {}
        self._uploads: dict[str, _Target] = {}

    # --- targets (user threads) ----------------------------------------------

    def expect_form_field(self, task_id: str, item: Field) -> None:
        """Accept uploads for file item ``item`` of the form ``task_id``."""
        session, name = self.session, item.name

        def report(message: str | None) -> None:
            attributes: dict[str, Any] = (
                {"valid_status": False, "invalid_feedback": message} if message else {"valid_status": 0})
            session.send(make_command("update_input", {"target_name": name, "attributes": attributes}, task_id))

        self._expect(_Target(task_id, name, item.upload, report))

    def expect_pin(self, name: str, limits: UploadLimits) -> None:
        """Accept uploads for the pin widget ``name`` (replacing an earlier widget's)."""
        session = self.session

        def report(message: str | None) -> None:
            attributes: dict[str, Any] = (
                {"valid_status": False, "invalid_feedback": message} if message else {"valid_status": 0})
            session.send(make_command("pin_update", {"name": name, "attributes": attributes}))

        self._expect(_Target(PIN_TARGET, name, limits, report))

    def _expect(self, target: _Target) -> None:
        with self._lock:
            old = self._targets.pop((target.task_id, target.name), None)
            if old is not None and old.upload is not None:
                self._uploads.pop(old.upload.upload_id, None)
            self._targets[(target.task_id, target.name)] = target

    def forget(self, task_id: str) -> None:
        """Drop every target and upload of the form ``task_id`` (it closed)."""
        with self._lock:
            for key in [k for k in self._targets if k[0] == task_id]:
                target = self._targets.pop(key)
                if target.upload is not None:
                    self._uploads.pop(target.upload.upload_id, None)

    # --- reading uploads (user threads) ---------------------------------------

    def _files_of(self, target: _Target | None, raw: Any) -> list[dict[str, Any]]:
        """The files a submitted value names; raises FieldError."""
        if raw is None or raw == []:
            return []
        if not isinstance(raw, dict) or not isinstance(raw.get("upload_id"), str):
            raise FieldError("Please choose the file again: what arrived was not an uploaded file.")
        upload = None if target is None else target.upload
        if upload is None or upload.upload_id != raw["upload_id"]:
            raise FieldError("The file did not arrive; please choose it again.")
        if upload.failure is not None:
            raise FieldError(upload.failure)
        if not upload.complete:
            raise FieldError(f"The upload stopped after {format_size(upload.received)} of "
                             f"{format_size(upload.total)}; please submit again.")
        return [item.as_result() for item in upload.files]

    def resolve_form(self, task_id: str, fields: Sequence[Field], data: dict[str, Any]) -> dict[str, str]:
        """Replace the upload references of ``data`` by lists of file dicts.

        Returns the errors of the fields whose files are missing or incomplete.
        """
        errors: dict[str, str] = {}
        with self._lock:
            for item in fields:
                if item.upload is None:
                    continue
                try:
                    data[item.name] = self._files_of(self._targets.get((task_id, item.name)), data.get(item.name))
                except FieldError as exc:
                    errors[item.name] = str(exc)
        return errors

    def take_pin(self, name: str, raw: Any) -> list[dict[str, Any]]:
        """The files a pin widget's value names; the store lets go of them."""
        with self._lock:
            target = self._targets.get((PIN_TARGET, name))
            files = self._files_of(target, raw)
            if target is not None and target.upload is not None:
                self._uploads.pop(target.upload.upload_id, None)
                target.upload = None
            return files

    # --- events (the loop thread) ---------------------------------------------

    def on_event(self, event: Event) -> None:
        """Handle one ``upload`` event; anything wrong is refused, never raised."""
        data, task_id = event["data"], event["task_id"] or ""
        if not isinstance(data, dict) or not isinstance(data.get("upload_id"), str) \
                or not _UPLOAD_ID.fullmatch(data["upload_id"]):
            self.session.refuse("an upload event without a valid upload_id")
            return
        upload_id, op = data["upload_id"], data.get("op")
        if op == "start":
            self._start(task_id, upload_id, data)
        elif op == "chunk":
            self._chunk(task_id, upload_id, data)
        elif op == "abort":
            with self._lock:
                target = self._uploads.pop(upload_id, None)
                if target is not None and target.task_id == task_id:
                    target.upload = None
        else:
            self.session.refuse(f"an upload event with an unknown op {str(op)[:20]!r}")

    def _ack(self, task_id: str, spec: dict[str, Any]) -> None:
        self.session.send(make_command("upload_ack", spec, task_id))

    def _start(self, task_id: str, upload_id: str, data: dict[str, Any]) -> None:
        name = data.get("name")
        with self._lock:
            target = self._targets.get((task_id, name)) if isinstance(name, str) else None
        if target is None:
            self.session.refuse(f"an upload for {str(name)[:40]!r}, which is not an open file field")
            self._ack(task_id, {"upload_id": upload_id, "error": "This file field is not open any more."})
            return
        try:
            files = self._check_files(data.get("files"), target)
        except _Refused as exc:
            message = str(exc)
            logger.info("session %s: refused an upload for %r: %s", self.session.short_id, target.name, message)
            with self._lock:
                target.error_shown = True
            target.report(message)
            self._ack(task_id, {"upload_id": upload_id, "error": message})
            return
        upload = _Upload(upload_id, files, sum(f.size for f in files))
        upload.skip_empty_files()
        with self._lock:
            if target.upload is not None:
                self._uploads.pop(target.upload.upload_id, None)
            target.upload = upload
            self._uploads[upload_id] = target
            clear, target.error_shown = target.error_shown, False
        if clear:
            target.report(None)
        self._ack(task_id, {"upload_id": upload_id, "received": 0, "total": upload.total})

    def _check_files(self, raw: Any, target: _Target) -> list[_File]:
        if not isinstance(raw, list) or len(raw) > MAX_FILES:
            raise _Refused("The browser sent a file list that could not be read; please choose the files again.")
        files = []
        for item in raw:
            if not isinstance(item, dict):
                raise _Refused("The browser sent a file list that could not be read.")
            filename, size, mime = item.get("filename"), item.get("size"), item.get("mime_type") or ""
            modified = item.get("last_modified") or 0
            if not isinstance(filename, str) or not 0 < len(filename) <= MAX_FILENAME or not isinstance(mime, str) \
                    or isinstance(size, bool) or not isinstance(size, int) or size < 0 \
                    or isinstance(modified, bool) or not isinstance(modified, (int, float)):
                raise _Refused("The browser sent a file description that could not be read.")
            files.append(_File(_basename(filename), size, mime[:200], float(modified)))
        self._check_limits(files, target)
        return files

    def _check_limits(self, files: list[_File], target: _Target) -> None:
        limits = target.limits
        if len(files) > 1 and not limits.multiple:
            raise _Refused("Please choose one file only.")
        for item in files:
            if not limits.accepts(item.filename, item.mime_type):
                raise _Refused(f"{item.filename} is not an accepted type of file ({', '.join(limits.accept)}).")
            if item.size > limits.max_size:
                raise _Refused(f"{item.filename} is {format_size(item.size)}, over the limit of "
                               f"{format_size(limits.max_size)} per file.")
        total = sum(item.size for item in files)
        if total > limits.max_total_size:
            raise _Refused(f"The files are {format_size(total)} together, over the limit of "
                           f"{format_size(limits.max_total_size)}.")
        with self._lock:
            others = sum(t.upload.total for key, t in self._targets.items()
                         if key[0] == target.task_id and t is not target and t.upload is not None)
        if total + others > self.max_payload_bytes:
            raise _Refused(f"The files are {format_size(total + others)}, over the server's limit of "
                           f"{format_size(self.max_payload_bytes)} for one form.")

    def _chunk(self, task_id: str, upload_id: str, data: dict[str, Any]) -> None:
        with self._lock:
            target = self._uploads.get(upload_id)
            upload = None if target is None or target.task_id != task_id else target.upload
            if upload is None or upload.upload_id != upload_id:
                problem: str | None = "a chunk of an upload that is not going on"
            elif upload.failure is not None:
                return
            else:
                problem = self._write(upload, data)
            if problem is None and upload is not None:
                spec = {"upload_id": upload_id, "received": upload.received, "total": upload.total}
            elif upload is not None:
                upload.failure = "The upload failed; please submit again."
        if problem is None:
            self._ack(task_id, spec)
            return
        logger.warning("session %s: refused %s", self.session.short_id, problem)
        message = "The upload failed; please submit again."
        if upload is not None and target is not None:
            target.report(message)
        self._ack(task_id, {"upload_id": upload_id, "error": message})

    @staticmethod
    def _write(upload: _Upload, data: dict[str, Any]) -> str | None:
        """Append one chunk; return what is wrong with it, or None."""
        index, offset, text = data.get("file"), data.get("offset"), data.get("data")
        if index != upload.index or offset != upload.offset or not isinstance(text, str) \
                or upload.index >= len(upload.files):
            return f"an upload chunk out of order (file {index!r} at {offset!r})"
        chunk = _decode_base64(text)
        if chunk is None:
            return "an upload chunk that is not base64"
        item = upload.files[upload.index]
        if not chunk or len(chunk) > item.size - upload.offset:
            return f"an upload chunk of {len(chunk)} bytes where {item.size - upload.offset} were left"
        item.buffer.write(chunk)
        upload.offset += len(chunk)
        upload.received += len(chunk)
        upload.skip_empty_files()
        return None


_attach_lock = threading.Lock()


def upload_store(session: Session) -> UploadStore:
    """The upload store of ``session``, made on first use."""
    store: UploadStore | None = getattr(session, "_webio_uploads", None)
    if store is None:
        with _attach_lock:
            store = getattr(session, "_webio_uploads", None)
            if store is None:
                store = UploadStore(session)
                session._webio_uploads = store  # type: ignore[attr-defined]
    return store
