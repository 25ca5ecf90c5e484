"""The ``memory`` backend: everything in this process, no dependency (the default).

Data lives in a :class:`MemoryState` (dicts guarded by a lock) and is lost when the
process ends. Expiry uses ``time.monotonic()`` deadlines, so a change of the wall
clock neither kills nor revives a session; expired entries are dropped when read and
swept at most once a second on writes. Records are copied in and out, so a caller
never holds the stored object.

Several :class:`MemoryBackend` objects built over one ``MemoryState`` behave like
several workers sharing one store, which is how the contract suite tests them.
"""
from __future__ import annotations

import copy
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any, ClassVar, Generic, TypeVar

from webio.state.channels import check_channel
from webio.state.interfaces import ConnectionRouter, EventBus, PageStore, SessionStore, StateBackend
from webio.state.records import ConnectionInfo, EventMessage, SessionRecord, apply_session_changes
from webio.state.settings import StateSettings
from webio.state.subscription import Fanout, Subscription

T = TypeVar("T")
SWEEP_INTERVAL = 1.0


class _ExpiringDict(Generic[T]):
    """A dict whose values vanish at a monotonic deadline. Not locked itself."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[T, float]] = {}
        self._last_sweep = time.monotonic()

    def get(self, key: str) -> T | None:
        item = self._items.get(key)
        if item is None:
            return None
        if item[1] <= time.monotonic():
            del self._items[key]
            return None
        return item[0]

    def put(self, key: str, value: T, ttl: float) -> None:
        now = time.monotonic()
        self._items[key] = (value, now + ttl)
        if now - self._last_sweep >= SWEEP_INTERVAL:
            self._last_sweep = now
            for stale in [k for k, (_, deadline) in self._items.items() if deadline <= now]:
                del self._items[stale]

    def set_value(self, key: str, value: T) -> None:
        """Replace the value of a live key, keeping its deadline."""
        self._items[key] = (value, self._items[key][1])

    def pop(self, key: str) -> T | None:
        value = self.get(key)
        self._items.pop(key, None)
        return value

    def live_values(self) -> list[T]:
        now = time.monotonic()
        return [value for value, deadline in self._items.values() if deadline > now]


def _copy_session(record: SessionRecord) -> SessionRecord:
    """A copy that shares nothing mutable with ``record`` (its other fields are immutable).

    Cheaper than ``copy.deepcopy``, which every session open would pay for twice.
    """
    return replace(record, metadata=copy.deepcopy(record.metadata) if record.metadata else {})


def _copy_connection(entry: ConnectionInfo) -> ConnectionInfo:
    """A copy of a router entry that shares nothing mutable with ``entry``."""
    return replace(entry, info=copy.deepcopy(entry.info) if entry.info else {})


class MemoryState:
    """The data of the memory backend, shareable between backends of one process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sessions: _ExpiringDict[SessionRecord] = _ExpiringDict()
        self.connections: _ExpiringDict[ConnectionInfo] = _ExpiringDict()
        self.pages: _ExpiringDict[str] = _ExpiringDict()
        self.fanout = Fanout()


