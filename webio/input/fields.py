"""``input()``: one-line text, numbers, passwords, URLs, dates, times, colours.

Values come back as PyWebIO returns them: ``str`` for text-like types (``""`` when
empty), ``int`` for ``NUMBER`` and ``float`` for ``FLOAT`` (``None`` when empty).
The server checks what the browser sent, not only the browser: a number field
refuses text, a ``DATE`` field refuses anything but ``YYYY-MM-DD``, ``min``/``max``/
``maxlength``/``minlength`` given as HTML attributes hold on the server too.
"""
from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

from webio.input.common import check_callable, finish, item_spec, make_field
from webio.input.form import Field, FieldError
from webio.protocol import make_command
from webio.session.base import Session
from webio.session.kinds import ignoring_data

__all__ = [
    "COLOR",
    "DATE",
    "DATETIME",
    "DATETIME_LOCAL",
    "FLOAT",
    "INPUT_TYPES",
    "NUMBER",
    "PASSWORD",
    "TEXT",
    "TIME",
    "URL",
    "input",
    "parse_for_type",
    "utf16_length",
]

TEXT = "text"
NUMBER = "number"
FLOAT = "float"
PASSWORD = "password"
URL = "url"
DATE = "date"
TIME = "time"
COLOR = "color"
DATETIME_LOCAL = "datetime-local"
DATETIME = DATETIME_LOCAL

INPUT_TYPES = (TEXT, NUMBER, FLOAT, PASSWORD, URL, DATE, TIME, COLOR, DATETIME_LOCAL)

_DATE = r"\d{4,6}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_TIME = r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?"
_FORMATS = {
    DATE: (re.compile(_DATE), "Please enter a date (YYYY-MM-DD)."),
    TIME: (re.compile(_TIME), "Please enter a time (HH:MM)."),
    DATETIME_LOCAL: (re.compile(_DATE + "T" + _TIME), "Please enter a date and time (YYYY-MM-DDTHH:MM)."),
    COLOR: (re.compile(r"#[0-9a-fA-F]{6}"), "Please choose a colour (#rrggbb)."),
}


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, as a browser counts ``maxlength``."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def _limit(spec: dict[str, Any], key: str) -> float | None:
    value = spec.get(key)
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def check_length(text: str, spec: dict[str, Any]) -> str:
    """``text`` if it respects the item's ``maxlength``/``minlength``; else FieldError."""
    if not text:
        return text
    length = utf16_length(text)
    longest, shortest = _limit(spec, "maxlength"), _limit(spec, "minlength")
    if longest is not None and length > longest:
        raise FieldError(f"Please use at most {int(longest)} characters (now {length}).")
    if shortest is not None and length < shortest:
        raise FieldError(f"Please use at least {int(shortest)} characters (now {length}).")
    return text


def _check_range(number: float, spec: dict[str, Any]) -> None:
    low, high = _limit(spec, "min"), _limit(spec, "max")
    if low is not None and number < low:
        raise FieldError(f"Please enter a number of at least {spec['min']}.")
    if high is not None and number > high:
        raise FieldError(f"Please enter a number of at most {spec['max']}.")


def _parse_int(raw: Any, spec: dict[str, Any]) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise FieldError("Please enter a whole number.")
    if isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.strip().lstrip("+-").isdigit() and len(raw) < 400:
        value = int(raw.strip())
    else:
        raise FieldError("Please enter a whole number.")
    _check_range(value, spec)
    return value


def _parse_float(raw: Any, spec: dict[str, Any]) -> float | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)) or (isinstance(raw, str) and len(raw) > 400):
        raise FieldError("Please enter a number.")
    try:
        value = float(raw)
    except ValueError:
        raise FieldError("Please enter a number.") from None
    if not math.isfinite(value):
        raise FieldError("Please enter a finite number.")
    _check_range(value, spec)
    return value


def _parse_text(raw: Any, spec: dict[str, Any]) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise FieldError("Please enter text.")
    kind = spec.get("type")
    if raw and kind in _FORMATS:
        pattern, message = _FORMATS[kind]
        if not pattern.fullmatch(raw):
            raise FieldError(message)
    return check_length(raw, spec)


def parse_for_type(kind: str) -> Callable[[Any, dict[str, Any]], Any]:
    """The parser of an ``input()`` type (``parse(raw, spec)``)."""
    if kind == NUMBER:
        return _parse_int
    if kind == FLOAT:
        return _parse_float
    return _parse_text


