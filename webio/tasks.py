"""The ways webio starts work on the event loop: :func:`spawn`, :func:`start_now`
and :func:`spawn_now`.

Every task is kept in a set until it finishes (so it is never garbage-collected
half-way). The exception of work started by :func:`spawn` or :func:`spawn_now`, if
any, is logged instead of lost; the task of :func:`start_now` belongs to its caller,
who awaits it. Nothing else in webio calls ``asyncio.create_task``.
"""
from __future__ import annotations

import asyncio
import contextvars
import logging
import types
from collections.abc import Callable, Coroutine, Generator
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
        _log_failure(task.get_name(), exc)


def _log_failure(name: str, exc: BaseException) -> None:
    logger.error("background task %s failed", name, exc_info=exc)


def start_now(coro: Coroutine[Any, Any, T]) -> asyncio.Task[T] | None:
    """Run ``coro`` here up to its first wait: None when it finished without waiting,
    else a task that carries it on from that wait (on the running loop).

    A frame the socket takes at once then costs neither a task nor a loop turn, which
    ``asyncio.ensure_future`` would (Python 3.12's eager tasks do the same). The
    caller owns the task's outcome; it is kept until it finishes but not logged.

    :raises Exception: whatever ``coro`` raises before its first wait
    """
    return _run_to_first_wait(coro, None, _running.discard)


def spawn_now(coro: Coroutine[Any, Any, Any], *, name: str) -> asyncio.Task[Any] | None:
    """:func:`spawn` for work that often needs no wait: run ``coro`` here up to its
    first wait, as :func:`start_now` does, and log its failure, as :func:`spawn` does,
    whether it fails before that wait or in the task that carries it on.

    None when it finished (or failed) without waiting, else the task named ``name``.
    Must be called on the event loop's thread.
    """
    try:
        return _run_to_first_wait(coro, name, _forget)
    except Exception as exc:
        _log_failure(name, exc)
        return None


def _run_to_first_wait(
    coro: Coroutine[Any, Any, T],
    name: str | None,
    when_done: Callable[[asyncio.Task[Any]], object],
) -> asyncio.Task[T] | None:
    try:
        first = coro.send(None)
    except StopIteration:
        return None
    task = asyncio.get_running_loop().create_task(_carry_on(coro, first), name=name)
    _running.add(task)
    task.add_done_callback(when_done)
    return task


async def _carry_on(coro: Coroutine[Any, Any, T], yielded: Any) -> T:
    return await _delegate(coro, yielded)


@types.coroutine
def _delegate(coro: Coroutine[Any, Any, T], yielded: Any) -> Generator[Any, Any, T]:
    """Go on with ``coro`` from a wait that yielded ``yielded``, as ``await`` would have:
    what it yields goes to the task, what the task sends or throws goes to it."""
    while True:
        try:
            sent = yield yielded
        except GeneratorExit:
            coro.close()
            raise
        except BaseException as exc:
            try:
                yielded = coro.throw(exc)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
        else:
            try:
                yielded = coro.send(sent)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]


def retrieve_outcome(future: asyncio.Future[Any]) -> None:
    """Take a finished write's exception, if any, so that asyncio does not log it.

    For the done callback of a socket write nobody awaits: a socket that failed is
    noticed by its own close, not by the write.
    """
    if not future.cancelled():
        future.exception()


def running_tasks() -> frozenset[asyncio.Task[Any]]:
    """The tasks started here that have not finished (for leak checks)."""
    return frozenset(_running)
