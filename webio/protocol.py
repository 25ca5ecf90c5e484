"""The wire format, owned here and nowhere else.

Server → client frames hold one command object or a JSON array of them::

    {"command": "output", "task_id": null, "spec": {...}, "seq": 7}

Client → server frames hold one event object (HTTP bodies: an array of them)::

    {"event": "callback", "task_id": "cb-…", "data": "value"}

The shape follows PyWebIO's so that its load drivers work unchanged; webio's
additions (``seq`` on commands, the ``ack`` event, ``set_reconnect_token``,
``snapshot``, ``notice``) are ignored by clients that do not know them.
``docs/protocol.md`` is the prose specification with one example frame each.

Everything that comes from a browser passes :func:`decode_event` or
:func:`decode_event_batch`, which raise :class:`~webio.exceptions.ProtocolError`
with a message fit for a log line and for the visitor.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any, Literal, NotRequired, TypedDict

from webio.exceptions import ProtocolError
from webio.speedups import optional_module

__all__ = [
    "Command",
    "Event",
    "COMMAND_NAMES",
    "EVENT_NAMES",
    "DEFAULT_MAX_FRAME_BYTES",
    "make_command",
    "check_encodable",
    "is_plain_spec",
    "encode_frame",
    "encode_json",
    "json_encoder_name",
    "select_json_encoder",
    "decode_event",
    "decode_event_batch",
    "decode_event_items",
    "frame_last_seq",
    "parse_size",
]

CommandName = Literal[
    "output",
    "output_ctl",
    "input_group",
    "input",
    "update_input",
    "destroy_form",
    "close_session",
    "set_session_id",
    "set_reconnect_token",
    "run_script",
    "download",
    "toast",
    "popup",
    "close_popup",
    "set_env",
    "pin_value",
    "pin_update",
    "pin_onchange",
    "snapshot",
    "notice",
    "set_progressbar",
    "datatable_update",
    "datatable_insert",
    "datatable_remove",
    "upload_ack",
]
COMMAND_NAMES: frozenset[str] = frozenset(CommandName.__args__)  # type: ignore[attr-defined]

EventName = Literal[
    "ack",
    "callback",
    "from_submit",
    "from_cancel",
    "input_event",
    "js_yield",
    "pin_value",
    "pin_change",
    "upload",
]
EVENT_NAMES: frozenset[str] = frozenset(EventName.__args__)  # type: ignore[attr-defined]

DEFAULT_MAX_FRAME_BYTES = 200 * 1024 * 1024
"""Default limit of one inbound frame, PyWebIO's ``max_payload_size='200M'``."""


class Command(TypedDict, total=False):
    """A server → client message. ``seq`` is set by the session's outbox."""

    command: CommandName
    task_id: str | None
    spec: Any
    seq: int


class Event(TypedDict):
    """A client → server message, validated by :func:`decode_event`.

    ``ack``, when present, acknowledges commands up to that ``seq`` as an ``ack``
    event would: the page lets its ack ride along with the next event it sends.
    """

    event: EventName
    task_id: str | None
    data: Any
    ack: NotRequired[int]


def make_command(name: CommandName, spec: Any = None, task_id: str | None = None) -> Command:
    """Build a command object; the session's outbox adds its ``seq`` later."""
    return {"command": name, "task_id": task_id, "spec": spec}


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)
"""The standard library's encoder, built once (``json.dumps`` with options builds one per call).

It checks every command as it is sent (:func:`check_encodable`), and encodes frames
when orjson is not used."""

JSON_ENV_VAR = "WEBIO_JSON"
_orjson = optional_module(JSON_ENV_VAR, "orjson", "stdlib")


def select_json_encoder(environ: Mapping[str, str] | None = None) -> str:
    """Read ``WEBIO_JSON`` again (from ``environ``, default ``os.environ``) and pick
    the encoder of frames; return its name, ``"orjson"`` or ``"stdlib"``.

    webio picks it once when imported; this is for tests and for embedding.

    :raises ValueError: for a value other than ``auto``, ``stdlib`` or ``orjson``
    :raises RuntimeError: for ``orjson`` when orjson is not installed
    """
    global _orjson
    _orjson = optional_module(JSON_ENV_VAR, "orjson", "stdlib", environ)
    return json_encoder_name()


def json_encoder_name() -> str:
    """The encoder of frames in use: ``"orjson"`` (``webio[speedups]``) or ``"stdlib"``."""
    return "stdlib" if _orjson is None else "orjson"


