"""Popups: a dialog over the page, one at a time."""
from __future__ import annotations

from typing import Any

from webio.output.base import as_list, embed_all, new_scope_name
from webio.output.scope import use_scope
from webio.protocol import make_command
from webio.session.context import get_current_session

__all__ = ["popup", "close_popup", "PopupSize"]


class PopupSize:
    """Widths of a popup."""

    LARGE = "large"
    NORMAL = "normal"
    SMALL = "small"


_SIZES = (PopupSize.LARGE, PopupSize.NORMAL, PopupSize.SMALL)


def popup(
    title: str,
    content: Any = None,
    size: str = PopupSize.NORMAL,
    implicit_close: bool = True,
    closable: bool = True,
) -> use_scope:
    """Show a popup (a modal dialog) titled ``title`` holding ``content`` (a
    string, an output or a list of them). A popup already open is closed first.

    ``size`` is ``'small'``, ``'normal'`` or ``'large'``. The visitor closes it with
    its close button, and with ``implicit_close`` also with Esc or a click beside
    it; ``closable=False`` leaves closing to :func:`close_popup`.

    It returns a context manager: outputs made inside ``with popup('Title') as s:``
    go into the popup, and ``s`` is the name of its scope, usable as ``scope=s``
    later. The popup stays open after the block.
    """
    if size not in _SIZES:
        raise ValueError(f"popup size must be one of {_SIZES}, got {size!r}")
    session = get_current_session()
    name = new_scope_name("popup")

    def visitor_closed(_data: Any) -> None:
        # The page model forgets the popup too, unless another one has replaced it.
        current = session.page.popup
        if current is not None and current.get("dom_id") == name:
            session.send(make_command("close_popup"))

    spec = {
        "title": str(title),
        "content": [{"type": "scope", "name": name, "contents": embed_all(as_list([] if content is None else content))}],
        "size": size,
        "implicit_close": bool(implicit_close),
        "closable": bool(closable),
        "dom_id": name,
        "close_callback_id": session.register_callback(visitor_closed, keep_alive=False),
    }
    session.send(make_command("popup", spec))
    return use_scope(name, create_scope=False)


def close_popup() -> None:
    """Close the popup that is open, if any."""
    get_current_session().send(make_command("close_popup"))
