"""A minimal WebSocket client on asyncio (RFC 6455), for measuring without a browser.

It does only what the drivers need: the opening handshake, text frames both ways
(client frames masked), pong answers to pings and a close frame. It is lighter than
a general library, so thousands of connections fit in one event loop and a burst
of small frames does not make the client the bottleneck. Every message is stamped
with the time the read that completed it returned, so a latency does not include
the time the driver took to get to it.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import os
import socket
import time
from collections import deque
from collections.abc import Callable

__all__ = ["WebSocket", "ConnectionClosed", "HandshakeError", "connect"]

_IP_BIND_ADDRESS_NO_PORT = getattr(socket, "IP_BIND_ADDRESS_NO_PORT", 24)
"""Linux's option (24) that leaves the port to ``connect()`` after a ``bind()`` to an address."""
_SOURCE_HOSTS = itertools.cycle(f"127.0.0.{last}" for last in range(2, 18))
"""Loopback source addresses that connections to 127.0.0.1 take in turn.

Every connection of a run goes to the same server address, so each needs its own
source port. From one source address, once about half of Linux's ephemeral range
is in use (some 14,000 connections), each ``connect()`` walks the used ports in
the kernel, and the client, not the server, set the pace of scenario d (its CPU
per connection rose from 0.3 to 1.3 ms). Sixteen source addresses keep each one's
ports sparse.
"""
_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_OP_CONTINUATION, _OP_TEXT, _OP_BINARY, _OP_CLOSE, _OP_PING, _OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA

TextHandler = Callable[["WebSocket", str, float], None]
"""Called with the connection, each text message and the ``time.perf_counter()`` of its arrival."""


class ConnectionClosed(Exception):
    """The connection closed before the awaited message came."""


class HandshakeError(Exception):
    """The server did not upgrade the connection to a WebSocket."""


