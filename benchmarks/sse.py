"""webio's HTTP push transport on asyncio: a Server-Sent Events stream and POSTed events.

``GET /?app=index&session=NEW&transport=sse`` opens a session whose frames arrive as
events (``id: SEQ`` / ``data: FRAME``); its first frame names the session
(``set_session_id``) and its token (``set_reconnect_token``). Events go as a JSON
array in ``POST /?session=ID&token=T`` (answered 204). The stream may be chunked.
"""
from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from benchmarks.httpclient import HttpConnection
from benchmarks.page import Command, parse_frame

__all__ = ["SseSession", "offered_transports"]


async def offered_transports(port: int, timeout: float) -> list[str]:
    """The transports the server's page offers (its ``webio-config`` script), or [] when it has none."""
    connection = await HttpConnection.open(port, timeout)
    try:
        status, _, body = await asyncio.wait_for(connection.request("GET", "/?app=index"), timeout)
    finally:
        connection.close()
    page = body.decode("utf-8", "replace")
    start = page.find('id="webio-config"')
    if status != 200 or start < 0:
        return []
    config_start = page.index(">", start) + 1
    config = json.loads(page[config_start:page.index("</script>", config_start)])
    return [str(name) for name in config.get("transports", [])]


class SseSession:
    """A webio session over SSE + POST; webio acks ride along with the next POST.

    A reader task takes the stream's chunks as they come and stamps each event with
    its arrival, so a POST being answered meanwhile does not delay the stamp.
    """

    def __init__(self, stream: HttpConnection, poster: HttpConnection) -> None:
        self.stream = stream
        self.poster = poster
        self.session_id = ""
        self.token = ""
        self._frames: asyncio.Queue[tuple[str, float] | None] = asyncio.Queue()
        self._reader: asyncio.Task[None] | None = None
        self._acked = 0
        self._applied = 0

    @classmethod
    async def open(cls, port: int, timeout: float) -> SseSession:
        """Open the stream of a new session."""
        stream = await HttpConnection.open(port, timeout)
        poster = await HttpConnection.open(port, timeout)
        session = cls(stream, poster)
        stream.send("GET", "/?app=index&session=NEW&transport=sse", headers={"Accept": "text/event-stream"})
        status, _ = await asyncio.wait_for(stream.read_head(), timeout)
        if status != 200:
            raise RuntimeError(f"the event stream answered {status}")
        session._reader = asyncio.create_task(session._read_stream())
        return session

    async def _read_stream(self) -> None:
        buffer = b""
        try:
            while (chunk := await self.stream.read_chunk()) is not None:
                arrived = time.perf_counter()
                buffer += chunk.replace(b"\r\n", b"\n")
                *complete, buffer = buffer.split(b"\n\n")
                for event in complete:
                    data = [line[5:].lstrip() for line in event.split(b"\n") if line.startswith(b"data:")]
                    if data:
                        self._frames.put_nowait((b"\n".join(data).decode("utf-8"), arrived))
        finally:
            self._frames.put_nowait(None)

    async def commands(self, timeout: float) -> tuple[list[Command], float]:
        """The commands of the next event (one frame) and when it arrived."""
        item = await asyncio.wait_for(self._frames.get(), timeout)
        if item is None:
            raise ConnectionError("the event stream ended")
        text, arrived = item
        commands = parse_frame(text)
        for command in commands:
            if command.get("command") == "set_session_id":
                self.session_id = command["spec"]
            elif command.get("command") == "set_reconnect_token":
                self.token = command["spec"]["token"]
            if isinstance(command.get("seq"), int):
                self._applied = max(self._applied, command["seq"])
        return commands, arrived

    async def push(self, event: dict[str, Any], timeout: float) -> None:
        """POST ``event`` (after an ack of what arrived since the last POST) and wait for its answer."""
        events = [event]
        if self._applied > self._acked:
            events.insert(0, {"event": "ack", "task_id": None, "data": {"seq": self._applied}})
            self._acked = self._applied
        status, _, body = await asyncio.wait_for(self.poster.request(
            "POST", f"/?session={self.session_id}&token={self.token}", json.dumps(events).encode()), timeout)
        if status >= 300:
            raise RuntimeError(f"POST answered {status}: {body[:200]!r}")

    def close(self) -> None:
        """Stop reading and close both connections (the session waits, then expires)."""
        if self._reader is not None:
            self._reader.cancel()
        self.stream.close()
        self.poster.close()
