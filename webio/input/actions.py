"""``actions()``: a row of buttons that submit, reset or cancel the form."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from webio.input.choice import canonical
from webio.input.common import finish, item_spec, make_field
from webio.input.form import FieldError

__all__ = ["actions", "parse_action", "parse_buttons"]

BUTTON_TYPES = ("submit", "reset", "cancel")
COLORS = ("primary", "secondary", "success", "danger", "warning", "info", "light", "dark")


def parse_buttons(buttons: Any) -> list[dict[str, Any]]:
    """Buttons in their spec form ``{"label", "value", "type", "disabled"?, "color"?}``.

    Each is a dict, a ``(label, value[, type[, disabled]])`` tuple, or a plain value
    that is its own label. ``type`` is ``submit`` (default), ``reset`` or ``cancel``;
    only submit buttons need a value.
    """
    if buttons is None:
        raise TypeError("buttons is required: give a list of buttons")
    if isinstance(buttons, (str, bytes, Mapping)) or not isinstance(buttons, Sequence):
        raise TypeError(f"buttons must be a list, got {buttons!r}")
    result = []
    for button in buttons:
        if isinstance(button, Mapping):
            if "label" not in button:
                raise ValueError(f"a button dict needs a 'label', got {button!r}")
            item = {"label": str(button["label"]), "type": button.get("type") or "submit"}
            if "value" in button:
                item["value"] = button["value"]
            elif item["type"] == "submit" and not button.get("disabled"):
                raise ValueError(f"a submit button needs a 'value', got {button!r}")
            if button.get("disabled"):
                item["disabled"] = True
            if button.get("color"):
                if button["color"] not in COLORS:
                    raise ValueError(f"button color must be one of {COLORS}, got {button['color']!r}")
                item["color"] = button["color"]
        elif isinstance(button, (list, tuple)):
            if not 2 <= len(button) <= 4:
                raise ValueError(f"a button tuple must be (label, value[, type[, disabled]]), got {button!r}")
            item = {"label": str(button[0]), "value": button[1],
                    "type": button[2] if len(button) > 2 and button[2] else "submit"}
            if len(button) > 3 and button[3]:
                item["disabled"] = True
        else:
            item = {"label": str(button), "value": button, "type": "submit"}
        if item["type"] not in BUTTON_TYPES:
            raise ValueError(f"a button type must be one of {BUTTON_TYPES}, got {item['type']!r}")
        result.append(item)
    return result


def parse_action(raw: Any, spec: dict[str, Any]) -> Any:
    """The value of the submit button that was pressed (None: submitted otherwise)."""
    if raw is None:
        return None
    for button in spec.get("buttons") or []:
        if button.get("type") == "submit" and not button.get("disabled") and "value" in button \
                and canonical(button["value"]) == canonical(raw):
            return button["value"]
    raise FieldError("Please press one of the buttons offered.")


def actions(label: str = "", buttons: Sequence[Any] | None = None, name: str | None = None,
            help_text: str | None = None) -> Any:
    """Buttons; returns the value of the submit button the visitor presses.

    A ``cancel`` button cancels the form (the result is None), a ``reset`` button
    resets it. Last in an ``input_group`` with a submit button, the buttons take the
    place of the form's Submit/Reset; the form submitted another way (Enter) gives
    None for this item.
    """
    items = parse_buttons(buttons)
    spec = item_spec("actions", name=name, label=label, other_html_attrs={}, buttons=items, help_text=help_text)
    item = make_field(spec, parse_action, cancels=any(b["type"] == "cancel" for b in items))
    return finish(item, name)
