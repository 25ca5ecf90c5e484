"""The worker threads that run blocking user code: callbacks, deferred functions.

One pool per process. ``ThreadPoolExecutor`` reuses idle threads before it starts
new ones, so a session that gets 20,000 clicks one after another keeps using the same
thread instead of starting one per click.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

__all__ = ["get_executor", "SerialRunner", "MAX_WORKERS"]

logger = logging.getLogger("webio.session")

MAX_WORKERS = 256
_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def get_executor() -> ThreadPoolExecutor:
    """The process-wide pool for blocking user code (created on first use)."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix="webio-worker")
        return _executor


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
        get_executor().submit(self._drain)

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
