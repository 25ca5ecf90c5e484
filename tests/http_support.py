"""Helpers of the HTTP and backend tests: server processes, and the first output of a stream."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

from webio.testing.http_wire import open_event_stream


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_script(script: Path, *args: str, timeout: float = 20) -> tuple[subprocess.Popen[str], int]:
    """Run ``python SCRIPT PORT ARGS…`` and wait until the port accepts connections."""
    port = free_port()
    process = subprocess.Popen([sys.executable, str(script), str(port), *args], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, port
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                output = process.stdout.read() if process.stdout else ""
                raise RuntimeError(f"{script.name} did not start serving: {output}") from None
            time.sleep(0.05)


def stop(process: subprocess.Popen[str]) -> None:
    """Kill ``process`` if it still runs."""
    if process.poll() is None:
        process.kill()
        process.wait(5)


async def first_output(port: int, path: str = "/") -> str:
    """Open a new session at ``path`` over SSE and return the content of its first output."""
    stream = await open_event_stream("127.0.0.1", port, f"{path}?app=index&session=NEW&transport=sse")
    try:
        async for event in stream.events():
            decoded = json.loads(event.data)
            for command in decoded if isinstance(decoded, list) else [decoded]:
                if command["command"] == "output":
                    return command["spec"]["content"]
    finally:
        stream.close()
    raise AssertionError("the stream ended without an output")
