"""Thread sessions: a plain ``def main()`` runs in its own thread and blocks on input."""
from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from webio.exceptions import SessionClosedException
from webio.session.base import Session
from webio.session.executor import SerialRunner
from webio.session.flow import TIMED_OUT, Flow, Receive

logger = logging.getLogger("webio.session")

__all__ = ["ThreadSession", "run_user_function"]


def run_user_function(session: Session, fn: Callable[..., Any], *args: Any, what: str) -> None:
    """Call blocking user code in the current thread and report its failure.

    A coroutine it returns runs to its end on the session's event loop.
    """
    try:
        result = fn(*args) if args else fn()  # fn(): one C-level call less on a waiting main's stack
        if inspect.iscoroutine(result):
            asyncio.run_coroutine_threadsafe(result, session.loop).result()
    except SessionClosedException:
        logger.debug("session %s: %s stopped, the session is closed", session.short_id, what)
    except Exception:
        session.log_app_error(what)


_STARTED = threading.Event()
_STARTED.set()


class _MainThread(threading.Thread):
    """The thread that runs a session's ``main``.

    ``run`` sets the session's context variables and calls ``main`` straight away,
    where ``Thread(target=...)`` and ``Context.run`` would each add a C-level call
    that stays on the thread's stack while ``main`` waits in ``input()``; without
    them a waiting thread session holds about 4–5 KiB less memory (benchmark d).
    """

    def __init__(self, session: ThreadSession) -> None:
        super().__init__(name=f"webio-main-{session.short_id}", daemon=True)
        self._session: ThreadSession | None = session

    def start(self) -> None:
        super().start()
        # Thread keeps the Event that start() waited on, a Condition with its deque
        # (about 0.9 KiB), for the thread's whole life, only for is_alive() and join()
        # to ask whether it is set; one shared Event that is set answers the same.
        started = self.__dict__.get("_started")
        if isinstance(started, threading.Event) and started.is_set():
            self.__dict__["_started"] = _STARTED

    def run(self) -> None:
        session, self._session = self._session, None  # no thread ↔ session cycle after main
        if session is None:
            raise RuntimeError(f"{self.name} has run its session's main already")
        for variable, value in session.new_context().items():
            variable.set(value)
        session._run_main()


class ThreadSession(Session):
    """Runs ``main`` in a dedicated thread; callbacks run one at a time on the shared pool."""

    __slots__ = ("_callback_runner", "main_thread")

    kind = "thread"

    def __init__(self, app: Callable[[], Any], **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._callback_runner = SerialRunner()
        self.main_thread: threading.Thread | None = None

    def start(self) -> None:
        self.main_thread = _MainThread(self)
        self.main_thread.start()

    def _run_main(self) -> None:
        try:
            run_user_function(self, self.app, what="main")
        finally:
            self.main_finished()

    def run_flow(self, flow: Flow[Any]) -> Any:
        if self._on_loop_thread():
            flow.close()
            raise RuntimeError(
                "a blocking webio call (input, eval_js, hold …) was made on the event loop's "
                "thread, where it would wait forever; make main an `async def` and await it"
            )
        listened: list[str] = []
        result: Any = None
        try:
            while True:
                try:
                    op = flow.send(result)
                except StopIteration as stop:
                    return stop.value
                if isinstance(op, Receive):
                    try:
                        event = self._channel_for(op).get(timeout=op.timeout)
                    except queue.Empty:
                        event = TIMED_OUT
                    result = self._check_received(event, self.close_reason)
                else:
                    result = self._do(op, listened)
        finally:
            self._forget_channels(listened)
            flow.close()

    def _new_channel(self) -> queue.SimpleQueue[Any]:
        return queue.SimpleQueue()

    def _run_callback(self, callback: Callable[[Any], Any], data: Any) -> None:
        self._callback_runner.submit(
            functools.partial(self.context_run, run_user_function, self, callback, data, what="a callback")
        )

    def _run_deferred(self, functions: list[Callable[[], Any]]) -> None:
        self._callback_runner.submit(functools.partial(self.context_run, self._call_each, functions))

    def _call_each(self, functions: list[Callable[[], Any]]) -> None:
        for fn in functions:
            run_user_function(self, fn, what="a defer_call function")