class _Unset:
    """Marks ``set_value(value)`` called without a label."""


_NO_LABEL: Any = _Unset()


def _with_action(parse: Callable[[Any, dict[str, Any]], Any], item_holder: list[Field]) -> Callable[..., Any]:
    """Wrap ``parse``: a submitted label set by ``set_value(value, label)`` means ``value``."""

    def parse_action(raw: Any, spec: dict[str, Any]) -> Any:
        chosen = item_holder[0].extra.get("action_value")
        if chosen is not None and isinstance(raw, str) and raw == chosen[0]:
            return chosen[1]
        return parse(raw, spec)

    return parse_action


def _action_setup(label: str, callback: Callable[..., Any]) -> Callable[[Field, Session], list[str]]:
    """Register the side button's callback when a form shows the field."""

    def setup(item: Field, session: Session) -> list[str]:
        def set_value(value: Any, label: Any = _NO_LABEL) -> None:
            task_id = item.task_id
            if task_id is None:
                return  # the form closed while the click was on its way
            attributes: dict[str, Any] = {"value": value}
            if label is _NO_LABEL:
                item.extra.pop("action_value", None)
            else:
                item.extra["action_value"] = (str(label), value)
                attributes = {"value": str(label), "readonly": True}
            session.send(make_command("update_input", {"target_name": item.name, "attributes": attributes}, task_id))

        callback_id = session.register_callback(ignoring_data(functools.partial(callback, set_value)))
        item.spec["action"] = {"label": label, "callback_id": callback_id}
        return [callback_id]

    return setup


def input(
    label: str = "",
    type: str = TEXT,
    *,
    validate: Callable[[Any], str | None] | None = None,
    name: str | None = None,
    value: Any = None,
    action: tuple[str, Callable[..., Any]] | None = None,
    onchange: Callable[[Any], Any] | None = None,
    placeholder: str | None = None,
    required: bool | None = None,
    readonly: bool | None = None,
    datalist: Sequence[Any] | None = None,
    help_text: str | None = None,
    **other_html_attrs: Any,
) -> Any:
    """Ask for one line of input and return it.

    ``type`` is one of ``TEXT``, ``NUMBER`` (returns an int), ``FLOAT`` (a float),
    ``PASSWORD``, ``URL``, ``DATE``, ``TIME``, ``COLOR``, ``DATETIME_LOCAL``
    (``DATETIME``). ``validate(value)`` returns an error text to show next to the
    field, or None; it runs when the field loses focus and on submit.
    ``action=(label, callback)`` puts a button beside the field: a click calls
    ``callback(set_value)``, and ``set_value(value)`` fills the field, while
    ``set_value(value, label)`` shows ``label`` read-only and makes the input return
    ``value``. ``datalist`` offers suggestions. Extra keyword arguments are HTML
    attributes of the field (``min``, ``max``, ``step``, ``pattern``, ``maxlength`` …).

    Blocks in thread sessions; ``await input(...)`` in coroutine sessions. With
    ``name`` set, nothing is shown: the field is returned for ``input_group``.
    """
    if type not in INPUT_TYPES:
        raise ValueError(f"input type must be one of {INPUT_TYPES}, got {type!r}")
    setup = None
    if action is not None:
        if not (isinstance(action, (tuple, list)) and len(action) == 2 and callable(action[1])):
            raise TypeError(f"action must be a (label, callback) pair, got {action!r}")
        setup = _action_setup(str(action[0]), action[1])
    if datalist is not None and (isinstance(datalist, (str, bytes)) or not isinstance(datalist, Sequence)):
        raise TypeError(f"datalist must be a list of suggestions, got {datalist!r}")
    check_callable(validate, "validate")
    spec = item_spec(type, name=name, label=label, other_html_attrs=other_html_attrs, value=value,
                     placeholder=placeholder, required=required, readonly=readonly, help_text=help_text,
                     datalist=None if datalist is None else [str(option) for option in datalist])
    holder: list[Field] = []
    parse = parse_for_type(type)
    item = make_field(spec, _with_action(parse, holder) if setup else parse, validate=validate,
                      onchange=onchange, setup=setup)
    holder.append(item)
    return finish(item, name)
