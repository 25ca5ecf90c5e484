"""The port between a session and whatever carries its frames.

A WebSocket, an SSE stream, a long-poll exchange or the in-memory pipe of the test
client each implement these two methods; the session knows nothing else about them.
"""
from __future__ import annotations

from collections.abc import Awaitable
from typing import Protocol

__all__ = ["Connection"]


class Connection(Protocol):
    """One client attached to a session. Methods are called on the event loop thread."""

    def write(self, frame: str) -> Awaitable[None] | None:
        """Send one text frame.

        Return an awaitable (future) that completes when the transport has taken the
        frame, or None when it took it at once. The session writes the next frame only
        after the previous one completed, so a slow or vanished client holds back only
        its own session.
        """

    def close(self) -> None:
        """Close the connection from the server side (idempotent)."""
