"""Scenario d: every session waits in ``input()`` until its visitor leaves.

The bare server (the floor) sends the form and holds the connection.
"""
from __future__ import annotations

from appkit import ARGS, serve
from bare import BareApp, input_group

if ARGS.framework == "webio":
    from webio.input import input
elif ARGS.framework == "pywebio":
    from pywebio.input import input  # type: ignore[no-redef]


def main() -> None:
    """Thread session."""
    input()


async def async_main() -> None:
    """Coroutine session."""
    await input()


serve(main if ARGS.mode == "thread" else async_main, bare=BareApp([input_group()]))
