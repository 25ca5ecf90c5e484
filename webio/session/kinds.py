"""Deciding, once per app, which kind of session runs it, and of which kind a callback is."""
from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

__all__ = ["is_async_callable", "session_class_for", "ignoring_data"]


def is_async_callable(obj: Any) -> bool:
    """Whether calling ``obj`` returns a coroutine (also through partials and ``__call__``)."""
    while isinstance(obj, functools.partial):
        obj = obj.func
    call = None if inspect.isroutine(obj) else inspect.getattr_static(type(obj), "__call__", None)
    return inspect.iscoroutinefunction(obj) or inspect.iscoroutinefunction(call)


def ignoring_data(fn: Callable[[], Any]) -> Callable[[Any], Any]:
    """``fn`` as a callback that takes the event's data and ignores it, of ``fn``'s kind.

    An ``async def`` stays a coroutine function, so that a coroutine session runs it
    on the loop; a plain wrapper would send every click through the worker pool
    first, only to get the coroutine back.
    """
    if is_async_callable(fn):
        async def call_async(_data: Any) -> Any:
            return await fn()

        return call_async
    return lambda _data: fn()


def session_class_for(app: Callable[[], Any]) -> type:
    """:class:`CoroutineSession` for an ``async def`` app, :class:`ThreadSession` otherwise."""
    if not callable(app):
        raise TypeError(f"an app must be a function, got {app!r}")
    if is_async_callable(app):
        from webio.session.coroutine_session import CoroutineSession

        return CoroutineSession
    from webio.session.thread_session import ThreadSession

    return ThreadSession
