"""HTTP on asyncio for the Flask scenario: a small HTTP/1.1 client and PyWebIO's HTTP exchange.

PyWebIO's exchange (PROTOCOL-COMPAT items 17–21): pulls are ``GET /?app=index&ack=A``,
pushes ``POST /?app=index&ack=A&seq=S`` with a JSON array of the events not yet
acknowledged; both answer ``{"commands": [[cmd, …], …], "seq": FIRST_BATCH_ID,
"ack": LAST_EVENT_ID}``. A server may hold a pull open until it has something to send
(webio) or answer at once (PyWebIO); :meth:`ExchangeSession.commands` works with both.
"""
from __future__ import annotations

import asyncio
import json
import secrets
import socket
import string
import time
from typing import Any

from benchmarks.page import Command

__all__ = ["HttpConnection", "ExchangeSession"]

_ALPHABET = string.ascii_letters + string.digits
EMPTY_PULL_PAUSE = 0.002
"""Pause after a pull that came back empty at once (a server that does not long-poll)."""


class HttpConnection:
    """An HTTP/1.1 connection to 127.0.0.1, opened again when the server closed it.

    Werkzeug's development server answers every request with ``Connection: close``.
    """

    def __init__(self, port: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.port = port
        self.reader = reader
        self.writer = writer
        self._chunked = False
        self._server_closes = False

    @staticmethod
    async def _connect(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return reader, writer

    @classmethod
    async def open(cls, port: int, timeout: float) -> HttpConnection:
        """Connect (Nagle off)."""
        reader, writer = await asyncio.wait_for(cls._connect(port), timeout)
        return cls(port, reader, writer)

    def send(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> None:
        """Write one request."""
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        if body is not None:
            lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b""))

    async def read_head(self) -> tuple[int, dict[str, str]]:
        """The status and headers (lower-case names) of the next response."""
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        status_line, *header_lines = head.rstrip("\r\n").split("\r\n")
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        self._chunked = headers.get("transfer-encoding", "").lower() == "chunked"
        self._server_closes = headers.get("connection", "").lower() == "close"
        return int(status_line.split()[1]), headers

    async def read_body(self, status: int, headers: dict[str, str]) -> bytes:
        """The whole body of a response whose head was read."""
        if status in (204, 304):
            return b""
        if self._chunked:
            parts = []
            while (chunk := await self.read_chunk()) is not None:
                parts.append(chunk)
            return b"".join(parts)
        if "content-length" in headers:
            return await self.reader.readexactly(int(headers["content-length"]))
        return await self.reader.read()

    async def read_chunk(self) -> bytes | None:
        """The next piece of a streamed body; None at its end."""
        if not self._chunked:
            data = await self.reader.read(65536)
            return data or None
        size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
        data = await self.reader.readexactly(size + 2)
        return data[:-2] if size else None

    async def request(self, method: str, path: str, body: bytes | None = None,
                      headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """Send a request and read its whole answer (on a new connection if the last one was closed)."""
        if self._server_closes:
            self.writer.close()
            self.reader, self.writer = await self._connect(self.port)
            self._server_closes = False
        self.send(method, path, body, headers)
        status, response_headers = await self.read_head()
        return status, response_headers, await self.read_body(status, response_headers)

    def close(self) -> None:
        """Close the connection."""
        self.writer.close()


class ExchangeSession:
    """One session over PyWebIO's HTTP exchange, one request at a time."""

    def __init__(self, connection: HttpConnection) -> None:
        self.connection = connection
        self.session_id = "NEW-" + "".join(secrets.choice(_ALPHABET) for _ in range(24))
        self.consumed = -1
        self._events: list[tuple[int, dict[str, Any]]] = []
        self._next_event_id = 0
        self._unread: list[Command] = []

    @classmethod
    async def open(cls, port: int, timeout: float) -> ExchangeSession:
        """Connect; the first pull creates the session."""
        return cls(await HttpConnection.open(port, timeout))

    async def _exchange(self, method: str, query: str, body: bytes | None, timeout: float) -> list[Command]:
        status, headers, payload = await asyncio.wait_for(self.connection.request(
            method, f"/?app=index&{query}", body, {"webio-session-id": self.session_id}), timeout)
        if status != 200:
            raise RuntimeError(f"{method} answered {status}: {payload[:200]!r}")
        if headers.get("webio-session-id"):
            self.session_id = headers["webio-session-id"]
        elif self.session_id.startswith("NEW-"):
            self.session_id = self.session_id[4:]
        answer = json.loads(payload)
        acked = answer.get("ack", -1)
        self._events = [(event_id, event) for event_id, event in self._events if event_id > acked]
        commands: list[Command] = []
        for batch_id, batch in enumerate(answer.get("commands", []), start=answer.get("seq", 0)):
            if batch_id > self.consumed:
                commands.extend(batch)
                self.consumed = batch_id
        return commands

    async def push(self, event: dict[str, Any], timeout: float) -> None:
        """``POST`` the event with the others not yet acknowledged (item 20); keeps what it answered."""
        self._events.append((self._next_event_id, event))
        self._next_event_id += 1
        body = json.dumps([item for _, item in self._events]).encode()
        self._unread += await self._exchange("POST", f"ack={self.consumed}&seq={self._events[0][0]}", body, timeout)

    async def commands(self, timeout: float) -> tuple[list[Command], float]:
        """What the last push answered, else the commands of the next pull that brings any (item 19)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self._unread:
            started = loop.time()
            self._unread = await self._exchange("GET", f"ack={self.consumed}", None, max(0.0, deadline - started))
            if not self._unread and loop.time() - started < EMPTY_PULL_PAUSE:
                await asyncio.sleep(EMPTY_PULL_PAUSE)
        commands, self._unread = self._unread, []
        return commands, time.perf_counter()

    def close(self) -> None:
        """Close the connection (the session expires on the server)."""
        self.connection.close()
