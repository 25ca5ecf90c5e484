"""The callback registry: the Python callables a page's buttons and links call back.

Always process-local: a callable cannot travel to another worker, so an event for a
callback is relayed to the worker that owns the session (through the event bus) and
invoked there.

Each callback id is an unguessable secret (``secrets.token_urlsafe(16)``, 128 bits)
bound to one session. :meth:`CallbackRegistry.invoke` refuses an id that belongs to
another session — an event naming another visitor's callback is an attack or a bug,
never something to run.
"""
from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

from webio.state.errors import ForeignCallbackError, UnknownCallbackError
from webio.state.records import check_id

MIN_CALLBACK_ID_LENGTH = 16
"""Shortest callback id accepted from a caller that chooses its own."""


def is_async_callable(obj: Any) -> bool:
    """Tell whether calling ``obj`` returns a coroutine (sees through ``functools.partial``)."""
    while isinstance(obj, functools.partial):
        obj = obj.func
    return inspect.iscoroutinefunction(obj) or (
        callable(obj) and inspect.iscoroutinefunction(obj.__call__)
    )


@dataclass(frozen=True)
class _Entry:
    session_id: str
    callback: Callable[..., Any]
    is_async: bool


class CallbackRegistry:
    """Callback id → (session, callable), safe to use from any thread.

    ``register``, ``get``, ``has``, ``unregister``, ``unregister_session`` and
    ``stats`` may be called from any thread; ``invoke`` is a coroutine for the event
    loop. Sync callbacks run off the loop: on ``executor`` if given, else through
    ``asyncio.to_thread``; both carry the caller's ``contextvars`` along.
    """

    def __init__(self, *, executor: Executor | None = None) -> None:
        self._executor = executor
        self._lock = threading.Lock()
        self._callbacks: dict[str, _Entry] = {}
        self._by_session: dict[str, set[str]] = {}

    def register(
        self,
        session_id: str,
        callback: Callable[..., Any],
        *,
        callback_id: str | None = None,
    ) -> str:
        """Bind ``callback`` to ``session_id`` and return its id.

        Leave ``callback_id`` out to get a fresh unguessable id. A chosen id must be
        at least 16 characters (choose it with ``secrets``); registering an id again
        for the same session replaces the callable, for another session raises
        :class:`ForeignCallbackError`.
        """
        check_id(session_id, "session_id")
        if not callable(callback):
            raise TypeError(f"callback must be callable, got {callback!r}")
        if callback_id is None:
            callback_id = secrets.token_urlsafe(16)
        else:
            check_id(callback_id, "callback_id")
            if len(callback_id) < MIN_CALLBACK_ID_LENGTH:
                raise ValueError(
                    f"callback_id must be at least {MIN_CALLBACK_ID_LENGTH} characters "
                    f"(an unguessable secret), got {callback_id!r}"
                )
        entry = _Entry(session_id, callback, is_async_callable(callback))
        with self._lock:
            existing = self._callbacks.get(callback_id)
            if existing is not None and existing.session_id != session_id:
                raise ForeignCallbackError(
                    f"callback id {callback_id!r} is already bound to another session"
                )
            self._callbacks[callback_id] = entry
            self._by_session.setdefault(session_id, set()).add(callback_id)
        return callback_id

    def _lookup(self, callback_id: str, session_id: str | None) -> _Entry:
        with self._lock:
            entry = self._callbacks.get(callback_id) if isinstance(callback_id, str) else None
        if entry is None:
            raise UnknownCallbackError(f"no callback with id {callback_id!r}")
        if session_id is not None and entry.session_id != session_id:
            raise ForeignCallbackError(
                f"callback {callback_id!r} does not belong to session {session_id!r}; refused"
            )
        return entry

    def get(self, callback_id: str, *, session_id: str | None = None) -> Callable[..., Any]:
        """Return the callable; with ``session_id``, only if it belongs to that session.

        Raises :class:`UnknownCallbackError` or :class:`ForeignCallbackError`.
        """
        return self._lookup(callback_id, session_id).callback

    def has(self, callback_id: str, *, session_id: str | None = None) -> bool:
        """Tell whether ``callback_id`` is registered (to ``session_id``, if given)."""
        with self._lock:
            entry = self._callbacks.get(callback_id) if isinstance(callback_id, str) else None
        return entry is not None and (session_id is None or entry.session_id == session_id)

    def session_of(self, callback_id: str) -> str | None:
        """Return the session a callback belongs to, or None if it is unknown."""
        with self._lock:
            entry = self._callbacks.get(callback_id) if isinstance(callback_id, str) else None
        return None if entry is None else entry.session_id

    async def invoke(self, callback_id: str, *args: Any, session_id: str, **kwargs: Any) -> Any:
        """Call the callback on behalf of ``session_id`` and return its result.

        Refuses (``ForeignCallbackError``) an id bound to another session and raises
        ``UnknownCallbackError`` for an unknown one, before anything runs. An async
        callback is awaited on the loop; a sync one runs in a worker thread so it
        cannot block the loop.
        """
        entry = self._lookup(callback_id, check_id(session_id, "session_id"))
        if entry.is_async:
            return await entry.callback(*args, **kwargs)
        if self._executor is None:
            return await asyncio.to_thread(entry.callback, *args, **kwargs)
        context = contextvars.copy_context()
        call = functools.partial(context.run, entry.callback, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def unregister(self, callback_id: str) -> bool:
        """Forget one callback; True if it was registered."""
        with self._lock:
            entry = self._callbacks.pop(callback_id, None)
            if entry is None:
                return False
            ids = self._by_session.get(entry.session_id)
            if ids is not None:
                ids.discard(callback_id)
                if not ids:
                    del self._by_session[entry.session_id]
            return True

    def unregister_session(self, session_id: str) -> int:
        """Forget every callback of a session (when it ends); return how many."""
        with self._lock:
            ids = self._by_session.pop(session_id, set())
            for callback_id in ids:
                self._callbacks.pop(callback_id, None)
            return len(ids)

    def session_callbacks(self, session_id: str) -> list[str]:
        """Return the ids of a session's callbacks."""
        with self._lock:
            return sorted(self._by_session.get(session_id, ()))

    def stats(self) -> dict[str, int]:
        """Return counts: ``callbacks`` registered and ``sessions`` that have any."""
        with self._lock:
            return {"callbacks": len(self._callbacks), "sessions": len(self._by_session)}
