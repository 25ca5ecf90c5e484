"""A visitor who vanishes mid-burst: ``python -m benchmarks.vanish PORT FRAMEWORK COUNT SECONDS``.

Opens ``?app=burst``, prints ``connected``, reads (and for webio acknowledges)
until COUNT texts arrived, then stops reading its socket without closing it and
prints ``vanished N``. It keeps the socket open until killed, or SECONDS at most.
"""
from __future__ import annotations

import asyncio
import sys

from benchmarks.page import Command, PageClient, is_text


async def vanish(port: int, framework: str, count: int, seconds: float) -> None:
    """Read ``count`` texts of the burst, then stop reading and wait."""
    received = 0
    reached = asyncio.Event()
    page: PageClient | None = None

    def on_commands(commands: list[Command], _arrived: float) -> None:
        nonlocal received
        received += sum(1 for command in commands if is_text(command))
        if received >= count and not reached.is_set():
            reached.set()
            if page is not None:
                page.socket.stop_reading()

    page = await PageClient.open(port, framework, app="burst", timeout=10.0, on_commands=on_commands)
    print("connected", flush=True)
    await asyncio.wait_for(reached.wait(), seconds)
    page.socket.stop_reading()
    print(f"vanished {received}", flush=True)
    await asyncio.sleep(seconds)


if __name__ == "__main__":
    asyncio.run(vanish(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])))
