"""Pings for many WebSockets from one timer, and closing those whose peer is gone.

A visitor whose network vanished (a laptop lid shut, a mobile network lost) leaves a
socket that looks open until TCP gives up, minutes later; a ping that gets no pong
tells sooner, so the session can wait for the visitor to come back or close.

Tornado's own pinger runs a task with its timer and futures per connection, about
1.7 KiB that every idle session holds; aiohttp's heartbeat keeps a timer per
connection and, after the connection is lost, a reference cycle. :class:`Keepalive`
keeps one timer for all the sockets of a server. The sockets are spread over
:data:`SLICES` slices and each tick pings one slice, so every socket is pinged once
per interval while 20,000 sockets never cost the loop one long pause. A socket that
has not answered within ``timeout`` is closed, as Tornado's
``websocket_ping_interval`` and ``websocket_ping_timeout`` would do.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Protocol

__all__ = ["Pingable", "Keepalive", "SLICES"]

logger = logging.getLogger("webio.server")

SLICES = 20
"""Ticks per interval; each pings the sockets of one slice."""


class Pingable(Protocol):
    """A WebSocket that :class:`Keepalive` looks after."""

    def send_ping(self) -> None:
        """Send a ping frame; do nothing if the socket is closing."""

    def abort_socket(self) -> None:
        """Close the socket at once, without waiting for the peer's close frame (idempotent)."""


class Keepalive:
    """Pings every added socket once each ``interval`` seconds, on the loop of the first ``add``.

    A socket that has not answered a ping (:meth:`answered`) ``timeout`` seconds after
    it was sent is closed. ``timeout`` is at most ``interval``; 0 pings without ever
    closing. The timer runs only while there are sockets; a new socket gets its first
    ping within one interval.
    """

    def __init__(self, interval: float, timeout: float | None = None) -> None:
        if interval <= 0:
            raise ValueError(f"the ping interval must be more than 0 seconds, got {interval}")
        self.interval = interval
        self.timeout = interval if timeout is None else max(0.0, min(timeout, interval))
        # Dicts used as ordered sets: a tick pings its slice in the order sockets came.
        self._slices: list[dict[Pingable, None]] = [{} for _ in range(SLICES)]
        self._slice_of: dict[Pingable, int] = {}
        self._unanswered: set[Pingable] = set()
        self._next_tick = 0
        self._timer: asyncio.TimerHandle | None = None
        self._deadlines: dict[int, asyncio.TimerHandle] = {}

    def __len__(self) -> int:
        return len(self._slice_of)

    def add(self, socket: Pingable) -> None:
        """Look after ``socket`` from now on (on the event loop)."""
        if socket in self._slice_of:
            return
        index = min(range(SLICES), key=lambda candidate: len(self._slices[candidate]))
        self._slices[index][socket] = None
        self._slice_of[socket] = index
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.interval / SLICES, self._tick)

    def discard(self, socket: Pingable) -> None:
        """Forget ``socket`` (it closed)."""
        index = self._slice_of.pop(socket, None)
        if index is not None:
            del self._slices[index][socket]
        self._unanswered.discard(socket)
        if not self._slice_of:
            self._stop()

    def answered(self, socket: Pingable) -> None:
        """``socket``'s peer sent a pong."""
        self._unanswered.discard(socket)

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        for deadline in self._deadlines.values():
            deadline.cancel()
        self._timer = None
        self._deadlines.clear()

    def _tick(self) -> None:
        loop = asyncio.get_running_loop()
        index, self._next_tick = self._next_tick, (self._next_tick + 1) % SLICES
        if self.timeout == self.interval:
            self._close_unanswered(index)
        sockets = list(self._slices[index])
        self._unanswered.update(sockets)
        for socket in sockets:
            try:
                socket.send_ping()
            except Exception:  # one broken socket must not stop the pings of the others
                logger.debug("a WebSocket ping failed", exc_info=True)
        if sockets and 0 < self.timeout < self.interval:
            self._deadlines[index] = loop.call_later(self.timeout, self._close_unanswered, index)
        self._timer = loop.call_later(self.interval / SLICES, self._tick) if self._slice_of else None

    def _close_unanswered(self, index: int) -> None:
        """Close the sockets of slice ``index`` that have not answered its last ping."""
        self._deadlines.pop(index, None)
        gone = [socket for socket in self._slices[index] if socket in self._unanswered]
        for socket in gone:
            self._unanswered.discard(socket)
            logger.info("closing a WebSocket whose peer did not answer a ping within %g s", self.timeout)
            socket.abort_socket()
