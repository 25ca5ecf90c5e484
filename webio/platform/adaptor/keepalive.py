"""Pings for many WebSockets from one timer, and closing those whose peer is gone.

A visitor whose network vanished (a laptop lid shut, a mobile network lost) leaves a
socket that looks open until TCP gives up, minutes later; a ping that gets no pong
tells sooner, so the session can wait for the visitor to come back or close.

Tornado's own pinger runs a task with its timer and futures per connection, about
1.7 KiB that every idle session holds. :class:`Keepalive` keeps one timer for all
the sockets of a server: each round it pings every socket, and a socket that has not
answered within ``timeout`` is closed, as Tornado's ``websocket_ping_interval`` and
``websocket_ping_timeout`` would do.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Protocol

__all__ = ["Pingable", "Keepalive"]

logger = logging.getLogger("webio.server")


class Pingable(Protocol):
    """A WebSocket that :class:`Keepalive` looks after."""

    def send_ping(self) -> None:
        """Send a ping frame; do nothing if the socket is closing."""

    def abort_socket(self) -> None:
        """Close the socket at once, without waiting for the peer's close frame (idempotent)."""


class Keepalive:
    """Pings every added socket each ``interval`` seconds, on the loop of the first ``add``.

    A socket that has not answered a ping (:meth:`answered`) ``timeout`` seconds after
    it was sent is closed. ``timeout`` is at most ``interval``; 0 pings without ever
    closing. The timer runs only while there are sockets.
    """

    def __init__(self, interval: float, timeout: float | None = None) -> None:
        if interval <= 0:
            raise ValueError(f"the ping interval must be more than 0 seconds, got {interval}")
        self.interval = interval
        self.timeout = interval if timeout is None else max(0.0, min(timeout, interval))
        self._sockets: set[Pingable] = set()
        self._unanswered: set[Pingable] = set()
        self._timer: asyncio.TimerHandle | None = None
        self._deadline: asyncio.TimerHandle | None = None

    def __len__(self) -> int:
        return len(self._sockets)

    def add(self, socket: Pingable) -> None:
        """Look after ``socket`` from now on (on the event loop)."""
        self._sockets.add(socket)
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.interval, self._ping_all)

    def discard(self, socket: Pingable) -> None:
        """Forget ``socket`` (it closed)."""
        self._sockets.discard(socket)
        self._unanswered.discard(socket)
        if not self._sockets:
            self._stop()

    def answered(self, socket: Pingable) -> None:
        """``socket``'s peer sent a pong."""
        self._unanswered.discard(socket)

    def _stop(self) -> None:
        for timer in (self._timer, self._deadline):
            if timer is not None:
                timer.cancel()
        self._timer = self._deadline = None

    def _ping_all(self) -> None:
        loop = asyncio.get_running_loop()
        if self.timeout == self.interval:
            self._close_unanswered()
        self._unanswered = set(self._sockets)
        for socket in list(self._sockets):
            try:
                socket.send_ping()
            except Exception:  # one broken socket must not stop the pings of the others
                logger.debug("a WebSocket ping failed", exc_info=True)
        if 0 < self.timeout < self.interval:
            self._deadline = loop.call_later(self.timeout, self._close_unanswered)
        self._timer = loop.call_later(self.interval, self._ping_all) if self._sockets else None

    def _close_unanswered(self) -> None:
        self._deadline = None
        gone, self._unanswered = self._unanswered, set()
        for socket in gone:
            logger.info("closing a WebSocket whose peer did not answer a ping within %g s", self.timeout)
            socket.abort_socket()
