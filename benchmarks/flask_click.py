"""Click → output latency of webio on Flask over HTTP (SSE push), measured on the wire.

    python benchmarks/flask_click.py [--clicks 500] [--mode thread|coroutine]

Starts ``webio.platform.flask.start_server`` in a subprocess (Werkzeug's threaded
server) with an app whose button prints a line, then acts as the browser would at
the protocol level: one Server-Sent Events stream for commands, one POST per click.
A click's latency runs from sending its POST to receiving, on the stream, the
output the click caused. Prints a table; the target is a median of at most 5 ms on
loopback (PyWebIO's Flask backend polls: ~100 ms).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webio.testing.http_wire import EventStreamReader, open_event_stream, request  # noqa: E402

TARGET_MEDIAN_MS = 5.0
WARMUP_CLICKS = 20
ACK_EVERY = 50


def serve(port: int, mode: str) -> None:
    """The server process: one button that prints the click count."""
    from webio.output import put_buttons, put_text
    from webio.platform.flask import start_server

    def main() -> None:
        clicks = []

        def clicked(_value: str) -> None:
            clicks.append(1)
            put_text(f"clicked {len(clicks)}")

        put_buttons(["Go"], onclick=clicked)

    async def async_main() -> None:
        clicks = []

        async def clicked(_value: str) -> None:
            clicks.append(1)
            put_text(f"clicked {len(clicks)}")

        put_buttons(["Go"], onclick=clicked)

    start_server(main if mode == "thread" else async_main, port=port, host="127.0.0.1")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _wait_listening(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise RuntimeError(f"the Flask server did not listen on port {port}")


class Visitor:
    """The protocol-level browser: learns the session, clicks, waits for the output."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.session = ""
        self.token = ""
        self.callback_id = ""
        self.last_seq = 0
        self.stream: EventStreamReader | None = None
        self.events = None

    async def open(self) -> None:
        self.stream = await open_event_stream("127.0.0.1", self.port, "/?app=index&session=NEW&transport=sse")
        self.events = self.stream.events().__aiter__()
        while not (self.session and self.callback_id):
            for command in await self._next_commands():
                if command["command"] == "set_session_id":
                    self.session = command["spec"]
                elif command["command"] == "set_reconnect_token":
                    self.token = command["spec"]["token"]
                elif command["command"] == "output" and command["spec"].get("type") == "buttons":
                    self.callback_id = command["spec"]["callback_id"]

    async def _next_commands(self) -> list[dict]:
        assert self.events is not None
        event = await self.events.__anext__()
        decoded = json.loads(event.data)
        commands = decoded if isinstance(decoded, list) else [decoded]
        for command in commands:
            self.last_seq = max(self.last_seq, command.get("seq") or 0)
        return commands

    async def _post(self, events: list[dict]) -> None:
        target = "/?" + urlencode({"session": self.session, "token": self.token})
        answer = await request("127.0.0.1", self.port, "POST", target, {"Content-Type": "application/json"},
                               json.dumps(events).encode())
        if answer.status != 204:
            raise RuntimeError(f"a click was answered {answer.status}: {answer.body[:200]!r}")

    async def click(self, number: int) -> float:
        """Click once; the seconds until the output ``clicked NUMBER`` arrived."""
        expected = f"clicked {number}"
        started = time.perf_counter()
        posting = asyncio.ensure_future(self._post([{"event": "callback", "task_id": self.callback_id,
                                                     "data": "Go"}]))
        while True:
            commands = await self._next_commands()
            if any(c["command"] == "output" and c["spec"].get("content") == expected for c in commands):
                elapsed = time.perf_counter() - started
                break
        await posting
        return elapsed

    async def ack(self) -> None:
        await self._post([{"event": "ack", "task_id": None, "data": {"seq": self.last_seq}}])

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


async def measure(port: int, clicks: int) -> list[float]:
    visitor = Visitor(port)
    await visitor.open()
    try:
        samples = []
        for number in range(1, WARMUP_CLICKS + clicks + 1):
            elapsed = await visitor.click(number)
            if number > WARMUP_CLICKS:
                samples.append(elapsed)
            if number % ACK_EVERY == 0:
                await visitor.ack()
        return samples
    finally:
        visitor.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clicks", type=int, default=500)
    parser.add_argument("--mode", choices=["thread", "coroutine"], default="thread")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve, args.mode)
        return
    port = _free_port()
    env = {**os.environ, "WEBIO_NO_BROWSER": "1", "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--mode", args.mode], env=env,
                              stdout=subprocess.DEVNULL)
    try:
        asyncio.run(_wait_listening(port))
        samples = asyncio.run(measure(port, args.clicks))
    finally:
        server.terminate()
        server.wait(10)
    ms = [s * 1000 for s in samples]
    p50, p99 = _percentile(ms, 0.5), _percentile(ms, 0.99)
    verdict = "met" if p50 <= TARGET_MEDIAN_MS else "MISSED"
    print(f"Flask over HTTP (SSE push, POST events), {args.mode} session, {len(ms)} clicks, loopback")
    print(f"{'metric':<28}{'value':>10}")
    print(f"{'click -> output p50 (ms)':<28}{p50:>10.2f}")
    print(f"{'click -> output p99 (ms)':<28}{p99:>10.2f}")
    print(f"{'click -> output max (ms)':<28}{max(ms):>10.2f}")
    print(f"{'target p50 <= 5 ms':<28}{verdict:>10}")


if __name__ == "__main__":
    main()
