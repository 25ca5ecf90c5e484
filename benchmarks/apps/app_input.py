"""Scenario b: ``while True: put_text(input())``.

The bare server (the floor) opens a form and answers each submit with the value's
text and the next form, both in one frame.
"""
from __future__ import annotations

from appkit import ARGS, serve
from bare import INPUT_NAME, BareApp, Command, input_group, text

if ARGS.framework == "webio":
    from webio.input import input
    from webio.output import put_text
elif ARGS.framework == "pywebio":
    from pywebio.input import input  # type: ignore[no-redef]
    from pywebio.output import put_text  # type: ignore[no-redef]


def main() -> None:
    """Thread session."""
    while True:
        put_text(input())


async def async_main() -> None:
    """Coroutine session."""
    while True:
        put_text(await input())


def bare_submit(data: dict[str, str]) -> list[Command]:
    """Bare server: the submitted value as a text, then the next form."""
    return [text(data[INPUT_NAME]), input_group()]


serve(main if ARGS.mode == "thread" else async_main,
      bare=BareApp([input_group()], {"from_submit": bare_submit}))
