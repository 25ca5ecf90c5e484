"""Messages to the visitor: boxes in the page (``put_info`` …) and ``toast``."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from webio.output.base import Output, OutputPosition, embed_all
from webio.protocol import make_command
from webio.session.context import get_current_session
from webio.session.kinds import ignoring_data

__all__ = ["put_info", "put_success", "put_warning", "put_error", "toast"]

TOAST_POSITIONS = ("left", "center", "right")


def _put_message(color: str, contents: tuple[Any, ...], closable: bool, scope: str | None,
                 position: int) -> Output:
    spec: dict[str, Any] = {"type": "message", "color": color, "contents": embed_all(contents),
                            "closable": bool(closable)}
    output = Output(spec)
    if closable:
        # When the visitor dismisses the box, the page model forgets it too, so that a
        # snapshot does not bring it back. The click must not keep the session open.
        spec["close_callback_id"] = get_current_session().register_callback(
            lambda _data: output.remove_from_page(), keep_alive=False)
    return output.send(scope, position).enable_context_manager()


def put_info(*contents: Any, closable: bool = False, scope: str | None = None,
             position: int = OutputPosition.BOTTOM) -> Output:
    """Output an information box holding ``contents`` (strings or outputs).

    ``closable=True`` gives it a button that lets the visitor dismiss it. Works as
    a context manager too: ``with put_info(): put_text(...)``.
    """
    return _put_message("info", contents, closable, scope, position)


def put_success(*contents: Any, closable: bool = False, scope: str | None = None,
                position: int = OutputPosition.BOTTOM) -> Output:
    """Output a success box; see :func:`put_info`."""
    return _put_message("success", contents, closable, scope, position)


def put_warning(*contents: Any, closable: bool = False, scope: str | None = None,
                position: int = OutputPosition.BOTTOM) -> Output:
    """Output a warning box; see :func:`put_info`."""
    return _put_message("warning", contents, closable, scope, position)


def put_error(*contents: Any, closable: bool = False, scope: str | None = None,
              position: int = OutputPosition.BOTTOM) -> Output:
    """Output an error box; see :func:`put_info`."""
    return _put_message("danger", contents, closable, scope, position)


def toast(
    content: str,
    duration: float = 2,
    position: str = "center",
    color: str = "info",
    onclick: Callable[[], Any] | None = None,
) -> None:
    """Show a short notification at the top of the page.

    ``duration`` in seconds; ``0`` keeps it until the visitor closes it. ``position``
    is ``'left'``, ``'center'`` or ``'right'``. ``color`` is ``'info'``, ``'success'``,
    ``'warn'``, ``'error'`` or a CSS colour such as ``'#2188ff'``. ``onclick()`` is
    called when the visitor clicks the notification (a coroutine function in a
    coroutine session). The content is shown as text, never as HTML.
    """
    if isinstance(duration, bool) or not isinstance(duration, (int, float)) or duration < 0:
        raise ValueError(f"toast duration must be a number of seconds ≥ 0, got {duration!r}")
    if position not in TOAST_POSITIONS:
        raise ValueError(f"toast position must be one of {TOAST_POSITIONS}, got {position!r}")
    if not isinstance(color, str):
        raise TypeError(f"toast color must be a string, got {color!r}")
    if onclick is not None and not callable(onclick):
        raise TypeError(f"toast onclick must be callable, got {onclick!r}")
    session = get_current_session()
    callback_id = session.register_callback(ignoring_data(onclick)) if onclick is not None else None
    session.send(make_command("toast", {"content": str(content), "duration": duration, "position": position,
                                        "color": color, "callback_id": callback_id}))
