"""The worker threads that run blocking user code: callbacks, deferred functions.

One pool per process. An idle worker takes the next function before a new thread is
started, so a session that gets 20,000 clicks one after another keeps using the same
thread instead of starting one per click. The pool is lighter than
``concurrent.futures.ThreadPoolExecutor`` on the path every click takes: a submit
makes no ``Future`` (with its ``Condition``) and takes one plain lock. Its threads
are daemons, so stopping the server is not held up by a callback that sleeps.
"""
from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["WorkerPool", "get_pool", "run_in_pool", "SerialRunner", "MAX_WORKERS", "IDLE_SECONDS"]

logger = logging.getLogger("webio.session")

T = TypeVar("T")

MAX_WORKERS = 256
IDLE_SECONDS = 60.0
"""A worker with nothing to do for this long ends (the pool keeps at least one)."""


class WorkerPool:
    """Threads that run submitted functions, started as needed up to ``max_workers``.

    Functions run in the order they were submitted as workers come free; with more
    queued than ``max_workers`` the rest wait. A function's exception is logged.
    """

    def __init__(self, max_workers: int = MAX_WORKERS, name: str = "webio-worker",
                 idle_seconds: float = IDLE_SECONDS) -> None:
        if max_workers < 1:
            raise ValueError(f"max_workers must be at least 1, got {max_workers}")
        self.max_workers = max_workers
        self.idle_seconds = idle_seconds
        self._name = name
        self._tasks: queue.SimpleQueue[Callable[[], Any]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0
        """Workers waiting for a function, less the functions already promised to them."""
        self._threads = 0
        self._started = 0

    @property
    def thread_count(self) -> int:
        """How many worker threads are alive (busy or idle)."""
        return self._threads

    def submit(self, fn: Callable[[], Any]) -> None:
        """Run ``fn`` on a worker: an idle one, else a new one while under the limit. Thread-safe."""
        with self._lock:
            if self._idle:
                self._idle -= 1
                start = False
            else:
                start = self._threads < self.max_workers
                if start:
                    self._threads += 1
                    self._started += 1
                    number = self._started
        self._tasks.put(fn)
        if start:
            threading.Thread(target=self._work, name=f"{self._name}_{number}", daemon=True).start()

    def _work(self) -> None:
        tasks = self._tasks
        while True:
            try:
                fn = tasks.get(timeout=self.idle_seconds)
            except queue.Empty:
                with self._lock:
                    # Leave only if an idle worker is left over, not one a submit counts on.
                    if self._idle and self._threads > 1:
                        self._idle -= 1
                        self._threads -= 1
                        return
                continue
            try:
                fn()
            except Exception:
                logger.exception("a function run by webio's worker pool raised")
            del fn  # an idle worker keeps no session alive
            with self._lock:
                self._idle += 1


_pool: WorkerPool | None = None
_pool_lock = threading.Lock()


def get_pool() -> WorkerPool:
    """The process-wide pool for blocking user code (created on first use)."""
    global _pool
    pool = _pool
    if pool is not None:
        return pool
    with _pool_lock:
        if _pool is None:
            _pool = WorkerPool()
        return _pool


def run_in_pool(fn: Callable[..., T], *args: Any) -> asyncio.Future[T]:
    """Call ``fn(*args)`` on the pool; the returned future of the running loop gets its outcome."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def work() -> None:
        try:
            result = fn(*args)
        except BaseException as exc:  # the awaiting coroutine re-raises it, as run_in_executor would
            _settle_soon(loop, future, None, exc)
        else:
            _settle_soon(loop, future, result, None)

    get_pool().submit(work)
    return future


def _settle_soon(loop: asyncio.AbstractEventLoop, future: asyncio.Future[Any], result: Any,
                 error: BaseException | None) -> None:
    try:
        loop.call_soon_threadsafe(_settle, future, result, error)
    except RuntimeError:  # the loop has closed: nobody awaits the outcome any more
        logger.debug("a pool function finished after its event loop closed")


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.done():
        return
    if error is None:
        future.set_result(result)
    else:
        future.set_exception(error)


class SerialRunner:
    """Runs submitted functions one after another on the shared pool.

    At most one pool thread works for a runner at a time, and only while it has work.
    """

    __slots__ = ("_queue", "_active", "_lock")

    def __init__(self) -> None:
        # A list, not a deque: most runners hold nothing most of the time, and an
        # empty deque costs 600 bytes per session.
        self._queue: list[Callable[[], Any]] = []
        self._active = False
        self._lock = threading.Lock()

    def submit(self, fn: Callable[[], Any]) -> None:
        """Queue ``fn``; it runs after everything submitted before it. Thread-safe."""
        with self._lock:
            self._queue.append(fn)
            if self._active:
                return
            self._active = True
        get_pool().submit(self._drain)

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._active = False
                    return
                fn = self._queue.pop(0)
            try:
                fn()
            except Exception:
                logger.exception("a function run by webio's worker pool raised")
