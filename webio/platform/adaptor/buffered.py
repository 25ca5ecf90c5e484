"""A session's frames kept for a client that fetches them by request.

Long-polling and PyWebIO's HTTP exchange have no connection that lasts: the client
asks, gets what is there, and asks again. A :class:`BufferedPort` stands in for the
connection. It stays attached to the session while the client keeps coming back,
keeps every frame until the client confirms it (so an answer lost on the way is sent
again with the next one), and holds the session's writer back when too much is
unconfirmed. A client that sends no request for the session's HTTP timeout
(:meth:`~webio.platform.adaptor.hub.ServerOptions.session_timeout`) is gone: its
session closes.

Runs on the event loop thread.
"""
from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import NamedTuple

from webio.platform.adaptor.hub import SessionHub
from webio.platform.adaptor.ws import WebSocketClient
from webio.protocol import frame_last_seq

__all__ = ["MAX_UNCONFIRMED_BYTES", "BufferedPort", "Kept"]

MAX_UNCONFIRMED_BYTES = 16 * 1024 * 1024
"""Unconfirmed frames beyond this make the session wait until the client confirms."""


class Kept(NamedTuple):
    """A frame waiting for the client: its number (from 0), its last ``seq``, its text."""

    number: int
    seq: int | None
    text: str


class BufferedPort:
    """The port of a :class:`WebSocketClient` whose client fetches frames by request.

    :param gone: called once when the port is done (confirmed to the end, or expired)
    """

    def __init__(self, hub: SessionHub, gone: Callable[[BufferedPort], None]) -> None:
        self.client = WebSocketClient(hub, self)
        self.frames: deque[Kept] = deque()
        self.next_number = 0
        self.closed = False
        self._gone = gone
        self._timeout = hub.options.session_timeout("http")
        self._loop = asyncio.get_running_loop()
        self._changed = self._loop.create_future()
        self._bytes = 0
        self._held: asyncio.Future[None] | None = None
        self._expiry: asyncio.TimerHandle | None = None
        self._done = False

    # --- the port the session writes through ------------------------------------

    def send_text(self, text: str) -> Awaitable[None] | None:
        self.frames.append(Kept(self.next_number, frame_last_seq(text), text))
        self.next_number += 1
        self._bytes += len(text)
        self._notify()
        if self._bytes > MAX_UNCONFIRMED_BYTES:
            self._held = self._loop.create_future()
            return self._held
        return None

    def close_socket(self) -> None:
        """The session ended or moved to another connection; what is kept can still be fetched."""
        self.closed = True
        self._notify()

    # --- the client's requests ----------------------------------------------------

    def touch(self) -> None:
        """The client is here; it counts as gone after the timeout without a request."""
        if self._expiry is not None:
            self._expiry.cancel()
        self._expiry = self._loop.call_later(self._timeout, self._expire)

    def confirm(self, received: Callable[[Kept], bool]) -> None:
        """Drop the frames from the front for which ``received(frame)`` holds.

        The session's outbox is told what arrived, so it can free the frames too.
        """
        last_seq = None
        while self.frames and received(self.frames[0]):
            frame = self.frames.popleft()
            self._bytes -= len(frame.text)
            if frame.seq is not None:
                last_seq = frame.seq
        session = self.client.session
        if last_seq is not None and session is not None:
            session.dispatch({"event": "ack", "task_id": None, "data": {"seq": last_seq}})
        if self._bytes <= MAX_UNCONFIRMED_BYTES // 2:
            self._release()
        if self.closed and not self.frames:
            self._finish()

    async def wait(self, until: Callable[[], bool], timeout: float) -> None:
        """Wait until ``until()`` holds, the port closed, or ``timeout`` seconds passed."""
        deadline = self._loop.time() + timeout
        while not until() and not self.closed:
            remaining = deadline - self._loop.time()
            if remaining <= 0:
                return
            try:
                await asyncio.wait_for(asyncio.shield(self._changed), remaining)
            except asyncio.TimeoutError:
                return

    # --- internals ----------------------------------------------------------------

    def _notify(self) -> None:
        self._changed.set_result(None)
        self._changed = self._loop.create_future()

    def _release(self) -> None:
        if self._held is not None and not self._held.done():
            self._held.set_result(None)

    def _expire(self) -> None:
        session = self.client.session
        if not self.closed and session is not None:
            session.close("the visitor did not come back")
        self._finish()

    def _finish(self) -> None:
        if self._done:
            return
        self._done = True
        if self._expiry is not None:
            self._expiry.cancel()
        self._release()
        self._gone(self)
