"""Server-Sent Events: a session's commands pushed down one long HTTP response.

Each frame becomes one event::

    id: 42
    data: [{"command":"output",…,"seq":41},{"command":"output",…,"seq":42}]

The ``id`` is the ``seq`` of the last command the event carries (a frame without
commands of the page repeats the previous id), so a client that reconnects with the
standard ``Last-Event-ID`` header gets exactly the commands after the last one it
received: nothing lost, nothing repeated. The stream opens with ``retry:`` (how long
an ``EventSource`` waits before reconnecting) and carries a comment line every
:data:`HEARTBEAT_SECONDS`, which keeps proxies from timing it out and finds clients
that vanished without closing their connection.

An adapter sends :attr:`EventStream.headers` and :attr:`EventStream.preamble`, then
calls :meth:`EventStream.start` with a function that writes one chunk (returning an
awaitable that completes when the chunk went out), and finally waits for
:meth:`EventStream.wait_closed` (async frameworks) or registers a close callback
(:meth:`EventStream.add_close_callback`, for a WSGI response iterator). When it
learns that the client went away it calls :meth:`EventStream.disconnected`.
All methods are called on the event loop thread.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from webio.platform.adaptor.hub import SessionHub
from webio.platform.adaptor.responses import SECURITY_HEADERS
from webio.platform.adaptor.ws import WebSocketClient
from webio.protocol import frame_last_seq
from webio.session.info import SessionInfo

logger = logging.getLogger("webio.server")

__all__ = ["HEARTBEAT_SECONDS", "RETRY_MS", "SSE_HEADERS", "ChunkWriter", "EventStream", "sse_event"]

ChunkWriter = Callable[[bytes], "Awaitable[Any] | None"]
"""Writes one chunk of the response body; an awaitable result completes when it was sent."""

HEARTBEAT_SECONDS = 15.0
RETRY_MS = 1000

SSE_HEADERS = {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache, no-transform",
    "X-Accel-Buffering": "no",  # nginx: pass the stream through, do not buffer it
    **SECURITY_HEADERS,
}

_HEARTBEAT = b": keep-alive\n\n"


def sse_event(data: str, event_id: int) -> bytes:
    """One SSE event. ``data`` is a JSON frame, which never holds a line break."""
    return f"id: {event_id}\ndata: {data}\n\n".encode()


class EventStream:
    """One SSE response: a port of a :class:`WebSocketClient` that writes events.

    :param query: the request's ``app``, ``session``, ``token`` (as for a WebSocket)
    :param last_event_id: the ``Last-Event-ID`` header; it wins over ``last_seq``
    """

    preamble = f"retry: {RETRY_MS}\n\n".encode()

    def __init__(self, hub: SessionHub, query: Mapping[str, str], info: SessionInfo, *,
                 last_event_id: str | None = None, extra_headers: Mapping[str, str] | None = None) -> None:
        self.headers = {**SSE_HEADERS, **(extra_headers or {})}
        self.client = WebSocketClient(hub, self)
        self._query = dict(query)
        if last_event_id is not None:
            self._query["last_seq"] = last_event_id.strip()
        self._info = info
        last_seq = self._query.get("last_seq", "")
        self._last_id = int(last_seq) if last_seq.isdigit() else 0
        self._write: ChunkWriter | None = None
        self._in_flight: set[asyncio.Future[Any]] = set()
        self._heartbeat: asyncio.TimerHandle | None = None
        self._closed = False
        self._done = asyncio.get_running_loop().create_future()
        self._close_callbacks: list[Callable[[], Any]] = []

    # --- driven by the adapter ------------------------------------------------

    def start(self, write: ChunkWriter) -> None:
        """Attach to the session; from now on ``write`` carries its frames."""
        if self._closed:
            return
        self._write = write
        self._arm_heartbeat()
        self.client.open(self._query, self._info)

    async def wait_closed(self) -> None:
        """Return when the stream has ended (the session closed it, or the client left)
        and the chunks written before have gone out."""
        await asyncio.shield(self._done)
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)

    def add_close_callback(self, callback: Callable[[], Any]) -> None:
        """Call ``callback()`` once, when the stream ends (on the loop thread)."""
        if self._closed:
            callback()
        else:
            self._close_callbacks.append(callback)

    def disconnected(self) -> None:
        """The client has gone; the session keeps waiting for it (idempotent)."""
        self.client.on_close()
        self.close_socket()

    # --- the port the session's client writes through ---------------------------

    def send_text(self, text: str) -> Awaitable[Any] | None:
        seq = frame_last_seq(text)
        if seq is not None:
            self._last_id = seq
        return self._send(sse_event(text, self._last_id))

    def close_socket(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._heartbeat is not None:
            self._heartbeat.cancel()
        if not self._done.done():
            self._done.set_result(None)
        callbacks, self._close_callbacks = self._close_callbacks, []
        for callback in callbacks:
            callback()

    # --- writing ----------------------------------------------------------------

    def _send(self, chunk: bytes) -> Awaitable[Any] | None:
        if self._closed or self._write is None:
            raise ConnectionError("the event stream is closed")
        pending = self._write(chunk)
        if pending is None:
            return None
        future = asyncio.ensure_future(pending)
        self._in_flight.add(future)
        future.add_done_callback(self._written)
        return future

    def _written(self, future: asyncio.Future[Any]) -> None:
        self._in_flight.discard(future)
        if future.cancelled() or future.exception() is not None:
            logger.debug("an event stream lost its client", exc_info=None if future.cancelled() else future.exception())
            self.disconnected()

    def _arm_heartbeat(self) -> None:
        self._heartbeat = asyncio.get_running_loop().call_later(HEARTBEAT_SECONDS, self._beat)

    def _beat(self) -> None:
        if self._closed:
            return
        if not self._in_flight:
            try:
                self._send(_HEARTBEAT)
            except Exception:
                logger.debug("an event stream failed to send a heartbeat", exc_info=True)
                self.disconnected()
                return
        self._arm_heartbeat()
