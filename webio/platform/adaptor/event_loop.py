"""Which event loop webio's servers run on: asyncio's own, or uvloop.

uvloop is a drop-in asyncio loop written on libuv; with it a server spends less
time in the loop's own bookkeeping, and a thread session's output reaches the loop
sooner (``benchmarks/README.md`` has the figures). It comes with the
``webio[speedups]`` extra and is used when installed, unless ``WEBIO_EVENT_LOOP``
says ``asyncio`` (see :mod:`webio.speedups`).

Every server of webio (Tornado, aiohttp, script mode, the loop thread under Flask)
gets its loop from here, so one variable switches them all.
"""
from __future__ import annotations

import asyncio
import sys
from collections.abc import Coroutine, Mapping
from typing import Any, TypeVar

from webio.speedups import optional_module

__all__ = ["ENV_VAR", "loop_choice", "new_event_loop", "run"]

T = TypeVar("T")

ENV_VAR = "WEBIO_EVENT_LOOP"


def loop_choice(environ: Mapping[str, str] | None = None) -> str:
    """``"uvloop"`` or ``"asyncio"``: the loop that ``WEBIO_EVENT_LOOP`` picks here.

    :raises ValueError: for a value other than ``auto``, ``asyncio`` or ``uvloop``
    :raises RuntimeError: for ``uvloop`` when uvloop is not installed
    """
    return "asyncio" if optional_module(ENV_VAR, "uvloop", "asyncio", environ) is None else "uvloop"


def new_event_loop() -> asyncio.AbstractEventLoop:
    """A new event loop of the kind :func:`loop_choice` picks."""
    uvloop = optional_module(ENV_VAR, "uvloop", "asyncio")
    return asyncio.new_event_loop() if uvloop is None else uvloop.new_event_loop()


def run(main: Coroutine[Any, Any, T], *, debug: bool = False) -> T:
    """``asyncio.run(main)`` on the loop :func:`loop_choice` picks.

    As with ``asyncio.run``, the loop is closed afterwards: tasks still pending are
    cancelled, async generators and the default executor are shut down.
    """
    try:
        uvloop = optional_module(ENV_VAR, "uvloop", "asyncio")
    except BaseException:
        main.close()
        raise
    if uvloop is None:
        return asyncio.run(main, debug=debug)
    if sys.version_info >= (3, 11):
        with asyncio.Runner(debug=debug, loop_factory=uvloop.new_event_loop) as runner:
            return runner.run(main)
    # Python 3.10's asyncio.run takes no loop factory: lend it uvloop's policy.
    previous = asyncio.get_event_loop_policy()
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    try:
        return asyncio.run(main, debug=debug)
    finally:
        asyncio.set_event_loop_policy(previous)