def _mask(payload: bytes, key: bytes) -> bytes:
    size = len(payload)
    stream = (key * (size // 4 + 1))[:size]
    return (int.from_bytes(payload, "little") ^ int.from_bytes(stream, "little")).to_bytes(size, "little")


def _frame(opcode: int, payload: bytes) -> bytes:
    size = len(payload)
    if size < 126:
        header = bytes((0x80 | opcode, 0x80 | size))
    elif size < 1 << 16:
        header = bytes((0x80 | opcode, 0x80 | 126)) + size.to_bytes(2, "big")
    else:
        header = bytes((0x80 | opcode, 0x80 | 127)) + size.to_bytes(8, "big")
    key = os.urandom(4)
    return header + key + _mask(payload, key)


class WebSocket(asyncio.Protocol):
    """One client connection. Messages queue up for :meth:`recv` unless ``on_text`` takes them."""

    def __init__(self, request: bytes, key: str, on_text: TextHandler | None) -> None:
        self._request = request
        self._accept = base64.b64encode(hashlib.sha1(key.encode() + _GUID).digest())
        self.on_text = on_text
        self.transport: asyncio.Transport | None = None
        self.opened: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.opened_at = 0.0
        self.handshake_error: Exception | None = None
        self.closed = False
        self._upgraded = False
        self._buffer = bytearray()
        self._fragments: list[bytes] = []
        self._messages: deque[tuple[str, float]] = deque()
        self._waiter: asyncio.Future[None] | None = None

    # --- asyncio.Protocol ---------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        transport.write(self._request)

    def data_received(self, data: bytes) -> None:
        now = time.perf_counter()
        buffer = self._buffer
        buffer += data
        if not self._upgraded and not self._read_handshake(now):
            return
        position, size = 0, len(buffer)
        while size - position >= 2:
            first, second = buffer[position], buffer[position + 1]
            length, start = second & 0x7F, position + 2
            if length == 126:
                if size - position < 4:
                    break
                length, start = int.from_bytes(buffer[position + 2:position + 4], "big"), position + 4
            elif length == 127:
                if size - position < 10:
                    break
                length, start = int.from_bytes(buffer[position + 2:position + 10], "big"), position + 10
            if size - start < length:
                break
            position = start + length
            self._on_frame(first & 0x80, first & 0x0F, bytes(buffer[start:position]), now)
        del buffer[:position]

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self.opened.done():
            self.handshake_error = ConnectionClosed("closed during the handshake")
            self.opened.set_result(None)
        self._wake()

    # --- reading --------------------------------------------------------------

    def _read_handshake(self, now: float) -> bool:
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            return False
        head = bytes(self._buffer[:end]).decode("latin-1")
        del self._buffer[:end + 4]
        status, _, rest = head.partition("\r\n")
        headers = {name.strip().lower(): value.strip()
                   for name, _, value in (line.partition(":") for line in rest.split("\r\n"))}
        if " 101 " not in status + " " or headers.get("sec-websocket-accept", "").encode() != self._accept:
            self.handshake_error = HandshakeError(status)
            self.opened.set_result(None)
            self.abort()
            return False
        self._upgraded = True
        self.opened_at = now
        self.opened.set_result(None)
        return True

    def _on_frame(self, fin: int, opcode: int, payload: bytes, now: float) -> None:
        if opcode == _OP_PING:
            self._send(_OP_PONG, payload)
        elif opcode == _OP_CLOSE:
            if not self.closed:
                self._send(_OP_CLOSE, payload[:2])
                self.closed = True
                if self.transport is not None:
                    self.transport.close()
            self._wake()
        elif opcode in (_OP_TEXT, _OP_BINARY, _OP_CONTINUATION):
            if not fin:
                self._fragments.append(payload)
                return
            if self._fragments:
                payload = b"".join(self._fragments) + payload
                self._fragments.clear()
            text = payload.decode("utf-8")
            if self.on_text is not None:
                self.on_text(self, text, now)
            else:
                self._messages.append((text, now))
                self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def recv(self, timeout: float) -> tuple[str, float]:
        """The next text message and its arrival time.

        :raises asyncio.TimeoutError: when none came within ``timeout`` seconds.
        :raises ConnectionClosed: when the connection closed first.
        """
        if not self._messages:
            if self.closed:
                raise ConnectionClosed("the server closed the connection")
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await asyncio.wait_for(self._waiter, timeout)
            finally:
                self._waiter = None
            if not self._messages:
                raise ConnectionClosed("the server closed the connection")
        return self._messages.popleft()

    # --- writing and closing --------------------------------------------------

    def _send(self, opcode: int, payload: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(_frame(opcode, payload))

    def send_text(self, text: str) -> None:
        """Send one text frame."""
        if self.closed:
            raise ConnectionClosed("the connection is closed")
        self._send(_OP_TEXT, text.encode("utf-8"))

    def stop_reading(self) -> None:
        """Stop reading the socket without closing it (a visitor whose network vanished)."""
        if self.transport is not None:
            self.transport.pause_reading()

    def close(self) -> None:
        """Send a close frame and close the socket (a visitor closing the tab)."""
        if not self.closed:
            self._send(_OP_CLOSE, (1001).to_bytes(2, "big"))
            self.closed = True
        if self.transport is not None:
            self.transport.close()

    def abort(self) -> None:
        """Drop the connection at once."""
        self.closed = True
        if self.transport is not None:
            self.transport.abort()


async def connect(port: int, path: str, *, timeout: float, on_text: TextHandler | None = None,
                  host: str = "127.0.0.1") -> WebSocket:
    """Open ``ws://host:port/path``; returns once the server has upgraded the connection.

    No ``Origin``, no sub-protocol, no cookies, no compression (PROTOCOL-COMPAT item 3).
    """
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    _, protocol = await asyncio.wait_for(_open_connection(host, port, lambda: WebSocket(request, key, on_text)),
                                         timeout)
    try:
        await asyncio.wait_for(asyncio.shield(protocol.opened), max(0.0, deadline - loop.time()))
    except BaseException:
        protocol.abort()
        raise
    if protocol.handshake_error is not None:
        raise protocol.handshake_error
    return protocol


async def _open_connection(host: str, port: int,
                           factory: Callable[[], WebSocket]) -> tuple[asyncio.BaseTransport, WebSocket]:
    """Connect ``factory()``'s protocol to ``host:port``, from the next of
    :data:`_SOURCE_HOSTS` when ``host`` is 127.0.0.1."""
    loop = asyncio.get_running_loop()
    if host != "127.0.0.1":
        return await loop.create_connection(factory, host, port)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_IP, _IP_BIND_ADDRESS_NO_PORT, 1)
        sock.bind((next(_SOURCE_HOSTS), 0))
        await loop.sock_connect(sock, (host, port))
        return await loop.create_connection(factory, sock=sock)
    except BaseException:
        sock.close()
        raise
