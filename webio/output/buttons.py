"""Buttons whose clicks call back into the app."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from webio.output.base import Output, OutputPosition, show
from webio.session.context import get_current_session
from webio.session.kinds import callback_of_kind, is_async_callable

__all__ = ["put_buttons", "put_button", "normalize_buttons"]

COLORS = ("primary", "secondary", "success", "danger", "warning", "info", "light", "dark")


def normalize_buttons(buttons: Sequence[Any]) -> list[dict[str, Any]]:
    """Buttons as dicts ``{label, value, color, disabled}`` from PyWebIO's spellings:
    a label (its own value), a ``(label, value)`` pair, or a dict."""
    result = []
    for button in buttons:
        if isinstance(button, dict):
            if "label" not in button:
                raise ValueError(f"a button dict needs a 'label', got {button!r}")
            item = {"label": str(button["label"]), "value": button.get("value", button["label"]),
                    "color": button.get("color") or "primary", "disabled": bool(button.get("disabled", False))}
            if button.get("type"):
                item["type"] = button["type"]
        elif isinstance(button, (list, tuple)):
            if len(button) != 2:
                raise ValueError(f"a button pair must be (label, value), got {button!r}")
            item = {"label": str(button[0]), "value": button[1], "color": "primary", "disabled": False}
        else:
            item = {"label": str(button), "value": button, "color": "primary", "disabled": False}
        if item["color"] not in COLORS:
            raise ValueError(f"button color must be one of {COLORS}, got {item['color']!r}")
        result.append(item)
    return result


def put_buttons(
    buttons: Sequence[Any],
    onclick: Callable[[Any], Any] | Sequence[Callable[[], Any]],
    small: bool | None = None,
    link_style: bool = False,
    outline: bool = False,
    group: bool = False,
    scope: str | None = None,
    position: int = OutputPosition.BOTTOM,
    serial_mode: bool = False,
    **callback_options: Any,
) -> Output:
    """Output a group of buttons.

    ``onclick`` is called with the clicked button's value, or is a list of functions
    called without arguments, one per button. The session stays open after ``main``
    returns as long as buttons can call back. Callbacks of one session run one at a
    time, in click order (``serial_mode`` is accepted for PyWebIO compatibility).
    """
    items = normalize_buttons(buttons)
    if callable(onclick):
        handler = onclick
    else:
        callbacks = list(onclick)
        if len(callbacks) != len(items) or not all(callable(c) for c in callbacks):
            raise ValueError("onclick must be a function or a list of functions, one per button")
        for index, item in enumerate(items):
            item["value"] = index

        handler = _by_index(callbacks)

    callback_id = get_current_session().register_callback(handler)
    spec = {"type": "buttons", "callback_id": callback_id, "buttons": items, "small": bool(small),
            "link_style": bool(link_style), "outline": bool(outline), "group": bool(group)}
    return show(spec, scope, position)


def put_button(
    label: str,
    onclick: Callable[[], Any],
    color: str | None = None,
    small: bool | None = None,
    link_style: bool = False,
    outline: bool = False,
    disabled: bool = False,
    scope: str | None = None,
    position: int = OutputPosition.BOTTOM,
) -> Output:
    """Output one button that calls ``onclick()`` when clicked."""
    button = {"label": label, "value": 0, "color": color or "primary", "disabled": disabled}
    return put_buttons([button], onclick=[onclick], small=small, link_style=link_style,
                       outline=outline, scope=scope, position=position)


def _by_index(callbacks: list[Callable[[], Any]]) -> Callable[[Any], Any]:
    """One callback for a group whose buttons each have their own: the value is the index.

    When every one is an ``async def`` the group's callback is one too
    (:func:`~webio.session.kinds.callback_of_kind`); a mixed group's plain callback
    returns the coroutines it makes.
    """
    def call_chosen(index: Any) -> Any:
        if not isinstance(index, int) or not 0 <= index < len(callbacks):
            raise ValueError(f"no button number {index!r}")
        return callbacks[index]()

    return callback_of_kind(all(is_async_callable(callback) for callback in callbacks), call_chosen)
