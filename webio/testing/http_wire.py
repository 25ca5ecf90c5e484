"""A small asyncio HTTP/1.1 client for webio's HTTP transports, with no dependencies.

Used by :class:`~webio.testing.TestClient` (``transport="http"``) and by the
benchmarks: plain requests (:func:`request`) and Server-Sent Event streams
(:func:`open_event_stream`) that a test can cut at any moment, as a network would.
It speaks just enough HTTP for that: one request per connection, bodies by
``Content-Length``, chunked or until close.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import socket
from collections.abc import AsyncIterator, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

__all__ = ["EventStreamReader", "HttpAnswer", "HttpStatusError", "ServerEvent", "open_event_stream", "request",
           "run_sync"]

T = TypeVar("T")


class HttpStatusError(ConnectionError):
    """The server answered with a status other than the one expected."""

    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(f"the server answered HTTP {status}: {body[:200].decode('utf-8', 'replace')}")
        self.status = status
        self.body = body


@dataclass
class HttpAnswer:
    """A response: status, headers (lower-case names) and body."""

    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class ServerEvent:
    """One Server-Sent Event."""

    data: str
    id: str | None = None
    event: str = "message"


@dataclass
class _Head:
    status: int
    headers: dict[str, str] = field(default_factory=dict)


async def _connect(host: str, port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection(host, port)
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return reader, writer


def _request_bytes(method: str, host: str, port: int, target: str, headers: Mapping[str, str] | None,
                   body: bytes) -> bytes:
    lines = [f"{method} {target} HTTP/1.1"]
    given = {name.lower() for name in (headers or {})}
    if "host" not in given:
        lines.append(f"Host: {host}:{port}")
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def _read_head(reader: asyncio.StreamReader) -> _Head:
    status_line = await reader.readline()
    parts = status_line.split()
    if len(parts) < 2 or not parts[1].isdigit():
        raise ConnectionError(f"not an HTTP response: {status_line[:80]!r}")
    head = _Head(int(parts[1]))
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            return head
        name, _, value = line.decode("latin-1").partition(":")
        head.headers[name.strip().lower()] = value.strip()


async def _body(reader: asyncio.StreamReader, head: _Head, method: str = "GET") -> AsyncIterator[bytes]:
    if head.status in (204, 304) or method == "HEAD":
        return
    if head.headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                await reader.readline()
                return
            chunk = await reader.readexactly(size)
            await reader.readexactly(2)
            yield chunk
    elif "content-length" in head.headers:
        yield await reader.readexactly(int(head.headers["content-length"]))
    else:
        while chunk := await reader.read(65536):
            yield chunk


async def request(host: str, port: int, method: str, target: str, headers: Mapping[str, str] | None = None,
                  body: bytes = b"") -> HttpAnswer:
    """Send one request and read the whole answer."""
    reader, writer = await _connect(host, port)
    try:
        writer.write(_request_bytes(method, host, port, target, headers, body))
        head = await _read_head(reader)
        data = b"".join([chunk async for chunk in _body(reader, head, method)])
        return HttpAnswer(head.status, head.headers, data)
    finally:
        writer.close()


class EventStreamReader:
    """An open ``text/event-stream`` response: :meth:`events` reads it, :meth:`close` cuts it."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, head: _Head) -> None:
        self.headers = head.headers
        self.retry_ms: int | None = None
        self.last_event_id: str | None = None
        self._writer = writer
        self._chunks = _body(reader, head)

    async def events(self) -> AsyncIterator[ServerEvent]:
        """The stream's events as they arrive, until it ends or is cut."""
        buffer = b""
        data: list[str] = []
        event = "message"
        try:
            async for chunk in self._chunks:
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for raw in lines:
                    line = raw.rstrip(b"\r").decode("utf-8")
                    if not line:
                        if data:
                            yield ServerEvent("\n".join(data), self.last_event_id, event)
                        data, event = [], "message"
                        continue
                    name, _, value = line.partition(":")
                    value = value[1:] if value.startswith(" ") else value
                    if name == "data":
                        data.append(value)
                    elif name == "id":
                        self.last_event_id = value
                    elif name == "event":
                        event = value
                    elif name == "retry" and value.isdigit():
                        self.retry_ms = int(value)
        except (ConnectionError, asyncio.IncompleteReadError):
            return

    def close(self) -> None:
        """Cut the connection, as a network failure would."""
        self._writer.close()


async def open_event_stream(host: str, port: int, target: str,
                            headers: Mapping[str, str] | None = None) -> EventStreamReader:
    """Open an event stream.

    :raises HttpStatusError: when the server does not answer 200 with an event stream.
    """
    reader, writer = await _connect(host, port)
    writer.write(_request_bytes("GET", host, port, target, {"Accept": "text/event-stream", **(headers or {})}, b""))
    head = await _read_head(reader)
    if head.status != 200 or not head.headers.get("content-type", "").startswith("text/event-stream"):
        body = b"".join([chunk async for chunk in _body(reader, head)])
        writer.close()
        raise HttpStatusError(head.status, body)
    return EventStreamReader(reader, writer, head)


def run_sync(coro: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
    """Run ``coro`` to its end from synchronous code and return its result.

    It runs on a fresh event loop in a worker thread, so this works where the calling
    thread already has a running loop (Playwright's sync API keeps one).
    """
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="webio-http-wire") as pool:
        return pool.submit(asyncio.run, coro).result(timeout)
