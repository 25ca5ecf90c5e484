"""Scenario b: ``while True: put_text(input())``."""
from __future__ import annotations

from appkit import ARGS, serve

if ARGS.framework == "webio":
    from webio.input import input
    from webio.output import put_text
else:
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


serve(main if ARGS.mode == "thread" else async_main)
