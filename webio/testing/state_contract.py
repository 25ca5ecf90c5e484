"""The contract every webio state backend must meet, as a reusable pytest suite.

Subclass :class:`StateBackendContract` in a test module (the subclass name must start
with ``Test``) and provide a fixture ``state_backend_factory``::

    import dataclasses
    import pytest
    from webio.testing.state_contract import StateBackendContract

    class TestMyBackend(StateBackendContract):
        @pytest.fixture
        def state_backend_factory(self, tmp_path):
            def make(settings):
                return MyBackend(dataclasses.replace(settings, my_path=tmp_path / "db"))
            return make

The factory receives the :class:`~webio.state.StateSettings` the suite wants (a worker
id, TTLs, role permissions) and returns a *new* :class:`~webio.state.StateBackend`
that shares its storage with every other backend the same factory returned: two of
them stand for two worker processes. It is called inside the running event loop, and
the suite closes every backend it made.

Each test runs its scenario with ``asyncio.run`` (no pytest plugin needed) under a
time limit, and waits for expiry and delivery on conditions with a deadline, never
on long fixed sleeps.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from webio.state import pubsub
from webio.state.errors import SessionExistsError, SubscriptionClosed
from webio.state.interfaces import StateBackend
from webio.state.records import EventMessage, hash_token
from webio.state.settings import StateSettings

BackendFactory = Callable[[StateSettings], StateBackend]
Scenario = Callable[..., Awaitable[None]]

ROLE_PERMISSIONS = {
    "admin": {"*"},
    "editor": {"edit", "view"},
    "viewer": {"view"},
}
SHORT_TTL = 0.3
"""For entries a scenario only waits to see expire."""
BRIEF_TTL = 1.0
"""For entries that must still be there at the next call and expire soon after: a
loaded machine can take longer than SHORT_TTL between two calls."""
DEADLINE = 5.0
SCENARIO_TIMEOUT = 30.0


def contract_settings(worker: int) -> StateSettings:
    """The settings the suite hands to the factory for its ``worker``-th backend."""
    return StateSettings(
        worker_id=f"contract-worker-{worker}",
        session_ttl=60.0,
        connection_ttl=60.0,
        sqlite_poll_interval=0.02,
        role_permissions=ROLE_PERMISSIONS,
    )


def run_scenario(factory: BackendFactory, scenario: Scenario, *, workers: int = 1) -> None:
    """Build ``workers`` backends in a fresh loop, run ``scenario(*backends)``, close them."""

    async def main() -> None:
        backends: list[StateBackend] = []
        try:
            for worker in range(workers):
                backends.append(factory(contract_settings(worker)))
            await asyncio.wait_for(scenario(*backends), SCENARIO_TIMEOUT)
        finally:
            for backend in backends:
                await backend.close()

    asyncio.run(main())


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = DEADLINE) -> None:
    """Wait until ``await check()`` is true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout} s")
        await asyncio.sleep(0.02)


