"""The one way webio starts background work on the event loop.

Every task is kept in a set until it finishes (so it is never garbage-collected
half-way) and its exception, if any, is logged instead of lost. Nothing in webio calls
``asyncio.create_task`` directly.
"""
from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

logger = logging.getLogger("webio")

T = TypeVar("T")
_running: set[asyncio.Task[Any]] = set()


def spawn(
    coro: Coroutine[Any, Any, T],
    *,
    name: str | None = None,
    context: contextvars.Context | None = None,
) -> asyncio.Task[T]:
    """Run ``coro`` as a task of the running loop, keep it, and log its failure.

    Must be called on the event loop's thread.
    """
    loop = asyncio.get_running_loop()
    if context is None:
        task = loop.create_task(coro, name=name)
    else:
        # create_task(context=...) needs Python 3.11; Context.run gives 3.10 the same.
        task = context.run(loop.create_task, coro, name=name)
    _running.add(task)
    task.add_done_callback(_forget)
    return task


def _forget(task: asyncio.Task[Any]) -> None:
    _running.discard(task)
    if task.cancelled():
        return
    exc = task.exception()
    if exc is not None:
        logger.error("background task %s failed", task.get_name(), exc_info=exc)


def running_tasks() -> frozenset[asyncio.Task[Any]]:
    """The tasks started by :func:`spawn` that have not finished (for leak checks)."""
    return frozenset(_running)
