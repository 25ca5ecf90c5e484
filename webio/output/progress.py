"""Progress bars and the loading spinner."""
from __future__ import annotations

from typing import Any

from webio.output.base import Output, OutputPosition, show
from webio.output.buttons import COLORS
from webio.protocol import make_command
from webio.session.context import get_current_session

__all__ = ["put_progressbar", "set_progressbar", "put_processbar", "set_processbar", "put_loading"]


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not name or not all(c.isalnum() or c in "-_" for c in name):
        raise ValueError(f"a progress bar name must be letters, digits, '-' and '_', got {name!r}")
    return name


def _check_value(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError(f"a progress value must be a number from 0 to 1, got {value!r}")
    return float(value)


def _check_label(label: Any) -> str | None:
    return None if label is None else str(label)


def put_progressbar(
    name: str,
    init: float = 0,
    label: str | None = None,
    auto_close: bool = False,
    scope: str | None = None,
    position: int = OutputPosition.BOTTOM,
) -> Output:
    """Output a progress bar called ``name``; move it with :func:`set_progressbar`.

    ``init`` is the progress from 0 to 1. ``label`` is the text on the bar (default:
    the percentage). With ``auto_close=True`` the bar disappears when it reaches 1.
    """
    spec = {"type": "progressbar", "name": _check_name(name), "value": _check_value(init),
            "label": _check_label(label), "auto_close": bool(auto_close)}
    return show(spec, scope, position)


def set_progressbar(name: str, value: float, label: str | None = None) -> None:
    """Set the progress (0 to 1) and optionally the label of the progress bar ``name``."""
    spec = {"name": _check_name(name), "value": _check_value(value), "label": _check_label(label)}
    get_current_session().send(make_command("set_progressbar", spec))


put_processbar = put_progressbar
set_processbar = set_progressbar


def put_loading(
    shape: str = "border",
    color: str = "dark",
    scope: str | None = None,
    position: int = OutputPosition.BOTTOM,
) -> Output:
    """Output a spinner that tells the visitor to wait.

    ``shape`` is ``'border'`` (a turning ring) or ``'grow'`` (a pulsing dot);
    ``color`` one of the button colours. As a context manager the spinner, and what
    was output inside the block, disappear when the block ends::

        with put_loading():
            put_text('Working…')
            slow_work()
    """
    if shape not in ("border", "grow"):
        raise ValueError(f"shape must be 'border' or 'grow', got {shape!r}")
    if color not in COLORS:
        raise ValueError(f"color must be one of {COLORS}, got {color!r}")
    output = show({"type": "loading", "shape": shape, "color": color, "contents": []}, scope, position)
    return output.enable_context_manager(after_exit=Output.remove_from_page)
