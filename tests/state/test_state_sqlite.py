"""The SQLite backend on real files: several processes, restarts, damaged files."""
from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
import textwrap
import time
from pathlib import Path

import pytest

from webio.state.errors import StateBackendError
from webio.state.records import EventMessage
from webio.state.settings import StateSettings
from webio.state.sqlite import SQLiteBackend

REPO = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import asyncio
    import sys

    from webio.state.records import EventMessage
    from webio.state.settings import StateSettings
    from webio.state.sqlite import SQLiteBackend


    async def main(path: str, worker: str, count: int) -> None:
        settings = StateSettings(backend="sqlite", sqlite_path=path, worker_id=worker)
        backend = SQLiteBackend(settings)
        try:
            for i in range(count):
                sid = f"{worker}-{i}"
                await backend.session_store.create(
                    sid, token="tok-" + sid, user_id="shared-user", owner_worker=worker
                )
                await backend.connection_router.register(sid, info={"i": i})
                await backend.page_store.save(sid, {"by": worker, "i": i})
                await backend.event_bus.publish(
                    "app:events",
                    EventMessage(type="created", data=i, session_id=sid, source_worker=worker),
                )
        finally:
            await backend.close()


    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
    """
)


def settings_for(path: Path, **kwargs: object) -> StateSettings:
    return StateSettings(
        backend="sqlite", sqlite_path=str(path), worker_id="parent", sqlite_poll_interval=0.02,
        **kwargs,  # type: ignore[arg-type]
    )


async def run_children(script: Path, path: Path, workers: list[str], count: int) -> None:
    """Start one child process per worker name, all at once, and wait for them."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable, str(script), str(path), worker, str(count),
            env=env, stderr=asyncio.subprocess.PIPE,
        )
        for worker in workers
    ]
    for proc in procs:
        _, err = await asyncio.wait_for(proc.communicate(), 60)
        assert proc.returncode == 0, err.decode()


@pytest.fixture
def child_script(tmp_path: Path) -> Path:
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    return script


def test_two_processes_share_one_file(tmp_path: Path, child_script: Path) -> None:
    path = tmp_path / "shared.db"

    async def scenario() -> None:
        backend = SQLiteBackend(settings_for(path))
        try:
            sub = await backend.event_bus.subscribe("app:events")
            await run_children(child_script, path, ["child"], 3)
            got = [await sub.get(timeout=5) for _ in range(3)]
            assert [m.session_id for m in got] == ["child-0", "child-1", "child-2"]
            assert {m.source_worker for m in got} == {"child"}
            assert await backend.session_store.validate("child-1", "tok-child-1")
            assert await backend.connection_router.get_owner("child-2") == "child"
            assert await backend.connection_router.list_worker_sessions("child") == [
                "child-0", "child-1", "child-2"
            ]
            assert await backend.page_store.load("child-0") == {"by": "child", "i": 0}
            assert len(await backend.session_store.list_by_user("shared-user")) == 3
        finally:
            await backend.close()

    asyncio.run(scenario())


def test_concurrent_writer_processes(tmp_path: Path, child_script: Path) -> None:
    path = tmp_path / "busy.db"
    workers = ["w1", "w2", "w3", "w4"]

    async def scenario() -> None:
        backend = SQLiteBackend(settings_for(path))
        try:
            sub = await backend.event_bus.subscribe("app:events")
            await run_children(child_script, path, workers, 25)
            got = [await sub.get(timeout=5) for _ in range(100)]
            for worker in workers:
                assert [m.data for m in got if m.source_worker == worker] == list(range(25))
            assert len({m.message_id for m in got}) == 100
            assert len(await backend.session_store.list_by_user("shared-user")) == 100
            with pytest.raises(TimeoutError):
                await sub.get(timeout=0.1)
        finally:
            await backend.close()

    asyncio.run(scenario())


