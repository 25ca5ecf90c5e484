"""The channel a coroutine session's flow reads the events of one task id from.

``asyncio.Queue`` would do, but it costs about 2.8 KiB (three deques and an Event),
and every coroutine session waiting in ``input()`` holds one; this keeps only what
one reader needs.
"""
from __future__ import annotations

import asyncio
from typing import Any

__all__ = ["EventChannel"]


class EventChannel:
    """Events in arrival order for a single reader on the event loop.

    ``put_nowait`` never blocks and never loses an event: an event is queued first and
    the reader woken after, so a reader cancelled right after being woken (a timeout)
    leaves the event for the next ``get``.
    """

    __slots__ = ("_items", "_waiter")

    def __init__(self) -> None:
        self._items: list[Any] = []
        self._waiter: asyncio.Future[None] | None = None

    def put_nowait(self, item: Any) -> None:
        """Queue ``item`` and wake the reader (on the loop thread)."""
        self._items.append(item)
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def get(self) -> Any:
        """The oldest event, waiting for one if there is none."""
        while not self._items:
            waiter = asyncio.get_running_loop().create_future()
            self._waiter = waiter
            try:
                await waiter
            finally:
                if self._waiter is waiter:
                    self._waiter = None
        return self._items.pop(0)
