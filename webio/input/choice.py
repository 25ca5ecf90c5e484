"""``select()``, ``checkbox()`` and ``radio()``: choosing among options.

Options are given as PyWebIO takes them: a dict ``{"label", "value", "selected",
"disabled"}``, a tuple ``(label, value[, selected[, disabled]])``, or a plain value
that is its own label. A value may be any JSON-serializable object. The browser
sends back option values; the server accepts only values of the field's current
options and returns the *original* Python object of the matching option (so a tuple
value comes back as that tuple, not as the list JSON would make of it).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from webio.input.common import finish, item_spec, make_field
from webio.input.form import FieldError
from webio.protocol import encode_json

__all__ = [
    "CHECKBOX",
    "RADIO",
    "SELECT",
    "canonical",
    "checkbox",
    "mark_selected",
    "parse_multiple_choice",
    "parse_options",
    "parse_single_choice",
    "radio",
    "select",
]

SELECT = "select"
CHECKBOX = "checkbox"
RADIO = "radio"


def canonical(value: Any) -> Any:
    """A hashable key under which JSON-equal values meet.

    ``1`` and ``1.0`` meet (JavaScript has one number type), ``True`` and ``1`` do
    not, tuples and lists meet, dict key order does not matter.
    """
    if value is None or isinstance(value, (bool, str)):
        return (type(value).__name__, value)
    if isinstance(value, (int, float)):
        return ("number", int(value) if isinstance(value, float) and value.is_integer() else value)
    if isinstance(value, (list, tuple)):
        return ("list", tuple(canonical(item) for item in value))
    if isinstance(value, Mapping):
        return ("dict", tuple(sorted((str(k), canonical(v)) for k, v in value.items())))
    return ("other", repr(value))


def _check_json(value: Any, what: str) -> None:
    try:
        encode_json(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{what} must be JSON-serializable, got {value!r} ({exc})") from None


def parse_options(options: Any, what: str = "options") -> list[dict[str, Any]]:
    """Options in their spec form ``{"label", "value", "selected"?, "disabled"?}``.

    :raises TypeError: ``options`` is not a list, or a value is not JSON-serializable.
    :raises ValueError: an option has a wrong shape.
    """
    if options is None:
        raise TypeError(f"{what} is required: give a list of options")
    if isinstance(options, (str, bytes, Mapping)) or not isinstance(options, Sequence):
        raise TypeError(f"{what} must be a list, got {options!r}")
    result = []
    for option in options:
        if isinstance(option, Mapping):
            if "value" not in option or "label" not in option:
                raise ValueError(f"an option dict needs 'label' and 'value' keys, got {option!r}")
            item = {"label": str(option["label"]), "value": option["value"]}
            for key in ("selected", "disabled"):
                if option.get(key):
                    item[key] = True
        elif isinstance(option, (list, tuple)):
            if not 2 <= len(option) <= 4:
                raise ValueError(f"an option tuple must be (label, value[, selected[, disabled]]), got {option!r}")
            item = {"label": str(option[0]), "value": option[1]}
            for key, flag in zip(("selected", "disabled"), option[2:], strict=False):
                if flag:
                    item[key] = True
        else:
            item = {"label": str(option), "value": option}
        _check_json(item["value"], "an option value")
        result.append(item)
    return result


def mark_selected(options: list[dict[str, Any]], value: Any, *, several: bool) -> list[dict[str, Any]]:
    """Mark the options whose value is ``value`` (a list of values when ``several``)."""
    if value is None:
        return options
    if several:
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
            raise TypeError(f"value must be a list of option values here, got {value!r}")
        wanted = {canonical(v) for v in value}
    else:
        wanted = {canonical(value)}
    for option in options:
        if canonical(option["value"]) in wanted:
            option["selected"] = True
    return options


def _by_value(spec: dict[str, Any]) -> dict[Any, dict[str, Any]]:
    return {canonical(o.get("value")): o for o in spec.get("options") or [] if isinstance(o, dict)}


def _match(raw: Any, table: dict[Any, dict[str, Any]]) -> Any:
    try:
        option = table.get(canonical(raw))
    except RecursionError:
        option = None
    if option is None or (option.get("disabled") and not option.get("selected")):
        raise FieldError("Please choose one of the options offered.")
    return option["value"]


def parse_single_choice(raw: Any, spec: dict[str, Any]) -> Any:
    """The value of the chosen option (None when nothing is chosen)."""
    if raw is None:
        return None
    return _match(raw, _by_value(spec))


def parse_multiple_choice(raw: Any, spec: dict[str, Any]) -> list[Any]:
    """The values of the chosen options, in the order sent; each once."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise FieldError("Please choose among the options offered.")
    table = _by_value(spec)
    values = [_match(item, table) for item in raw]
    if len({canonical(v) for v in values}) != len(values):
        raise FieldError("Please choose each option once.")
    return values


