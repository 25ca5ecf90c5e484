"""Scenario d: every session waits in ``input()`` until its visitor leaves."""
from __future__ import annotations

from appkit import ARGS, serve

if ARGS.framework == "webio":
    from webio.input import input
else:
    from pywebio.input import input  # type: ignore[no-redef]


def main() -> None:
    """Thread session."""
    input()


async def async_main() -> None:
    """Coroutine session."""
    await input()


serve(main if ARGS.mode == "thread" else async_main)