class MemorySessionStore(SessionStore):
    """Session records in a :class:`MemoryState`."""

    def __init__(
        self,
        state: MemoryState,
        *,
        ttl: float,
        role_permissions: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        super().__init__(ttl=ttl, role_permissions=role_permissions)
        self._state = state

    async def _insert_record(self, record: SessionRecord, ttl: float) -> bool:
        with self._state.lock:
            if self._state.sessions.get(record.session_id) is not None:
                return False
            self._state.sessions.put(record.session_id, _copy_session(record), ttl)
            return True

    async def _load_record(self, session_id: str) -> SessionRecord | None:
        with self._state.lock:
            record = self._state.sessions.get(session_id)
            return None if record is None else _copy_session(record)

    async def _renew_record(self, session_id: str, seen: float, ttl: float) -> SessionRecord | None:
        with self._state.lock:
            record = self._state.sessions.get(session_id)
            if record is None:
                return None
            record = replace(record, last_seen=seen, expires=seen + ttl)
            self._state.sessions.put(session_id, record, ttl)
            return _copy_session(record)

    async def _change_record(
        self, session_id: str, changes: Mapping[str, Any]
    ) -> SessionRecord | None:
        with self._state.lock:
            record = self._state.sessions.get(session_id)
            if record is None:
                return None
            record = apply_session_changes(record, changes)
            self._state.sessions.set_value(session_id, record)
            return _copy_session(record)

    async def _delete_record(self, session_id: str) -> bool:
        with self._state.lock:
            return self._state.sessions.pop(session_id) is not None

    async def _user_records(self, user_id: str) -> list[SessionRecord]:
        with self._state.lock:
            return [_copy_session(r) for r in self._state.sessions.live_values() if r.user_id == user_id]


class MemoryConnectionRouter(ConnectionRouter):
    """Router entries in a :class:`MemoryState`."""

    def __init__(self, state: MemoryState, *, worker_id: str, ttl: float) -> None:
        super().__init__(worker_id=worker_id, ttl=ttl)
        self._state = state

    async def _write(self, entries: list[ConnectionInfo], *, force: bool) -> list[bool]:
        results = []
        with self._state.lock:
            for entry in entries:
                stored = self._state.connections.get(entry.session_id)
                if force or stored is None or stored.worker_id == entry.worker_id:
                    self._state.connections.put(entry.session_id, _copy_connection(entry), entry.ttl)
                    results.append(True)
                else:
                    results.append(False)
        return results

    async def _read(self, session_id: str) -> ConnectionInfo | None:
        with self._state.lock:
            entry = self._state.connections.get(session_id)
            return None if entry is None else _copy_connection(entry)

    async def _remove(self, session_id: str, worker_id: str | None) -> bool:
        with self._state.lock:
            stored = self._state.connections.get(session_id)
            if stored is None or (worker_id is not None and stored.worker_id != worker_id):
                return False
            self._state.connections.pop(session_id)
            return True

    async def _list(self, worker_id: str) -> list[str]:
        with self._state.lock:
            entries = self._state.connections.live_values()
        return sorted(e.session_id for e in entries if e.worker_id == worker_id)


class MemoryEventBus(EventBus):
    """Delivers straight to the subscriptions registered in a :class:`MemoryState`."""

    def __init__(self, state: MemoryState) -> None:
        self._fanout = state.fanout
        self._mine: set[Subscription] = set()

    async def publish(self, channel: str, message: EventMessage) -> None:
        self._fanout.deliver(check_channel(channel), message.to_json())

    async def subscribe(self, channel: str) -> Subscription:
        sub = Subscription(channel, self._detach)
        self._mine.add(sub)
        self._fanout.add(sub)
        return sub

    async def _detach(self, sub: Subscription) -> None:
        self._mine.discard(sub)
        self._fanout.remove(sub)

    async def close(self) -> None:
        """Close the subscriptions made through this bus."""
        for sub in list(self._mine):
            sub.mark_closed()
            self._fanout.remove(sub)
        self._mine.clear()


class MemoryPageStore(PageStore):
    """Page snapshots as JSON text in a :class:`MemoryState`."""

    def __init__(self, state: MemoryState, *, ttl: float) -> None:
        super().__init__(ttl=ttl)
        self._state = state

    async def _put_page(self, session_id: str, text: str, ttl: float) -> None:
        with self._state.lock:
            self._state.pages.put(session_id, text, ttl)

    async def _get_page(self, session_id: str) -> str | None:
        with self._state.lock:
            return self._state.pages.get(session_id)

    async def _delete_page(self, session_id: str) -> bool:
        with self._state.lock:
            return self._state.pages.pop(session_id) is not None


class MemoryBackend(StateBackend):
    """The memory backend; pass one ``state`` to several to make them share data."""

    name: ClassVar[str] = "memory"
    shared: ClassVar[bool] = False

    def __init__(
        self, settings: StateSettings | None = None, *, state: MemoryState | None = None
    ) -> None:
        conf = settings if settings is not None else StateSettings()
        self.state = state if state is not None else MemoryState()
        self.session_store = MemorySessionStore(
            self.state, ttl=conf.session_ttl, role_permissions=conf.role_permissions
        )
        self.connection_router = MemoryConnectionRouter(
            self.state, worker_id=conf.worker_id, ttl=conf.connection_ttl
        )
        self.event_bus: MemoryEventBus = MemoryEventBus(self.state)
        self.page_store = MemoryPageStore(self.state, ttl=conf.session_ttl)

    async def close(self) -> None:
        await self.event_bus.close()
