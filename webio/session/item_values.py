"""What an input item shows before the visitor touches it (no I/O, no imports of webio).

Forms and pin widgets share the item specs of ``webio.input``. The page model needs
their initial values to know what a pin shows; the headless test client needs them to
submit a form the way a browser would. Both use :func:`initial_value`, which follows
what webio's browser client does with the same spec:

* ``select`` (single): the first option marked ``selected``, else the first option
  (a browser always selects one); ``multiple``: the list of selected values;
* ``checkbox``: the list of selected values; ``radio``: the selected value or None;
* ``actions`` and ``file``: None (nothing pressed, nothing chosen);
* every other type: its ``value`` (None when absent).
"""
from __future__ import annotations

from typing import Any

__all__ = ["initial_value", "selected_values"]


def selected_values(spec: dict[str, Any]) -> list[Any]:
    """The values of the options of ``spec`` that are marked ``selected``."""
    options = spec.get("options")
    if not isinstance(options, list):
        return []
    return [option.get("value") for option in options if isinstance(option, dict) and option.get("selected")]


def initial_value(spec: dict[str, Any]) -> Any:
    """The value a freshly shown item with this spec holds (see the module doc)."""
    kind = spec.get("type")
    if kind in ("actions", "file"):
        return None
    if kind == "checkbox" or (kind == "select" and spec.get("multiple")):
        return selected_values(spec)
    if kind == "radio":
        chosen = selected_values(spec)
        return chosen[0] if chosen else None
    if kind == "select":
        chosen = selected_values(spec)
        if chosen:
            return chosen[0]
        options = spec.get("options") or []
        first = next((o for o in options if isinstance(o, dict) and not o.get("disabled")), None)
        return None if first is None else first.get("value")
    return spec.get("value")
