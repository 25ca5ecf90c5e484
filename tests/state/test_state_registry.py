"""The callback registry: unguessable ids, one session each, sync callbacks off the loop."""
from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from webio.state.errors import ForeignCallbackError, UnknownCallbackError
from webio.state.registry import CallbackRegistry, is_async_callable

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def test_ids_are_unguessable_and_unique() -> None:
    registry = CallbackRegistry()
    ids = {registry.register("s1", print) for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) >= 22 for i in ids)
    assert registry.stats() == {"callbacks": 1000, "sessions": 1}


def test_invoke_runs_sync_callbacks_in_a_thread_with_context() -> None:
    registry = CallbackRegistry()
    seen: dict[str, Any] = {}

    def on_click(value: int, *, twice: bool = False) -> int:
        seen["thread"] = threading.get_ident()
        seen["request"] = request_id.get()
        return value * (2 if twice else 1)

    async def scenario() -> None:
        cid = registry.register("s1", on_click)
        request_id.set("r-42")
        assert await registry.invoke(cid, 21, twice=True, session_id="s1") == 42
        assert seen["thread"] != threading.get_ident()
        assert seen["request"] == "r-42"

    asyncio.run(scenario())


def test_invoke_runs_sync_callbacks_on_a_given_executor() -> None:
    with ThreadPoolExecutor(1, thread_name_prefix="cb") as pool:
        registry = CallbackRegistry(executor=pool)

        async def scenario() -> str:
            cid = registry.register("s1", lambda: threading.current_thread().name)
            result: str = await registry.invoke(cid, session_id="s1")
            return result

        assert asyncio.run(scenario()).startswith("cb")


def test_invoke_awaits_async_callbacks_on_the_loop() -> None:
    registry = CallbackRegistry()

    async def handler(x: int) -> tuple[int, int]:
        await asyncio.sleep(0)
        return x + 1, threading.get_ident()

    async def scenario() -> None:
        cid = registry.register("s1", handler)
        pid = registry.register("s1", functools.partial(handler, 5))
        assert await registry.invoke(cid, 1, session_id="s1") == (2, threading.get_ident())
        assert (await registry.invoke(pid, session_id="s1"))[0] == 6

    asyncio.run(scenario())


def test_foreign_session_is_refused_before_anything_runs() -> None:
    registry = CallbackRegistry()
    calls: list[str] = []
    cid = registry.register("victim", lambda: calls.append("ran"))

    async def scenario() -> None:
        with pytest.raises(ForeignCallbackError, match="attacker"):
            await registry.invoke(cid, session_id="attacker")
        with pytest.raises(UnknownCallbackError):
            await registry.invoke("x" * 22, session_id="victim")
        with pytest.raises(UnknownCallbackError):
            await registry.invoke(None, session_id="victim")  # type: ignore[arg-type]

    asyncio.run(scenario())
    assert calls == []
    with pytest.raises(ForeignCallbackError):
        registry.get(cid, session_id="attacker")
    assert registry.get(cid, session_id="victim") is not None
    assert registry.has(cid) and registry.has(cid, session_id="victim")
    assert not registry.has(cid, session_id="attacker")
    assert registry.session_of(cid) == "victim"


def test_chosen_ids() -> None:
    registry = CallbackRegistry()
    chosen = "chosen-id-0123456789"
    assert registry.register("s1", print, callback_id=chosen) == chosen
    assert registry.register("s1", repr, callback_id=chosen) == chosen
    assert registry.get(chosen) is repr
    with pytest.raises(ForeignCallbackError):
        registry.register("s2", print, callback_id=chosen)
    with pytest.raises(ValueError, match="at least 16"):
        registry.register("s1", print, callback_id="short")
    with pytest.raises(TypeError, match="callable"):
        registry.register("s1", "not callable")  # type: ignore[arg-type]
    assert registry.stats() == {"callbacks": 1, "sessions": 1}


def test_unregister_and_unregister_session() -> None:
    registry = CallbackRegistry()
    a = registry.register("s1", print)
    b = registry.register("s1", print)
    c = registry.register("s2", print)
    assert registry.session_callbacks("s1") == sorted([a, b])
    assert registry.unregister(a) is True
    assert registry.unregister(a) is False
    assert registry.unregister_session("s1") == 1
    assert registry.unregister_session("s1") == 0
    assert not registry.has(b)
    assert registry.has(c)
    assert registry.stats() == {"callbacks": 1, "sessions": 1}
    with pytest.raises(UnknownCallbackError):
        registry.get(b)


def test_registry_is_thread_safe() -> None:
    registry = CallbackRegistry()
    start = threading.Barrier(8)

    def work(n: int) -> None:
        start.wait()
        session = f"s{n % 4}"
        ids = [registry.register(session, print) for _ in range(300)]
        for cid in ids[::2]:
            assert registry.unregister(cid)
        for cid in ids[1::2]:
            assert registry.get(cid, session_id=session) is print

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert registry.stats() == {"callbacks": 8 * 150, "sessions": 4}
    assert sum(registry.unregister_session(f"s{n}") for n in range(4)) == 1200
    assert registry.stats() == {"callbacks": 0, "sessions": 0}


def test_is_async_callable() -> None:
    async def coro() -> None:
        await asyncio.sleep(0)

    class AsyncCallable:
        async def __call__(self) -> None:
            await asyncio.sleep(0)

    assert is_async_callable(coro)
    assert is_async_callable(functools.partial(functools.partial(coro)))
    assert is_async_callable(AsyncCallable())
    assert not is_async_callable(print)
    assert not is_async_callable(lambda: None)
