"""Pin widgets in the page model: which pins are on the page and what they hold (no I/O).

``PageModel.pins`` maps the name of every pin widget on the page to its raw value
(what the browser shows: option values, numbers, text). It follows:

* ``output`` / ``popup`` commands that contain pin outputs (their initial value; a
  widget put again under the same name replaces the earlier one, as in PyWebIO);
* ``pin_update`` commands with a ``value`` (and their other attributes, kept in the
  widget's stored spec so a snapshot shows the same options and labels);
* ``pin_change`` events from the visitor, through :func:`note_value`;
* removals (``output_ctl``, ``close_popup``): pins no longer on the page are dropped,
  so the model stays bounded by what is on screen.

File widgets hold None here: their files live in the session's pin state.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from webio.protocol import Command
from webio.session.item_values import initial_value
from webio.session.page_updates import LEAF_TYPES

if TYPE_CHECKING:
    from webio.session.page_model import PageModel

__all__ = ["PIN_HANDLERS", "PRUNE_AFTER", "note_pins", "note_value", "pins_in", "prune_pins"]

PRUNE_AFTER = frozenset({"output_ctl", "close_popup"})
"""Commands that may take pins off the page."""

_STATUS_KEYS = frozenset({"valid_status", "invalid_feedback", "valid_feedback", "value"})


def pins_in(value: Any) -> Iterator[dict[str, Any]]:
    """The item specs of the pin outputs in ``value`` (an output, itself included)."""
    if isinstance(value, dict):
        kind = value.get("type")
        item = value.get("input")
        if kind == "pin" and isinstance(item, dict) and isinstance(item.get("name"), str):
            yield item
            return
        if kind in LEAF_TYPES:
            return
        for child in value.values():
            yield from pins_in(child)
    elif isinstance(value, list):
        for child in value:
            yield from pins_in(child)


def note_pins(model: PageModel, output: Any) -> None:
    """Record the pins of a newly shown output with their initial values."""
    for item in pins_in(output):
        model.pins[item["name"]] = None if item.get("type") == "file" else initial_value(item)


def prune_pins(model: PageModel) -> None:
    """Forget the pins that are no longer on the page."""
    present = {item["name"] for items in model.scopes.values() for item in pins_in(items)}
    for name in [n for n in model.pins if n not in present]:
        del model.pins[name]


def note_value(model: PageModel, name: str, value: Any) -> None:
    """Record a value the visitor gave the pin ``name`` (ignored if it is not shown)."""
    if name in model.pins:
        model.pins[name] = value


def _rewrite(value: Any, name: str, changed: dict[str, Any]) -> tuple[Any, bool]:
    """``value`` with the pin ``name`` given ``changed`` attributes (copies, never in place)."""
    if isinstance(value, dict):
        item = value.get("input")
        if value.get("type") == "pin" and isinstance(item, dict) and item.get("name") == name:
            return {**value, "input": {**item, **changed}}, True
        if value.get("type") in LEAF_TYPES:
            return value, False
        for key, child in value.items():
            new, done = _rewrite(child, name, changed)
            if done:
                return {**value, key: new}, True
    elif isinstance(value, list):
        for index, child in enumerate(value):
            new, done = _rewrite(child, name, changed)
            if done:
                return value[:index] + [new] + value[index + 1:], True
    return value, False


def _on_pin_update(model: PageModel, command: Command, spec: Any) -> None:
    name = spec.get("name")
    if name not in model.pins:
        return
    attributes = spec.get("attributes") or {}
    if "value" in attributes:
        model.pins[name] = attributes["value"]
    changed = {k: v for k, v in attributes.items() if k not in _STATUS_KEYS}
    if not changed:
        return
    for scope, items in model.scopes.items():
        new, done = _rewrite(items, name, changed)
        if done:
            model.scopes[scope] = new
            break
    if "options" in changed and "value" not in attributes:
        # New options: the widget shows what they select, as the browser does.
        item = next((i for i in pins_in(list(model.scopes.values())) if i["name"] == name), None)
        if item is not None:
            model.pins[name] = initial_value(item)


PIN_HANDLERS = {"pin_update": _on_pin_update}
