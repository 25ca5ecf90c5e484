"""webio's event loop for synchronous (WSGI) frameworks, and the one door into it.

Sessions, their outboxes and timers live on an asyncio event loop. Under Flask (or
any WSGI server) requests are handled in the server's threads, so webio runs its
loop in a background daemon thread, started on first use by :func:`event_loop`, or
in a thread of your choice with :func:`run_event_loop` (PyWebIO's name).

**Thread safety.** A request thread talks to the loop through one door,
:func:`call` (``asyncio.run_coroutine_threadsafe``), which runs a coroutine on the
loop and waits for its result; nothing else of webio's HTTP layer may be touched from
another thread. Streams go the other way through a :class:`ThreadSink`, whose
:meth:`~ThreadSink.chunks` iterator is the WSGI response body.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
import queue
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

from webio.platform.adaptor.event_loop import new_event_loop
from webio.platform.adaptor.sse import EventStream

logger = logging.getLogger("webio.server")

__all__ = ["ThreadSink", "call", "event_loop", "run_event_loop"]

T = TypeVar("T")

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_loop_ready = threading.Event()
_starting = False


def run_event_loop(debug: bool = False) -> None:
    """Run webio's event loop in the calling thread until the process ends.

    Only needed to choose the thread yourself (PyWebIO's Flask and Django recipes
    start it as ``threading.Thread(target=run_event_loop, daemon=True).start()``);
    otherwise webio starts it when the first request arrives (in each worker process).

    :param debug: asyncio's debug mode (slow callbacks and unawaited coroutines are logged)
    :raises RuntimeError: when webio's event loop already runs in another thread
    """
    global _loop, _starting
    loop = new_event_loop()
    loop.set_debug(debug)
    with _lock:
        _starting = False
        if _loop is not None:
            loop.close()
            raise RuntimeError("webio's event loop is already running in another thread")
        _loop = loop
    asyncio.set_event_loop(loop)
    _loop_ready.set()
    try:
        loop.run_forever()
    finally:
        with _lock:
            _loop = None
            _loop_ready.clear()
        loop.close()


def event_loop(timeout: float = 10.0) -> asyncio.AbstractEventLoop:
    """webio's event loop for WSGI frameworks; started in a daemon thread when none runs."""
    global _starting
    with _lock:
        if _loop is None and not _starting:
            _starting = True
            threading.Thread(target=_run_quietly, name="webio-event-loop", daemon=True).start()
    if not _loop_ready.wait(timeout) or _loop is None:
        raise RuntimeError("webio's event loop did not start")
    return _loop


def _forget_after_fork() -> None:
    """A forked worker (gunicorn's prefork) has none of its parent's threads: webio's
    loop, if the parent had started one, starts anew on the child's first request."""
    global _lock, _loop, _loop_ready, _starting
    _lock, _loop, _loop_ready, _starting = threading.Lock(), None, threading.Event(), False


os.register_at_fork(after_in_child=_forget_after_fork)


def _run_quietly() -> None:
    try:
        run_event_loop()
    except RuntimeError:
        logger.debug("webio's event loop was started by someone else meanwhile")


def call(loop: asyncio.AbstractEventLoop, fn: Callable[..., Awaitable[T]], *args: Any,
         timeout: float | None = None) -> T:
    """Run ``await fn(*args)`` on ``loop`` from another thread and return its result (the one door).

    The coroutine is created on the loop, so a loop that stops before getting to it
    leaves nothing half-made behind.

    :raises RuntimeError: when the loop is closed.
    """
    done: concurrent.futures.Future[T] = concurrent.futures.Future()

    async def run() -> T:
        return await fn(*args)

    def start() -> None:
        if done.set_running_or_notify_cancel():
            loop.create_task(run()).add_done_callback(finish)

    def finish(task: asyncio.Task[T]) -> None:
        if task.cancelled():
            done.set_exception(concurrent.futures.CancelledError())
        elif task.exception() is not None:
            done.set_exception(task.exception())  # type: ignore[arg-type]
        else:
            done.set_result(task.result())

    loop.call_soon_threadsafe(start)
    return done.result(timeout)


class ThreadSink:
    """Carries an :class:`EventStream`'s chunks from the loop to a WSGI response iterator.

    :meth:`send` (the stream's chunk writer) runs on the loop; :meth:`chunks` runs in
    the request thread and yields each chunk, confirming it to the stream when the
    server asks for the next one, so a slow client holds back its own session only.
    """

    _END = object()

    def __init__(self, loop: asyncio.AbstractEventLoop, stream: EventStream) -> None:
        self._loop = loop
        self._stream = stream
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def open(self) -> None:
        """Start the stream (called from the request thread)."""
        self._loop.call_soon_threadsafe(self._start)

    def _start(self) -> None:
        self._stream.add_close_callback(lambda: self._queue.put(self._END))
        self._stream.start(self.send)

    def send(self, chunk: bytes) -> asyncio.Future[None]:
        """Queue ``chunk``; the future completes when the WSGI server took it (loop thread)."""
        written = self._loop.create_future()
        self._queue.put((chunk, written))
        return written

    def chunks(self) -> Iterator[bytes]:
        """The response body: the preamble, then every chunk until the stream ends."""
        try:
            yield self._stream.preamble
            while True:
                item = self._queue.get()
                if item is self._END:
                    return
                chunk, written = item
                yield chunk
                self._loop.call_soon_threadsafe(_complete, written)
        finally:
            # The client left (the server stopped iterating) or the stream ended.
            if not self._loop.is_closed():
                self._loop.call_soon_threadsafe(self._stream.disconnected)


def _complete(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
