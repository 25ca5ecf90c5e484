"""The ``sqlite`` backend: one file shared by the worker processes of one host.

Imported only when chosen (``WEBIO_STATE_BACKEND=sqlite``). The file is opened in WAL
mode, so readers never wait for the writer and several processes can use it at once;
its data survives a restart. Every call runs on one dedicated thread per database
(its connection never leaves that thread), never on the event loop.

Expiry: rows carry a wall-clock ``expires``; reads ignore expired rows and a sweep
deletes them at most every few seconds.

Event bus: ``publish`` inserts a row into ``webio_events``; each process with
subscribers polls that table every ``sqlite_poll_interval`` seconds (50 ms by
default), so a message reaches another process within about that interval, plus a
few milliseconds. Rows older than ``sqlite_event_retention`` seconds are deleted.

Errors: a file that is not a database, a directory that does not exist, a lock held
longer than ``sqlite_timeout`` — every ``sqlite3.Error`` becomes a
:class:`StateBackendError` naming the file's path.
"""
from __future__ import annotations

import asyncio
import functools
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any, ClassVar, TypeVar

from webio.state.channels import check_channel
from webio.state.errors import StateBackendError
from webio.state.interfaces import ConnectionRouter, EventBus, PageStore, SessionStore, StateBackend
from webio.state.outage import OutageLog, logger
from webio.state.records import (
    SESSION_FIELDS_UPDATABLE,
    ConnectionInfo,
    EventMessage,
    SessionRecord,
    apply_session_changes,
    check_ttl,
    dump_json,
)
from webio.state.settings import StateSettings
from webio.state.subscription import Fanout, Subscription
from webio.tasks import spawn

