"""The sync door: run a state coroutine on the server's event loop from another thread.

Thread-based sessions run the app's ``main`` in a thread, but every store is a
coroutine bound to the server's loop. The server registers that loop once, from
the loop itself, when it starts::

    set_state_loop(asyncio.get_running_loop())

and then any thread may call ``call_sync(store.get, session_id)`` or
``run_sync(store.get(session_id))``: the coroutine runs on the loop
(``asyncio.run_coroutine_threadsafe``) and the thread waits for its result.

Calling the door *on the loop's own thread* would wait for work that can only run
after the wait ends — a deadlock. It raises ``RuntimeError`` instead; ``await`` the
coroutine there.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from webio.state.registry import is_async_callable

T = TypeVar("T")

_loop: asyncio.AbstractEventLoop | None = None
_loop_lock = threading.Lock()


def set_state_loop(loop: asyncio.AbstractEventLoop | None) -> None:
    """Register the event loop the stores live on (None to forget it). Thread-safe.

    The server calls it once at start, from the loop: ``set_state_loop(
    asyncio.get_running_loop())``, and ``set_state_loop(None)`` when it stops.
    """
    if loop is not None and not isinstance(loop, asyncio.AbstractEventLoop):
        raise TypeError(f"loop must be an asyncio event loop or None, got {loop!r}")
    global _loop
    with _loop_lock:
        _loop = loop


def get_state_loop() -> asyncio.AbstractEventLoop | None:
    """Return the loop registered with :func:`set_state_loop`, or None."""
    return _loop


def _refuse(awaitable: object, message: str) -> RuntimeError:
    """Close an unawaited coroutine (so Python does not warn about it) and build the error."""
    if inspect.iscoroutine(awaitable):
        awaitable.close()
    return RuntimeError(message)


async def _wrap(awaitable: Awaitable[T]) -> T:
    return await awaitable


def run_sync(
    awaitable: Awaitable[T],
    loop: asyncio.AbstractEventLoop | None = None,
    *,
    timeout: float | None = None,
) -> T:
    """Run ``awaitable`` on ``loop`` (default: the registered one) and wait for it.

    For threads other than the loop's. Raises ``RuntimeError`` when no loop is known,
    the loop is closed or not running, or the caller is on the loop's own thread
    (where waiting would deadlock); ``TimeoutError`` after ``timeout`` seconds (the
    coroutine is then cancelled). Exceptions of the coroutine propagate.
    """
    if not inspect.isawaitable(awaitable):
        raise TypeError(f"run_sync needs an awaitable, got {awaitable!r}")
    target = loop if loop is not None else _loop
    if target is None:
        raise _refuse(
            awaitable,
            "no event loop is registered for webio.state: the server calls "
            "set_state_loop(asyncio.get_running_loop()) when it starts",
        )
    if target.is_closed():
        raise _refuse(awaitable, "the event loop registered for webio.state is closed")
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is target:
        raise _refuse(
            awaitable,
            "the sync door of webio.state was called on the event loop's own thread, "
            "where waiting would deadlock; await the coroutine instead",
        )
    if not target.is_running():
        raise _refuse(awaitable, "the event loop registered for webio.state is not running")
    coro: Coroutine[Any, Any, T] = (
        awaitable if inspect.iscoroutine(awaitable) else _wrap(awaitable)
    )
    future = asyncio.run_coroutine_threadsafe(coro, target)
    try:
        return future.result(timeout)
    except concurrent.futures.TimeoutError:
        future.cancel()
        raise TimeoutError(f"the state call did not finish within {timeout} s") from None


def call_sync(fn: Callable[..., Any] | Awaitable[Any], /, *args: Any, **kwargs: Any) -> Any:
    """Call ``fn(*args, **kwargs)`` on the registered loop from another thread; wait.

    ``fn`` may be an async function (its coroutine runs on the loop), a plain
    function (it runs on the loop's thread, for loop-bound objects), or an awaitable
    already made (then give no arguments). Same errors as :func:`run_sync`.
    """
    if inspect.isawaitable(fn):
        if args or kwargs:
            raise TypeError("call_sync: arguments given with an awaitable that was already made")
        return run_sync(fn)
    if not callable(fn):
        raise TypeError(f"call_sync needs a callable or an awaitable, got {fn!r}")
    if is_async_callable(fn):
        return run_sync(fn(*args, **kwargs))

    async def on_loop() -> Any:
        return fn(*args, **kwargs)

    return run_sync(on_loop())
