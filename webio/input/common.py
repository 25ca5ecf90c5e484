"""What every input function shares: argument checks, the item spec, showing one field.

An input function builds a :class:`~webio.input.form.Field`. Called with ``name``
it returns the field, for ``input_group``; called without, it shows a form with that
one field and returns its value (blocking in a thread session, an awaitable in a
coroutine session), as in PyWebIO.
"""
from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

from webio.input.form import Field, Parser, form_flow, keep, run_form

__all__ = ["check_callable", "check_name", "finish", "item_spec", "make_field", "single_field_form"]

_NAME_CHARS = frozenset(string.ascii_letters + string.digits + "_-")
DEFAULT_NAME = "data"


def check_name(name: Any, what: str = "name") -> str:
    """``name`` if it is a non-empty string of letters, digits, ``_`` and ``-``.

    :raises TypeError: not a string. :raises ValueError: empty or other characters.
    """
    if not isinstance(name, str):
        raise TypeError(f"{what} must be a string, got {name!r}")
    if not name or not set(name) <= _NAME_CHARS:
        raise ValueError(f"{what} may contain only letters, digits, '_' and '-', and not be empty; got {name!r}")
    return name


def check_callable(value: Any, what: str) -> None:
    """Raise TypeError unless ``value`` is None or callable."""
    if value is not None and not callable(value):
        raise TypeError(f"{what} must be a function, got {value!r}")


def item_spec(kind: str, *, name: str | None, label: Any, other_html_attrs: dict[str, Any],
              **fields: Any) -> dict[str, Any]:
    """The spec of one item: ``type``, ``name``, ``label`` and every field not None.

    ``other_html_attrs`` are added as they are (the client applies the HTML attributes
    it knows: ``min``, ``max``, ``step``, ``pattern``, ``maxlength`` …).
    """
    spec: dict[str, Any] = {"type": kind, "name": DEFAULT_NAME if name is None else check_name(name),
                            "label": "" if label is None else str(label)}
    for key, value in fields.items():
        if value is not None:
            spec[key] = value
    for key, value in other_html_attrs.items():
        if not isinstance(key, str) or key in ("type", "name"):
            raise ValueError(f"the HTML attribute {key!r} cannot be set this way")
        if value is not None:
            spec[key] = value
    return spec


def make_field(
    spec: dict[str, Any],
    parse: Parser = keep,
    *,
    validate: Callable[[Any], str | None] | None = None,
    onchange: Callable[[Any], Any] | None = None,
    **options: Any,
) -> Field:
    """A Field for ``spec``; checks the callbacks and flags ``onchange`` for the client."""
    check_callable(validate, "validate")
    check_callable(onchange, "onchange")
    if onchange is not None:
        spec["onchange"] = True
    return Field(spec["name"], spec, parse=parse, validate=validate, onchange=onchange, **options)


def single_field_form(item: Field) -> Any:
    """Show a form with one field and return its value (blocks or awaitable)."""
    return run_form(form_flow("", [item], only=item.name))


def finish(item: Field, name: str | None) -> Any:
    """The field itself when ``name`` was given (for ``input_group``), else its value."""
    if name is not None:
        return item
    return single_field_form(item)
