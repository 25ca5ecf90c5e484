"""A blocking WebSocket of a WSGI request thread, bridged to a :class:`WebSocketClient` on the loop.

Synchronous WebSocket libraries (flask-sock's ``simple_websocket``) hand a request
thread a socket with blocking ``receive()`` and ``send()``. :func:`serve_socket` runs
the session's side on webio's loop and the socket's side in threads:

* the request thread is the **writer**: frames the session writes (on the loop) go
  through a thread-safe queue; each write returns a loop future completed once the
  frame was sent, so the session writes its next frame only then (backpressure) and
  the loop never blocks on the socket;
* a reader thread blocks in ``receive()`` and hands each frame to the loop through
  the one door, :func:`webio.platform.adaptor.bridge.call`, in order.

``open``, ``on_message`` and ``on_close`` of the client all run on the loop.
"""
from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable, Mapping
from typing import Any

from webio.platform.adaptor.bridge import call
from webio.platform.adaptor.hub import SessionHub
from webio.platform.adaptor.ws import WebSocketClient
from webio.session.info import SessionInfo

logger = logging.getLogger("webio.server")

__all__ = ["ThreadSocketPort", "serve_socket"]

_CLOSE = object()
"""Queued by the loop: close the socket."""
_GONE = object()
"""Queued by the reader: the peer closed the socket."""


class ThreadSocketPort:
    """The :class:`~webio.platform.adaptor.ws.SocketPort` of a socket served by a request thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def send_text(self, text: str) -> asyncio.Future[None]:
        """Queue ``text``; the future completes when the writer sent it (loop thread)."""
        sent = self._loop.create_future()
        self._queue.put((text, sent))
        return sent

    def close_socket(self) -> None:
        """Ask the writer to close the socket (loop thread; idempotent)."""
        self._queue.put(_CLOSE)

    def peer_gone(self) -> None:
        """The reader saw the socket close (any thread)."""
        self._queue.put(_GONE)

    def write_until_closed(self, send: Callable[[str], None]) -> None:
        """Send queued frames with the blocking ``send`` until either side closes (request thread)."""
        while True:
            item = self._queue.get()
            if item is _CLOSE or item is _GONE:
                return
            text, sent = item
            try:
                send(text)
            except Exception as exc:  # the socket broke: the session hears of it by on_close
                logger.debug("a WebSocket send failed: %s", exc)
                return
            finally:
                self._loop.call_soon_threadsafe(_complete, sent)


def _complete(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def serve_socket(
    loop: asyncio.AbstractEventLoop,
    hub: SessionHub,
    query: Mapping[str, str],
    info: SessionInfo,
    receive: Callable[[], str | bytes | None],
    send: Callable[[str], None],
) -> None:
    """Serve one accepted socket until it closes; blocks the calling (request) thread.

    ``receive`` blocks for the next frame and returns ``None`` or raises once the
    socket closed; ``send`` blocks until a text frame was sent. The caller closes
    the socket afterwards.
    """
    port = ThreadSocketPort(loop)
    client = WebSocketClient(hub, port)
    closed = threading.Event()

    async def open_client() -> None:
        client.open(query, info)

    async def on_message(message: str | bytes) -> None:
        client.on_message(message)

    async def on_close() -> None:
        client.on_close()

    def read() -> None:
        try:
            while not closed.is_set():
                message = receive()
                if message is None or closed.is_set():
                    break
                call(loop, on_message, message)
        except Exception as exc:  # the socket closed under the reader (or the loop stopped)
            logger.debug("a WebSocket reader ended: %s", exc)
        finally:
            port.peer_gone()

    call(loop, open_client)
    reader = threading.Thread(target=read, name="webio-websocket-reader", daemon=True)
    reader.start()
    try:
        port.write_until_closed(send)
    finally:
        closed.set()
        if not loop.is_closed():
            call(loop, on_close)
