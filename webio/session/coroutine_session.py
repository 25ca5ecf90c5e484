"""Coroutine sessions: an ``async def main()`` runs on the server's event loop."""
from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from webio.exceptions import SessionClosedException
from webio.session.base import Session
from webio.session.channel import EventChannel
from webio.session.executor import run_in_pool
from webio.session.flow import TIMED_OUT, Flow, Receive
from webio.session.kinds import is_async_callable
from webio.tasks import spawn

logger = logging.getLogger("webio.session")

__all__ = ["CoroutineSession"]


class CoroutineSession(Session):
    """Runs ``main`` as a task; async callbacks run as tasks, sync ones on the pool.

    Callbacks of one session run one after another (in the order of the clicks).
    """

    __slots__ = ("_callback_lock", "background")

    kind = "coroutine"

    def __init__(self, app: Callable[[], Any], **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._callback_lock: asyncio.Lock | None = None
        """Keeps callbacks in click order; made at the first click."""
        # A dict used as a set of the run_async tasks: an empty one is a quarter of an empty set.
        self.background: dict[asyncio.Task[Any], None] = {}

    def start(self) -> None:
        # spawn keeps the task until it ends; the session does not hold it, since the
        # task's context holds the session and the two would make a cycle.
        spawn(self._run_main(), name=f"webio-main-{self.short_id}", context=self.new_context())

    async def _run_main(self) -> None:
        try:
            await self._run_user(self.app, what="main")
        finally:
            self.main_finished()

    async def _run_user(self, fn: Callable[..., Any], *args: Any, what: str) -> None:
        try:
            if is_async_callable(fn):
                await fn(*args)
                return
            result = await run_in_pool(self.context_run, fn, *args)
            if inspect.isawaitable(result):
                await result
        except (SessionClosedException, asyncio.CancelledError):
            logger.debug("session %s: %s stopped, the session is closed", self.short_id, what)
        except Exception:
            self.log_app_error(what)

    def run_flow(self, flow: Flow[Any]) -> Coroutine[Any, Any, Any]:
        return self._drive(flow)

    async def _drive(self, flow: Flow[Any]) -> Any:
        listened: list[str] = []
        result: Any = None
        try:
            while True:
                try:
                    op = flow.send(result)
                except StopIteration as stop:
                    return stop.value
                if isinstance(op, Receive):
                    channel = self._channel_for(op)
                    if self._flush_scheduled:
                        # The app waits for the visitor now: what it showed goes out at
                        # once, not one loop turn later (the scheduled flush finds nothing).
                        self._write_more()
                    try:
                        # Without a timeout, skip wait_for: one less suspended frame per waiting session.
                        event = await (channel.get() if op.timeout is None else asyncio.wait_for(channel.get(), op.timeout))
                    except asyncio.TimeoutError:
                        event = TIMED_OUT
                    result = self._check_received(event, self.close_reason)
                else:
                    result = self._do(op, listened)
        finally:
            self._forget_channels(listened)
            flow.close()

    def _new_channel(self) -> EventChannel:
        return EventChannel()

    def _run_callback(self, callback: Callable[[Any], Any], data: Any) -> None:
        spawn(self._serialized(callback, data), name=f"webio-callback-{self.short_id}", context=self.new_context())

    async def _serialized(self, callback: Callable[[Any], Any], data: Any) -> None:
        if self._callback_lock is None:
            self._callback_lock = asyncio.Lock()
        async with self._callback_lock:
            await self._run_user(callback, data, what="a callback")

    def run_background(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run ``coro`` in this session until it ends or the session closes (``run_async``)."""
        task = spawn(self._background(coro), name=f"webio-task-{self.short_id}", context=self.new_context())
        self.background[task] = None
        self.hold_open()
        task.add_done_callback(self._background_done)
        return task

    async def _background(self, coro: Coroutine[Any, Any, Any]) -> Any:
        try:
            return await coro
        except SessionClosedException:
            logger.debug("session %s: a background task stopped, the session is closed", self.short_id)
        except Exception:
            self.log_app_error("a run_async task")

    def _background_done(self, task: asyncio.Task[Any]) -> None:
        self.background.pop(task, None)
        self.release()

    def _stop_user_code(self) -> None:
        """Cancel ``run_async`` tasks. ``main`` is not cancelled: as in a thread
        session, its next webio call raises SessionClosedException."""
        for task in list(self.background):
            task.cancel()

    def _run_deferred(self, functions: list[Callable[[], Any]]) -> None:
        spawn(self._call_each(functions), name=f"webio-deferred-{self.short_id}", context=self.new_context())

    async def _call_each(self, functions: list[Callable[[], Any]]) -> None:
        for fn in functions:
            await self._run_user(fn, what="a defer_call function")