def select(
    label: str = "",
    options: Sequence[Any] | None = None,
    *,
    multiple: bool | None = None,
    validate: Callable[[Any], str | None] | None = None,
    name: str | None = None,
    value: Any = None,
    onchange: Callable[[Any], Any] | None = None,
    native: bool = True,
    required: bool | None = None,
    help_text: str | None = None,
    **other_html_attrs: Any,
) -> Any:
    """A drop-down list; returns the chosen option's value (a list with ``multiple``).

    ``value`` (a list with ``multiple``) marks the options chosen at first, as does
    ``selected`` in an option. ``required`` asks for at least one choice with
    ``multiple``. ``native`` is accepted for PyWebIO compatibility: webio always uses
    the browser's own control, which works with keyboards and screen readers.
    """
    items = mark_selected(parse_options(options), value, several=bool(multiple))
    spec = item_spec(SELECT, name=name, label=label, other_html_attrs=other_html_attrs, options=items,
                     multiple=bool(multiple) or None, required=required, help_text=help_text)
    parse = parse_multiple_choice if multiple else parse_single_choice
    return finish(make_field(spec, parse, validate=validate, onchange=onchange), name)


def checkbox(
    label: str = "",
    options: Sequence[Any] | None = None,
    *,
    inline: bool | None = None,
    validate: Callable[[Any], str | None] | None = None,
    name: str | None = None,
    value: Sequence[Any] | None = None,
    onchange: Callable[[Any], Any] | None = None,
    help_text: str | None = None,
    **other_html_attrs: Any,
) -> Any:
    """A group of check boxes; returns the list of the checked options' values.

    ``inline`` shows the boxes on one line; ``value`` lists the values checked at first.
    """
    items = mark_selected(parse_options(options), value, several=True)
    spec = item_spec(CHECKBOX, name=name, label=label, other_html_attrs=other_html_attrs, options=items,
                     inline=inline, help_text=help_text)
    return finish(make_field(spec, parse_multiple_choice, validate=validate, onchange=onchange), name)


def radio(
    label: str = "",
    options: Sequence[Any] | None = None,
    *,
    inline: bool | None = None,
    validate: Callable[[Any], str | None] | None = None,
    name: str | None = None,
    value: Any = None,
    onchange: Callable[[Any], Any] | None = None,
    required: bool | None = None,
    help_text: str | None = None,
    **other_html_attrs: Any,
) -> Any:
    """A group of radio buttons; returns the chosen value, or None if none is chosen.

    ``required`` makes choosing one mandatory; ``value`` is the one chosen at first.
    """
    items = mark_selected(parse_options(options), value, several=False)
    spec = item_spec(RADIO, name=name, label=label, other_html_attrs=other_html_attrs, options=items,
                     inline=inline, required=required, help_text=help_text)
    return finish(make_field(spec, parse_single_choice, validate=validate, onchange=onchange), name)

