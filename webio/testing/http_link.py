"""A :class:`~webio.testing.TestClient`'s connection over webio's HTTP transport.

Commands come down a Server-Sent Events stream; events go up as POSTs, one at a
time and in order, as the browser client sends them. A resumed stream carries the
standard ``Last-Event-ID`` header, as an ``EventSource`` would. Runs on the client's
event loop.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from urllib.parse import urlencode

from webio.tasks import spawn
from webio.testing.http_wire import EventStreamReader, HttpStatusError, open_event_stream, request

logger = logging.getLogger("webio.testing")

__all__ = ["HttpLink"]


class HttpLink:
    """One SSE stream and the POSTs of one client.

    :param receive: applies one frame to the page
    :param disconnected: called when the stream ends
    :param session: the ``(session id, token)`` the events go to
    """

    def __init__(self, port: int, headers: dict[str, str], receive: Callable[[str], None],
                 disconnected: Callable[[], None], session: Callable[[], tuple[str | None, str | None]]) -> None:
        self.port = port
        self.headers = headers
        self.last_event_id: str | None = None
        self._receive = receive
        self._disconnected = disconnected
        self._session = session
        self._stream: EventStreamReader | None = None
        self._outgoing: asyncio.Queue[str | bytes] = asyncio.Queue()
        self._tasks = [spawn(self._post_events(), name="webio-testclient-poster")]

    async def open(self, query: dict[str, str]) -> None:
        """Open the stream; a ``last_seq`` in ``query`` travels as ``Last-Event-ID``.

        :raises ConnectionRefusedError: when the server refuses the stream.
        """
        headers = dict(self.headers)
        last_seq = query.pop("last_seq", None)
        if last_seq is not None:
            headers["Last-Event-ID"] = last_seq
        target = "/?" + urlencode({**query, "transport": "sse"})
        try:
            stream = await open_event_stream("127.0.0.1", self.port, target, headers)
        except HttpStatusError as exc:
            raise ConnectionRefusedError(str(exc)) from exc
        self._stream = stream
        self._tasks.append(spawn(self._read(stream), name="webio-testclient-reader"))

    async def _read(self, stream: EventStreamReader) -> None:
        async for event in stream.events():
            self.last_event_id = event.id
            self._receive(event.data)
        self._disconnected()

    def send(self, frame: str | bytes) -> None:
        """POST ``frame`` (one event, or anything a test wants to send) after the earlier ones."""
        self._outgoing.put_nowait(frame)

    async def _post_events(self) -> None:
        while True:
            frame = await self._outgoing.get()
            session_id, token = self._session()
            query = urlencode({"session": session_id or "", "token": token or ""})
            body = frame.encode() if isinstance(frame, str) else frame
            try:
                answer = await request("127.0.0.1", self.port, "POST", f"/?{query}",
                                       {**self.headers, "Content-Type": "application/json"}, body)
            except OSError:
                logger.debug("the test client could not POST an event", exc_info=True)
                continue
            if answer.status >= 400:
                logger.debug("the server refused a POST: %s %r", answer.status, answer.body[:200])

    def cut(self) -> None:
        """Cut the stream as a network failure would."""
        if self._stream is not None:
            self._stream.close()

    async def close(self) -> None:
        """Stop reading and posting."""
        self.cut()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