T = TypeVar("T")
PRUNE_INTERVAL = 5.0
"""Seconds between two sweeps of expired rows and old bus rows (per process)."""
POLL_BATCH = 500

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS webio_sessions (
        session_id TEXT PRIMARY KEY, token_hash TEXT NOT NULL, app TEXT NOT NULL,
        owner_worker TEXT, created REAL NOT NULL, last_seen REAL NOT NULL,
        expires REAL NOT NULL, user_id TEXT, roles TEXT NOT NULL, metadata TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS webio_sessions_user ON webio_sessions (user_id)",
    "CREATE INDEX IF NOT EXISTS webio_sessions_expires ON webio_sessions (expires)",
    """CREATE TABLE IF NOT EXISTS webio_connections (
        session_id TEXT PRIMARY KEY, worker_id TEXT NOT NULL, registered REAL NOT NULL,
        last_heartbeat REAL NOT NULL, expires REAL NOT NULL, info TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS webio_connections_worker ON webio_connections (worker_id)",
    """CREATE TABLE IF NOT EXISTS webio_pages (
        session_id TEXT PRIMARY KEY, snapshot TEXT NOT NULL, expires REAL NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS webio_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL,
        payload TEXT NOT NULL, created REAL NOT NULL)""",
)
SESSION_COLUMNS = (
    "session_id, token_hash, app, owner_worker, created, last_seen, expires, "
    "user_id, roles, metadata"
)
UPDATABLE_COLUMNS = ", ".join(sorted(SESSION_FIELDS_UPDATABLE))
"""The session columns :meth:`SessionStore.update` may change."""
CONNECTION_COLUMNS = "session_id, worker_id, registered, last_heartbeat, expires, info"
JSON_COLUMNS = frozenset({"roles", "metadata", "info"})
"""The columns that hold JSON text rather than a plain SQL value."""


def _transaction(conn: sqlite3.Connection, body: Callable[[], T]) -> T:
    """Run ``body`` in one write transaction (taken at once, so it cannot deadlock)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = body()
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return result


WAL_RETRY_PAUSE = 0.01
"""Seconds between attempts to switch a file to WAL while another connection does it too."""


def _enter_wal(conn: sqlite3.Connection, timeout: float) -> str:
    """Switch the file to WAL and return the journal mode it is in then.

    The switch takes a lock that SQLite does not wait for: when two processes open
    a new file at once, one of them gets "database is locked" at once, whatever the
    busy timeout. That one tries again until ``timeout`` seconds have passed.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            return str(conn.execute("PRAGMA journal_mode=WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(WAL_RETRY_PAUSE)


class SQLiteDatabase:
    """One SQLite file, used from one dedicated thread; shared by the four stores.

    ``run(fn)`` calls ``fn(connection)`` on that thread and awaits the result;
    ``transact(fn)`` does the same inside one write transaction. The file is opened
    (and the schema created) on first use.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, timeout: float, event_retention: float
    ) -> None:
        self.path = os.fspath(path)
        self.timeout = check_ttl(timeout, "sqlite_timeout")
        self.event_retention = check_ttl(event_retention, "sqlite_event_retention")
        self.outage = OutageLog(f"SQLite state database {self.path!r}")
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="webio-sqlite")
        self._conn: sqlite3.Connection | None = None
        self.prune_interval = PRUNE_INTERVAL
        self._last_prune = 0.0
        self._closed = False

    async def run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn(connection)`` on the database thread; wrap SQLite errors."""
        if self._closed:
            raise StateBackendError(f"SQLite state database {self.path!r} is closed")
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(self._executor, self._call, fn)
        except sqlite3.Error as exc:
            self.outage.failure(exc)
            hint = (
                f" (another process held the lock longer than sqlite_timeout={self.timeout} s)"
                if "locked" in str(exc) or "busy" in str(exc)
                else ""
            )
            raise StateBackendError(
                f"SQLite state database {self.path!r}: {exc}{hint}"
            ) from exc
        self.outage.success()
        return result

    async def transact(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Like :meth:`run`, with ``fn`` inside one write transaction (read-modify-write)."""
        return await self.run(lambda conn: _transaction(conn, lambda: fn(conn)))

    def _call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        conn = self._connect()
        result = fn(conn)
        now = time.time()
        if now - self._last_prune >= self.prune_interval:
            self._last_prune = now
            self._prune(conn, now)
        return result

    def _connect(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        conn = sqlite3.connect(
            self.path, timeout=self.timeout, isolation_level=None, check_same_thread=True
        )
        try:
            mode = _enter_wal(conn, self.timeout)
            if mode.lower() != "wal":
                logger.warning(
                    "SQLite state database %r is in %s mode, not WAL: several processes "
                    "will wait on each other",
                    self.path,
                    mode,
                )
            conn.execute("PRAGMA synchronous=NORMAL")

            def create() -> None:
                for statement in SCHEMA:
                    conn.execute(statement)

            _transaction(conn, create)
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        return conn

    def _prune(self, conn: sqlite3.Connection, now: float) -> None:
        def prune() -> None:
            for table in ("webio_sessions", "webio_connections", "webio_pages"):
                conn.execute(f"DELETE FROM {table} WHERE expires <= ?", (now,))
            conn.execute(
                "DELETE FROM webio_events WHERE created < ?", (now - self.event_retention,)
            )

        _transaction(conn, prune)

    async def close(self) -> None:
        """Close the connection and stop the thread. Idempotent."""
        if self._closed:
            return
        self._closed = True
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._executor, self._close_connection)
        finally:
            self._executor.shutdown(wait=True)

    def _close_connection(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _to_row(data: Mapping[str, Any], columns: str) -> tuple[Any, ...]:
    """Return the SQL parameters for ``columns`` (a comma list) from a record's dict."""
    return tuple(
        dump_json(data[c], c) if c in JSON_COLUMNS else data[c] for c in columns.split(", ")
    )


def _from_row(row: tuple[Any, ...], columns: str) -> dict[str, Any]:
    """Return the dict of a record (for its ``from_dict``) from a row of ``columns``."""
    return {
        c: json.loads(v) if c in JSON_COLUMNS else v
        for c, v in zip(columns.split(", "), row, strict=True)
    }


def _upsert(table: str, columns: str) -> str:
    """Return an INSERT of one row of ``columns`` that overwrites the row of the same
    ``session_id``; a ``WHERE`` appended to it lets the overwrite happen only if it holds."""
    names = columns.split(", ")
    updates = ", ".join(f"{c} = excluded.{c}" for c in names if c != "session_id")
    return (
        f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(names))}) "
        f"ON CONFLICT (session_id) DO UPDATE SET {updates}"
    )