class StateBackendContract:
    """The conformance tests; needs a ``state_backend_factory`` fixture (see module doc)."""

    # -- session store ------------------------------------------------------------

    def test_session_create_and_get(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(backend: StateBackend) -> None:
            store = backend.session_store
            created = await store.create(
                app="demo", owner_worker="w1", user_id="alice", roles=["viewer"],
                metadata={"lang": "fr", "n": [1, 2]},
            )
            record = await store.get(created.record.session_id)
            assert record == created.record
            assert record.app == "demo" and record.owner_worker == "w1"
            assert record.user_id == "alice" and record.roles == ("viewer",)
            assert record.metadata == {"lang": "fr", "n": [1, 2]}
            assert record.created <= record.last_seen < record.expires
            assert len(record.session_id) >= 22
            assert await store.get("no-such-session") is None

        run_scenario(state_backend_factory, scenario)

    def test_session_token_is_hashed_and_validated(
        self, state_backend_factory: BackendFactory
    ) -> None:
        async def scenario(backend: StateBackend) -> None:
            store = backend.session_store
            created = await store.create("sid-token", token="secret-token-value")
            assert created.token == "secret-token-value"
            record = await store.get("sid-token")
            assert record is not None
            assert record.token_hash == hash_token("secret-token-value")
            assert "secret-token-value" not in repr(record)
            assert await store.validate("sid-token", "secret-token-value")
            assert not await store.validate("sid-token", "wrong")
            assert not await store.validate("sid-token", "")
            assert not await store.validate("unknown-sid", "secret-token-value")
            generated = await store.create()
            assert len(generated.token) >= 22 and generated.token != generated.record.session_id
            assert await store.validate(generated.record.session_id, generated.token)

        run_scenario(state_backend_factory, scenario)

    def test_session_duplicate_id_refused(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(backend: StateBackend) -> None:
            store = backend.session_store
            await store.create("dup-sid", app="first")
            with pytest.raises(SessionExistsError):
                await store.create("dup-sid", app="second")
            record = await store.get("dup-sid")
            assert record is not None and record.app == "first"

        run_scenario(state_backend_factory, scenario)

    def test_session_expires(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(backend: StateBackend) -> None:
            store = backend.session_store
            created = await store.create("short-sid", token="tok", user_id="bob", ttl=BRIEF_TTL)
            assert await store.get("short-sid") is not None

            async def gone() -> bool:
                return await store.get("short-sid") is None

            await eventually(gone)
            assert not await store.validate("short-sid", created.token)
            assert await store.refresh("short-sid") is None
            assert await store.list_by_user("bob") == []
            again = await store.create("short-sid", app="reborn")
            assert again.record.app == "reborn"

        run_scenario(state_backend_factory, scenario)

    def test_session_refresh_extends_life(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(backend: StateBackend) -> None:
            store = backend.session_store
            created = await store.create("refresh-sid", ttl=BRIEF_TTL)
            refreshed = await store.refresh("refresh-sid", ttl=30)
            assert refreshed is not None
            assert refreshed.last_seen >= created.record.last_seen
            assert refreshed.expires > created.record.expires + 20
            await asyncio.sleep(BRIEF_TTL * 1.5)
            record = await store.get("refresh-sid")
            assert record is not None and record.expires == pytest.approx(refreshed.expires)
            assert await store.refresh("never-created") is None
            assert await store.get("never-created") is None

        run_scenario(state_backend_factory, scenario)

    def test_session_update(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(backend: StateBackend) -> None:
            store = backend.session_store
            created = await store.create("upd-sid", owner_worker="w1", user_id="carol")
            updated = await store.update(
                "upd-sid", owner_worker="w2", user_id="dave", roles=["editor"],
                metadata={"k": "v"},
            )
            assert updated is not None
            assert (updated.owner_worker, updated.user_id, updated.roles) == (
                "w2", "dave", ("editor",)
            )
            assert updated.expires == pytest.approx(created.record.expires)
            assert await store.get("upd-sid") == updated
            assert await store.list_by_user("carol") == []
            assert [r.session_id for r in await store.list_by_user("dave")] == ["upd-sid"]
            assert await store.update("missing-sid", app="x") is None
            with pytest.raises(TypeError):
                await store.update("upd-sid", token_hash="forged")

        run_scenario(state_backend_factory, scenario)

    def test_session_delete(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(backend: StateBackend) -> None:
            store = backend.session_store
            await store.create("del-sid", user_id="erin")
            assert await store.delete("del-sid") is True
            assert await store.get("del-sid") is None
            assert await store.delete("del-sid") is False
            assert await store.list_by_user("erin") == []

        run_scenario(state_backend_factory, scenario)

    def test_session_list_by_user(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(backend: StateBackend) -> None:
            store = backend.session_store
            for sid in ("u-1", "u-2", "u-3"):
                await store.create(sid, user_id="frank")
            await store.create("other-1", user_id="grace")
            await store.create("anon-1")
            found = await store.list_by_user("frank")
            assert sorted(r.session_id for r in found) == ["u-1", "u-2", "u-3"]
            assert [r.created for r in found] == sorted(r.created for r in found)
            assert [r.session_id for r in await store.list_by_user("grace")] == ["other-1"]
            assert await store.list_by_user("nobody") == []

        run_scenario(state_backend_factory, scenario)

    def test_session_check_permission(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(backend: StateBackend) -> None:
            store = backend.session_store
            await store.create("perm-viewer", roles=["viewer"])
            await store.create("perm-multi", roles=["viewer", "editor"])
            await store.create("perm-admin", roles=["admin"])
            await store.create("perm-none")
            assert await store.check_permission("perm-viewer", "view")
            assert not await store.check_permission("perm-viewer", "edit")
            assert await store.check_permission("perm-multi", "edit")
            assert await store.check_permission("perm-admin", "anything-at-all")
            assert not await store.check_permission("perm-none", "view")
            assert not await store.check_permission("perm-unknown", "view")

        run_scenario(state_backend_factory, scenario)

    def test_session_rejects_bad_input(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(backend: StateBackend) -> None:
            store = backend.session_store
            with pytest.raises(TypeError, match="JSON"):
                await store.create("bad-meta", metadata={"f": object()})
            with pytest.raises(ValueError):
                await store.create("bad-ttl", ttl=-1)
            with pytest.raises(ValueError):
                await store.create("has space")
            with pytest.raises(TypeError):
                await store.get(123)  # type: ignore[arg-type]
            assert await store.get("bad-meta") is None

        run_scenario(state_backend_factory, scenario)

    def test_session_concurrent_writers(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(first: StateBackend, second: StateBackend) -> None:
            async def write(store_owner: StateBackend, index: int) -> None:
                store = store_owner.session_store
                sid = f"conc-{index}"
                await store.create(sid, user_id="crowd", metadata={"i": index})
                await store.refresh(sid)
                await store.update(sid, metadata={"i": index, "done": True})

            await asyncio.gather(
                *(write(first if i % 2 else second, i) for i in range(40))
            )
            found = await first.session_store.list_by_user("crowd")
            assert len(found) == 40
            assert all(r.metadata == {"i": int(r.session_id[5:]), "done": True} for r in found)

            async def create_same() -> bool:
                try:
                    await second.session_store.create("race-sid")
                except SessionExistsError:
                    return False
                return True

            wins = await asyncio.gather(*(create_same() for _ in range(10)))
            assert sum(wins) == 1

        run_scenario(state_backend_factory, scenario, workers=2)

    def test_session_shared_between_workers(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(first: StateBackend, second: StateBackend) -> None:
            created = await first.session_store.create("shared-sid", token="t0k", app="demo")
            record = await second.session_store.get("shared-sid")
            assert record == created.record
            assert await second.session_store.validate("shared-sid", "t0k")
            await second.session_store.delete("shared-sid")
            assert await first.session_store.get("shared-sid") is None

        run_scenario(state_backend_factory, scenario, workers=2)

    # -- connection router --------------------------------------------------------

    def test_router_register_and_lookup(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(backend: StateBackend) -> None:
            router = backend.connection_router
            entry = await router.register("r-1", info={"transport": "ws"})
            assert entry.worker_id == router.worker_id == "contract-worker-0"
            info = await router.get_info("r-1")
            assert info == entry and info.info == {"transport": "ws"}
            assert await router.get_owner("r-1") == "contract-worker-0"
            assert await router.get_owner("r-unknown") is None
            assert await router.get_info("r-unknown") is None
            other = await router.register("r-2", "elsewhere")
            assert other.worker_id == "elsewhere"
            assert await router.get_owner("r-2") == "elsewhere"

        run_scenario(state_backend_factory, scenario)

    def test_router_entry_expires(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(first: StateBackend, second: StateBackend) -> None:
            await first.connection_router.register("dead-1", ttl=SHORT_TTL)
            router = second.connection_router

            async def gone() -> bool:
                return await router.get_owner("dead-1") is None

            await eventually(gone)
            assert await router.list_worker_sessions("contract-worker-0") == []
            assert await router.refresh("dead-1") is False

        run_scenario(state_backend_factory, scenario, workers=2)

    def test_router_refresh_keeps_entry(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(backend: StateBackend) -> None:
            router = backend.connection_router
            first = await router.register("beat-1", ttl=BRIEF_TTL)
            assert await router.refresh("beat-1", ttl=30) is True
            await asyncio.sleep(BRIEF_TTL * 1.5)
            info = await router.get_info("beat-1")
            assert info is not None and info.last_heartbeat >= first.last_heartbeat
            assert info.expires > first.expires + 20
            assert info.registered == pytest.approx(first.registered)

        run_scenario(state_backend_factory, scenario)

    def test_router_unregister_respects_owner(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(first: StateBackend, second: StateBackend) -> None:
            await first.connection_router.register("own-1")
            assert await second.connection_router.unregister("own-1", "contract-worker-1") is False
            assert await second.connection_router.get_owner("own-1") == "contract-worker-0"
            assert await first.connection_router.unregister("own-1", "contract-worker-0") is True
            assert await second.connection_router.get_owner("own-1") is None
            assert await first.connection_router.unregister("own-1") is False
            await first.connection_router.register("own-2")
            assert await second.connection_router.unregister("own-2") is True
            assert await first.connection_router.get_owner("own-2") is None

        run_scenario(state_backend_factory, scenario, workers=2)

    def test_router_list_worker_sessions(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(first: StateBackend, second: StateBackend) -> None:
            for sid in ("l-3", "l-1", "l-2"):
                await first.connection_router.register(sid)
            await second.connection_router.register("l-9")
            assert await first.connection_router.list_worker_sessions() == ["l-1", "l-2", "l-3"]
            assert await first.connection_router.list_worker_sessions("contract-worker-1") == [
                "l-9"
            ]
            await first.connection_router.unregister("l-2")
            assert await second.connection_router.list_worker_sessions("contract-worker-0") == [
                "l-1", "l-3"
            ]
            assert await second.connection_router.list_worker_sessions("nobody") == []

        run_scenario(state_backend_factory, scenario, workers=2)

    def test_router_takeover(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(first: StateBackend, second: StateBackend) -> None:
            await first.connection_router.register("move-1")
            await second.connection_router.register("move-1")
            assert await first.connection_router.get_owner("move-1") == "contract-worker-1"
            assert await first.connection_router.heartbeat() == 0
            assert await first.connection_router.refresh("move-1") is True
            assert await first.connection_router.get_owner("move-1") == "contract-worker-1"
            assert await first.connection_router.list_worker_sessions() == []
            assert await second.connection_router.list_worker_sessions() == ["move-1"]

        run_scenario(state_backend_factory, scenario, workers=2)

    def test_router_heartbeat_restores_lost_entries(
        self, state_backend_factory: BackendFactory
    ) -> None:
        async def scenario(first: StateBackend, second: StateBackend) -> None:
            router = first.connection_router
            await router.register("hb-1", info={"n": 1})
            await router.register("hb-2")
            assert await second.connection_router.unregister("hb-1") is True
            assert await second.connection_router.get_owner("hb-1") is None
            assert await router.heartbeat() == 2
            restored = await second.connection_router.get_info("hb-1")
            assert restored is not None and restored.worker_id == "contract-worker-0"
            assert restored.info == {"n": 1}
            await router.unregister("hb-1")
            await router.unregister("hb-2")
            assert await router.heartbeat() == 0
            assert await second.connection_router.get_owner("hb-1") is None

        run_scenario(state_backend_factory, scenario, workers=2)

    # -- event bus ----------------------------------------------------------------

    def test_bus_roundtrip(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(backend: StateBackend) -> None:
            bus = backend.event_bus
            async with await bus.subscribe("session:abc") as sub:
                sent = EventMessage(
                    type="relay", data={"event": "callback", "n": [1, "2", None]},
                    session_id="abc", source_worker="w1", target_worker="w2",
                )
                await bus.publish("session:abc", sent)
                received = await sub.get(timeout=DEADLINE)
                assert received == sent
                assert received is not sent

        run_scenario(state_backend_factory, scenario)

    def test_bus_fanout_to_several_subscribers(
        self, state_backend_factory: BackendFactory
    ) -> None:
        async def scenario(first: StateBackend, second: StateBackend) -> None:
            subs = [
                await first.event_bus.subscribe("app:room"),
                await first.event_bus.subscribe("app:room"),
                await second.event_bus.subscribe("app:room"),
            ]
            for i in range(5):
                await second.event_bus.publish("app:room", EventMessage(type="chat", data=i))
            for sub in subs:
                got = [(await sub.get(timeout=DEADLINE)).data for _ in range(5)]
                assert got == [0, 1, 2, 3, 4]
            for sub in subs:
                await sub.close()

        run_scenario(state_backend_factory, scenario, workers=2)

    def test_bus_channels_are_separate(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(first: StateBackend, second: StateBackend) -> None:
            a = await first.event_bus.subscribe("worker:a")
            b = await first.event_bus.subscribe("worker:b")
            await second.event_bus.publish("worker:b", EventMessage(type="for-b"))
            await second.event_bus.publish("worker:a", EventMessage(type="for-a"))
            assert (await a.get(timeout=DEADLINE)).type == "for-a"
            assert (await b.get(timeout=DEADLINE)).type == "for-b"
            with pytest.raises(TimeoutError):
                await a.get(timeout=0.2)
            await a.close()
            await b.close()

        run_scenario(state_backend_factory, scenario, workers=2)

    def test_bus_only_messages_after_subscribe(
        self, state_backend_factory: BackendFactory
    ) -> None:
        async def scenario(backend: StateBackend) -> None:
            bus = backend.event_bus
            await bus.publish("app:late", EventMessage(type="before"))
            async with await bus.subscribe("app:late") as sub:
                await bus.publish("app:late", EventMessage(type="after"))
                assert (await sub.get(timeout=DEADLINE)).type == "after"

        run_scenario(state_backend_factory, scenario)

    def test_bus_unsubscribe_ends_iteration(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(backend: StateBackend) -> None:
            bus = backend.event_bus
            sub = await bus.subscribe("app:bye")
            kept = await bus.subscribe("app:bye")
            received: list[Any] = []

            async def read() -> None:
                async for message in sub:
                    received.append(message.data)

            reader = asyncio.ensure_future(read())
            await bus.publish("app:bye", EventMessage(type="m", data=1))

            async def got_one() -> bool:
                return received == [1]

            await eventually(got_one)
            await bus.unsubscribe(sub)
            await asyncio.wait_for(reader, DEADLINE)
            assert sub.closed
            with pytest.raises(SubscriptionClosed):
                await sub.get(timeout=0.1)
            await bus.publish("app:bye", EventMessage(type="m", data=2))
            assert (await kept.get(timeout=DEADLINE)).data == 1
            assert (await kept.get(timeout=DEADLINE)).data == 2
            assert received == [1]
            await kept.close()

        run_scenario(state_backend_factory, scenario)

    def test_bus_rejects_bad_messages(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(backend: StateBackend) -> None:
            with pytest.raises(TypeError):
                await backend.event_bus.publish("app:x", EventMessage(type="t", data={1, 2}))
            with pytest.raises(ValueError):
                await backend.event_bus.publish("bad channel", EventMessage(type="t"))

        run_scenario(state_backend_factory, scenario)

    def test_bus_close_ends_subscriptions(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(backend: StateBackend) -> None:
            sub = await backend.event_bus.subscribe("app:closing")
            await backend.close()
            assert sub.closed
            with pytest.raises(SubscriptionClosed):
                await sub.get(timeout=1)
            await backend.close()

        run_scenario(state_backend_factory, scenario)

    def test_app_pubsub(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(first: StateBackend, second: StateBackend) -> None:
            sub = await pubsub.subscribe("lobby", bus=first.event_bus)
            assert sub.channel == "app:lobby"
            sent = await pubsub.publish("lobby", {"text": "hi"}, bus=second.event_bus)
            received = await sub.get(timeout=DEADLINE)
            assert received.data == {"text": "hi"} and received.message_id == sent.message_id
            assert received.type == "app"
            await sub.close()

        run_scenario(state_backend_factory, scenario, workers=2)

    # -- page store -----------------------------------------------------------------

    def test_page_save_load_delete(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(first: StateBackend, second: StateBackend) -> None:
            snapshot = {"scopes": {"ROOT": [{"type": "text", "content": "héllo"}]}, "seq": 7}
            await first.page_store.save("page-1", snapshot)
            loaded = await second.page_store.load("page-1")
            assert loaded == snapshot
            loaded["seq"] = 8
            assert await second.page_store.load("page-1") == snapshot
            await first.page_store.save("page-1", {"seq": 9})
            assert await second.page_store.load("page-1") == {"seq": 9}
            assert await second.page_store.delete("page-1") is True
            assert await first.page_store.load("page-1") is None
            assert await first.page_store.delete("page-1") is False
            with pytest.raises(TypeError):
                await first.page_store.save("page-2", {"bad": object()})
            with pytest.raises(TypeError):
                await first.page_store.save("page-2", ["not", "a", "dict"])  # type: ignore[arg-type]

        run_scenario(state_backend_factory, scenario, workers=2)

    def test_page_expires(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(backend: StateBackend) -> None:
            pages = backend.page_store
            await pages.save("page-short", {"a": 1}, ttl=BRIEF_TTL)
            assert await pages.load("page-short") == {"a": 1}

            async def gone() -> bool:
                return await pages.load("page-short") is None

            await eventually(gone)

        run_scenario(state_backend_factory, scenario)

    # -- the backend as a whole -----------------------------------------------------

    def test_backend_ping_and_close(self, state_backend_factory: BackendFactory) -> None:
        async def scenario(backend: StateBackend) -> None:
            await backend.ping()
            assert isinstance(backend.name, str) and isinstance(backend.shared, bool)
            await backend.close()
            await backend.close()

        run_scenario(state_backend_factory, scenario)
