"""Scenarios a, e and f: one button whose callback shows one text.

``main`` returns after registering the callback; the session stays open for it
(PROTOCOL-COMPAT item 13). The bare server (scenario a's floor) sends the button
and answers each click with the text.
"""
from __future__ import annotations

from appkit import ARGS, serve
from bare import BareApp, Command, buttons, text

if ARGS.framework == "webio":
    from webio.output import put_buttons, put_text
elif ARGS.framework == "pywebio":
    from pywebio.output import put_buttons, put_text  # type: ignore[no-redef]


def on_click(_value: object) -> None:
    """Show one line per click."""
    put_text("clicked")


def main() -> None:
    """Thread session."""
    put_buttons(["Click"], onclick=on_click)


async def async_main() -> None:
    """Coroutine session."""
    put_buttons(["Click"], onclick=on_click)


def bare_click(_value: object) -> list[Command]:
    """Bare server: one line per click."""
    return [text("clicked")]


serve(main if ARGS.mode == "thread" else async_main,
      bare=BareApp([buttons("click", ["Click"])], {"callback": bare_click}))
