"""A subscription to one event-bus channel, and the local fan-out every bus uses.

Every backend delivers to subscriptions of its own process through :class:`Fanout`:
the memory bus directly, the SQLite bus from its poller, the Redis bus from its
pub/sub reader. A :class:`Subscription` buffers the raw JSON of each message and
parses it for its reader, so two subscribers never share (and never mutate) one
object.
"""
from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import final

from webio.state.channels import check_channel
from webio.state.errors import SubscriptionClosed
from webio.state.outage import logger
from webio.state.records import EventMessage

MAX_PENDING = 10_000
"""Messages a subscription buffers for a slow reader before it drops the oldest."""


@final
class Subscription:
    """The messages published on one channel since :meth:`EventBus.subscribe` returned.

    Read it with ``async for message in subscription`` (ends when it is closed) or
    ``await subscription.get(timeout)``. Close it with ``await subscription.close()``
    or by using it as ``async with``. A subscription belongs to the event loop that
    created it; :meth:`deliver` is the one method that is safe from any thread.
    """

    def __init__(
        self,
        channel: str,
        on_close: Callable[[Subscription], Awaitable[None]],
        *,
        max_pending: int = MAX_PENDING,
    ) -> None:
        self.channel = check_channel(channel)
        self.dropped = 0
        self._on_close = on_close
        self._max_pending = max_pending
        self._items: deque[str] = deque()
        self._wakeup = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self._thread = threading.get_ident()
        self._closed = False

    @property
    def closed(self) -> bool:
        """True once :meth:`close` was called or the bus was closed."""
        return self._closed

    def deliver(self, raw: str) -> None:
        """Queue one message (its JSON text); thread-safe, never blocks."""
        if self._closed:
            return
        if threading.get_ident() == self._thread:
            self._append(raw)
            return
        try:
            self._loop.call_soon_threadsafe(self._append, raw)
        except RuntimeError:
            self._closed = True

    def _append(self, raw: str) -> None:
        if self._closed:
            return
        if len(self._items) >= self._max_pending:
            self._items.popleft()
            self.dropped += 1
            if self.dropped == 1:
                logger.warning(
                    "subscription to %s is not read fast enough; dropping its oldest messages",
                    self.channel,
                )
        self._items.append(raw)
        self._wakeup.set()

    async def get(self, timeout: float | None = None) -> EventMessage:
        """Return the next message, waiting at most ``timeout`` seconds.

        Raises ``TimeoutError`` when none came in time and :class:`SubscriptionClosed`
        once the subscription is closed.
        """
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while True:
            while self._items:
                raw = self._items.popleft()
                try:
                    return EventMessage.from_json(raw)
                except ValueError as exc:
                    logger.warning("dropping a malformed message on %s: %s", self.channel, exc)
            if self._closed:
                raise SubscriptionClosed(f"subscription to {self.channel!r} is closed")
            self._wakeup.clear()
            remaining = None if deadline is None else max(0.0, deadline - loop.time())
            try:
                await asyncio.wait_for(self._wakeup.wait(), remaining)
            except asyncio.TimeoutError:
                raise TimeoutError(
                    f"no message on {self.channel!r} within {timeout} s"
                ) from None

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> EventMessage:
        try:
            return await self.get()
        except SubscriptionClosed:
            raise StopAsyncIteration from None

    async def close(self) -> None:
        """Stop receiving; a reader waiting in :meth:`get` is woken and told. Idempotent."""
        if self._closed:
            return
        self.mark_closed()
        await self._on_close(self)

    def mark_closed(self) -> None:
        """Close without telling the bus (used by the bus itself when it closes)."""
        self._closed = True
        self._items.clear()
        if threading.get_ident() == self._thread:
            self._wakeup.set()
        else:
            try:
                self._loop.call_soon_threadsafe(self._wakeup.set)
            except RuntimeError:
                logger.debug("subscription to %s closed after its loop", self.channel)

    async def __aenter__(self) -> Subscription:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


class Fanout:
    """The subscriptions of one process, by channel. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_channel: dict[str, set[Subscription]] = {}

    def add(self, sub: Subscription) -> bool:
        """Add ``sub``; True if it is the first subscription to its channel."""
        with self._lock:
            subs = self._by_channel.setdefault(sub.channel, set())
            subs.add(sub)
            return len(subs) == 1

    def remove(self, sub: Subscription) -> bool:
        """Remove ``sub``; True if its channel has no subscription left."""
        with self._lock:
            subs = self._by_channel.get(sub.channel)
            if subs is None or sub not in subs:
                return False
            subs.discard(sub)
            if subs:
                return False
            del self._by_channel[sub.channel]
            return True

    def subscribers(self, channel: str) -> list[Subscription]:
        """Return the current subscriptions to ``channel``."""
        with self._lock:
            return list(self._by_channel.get(channel, ()))

    def deliver(self, channel: str, raw: str) -> int:
        """Hand ``raw`` to every subscription to ``channel``; return how many got it."""
        subs = self.subscribers(channel)
        for sub in subs:
            sub.deliver(raw)
        return len(subs)

    def clear(self) -> list[Subscription]:
        """Remove and return every subscription (when the bus closes)."""
        with self._lock:
            subs = [s for group in self._by_channel.values() for s in group]
            self._by_channel.clear()
            return subs
