"""Publish/subscribe for applications: channels shared by every worker.

A chat room that spans workers is a few lines::

    await webio.state.publish("room", {"from": name, "text": text})

    async with await webio.state.subscribe("room") as messages:
        async for message in messages:
            put_text(message.data["text"])

Channel names are put under ``app:`` (``"room"`` → ``app:room``), apart from the
channels webio uses itself. In a thread-based session use :func:`publish_sync` and
:func:`subscribe_sync`, which go through the sync door (:mod:`webio.state.sync`).
These functions stand on the event bus alone; they need no session.
"""
from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import Any, final

from webio.state.channels import app_channel
from webio.state.errors import SubscriptionClosed
from webio.state.factories import get_event_bus, get_worker_id
from webio.state.interfaces import EventBus
from webio.state.records import EventMessage
from webio.state.subscription import Subscription
from webio.state.sync import run_sync


async def publish(
    channel: str,
    data: Any = None,
    *,
    event_type: str = "app",
    bus: EventBus | None = None,
) -> EventMessage:
    """Send JSON-able ``data`` to every subscriber of app channel ``channel``; return it.

    ``bus`` defaults to this process's event bus.
    """
    message = EventMessage(type=event_type, data=data, source_worker=get_worker_id())
    await (bus if bus is not None else get_event_bus()).publish(app_channel(channel), message)
    return message


async def subscribe(channel: str, *, bus: EventBus | None = None) -> Subscription:
    """Start receiving app channel ``channel``; iterate the result for messages.

    Close it (``await sub.close()`` or ``async with``) when done.
    """
    return await (bus if bus is not None else get_event_bus()).subscribe(app_channel(channel))


def publish_sync(
    channel: str,
    data: Any = None,
    *,
    event_type: str = "app",
    bus: EventBus | None = None,
    timeout: float | None = None,
) -> EventMessage:
    """:func:`publish` for threads: runs on the registered loop and waits."""
    return run_sync(publish(channel, data, event_type=event_type, bus=bus), timeout=timeout)


@final
class SyncSubscription:
    """A subscription read from a thread: ``for message in sub`` blocks for each one.

    Iteration ends when the subscription is closed (from any thread).
    """

    def __init__(self, subscription: Subscription) -> None:
        self.subscription = subscription

    @property
    def channel(self) -> str:
        """The full channel name (``app:…``)."""
        return self.subscription.channel

    def get(self, timeout: float | None = None) -> EventMessage:
        """Wait for the next message; ``TimeoutError`` after ``timeout`` seconds."""
        return run_sync(self.subscription.get(timeout))

    def __iter__(self) -> Iterator[EventMessage]:
        return self

    def __next__(self) -> EventMessage:
        try:
            return self.get()
        except SubscriptionClosed:
            raise StopIteration from None

    def close(self) -> None:
        """Stop receiving; a thread blocked in :meth:`get` gets ``SubscriptionClosed``."""
        run_sync(self.subscription.close())

    def __enter__(self) -> SyncSubscription:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def subscribe_sync(channel: str, *, bus: EventBus | None = None) -> SyncSubscription:
    """:func:`subscribe` for threads: returns a blocking iterator of messages."""
    return SyncSubscription(run_sync(subscribe(channel, bus=bus)))
