"""The sync door and the app pub/sub for thread sessions."""
from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import pytest

from webio import state
from webio.state.errors import SubscriptionClosed
from webio.state.memory import MemoryBackend
from webio.state.sync import call_sync, get_state_loop, run_sync, set_state_loop


@pytest.fixture
def server_loop() -> Iterator[asyncio.AbstractEventLoop]:
    """An event loop running in its own thread, registered as the state loop."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="server-loop")
    thread.start()
    set_state_loop(loop)
    try:
        yield loop
    finally:
        set_state_loop(None)
        asyncio.run_coroutine_threadsafe(state.close_state(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def test_call_sync_runs_store_calls_on_the_loop(server_loop: asyncio.AbstractEventLoop) -> None:
    assert get_state_loop() is server_loop
    store = state.get_session_store()
    created = call_sync(store.create, "door-sid", token="tok")
    assert created.record.session_id == "door-sid"
    assert call_sync(store.validate, "door-sid", "tok") is True
    assert run_sync(store.get("door-sid")) == created.record
    assert call_sync(store.get("door-sid")) == created.record
    assert call_sync(threading.get_ident) != threading.get_ident()


def test_exceptions_cross_the_door(server_loop: asyncio.AbstractEventLoop) -> None:
    store = state.get_session_store()
    with pytest.raises(ValueError):
        call_sync(store.create, "bad id with spaces")


def test_door_on_the_loop_thread_raises_instead_of_deadlocking(
    server_loop: asyncio.AbstractEventLoop,
) -> None:
    store = state.get_session_store()

    async def on_loop() -> str:
        try:
            call_sync(store.get, "any")
        except RuntimeError as exc:
            return str(exc)
        return "no error"

    message = asyncio.run_coroutine_threadsafe(on_loop(), server_loop).result(10)
    assert "deadlock" in message


def test_door_without_a_loop_raises() -> None:
    async def never() -> None:
        await asyncio.sleep(0)

    with pytest.raises(RuntimeError, match="set_state_loop"):
        run_sync(never())
    loop = asyncio.new_event_loop()
    try:
        with pytest.raises(RuntimeError, match="not running"):
            run_sync(never(), loop)
    finally:
        loop.close()
    with pytest.raises(RuntimeError, match="closed"):
        run_sync(never(), loop)
    with pytest.raises(TypeError):
        run_sync(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        set_state_loop("loop")  # type: ignore[arg-type]


def test_door_timeout(server_loop: asyncio.AbstractEventLoop) -> None:
    with pytest.raises(TimeoutError):
        run_sync(asyncio.sleep(5), timeout=0.1)


def test_app_pubsub_from_threads(server_loop: asyncio.AbstractEventLoop) -> None:
    subscriptions = [state.subscribe_sync("chat") for _ in range(3)]
    received: list[list[object]] = [[] for _ in subscriptions]

    def read(index: int) -> None:
        for message in subscriptions[index]:
            received[index].append(message.data)

    readers = [threading.Thread(target=read, args=(i,)) for i in range(3)]
    for reader in readers:
        reader.start()
    for n in range(3):
        sent = state.publish_sync("chat", {"n": n})
        assert sent.source_worker == state.get_worker_id()
    deadline = time.monotonic() + 5
    while any(len(r) < 3 for r in received) and time.monotonic() < deadline:
        time.sleep(0.01)
    for sub in subscriptions:
        sub.close()
    for reader in readers:
        reader.join(5)
        assert not reader.is_alive()
    assert received == [[{"n": 0}, {"n": 1}, {"n": 2}]] * 3


def test_sync_subscription_get_and_close(server_loop: asyncio.AbstractEventLoop) -> None:
    bus = call_sync(lambda: MemoryBackend().event_bus)
    with state.subscribe_sync("solo", bus=bus) as sub:
        assert sub.channel == "app:solo"
        with pytest.raises(TimeoutError):
            sub.get(timeout=0.05)
        state.publish_sync("solo", 1, bus=bus)
        assert sub.get(timeout=5).data == 1
    with pytest.raises(SubscriptionClosed):
        sub.get(timeout=0.05)
    assert list(sub) == []
