"""``slider()``: a number chosen on a range."""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from webio.input.common import finish, item_spec, make_field
from webio.input.form import FieldError

__all__ = ["parse_slider", "slider"]


def _number(value: Any, what: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise TypeError(f"{what} must be a finite int or float, got {value!r}")
    return value


def parse_slider(raw: Any, spec: dict[str, Any]) -> int | float:
    """The chosen number: a float for a float slider, else an int; within the range."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        raise FieldError("Please choose a number on the slider.")
    low, high = spec.get("min_value", 0), spec.get("max_value", 100)
    if not low <= raw <= high:
        raise FieldError(f"Please choose a number from {low} to {high}.")
    if spec.get("float"):
        return float(raw)
    if isinstance(raw, float) and not raw.is_integer():
        raise FieldError("Please choose a whole number.")
    number = int(raw)
    step = spec.get("step", 1)
    if isinstance(step, int) and step > 0 and isinstance(low, int) and (number - low) % step:
        raise FieldError(f"Please choose a number in steps of {step} from {low}.")
    return number


def slider(
    label: str = "",
    *,
    name: str | None = None,
    value: float = 0,
    min_value: float = 0,
    max_value: float = 100,
    step: float = 1,
    validate: Callable[[Any], str | None] | None = None,
    onchange: Callable[[Any], Any] | None = None,
    required: bool | None = None,
    help_text: str | None = None,
    **other_html_attrs: Any,
) -> Any:
    """A range control; returns the chosen number.

    If any of ``value``, ``min_value`` and ``max_value`` is a float, the result is a
    float and any value on the range may be chosen (``step`` applies to int sliders
    only, as in PyWebIO); otherwise it is an int.
    """
    value, low, high = _number(value, "value"), _number(min_value, "min_value"), _number(max_value, "max_value")
    step = _number(step, "step")
    if low > high:
        raise ValueError(f"min_value must not be above max_value, got {min_value!r} > {max_value!r}")
    if step <= 0:
        raise ValueError(f"step must be positive, got {step!r}")
    is_float = any(isinstance(v, float) for v in (value, low, high))
    spec = item_spec("slider", name=name, label=label, other_html_attrs=other_html_attrs, value=value,
                     min_value=low, max_value=high, step="any" if is_float else step, float=is_float,
                     required=required, help_text=help_text)
    return finish(make_field(spec, parse_slider, validate=validate, onchange=onchange), name)