def encode_json(value: Any) -> str:
    """Encode ``value`` compactly (UTF-8 text, no spaces); used for frames and snapshot sizes.

    With orjson, anything it does not take (an int beyond 64 bits, a dict key that is
    not a string) is left to the standard library, so both give the same JSON, with
    one exception: orjson writes NaN and the infinities as ``null``. No command holds
    them when it is sent (:func:`check_encodable`), so only a value the app changes in
    place afterwards can meet that.
    """
    if _orjson is not None:
        try:
            return _orjson.dumps(value).decode()
        except TypeError:  # orjson.JSONEncodeError
            pass
    return _ENCODER.encode(value)


_PLAIN_TYPES = frozenset({str, int, bool, type(None)})


def is_plain_spec(spec: Any) -> bool:
    """Whether ``spec`` is a string, None or a dict of strings, ints, bools, None and
    finite floats: nothing nested, and nothing JSON cannot carry.

    Most specs (a text, a toast) are plain; knowing it without encoding or walking
    them keeps a burst of outputs cheap.
    """
    if type(spec) is dict:
        for value in spec.values():
            kind = type(value)
            if kind not in _PLAIN_TYPES and not (kind is float and math.isfinite(value)):
                return False
        return True
    return type(spec) in _PLAIN_TYPES


def check_encodable(command: Command) -> None:
    """Raise now, in the call that made ``command``, if it cannot go on the wire.

    Frames are encoded later, many commands at once, on the event loop; a value JSON
    cannot carry (NaN, a ``set``, a ``datetime``) would fail there, far from its cause,
    and take the other commands of the frame with it. A spec that is a string or a
    plain spec (:func:`is_plain_spec`) is known to be fine without encoding.

    :raises ValueError: for NaN or an infinity (JSON has neither)
    :raises TypeError: for a value of a type JSON does not have
    """
    spec = command.get("spec")
    if is_plain_spec(spec):
        return
    try:
        _ENCODER.encode(command)
    except (TypeError, ValueError) as exc:
        path, bad = _first_unencodable(spec, "spec")
        output_type = spec.get("type") if command["command"] == "output" and isinstance(spec, dict) else None
        what = f"this {output_type} output" if isinstance(output_type, str) else f"this {command['command']} command"
        if isinstance(bad, float):
            raise ValueError(f"{what} cannot be sent to the page: {path} is {bad!r}, which JSON cannot carry; "
                             "use None (or a string) for missing or infinite numbers") from None
        raise TypeError(f"{what} cannot be sent to the page: {path} is a {type(bad).__name__}, which JSON cannot "
                        f"carry; pass str, int, float, bool, None, list or dict ({exc})") from None


def _first_unencodable(value: Any, path: str) -> tuple[str, Any]:
    """Where in ``value`` the first value that JSON cannot carry is, and that value."""
    if isinstance(value, dict):
        for key, child in value.items():
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                return f"{path} key {key!r}", key
            found = _first_unencodable(child, f"{path}[{key!r}]")
            if found[0]:
                return found
        return "", None
    if isinstance(value, (list, tuple)):
        for index, child in enumerate(value):
            found = _first_unencodable(child, f"{path}[{index}]")
            if found[0]:
                return found
        return "", None
    if isinstance(value, float) and not math.isfinite(value):
        return path, value
    if value is None or isinstance(value, (str, int, float, bool)):
        return "", None
    return path, value


def encode_frame(commands: list[Command]) -> str:
    """Encode commands as one text frame: one object alone, several as an array.

    Called once per frame, never once per command per hop.
    """
    if len(commands) == 1:
        return encode_json(commands[0])
    return encode_json(commands)


def _validate_event(obj: Any) -> Event:
    if not isinstance(obj, dict):
        raise ProtocolError(f"an event must be a JSON object, got {type(obj).__name__}")
    name = obj.get("event")
    if not isinstance(name, str):
        raise ProtocolError(f"an event needs a string 'event' field, got {name!r:.80}")
    if name not in EVENT_NAMES:
        raise ProtocolError(f"unknown event {name!r:.80}")
    task_id = obj.get("task_id")
    if task_id is not None and not isinstance(task_id, str):
        raise ProtocolError(f"'task_id' of a {name} event must be a string, got {task_id!r:.80}")
    if name != "ack" and not task_id:
        raise ProtocolError(f"a {name} event needs a 'task_id'")
    if name == "ack":
        data = obj.get("data")
        if not _is_seq(data.get("seq") if isinstance(data, dict) else None):
            raise ProtocolError(f"an ack needs data {{'seq': <int ≥ 0>}}, got {data!r:.80}")
    event: Event = {"event": name, "task_id": task_id, "data": obj.get("data")}  # type: ignore[typeddict-item]
    if "ack" in obj:
        if not _is_seq(obj["ack"]):
            raise ProtocolError(f"the 'ack' of a {name} event must be an int ≥ 0, got {obj['ack']!r:.80}")
        event["ack"] = obj["ack"]
    return event