def _live_session(conn: sqlite3.Connection, session_id: str) -> SessionRecord | None:
    row = conn.execute(
        f"SELECT {SESSION_COLUMNS} FROM webio_sessions WHERE session_id = ? AND expires > ?",
        (session_id, time.time()),
    ).fetchone()
    return None if row is None else SessionRecord.from_dict(_from_row(row, SESSION_COLUMNS))


class SQLiteSessionStore(SessionStore):
    """Session records in the ``webio_sessions`` table."""

    def __init__(
        self,
        db: SQLiteDatabase,
        *,
        ttl: float,
        role_permissions: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        super().__init__(ttl=ttl, role_permissions=role_permissions)
        self._db = db

    async def _insert_record(self, record: SessionRecord, ttl: float) -> bool:
        params = _to_row(record.to_dict(), SESSION_COLUMNS)

        def insert(conn: sqlite3.Connection) -> int:
            return conn.execute(
                _upsert("webio_sessions", SESSION_COLUMNS) + " WHERE webio_sessions.expires <= ?",
                (*params, record.created),
            ).rowcount

        return await self._db.run(insert) == 1

    async def _load_record(self, session_id: str) -> SessionRecord | None:
        return await self._db.run(lambda conn: _live_session(conn, session_id))

    async def _renew_record(self, session_id: str, seen: float, ttl: float) -> SessionRecord | None:
        def touch(conn: sqlite3.Connection) -> SessionRecord | None:
            record = _live_session(conn, session_id)
            if record is None:
                return None
            record = replace(record, last_seen=seen, expires=seen + ttl)
            conn.execute(
                "UPDATE webio_sessions SET last_seen = ?, expires = ? WHERE session_id = ?",
                (record.last_seen, record.expires, session_id),
            )
            return record

        return await self._db.transact(touch)

    async def _change_record(
        self, session_id: str, changes: Mapping[str, Any]
    ) -> SessionRecord | None:
        assignments = ", ".join(f"{c} = ?" for c in UPDATABLE_COLUMNS.split(", "))

        def change(conn: sqlite3.Connection) -> SessionRecord | None:
            record = _live_session(conn, session_id)
            if record is None:
                return None
            record = apply_session_changes(record, changes)
            conn.execute(
                f"UPDATE webio_sessions SET {assignments} WHERE session_id = ?",
                (*_to_row(record.to_dict(), UPDATABLE_COLUMNS), session_id),
            )
            return record

        return await self._db.transact(change)

    async def _delete_record(self, session_id: str) -> bool:
        def remove(conn: sqlite3.Connection) -> bool:
            live = _live_session(conn, session_id) is not None
            conn.execute("DELETE FROM webio_sessions WHERE session_id = ?", (session_id,))
            return live

        return await self._db.transact(remove)

    async def _user_records(self, user_id: str) -> list[SessionRecord]:
        def select(conn: sqlite3.Connection) -> list[SessionRecord]:
            rows = conn.execute(
                f"SELECT {SESSION_COLUMNS} FROM webio_sessions WHERE user_id = ? AND expires > ?",
                (user_id, time.time()),
            ).fetchall()
            return [SessionRecord.from_dict(_from_row(row, SESSION_COLUMNS)) for row in rows]

        return await self._db.run(select)


class SQLiteConnectionRouter(ConnectionRouter):
    """Router entries in the ``webio_connections`` table."""

    def __init__(self, db: SQLiteDatabase, *, worker_id: str, ttl: float) -> None:
        super().__init__(worker_id=worker_id, ttl=ttl)
        self._db = db

    async def _write(self, entries: list[ConnectionInfo], *, force: bool) -> list[bool]:
        rows = [_to_row(e.to_dict(), CONNECTION_COLUMNS) for e in entries]
        condition = "" if force else (
            " WHERE webio_connections.worker_id = excluded.worker_id "
            "OR webio_connections.expires <= ?"
        )
        sql = _upsert("webio_connections", CONNECTION_COLUMNS) + condition

        def write(conn: sqlite3.Connection) -> list[bool]:
            now = time.time()
            extra: tuple[Any, ...] = () if force else (now,)
            return [conn.execute(sql, (*row, *extra)).rowcount == 1 for row in rows]

        return await self._db.transact(write)

    async def _read(self, session_id: str) -> ConnectionInfo | None:
        def select(conn: sqlite3.Connection) -> ConnectionInfo | None:
            row = conn.execute(
                f"SELECT {CONNECTION_COLUMNS} FROM webio_connections "
                "WHERE session_id = ? AND expires > ?",
                (session_id, time.time()),
            ).fetchone()
            if row is None:
                return None
            return ConnectionInfo.from_dict(_from_row(row, CONNECTION_COLUMNS))

        return await self._db.run(select)

    async def _remove(self, session_id: str, worker_id: str | None) -> bool:
        def remove(conn: sqlite3.Connection) -> bool:
            row = conn.execute(
                "SELECT worker_id FROM webio_connections WHERE session_id = ? AND expires > ?",
                (session_id, time.time()),
            ).fetchone()
            if row is None or (worker_id is not None and row[0] != worker_id):
                return False
            conn.execute("DELETE FROM webio_connections WHERE session_id = ?", (session_id,))
            return True

        return await self._db.transact(remove)

    async def _list(self, worker_id: str) -> list[str]:
        def select(conn: sqlite3.Connection) -> list[str]:
            rows = conn.execute(
                "SELECT session_id FROM webio_connections WHERE worker_id = ? AND expires > ? "
                "ORDER BY session_id",
                (worker_id, time.time()),
            ).fetchall()
            return [row[0] for row in rows]

        return await self._db.run(select)


def _new_events(cursor: int, conn: sqlite3.Connection) -> list[tuple[int, str, str]]:
    return conn.execute(
        "SELECT id, channel, payload FROM webio_events WHERE id > ? ORDER BY id LIMIT ?",
        (cursor, POLL_BATCH),
    ).fetchall()


class SQLiteEventBus(EventBus):
    """A bus over the ``webio_events`` table, read by one polling task per process.

    A subscription sees the rows inserted after :meth:`subscribe` read the table's
    highest id; the poller holds a lock while it reads and dispatches, so a new
    subscription never misses nor receives twice a row.
    """

    def __init__(self, db: SQLiteDatabase, *, poll_interval: float) -> None:
        self._db = db
        self.poll_interval = check_ttl(poll_interval, "sqlite_poll_interval")
        self._fanout = Fanout()
        self._starts: dict[Subscription, int] = {}
        self._cursor = 0
        self._poll_lock: asyncio.Lock | None = None
        self._has_subscribers: asyncio.Event | None = None
        self._poller: asyncio.Task[None] | None = None
        self._closed = False

    async def publish(self, channel: str, message: EventMessage) -> None:
        row = (check_channel(channel), message.to_json(), time.time())
        await self._db.run(
            lambda conn: conn.execute(
                "INSERT INTO webio_events (channel, payload, created) VALUES (?, ?, ?)", row
            )
        )

    async def subscribe(self, channel: str) -> Subscription:
        if self._closed:
            raise StateBackendError(f"SQLite state database {self._db.path!r} is closed")
        sub = Subscription(channel, self._detach)
        if self._poll_lock is None or self._has_subscribers is None:
            self._poll_lock = asyncio.Lock()
            self._has_subscribers = asyncio.Event()
        lock, wanted = self._poll_lock, self._has_subscribers
        async with lock:
            start = await self._db.run(
                lambda conn: conn.execute("SELECT COALESCE(MAX(id), 0) FROM webio_events")
                .fetchone()[0]
            )
            if not self._starts:
                self._cursor = start
            self._starts[sub] = start
            self._fanout.add(sub)
            wanted.set()
        if self._poller is None or self._poller.done():
            self._poller = spawn(self._poll(lock, wanted), name="webio-sqlite-bus-poller")
        return sub

    async def _detach(self, sub: Subscription) -> None:
        self._fanout.remove(sub)
        self._starts.pop(sub, None)
        if not self._starts and self._has_subscribers is not None:
            self._has_subscribers.clear()

    async def _poll(self, lock: asyncio.Lock, wanted: asyncio.Event) -> None:
        """Read new rows and hand them out, while anyone listens, until closed."""
        backoff = self.poll_interval
        while not self._closed:
            await wanted.wait()
            async with lock:
                try:
                    count = await self._poll_once()
                except StateBackendError:
                    count = -1
            if count < 0:
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 2.0)
                continue
            backoff = self.poll_interval
            if count < POLL_BATCH:
                await asyncio.sleep(self.poll_interval)

    async def _poll_once(self) -> int:
        """Hand out the rows after the cursor; return how many were read."""
        rows = await self._db.run(functools.partial(_new_events, self._cursor))
        for row_id, channel, payload in rows:
            for sub in self._fanout.subscribers(channel):
                if row_id > self._starts.get(sub, row_id):
                    sub.deliver(payload)
        if rows:
            self._cursor = rows[-1][0]
        return len(rows)

    async def close(self) -> None:
        """Stop the poller and close this process's subscriptions."""
        self._closed = True
        for sub in self._fanout.clear():
            sub.mark_closed()
        self._starts.clear()
        poller, self._poller = self._poller, None
        if poller is not None:
            poller.cancel()
            await asyncio.gather(poller, return_exceptions=True)