def test_data_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "persist.db"

    async def first_run() -> None:
        backend = SQLiteBackend(settings_for(path))
        await backend.session_store.create("persist-sid", token="t", metadata={"a": 1})
        await backend.page_store.save("persist-sid", {"page": True})
        await backend.close()

    async def second_run() -> None:
        backend = SQLiteBackend(settings_for(path))
        record = await backend.session_store.get("persist-sid")
        assert record is not None and record.metadata == {"a": 1}
        assert await backend.session_store.validate("persist-sid", "t")
        assert await backend.page_store.load("persist-sid") == {"page": True}
        await backend.close()

    asyncio.run(first_run())
    asyncio.run(second_run())
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_corrupt_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"this is certainly not an SQLite database\n" * 200)

    async def scenario() -> None:
        backend = SQLiteBackend(settings_for(path))
        try:
            with pytest.raises(StateBackendError, match="corrupt.db") as info:
                await backend.ping()
            assert str(path) in str(info.value)
            with pytest.raises(StateBackendError, match="not a database"):
                await backend.session_store.get("x")
        finally:
            await backend.close()

    asyncio.run(scenario())


def test_missing_directory_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "dir.db"

    async def scenario() -> None:
        backend = SQLiteBackend(settings_for(path))
        try:
            with pytest.raises(StateBackendError) as info:
                await backend.ping()
            assert str(path) in str(info.value)
        finally:
            await backend.close()

    asyncio.run(scenario())


def test_locked_file_names_the_path(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "locked.db"
    asyncio.run(SQLiteBackend(settings_for(path)).db.close())
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")

    async def scenario() -> None:
        backend = SQLiteBackend(settings_for(path, sqlite_timeout=0.2))
        try:
            for _ in range(3):
                with pytest.raises(StateBackendError, match="locked") as info:
                    await backend.session_store.create()
                assert str(path) in str(info.value)
            holder.execute("ROLLBACK")
            await backend.session_store.create("after-lock")
        finally:
            await backend.close()

    try:
        with caplog.at_level("DEBUG", logger="webio.state"):
            asyncio.run(scenario())
    finally:
        holder.close()
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "locked.db" in errors[0].getMessage()
    assert any("available again" in r.getMessage() for r in caplog.records)


def test_old_bus_rows_are_pruned(tmp_path: Path) -> None:
    path = tmp_path / "prune.db"

    async def scenario() -> None:
        backend = SQLiteBackend(settings_for(path, sqlite_event_retention=0.1))
        backend.db.prune_interval = 0.0
        try:
            for i in range(5):
                await backend.event_bus.publish("app:old", EventMessage(type="t", data=i))
            deadline = time.monotonic() + 5
            while True:
                count = await backend.db.run(
                    lambda conn: conn.execute("SELECT COUNT(*) FROM webio_events").fetchone()[0]
                )
                if count == 0 or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.05)
            assert count == 0
        finally:
            await backend.close()

    asyncio.run(scenario())


def test_closed_database_refuses_calls(tmp_path: Path) -> None:
    async def scenario() -> None:
        backend = SQLiteBackend(settings_for(tmp_path / "closed.db"))
        await backend.close()
        with pytest.raises(StateBackendError, match="closed"):
            await backend.session_store.get("x")
        with pytest.raises(StateBackendError, match="closed"):
            await backend.event_bus.subscribe("app:x")

    asyncio.run(scenario())


def test_workers_that_open_a_new_file_at_once_both_work(tmp_path: Path) -> None:
    """Switching a new file to WAL takes a lock SQLite does not wait for; two workers
    starting together used to get "database is locked" at once (about one start in
    five here)."""

    async def start_two(path: Path) -> None:
        first, second = SQLiteBackend(settings_for(path)), SQLiteBackend(settings_for(path))
        try:
            await asyncio.gather(
                first.session_store.create("from-first"), second.session_store.create("from-second")
            )
            assert await first.session_store.get("from-second") is not None
        finally:
            await first.close()
            await second.close()

    async def main() -> None:
        for attempt in range(60):
            await start_two(tmp_path / f"new-{attempt}.db")

    asyncio.run(main())