def _is_seq(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _loads(frame: str | bytes, max_bytes: int) -> Any:
    size = len(frame.encode() if isinstance(frame, str) else frame)
    if size > max_bytes:
        raise ProtocolError(f"frame of {size} bytes is over the limit of {max_bytes} bytes")
    try:
        return json.loads(frame)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProtocolError(f"frame is not valid JSON: {exc}") from None


def decode_event(frame: str | bytes, max_bytes: int = DEFAULT_MAX_FRAME_BYTES) -> Event:
    """Parse and validate one WebSocket text frame holding one event.

    :raises ProtocolError: oversized, not JSON, not an object, unknown event name,
        or fields of the wrong type.
    """
    return _validate_event(_loads(frame, max_bytes))


def decode_event_batch(body: str | bytes, max_bytes: int = DEFAULT_MAX_FRAME_BYTES) -> list[Event]:
    """Parse an HTTP body: a JSON array of events (a single object is accepted too)."""
    obj = _loads(body, max_bytes)
    items = obj if isinstance(obj, list) else [obj]
    return [_validate_event(item) for item in items]


def decode_event_items(body: str | bytes, max_bytes: int = DEFAULT_MAX_FRAME_BYTES) -> list[Event | ProtocolError]:
    """Parse an HTTP body of events, validating each event on its own.

    Unlike :func:`decode_event_batch`, one bad event does not cost the others: its
    place in the list holds the :class:`~webio.exceptions.ProtocolError` that says
    what is wrong with it. The HTTP transports need this because an event's position
    is its id (PyWebIO's exchange acknowledges events by position).

    :raises ProtocolError: when the body itself is oversized or not JSON.
    """
    obj = _loads(body, max_bytes)
    items = obj if isinstance(obj, list) else [obj]
    decoded: list[Event | ProtocolError] = []
    for item in items:
        try:
            decoded.append(_validate_event(item))
        except ProtocolError as exc:
            decoded.append(exc)
    return decoded


# The outbox adds ``seq`` after ``command``, ``task_id`` and ``spec``, so in an encoded
# frame the last command's ``seq`` is the last key: the frame ends ``"seq":N}`` or
# ``"seq":N}]``. A ``"seq"`` key inside a spec is always followed by more text.
_LAST_SEQ = re.compile(r'"seq":(\d+)\}\]?$')


def frame_last_seq(frame: str) -> int | None:
    """The ``seq`` of the last command of an encoded server frame, or None.

    Frames that concern the connection only (``set_session_id``, a refusal) carry no
    ``seq``. The SSE transport uses this as the event id, so that a resumed stream
    (``Last-Event-ID``) continues after the last command the client received. Reads
    only the frame's tail: no JSON parsing on the hot path.
    """
    match = _LAST_SEQ.search(frame, max(0, len(frame) - 40))
    return int(match.group(1)) if match else None


_SIZE_UNITS = {"": 1, "B": 1, "K": 1024, "M": 1024**2, "G": 1024**3}


def parse_size(size: int | str) -> int:
    """Turn ``'200M'``, ``'4K'``, ``'1G'`` or an int into a number of bytes."""
    if isinstance(size, int) and not isinstance(size, bool):
        if size <= 0:
            raise ValueError(f"a size must be positive, got {size!r}")
        return size
    if not isinstance(size, str):
        raise TypeError(f"a size must be an int or a string like '200M', got {size!r}")
    text = size.strip().upper()
    unit = text[-1] if text and text[-1] in _SIZE_UNITS else ""
    number = text[: len(text) - len(unit)]
    try:
        value = float(number) * _SIZE_UNITS[unit]
    except ValueError:
        raise ValueError(f"cannot read size {size!r}; write e.g. 200M, 4K or 1024") from None
    if value <= 0:
        raise ValueError(f"a size must be positive, got {size!r}")
    return int(value)
