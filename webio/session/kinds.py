"""Deciding, once per app, which kind of session runs it, and of which kind a callback is."""
from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

__all__ = ["is_async_callable", "session_class_for", "callback_of_kind", "ignoring_data"]


def is_async_callable(obj: Any) -> bool:
    """Whether calling ``obj`` returns a coroutine (also through partials and ``__call__``)."""
    while isinstance(obj, functools.partial):
        obj = obj.func
    call = None if inspect.isroutine(obj) else inspect.getattr_static(type(obj), "__call__", None)
    return inspect.iscoroutinefunction(obj) or inspect.iscoroutinefunction(call)


def callback_of_kind(is_async: bool, call: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``call`` as a session callback that is a coroutine function when ``is_async``.

    A wrapper around user callbacks must keep their kind: a coroutine session runs an
    ``async def`` on the loop, while a plain wrapper would send every click through
    the worker pool first, only to get the coroutine back.
    """
    if not is_async:
        return call

    async def call_async(data: Any) -> Any:
        return await call(data)

    return call_async


def ignoring_data(fn: Callable[[], Any]) -> Callable[[Any], Any]:
    """``fn`` as a callback that takes the event's data and ignores it, of ``fn``'s kind."""
    return callback_of_kind(is_async_callable(fn), lambda _data: fn())


def session_class_for(app: Callable[[], Any]) -> type:
    """:class:`CoroutineSession` for an ``async def`` app, :class:`ThreadSession` otherwise."""
    if not callable(app):
        raise TypeError(f"an app must be a function, got {app!r}")
    if is_async_callable(app):
        from webio.session.coroutine_session import CoroutineSession

        return CoroutineSession
    from webio.session.thread_session import ThreadSession

    return ThreadSession
