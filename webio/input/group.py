"""``input_group()`` (several fields in one form) and ``input_update()``."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from webio.input.choice import mark_selected, parse_options
from webio.input.form import Field, current_onchange, form_flow, run_form
from webio.protocol import make_command

__all__ = ["FIXED_ATTRIBUTES", "check_update", "input_group", "input_update"]

FIXED_ATTRIBUTES = frozenset({"action", "buttons", "code", "inline", "max_size", "max_total_size", "multiple",
                              "name", "onchange", "type", "validate"})
"""Item parameters that cannot change once the item is shown (as in PyWebIO)."""


def input_group(
    label: str = "",
    inputs: Sequence[Field] | None = None,
    validate: Callable[[dict[str, Any]], Any] | None = None,
    cancelable: bool = False,
) -> Any:
    """Ask for several inputs in one form; returns ``{name: value}``.

    Each item of ``inputs`` is an input function called with ``name``:
    ``input('Age', name='age', type=NUMBER)``. ``validate(data)`` checks the whole
    form and returns None, or ``(name, message)`` to show ``message`` next to the
    item ``name``. With ``cancelable`` the form has a Cancel button (and Esc), and a
    cancelled form returns None. Blocks in thread sessions; ``await`` it in
    coroutine sessions.
    """
    if inputs is None:
        raise TypeError("input_group needs inputs: a list of input functions called with name=...")
    if isinstance(inputs, (str, bytes)) or not isinstance(inputs, Sequence):
        raise TypeError(f"inputs must be a list of input fields, got {inputs!r}")
    if validate is not None and not callable(validate):
        raise TypeError(f"validate must be a function, got {validate!r}")
    fields: list[Field] = []
    for item in inputs:
        if not isinstance(item, Field):
            raise TypeError(f"each item of inputs must come from an input function called with name=..., "
                            f"got {item!r}; did you forget name=?")
        if any(f.name == item.name for f in fields):
            raise ValueError(f"two items of one input_group are called {item.name!r}")
        fields.append(item)
    return run_form(form_flow(label, fields, validate=validate, cancelable=bool(cancelable)))


def check_update(spec: dict[str, Any], kind: str | None) -> dict[str, Any]:
    """The attributes an update may set: refuses fixed ones, drops None, parses options.

    :raises ValueError: for an attribute that cannot be changed.
    """
    fixed = sorted(set(spec) & FIXED_ATTRIBUTES)
    if fixed:
        raise ValueError(f"{fixed[0]!r} cannot be updated; it is fixed when the item is shown")
    attributes = {key: value for key, value in spec.items() if value is not None}
    if "options" in attributes:
        options = parse_options(attributes["options"])
        if "value" in attributes and kind in ("select", "checkbox", "radio"):
            several = kind == "checkbox" or isinstance(attributes["value"], (list, tuple))
            options = mark_selected(options, attributes["value"], several=several)
        attributes["options"] = options
    return attributes


def input_update(name: str | None = None, **spec: Any) -> None:
    """Change an item of the form whose ``onchange`` callback is running.

    ``name`` is the item to change (default: the item whose change called back);
    ``spec`` holds new parameters: ``label``, ``value``, ``options``, ``placeholder``,
    ``help_text``, ``readonly``, ``disabled``, ``required``, ``valid_status`` …
    (not ``type``, ``name``, ``validate``, ``action``, ``code``, ``onchange``,
    ``multiple``, ``buttons``, ``inline``, ``max_size``, ``max_total_size``).
    The server checks later submits against the new options and limits.

    :raises RuntimeError: outside an ``onchange`` callback.
    """
    scope = current_onchange()
    if scope is None:
        raise RuntimeError("input_update() can only be called from the onchange callback of an input")
    target = scope.trigger if name is None else name
    item = scope.fields.get(target)
    if item is None:
        raise ValueError(f"the form has no item called {target!r}; it has {sorted(scope.fields)}")
    attributes = check_update(spec, item.spec.get("type"))
    item.spec = {**item.spec, **{k: v for k, v in attributes.items() if k not in ("valid_status", "invalid_feedback",
                                                                                "valid_feedback")}}
    scope.session.send(make_command("update_input", {"target_name": target, "attributes": attributes},
                                    scope.task_id))
