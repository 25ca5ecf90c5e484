"""A session that ends right after a burst: the visitor still gets all of it.

The server sends ``close_session`` and then closes the socket. If it closed at once
while the client was still reading and acknowledging, the client's next ack would
meet a closed socket, the server's kernel would answer with a reset, and the client's
kernel would drop everything not read yet (aiohttp's ``close()`` did that). The
server must let the client read to the end and close first.

The client here is a raw socket with a small receive buffer, so most of the burst
waits in the kernels while it dawdles; a WebSocket library would read ahead into
its own buffers and hide the loss.
"""
from __future__ import annotations

import json
import os
import socket
import struct
import time

import pytest

from webio.output import put_text
from webio.testing import TestClient

COUNT = 20_000
CLOSE = 0x8
PING = 0x9


def burst_then_end():
    for number in range(COUNT):
        put_text(f"line {number}")


def idle():
    put_text("here")


class RawWebSocket:
    """Just enough of a WebSocket client: masked text frames out, unfragmented frames in."""

    def __init__(self, port: int, path: str) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
        self.sock.settimeout(10)
        self.sock.connect(("127.0.0.1", port))
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        response = b""
        while not response.endswith(b"\r\n\r\n"):
            response += self._exactly(1)
        assert response.startswith(b"HTTP/1.1 101"), response

    def _exactly(self, count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                raise EOFError(f"the server closed the connection after {len(data)} of {count} bytes")
            data += chunk
        return data

    def receive(self) -> tuple[int, bytes]:
        """The next frame's opcode and payload, past the server's keepalive pings."""
        while True:
            first, second = self._exactly(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._exactly(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._exactly(8))[0]
            payload = self._exactly(length)
            if first & 0x0F != PING:
                return first & 0x0F, payload

    def send_text(self, text: str) -> None:
        data, mask = text.encode(), os.urandom(4)
        length = bytes([0x80 | len(data)]) if len(data) < 126 else bytes([0x80 | 126]) + struct.pack(">H", len(data))
        self.sock.sendall(b"\x81" + length + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def close(self) -> None:
        self.sock.close()


def _ack(seq: int) -> str:
    return json.dumps({"event": "ack", "task_id": None, "data": {"seq": seq}})


def read_slowly(port: int) -> list[dict]:
    """Read a frame, acknowledge it, dawdle while the server finishes and closes,
    acknowledge again, then read and acknowledge the rest."""
    commands: list[dict] = []

    def take(payload: bytes) -> int:
        decoded = json.loads(payload)
        batch = decoded if isinstance(decoded, list) else [decoded]
        commands.extend(batch)
        return max(command.get("seq") or 0 for command in batch)

    ws = RawWebSocket(port, "/?app=burst&session=NEW")
    try:
        last = take(ws.receive()[1])
        ws.send_text(_ack(last))
        time.sleep(0.5)
        ws.send_text(_ack(last))
        while True:
            opcode, payload = ws.receive()
            if opcode == CLOSE:
                return commands
            ws.send_text(_ack(take(payload)))
    finally:
        ws.close()


@pytest.mark.parametrize("backend", ["tornado", "aiohttp"])
def test_the_end_of_a_burst_reaches_a_slow_reader(backend):
    with TestClient({"index": idle, "burst": burst_then_end}, backend=backend, transport="websocket") as client:
        commands = read_slowly(client.port)
    texts = [c["spec"]["content"] for c in commands if c["command"] == "output" and c["spec"]["type"] == "text"]
    assert (len(texts), texts[-1]) == (COUNT, f"line {COUNT - 1}")
    assert commands[-1]["command"] == "close_session"


def test_aiohttp_closes_the_socket_of_a_client_that_does_not_close(monkeypatch):
    """After close_session the server waits for the client to close, but not forever."""
    import webio.platform.aiohttp as aiohttp_platform

    monkeypatch.setattr(aiohttp_platform, "CLIENT_CLOSE_GRACE", 0.3)
    with TestClient({"index": idle, "short": idle_then_end}, backend="aiohttp", transport="websocket") as client:
        ws = RawWebSocket(client.port, "/?app=short&session=NEW")
        try:
            seen: list[str] = []
            started = time.monotonic()
            while True:
                opcode, payload = ws.receive()
                if opcode == CLOSE:
                    break
                decoded = json.loads(payload)
                seen.extend(c["command"] for c in (decoded if isinstance(decoded, list) else [decoded]))
            waited = time.monotonic() - started
        finally:
            ws.close()
    assert seen[-1] == "close_session"
    assert waited < 5, f"the server took {waited:.1f} s to close the socket"


def idle_then_end():
    put_text("bye")
