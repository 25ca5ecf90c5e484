"""Helpers of the input and pin tests: one app script run in both kinds of session.

A script is a generator function that yields each webio call that may wait
(``yield input(...)``, ``yield pin.name``) and gets its result back. ``both(script)``
makes the thread ``main`` (the call already returned the value) and the coroutine
``main`` (the call returned an awaitable, which it awaits) from the same script; the
``kind`` fixture of ``conftest.py`` picks one.
"""
from __future__ import annotations

import inspect
from collections.abc import Callable, Generator
from typing import Any


def both(script: Callable[[], Generator[Any, Any, Any]]) -> dict[str, Callable[[], Any]]:
    """``{"thread": main, "coroutine": async_main}`` running ``script``."""

    def main() -> None:
        steps = script()
        result = None
        try:
            while True:
                result = steps.send(result)
        except StopIteration:
            return

    async def async_main() -> None:
        steps = script()
        result = None
        try:
            while True:
                pending = steps.send(result)
                result = (await pending) if inspect.isawaitable(pending) else pending
        except StopIteration:
            return

    return {"thread": main, "coroutine": async_main}