class SQLitePageStore(PageStore):
    """Page snapshots in the ``webio_pages`` table."""

    def __init__(self, db: SQLiteDatabase, *, ttl: float) -> None:
        super().__init__(ttl=ttl)
        self._db = db

    async def _put_page(self, session_id: str, text: str, ttl: float) -> None:
        row = (session_id, text, time.time() + ttl)
        await self._db.run(
            lambda conn: conn.execute(
                "INSERT OR REPLACE INTO webio_pages (session_id, snapshot, expires) "
                "VALUES (?, ?, ?)",
                row,
            )
        )

    async def _get_page(self, session_id: str) -> str | None:
        row = await self._db.run(
            lambda conn: conn.execute(
                "SELECT snapshot FROM webio_pages WHERE session_id = ? AND expires > ?",
                (session_id, time.time()),
            ).fetchone()
        )
        return None if row is None else str(row[0])

    async def _delete_page(self, session_id: str) -> bool:
        def remove(conn: sqlite3.Connection) -> bool:
            live = conn.execute(
                "SELECT 1 FROM webio_pages WHERE session_id = ? AND expires > ?",
                (session_id, time.time()),
            ).fetchone()
            conn.execute("DELETE FROM webio_pages WHERE session_id = ?", (session_id,))
            return live is not None

        return await self._db.transact(remove)


class SQLiteBackend(StateBackend):
    """The SQLite backend over ``settings.sqlite_path``."""

    name: ClassVar[str] = "sqlite"
    shared: ClassVar[bool] = True

    def __init__(self, settings: StateSettings) -> None:
        self.db = SQLiteDatabase(
            settings.sqlite_path,
            timeout=settings.sqlite_timeout,
            event_retention=settings.sqlite_event_retention,
        )
        self.session_store = SQLiteSessionStore(
            self.db, ttl=settings.session_ttl, role_permissions=settings.role_permissions
        )
        self.connection_router = SQLiteConnectionRouter(
            self.db, worker_id=settings.worker_id, ttl=settings.connection_ttl
        )
        self.event_bus: SQLiteEventBus = SQLiteEventBus(
            self.db, poll_interval=settings.sqlite_poll_interval
        )
        self.page_store = SQLitePageStore(self.db, ttl=settings.session_ttl)

    async def close(self) -> None:
        await self.event_bus.close()
        await self.db.close()
