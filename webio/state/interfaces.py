"""The four shared stores as abstract classes, and the backend that bundles them.

Every method is a coroutine and must be awaited on the event loop the backend was
first used on (for Redis, the client's connections belong to that loop). From
another thread go through the sync door, :func:`webio.state.call_sync`.

A backend (memory, SQLite, Redis, or a third party's) subclasses each store and
:class:`StateBackend`, and passes the contract suite in
``webio/testing/state_contract.py``.

The public methods of the session store, the router and the page store are concrete
here (template methods): they check the arguments, build the records, resolve the
TTLs and hold the router's mirror once for every backend. A backend implements only
the storage primitives, the abstract methods whose names start with ``_``; each must
be atomic against the other workers sharing the storage.
"""
from __future__ import annotations

import asyncio
import json
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from webio.state.errors import SessionExistsError, StateBackendError
from webio.state.outage import logger
from webio.state.records import (
    ConnectionInfo,
    CreatedSession,
    EventMessage,
    SessionRecord,
    check_id,
    check_ttl,
    dump_json,
    new_connection_info,
    new_session_record,
    token_matches,
)
from webio.state.settings import normalize_role_permissions
from webio.state.subscription import Subscription

PING_KEY = "webio-ping"
"""A page-store key that is never written; :meth:`StateBackend.ping` reads it."""


def _lifetime(ttl: float | None, default: float) -> float:
    """Return the checked ``ttl`` a caller passed, or the store's ``default`` for None."""
    return default if ttl is None else check_ttl(ttl)



class SessionStore(ABC):
    """Session records: who a session is, until when it lives, what it may do.

    ``ttl`` is the default lifetime of a record in seconds (each :meth:`refresh`
    starts it again); ``role_permissions`` maps a role to the permissions it grants,
    ``"*"`` granting all, for :meth:`check_permission`.

    A backend implements the six storage primitives, ``_insert_record`` to
    ``_user_records``; they receive checked ids and ready-built records.
    """

    def __init__(
        self,
        *,
        ttl: float,
        role_permissions: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.ttl = check_ttl(ttl)
        self.role_permissions = normalize_role_permissions(role_permissions)

    @abstractmethod
    async def _insert_record(self, record: SessionRecord, ttl: float) -> bool:
        """Store ``record`` to live ``ttl`` seconds, unless a live record has its id.

        An expired record with that id is replaced. Returns whether it was stored.
        """

    @abstractmethod
    async def _load_record(self, session_id: str) -> SessionRecord | None:
        """Return the live record, or None."""

    @abstractmethod
    async def _renew_record(self, session_id: str, seen: float, ttl: float) -> SessionRecord | None:
        """Set a live record's ``last_seen`` to ``seen`` and ``expires`` to ``seen + ttl``.

        The record then lives ``ttl`` seconds more. Returns it, or None if there is none.
        """

    @abstractmethod
    async def _change_record(
        self, session_id: str, changes: Mapping[str, Any]
    ) -> SessionRecord | None:
        """Apply ``changes`` to a live record through :func:`apply_session_changes`.

        Its expiry is kept. Returns the changed record, or None if there is none.
        """

    @abstractmethod
    async def _delete_record(self, session_id: str) -> bool:
        """Remove the record; True if a live one was removed."""

    @abstractmethod
    async def _user_records(self, user_id: str) -> list[SessionRecord]:
        """Return the live records of one user, in any order."""

    async def create(
        self,
        session_id: str | None = None,
        *,
        token: str | None = None,
        app: str = "",
        owner_worker: str | None = None,
        user_id: str | None = None,
        roles: Iterable[str] = (),
        metadata: Mapping[str, Any] | None = None,
        ttl: float | None = None,
    ) -> CreatedSession:
        """Store a new session record and return it with its plain reconnect token.

        A missing ``session_id`` or ``token`` is generated (256 random bits). Only the
        token's hash is stored. Raises :class:`SessionExistsError` if a live record
        has that id; an expired one is replaced. ``metadata`` must be JSON-able.
        """
        life = _lifetime(ttl, self.ttl)
        created = new_session_record(
            session_id, token=token, app=app, owner_worker=owner_worker,
            user_id=user_id, roles=roles, metadata=metadata, ttl=life,
        )
        if not await self._insert_record(created.record, life):
            raise SessionExistsError(f"session {created.record.session_id!r} exists already")
        return created

    async def get(self, session_id: str) -> SessionRecord | None:
        """Return the record, or None if there is none or it has expired."""
        return await self._load_record(check_id(session_id, "session_id"))

    async def refresh(self, session_id: str, *, ttl: float | None = None) -> SessionRecord | None:
        """Mark the session as seen now and let it live ``ttl`` (default: the store's) more.

        Returns the updated record, or None if there is none (it is not re-created).
        """
        check_id(session_id, "session_id")
        life = _lifetime(ttl, self.ttl)
        return await self._renew_record(session_id, time.time(), life)

    async def update(self, session_id: str, **changes: Any) -> SessionRecord | None:
        """Change some of ``app``, ``owner_worker``, ``user_id``, ``roles``, ``metadata``.

        Expiry is left as it is. Returns the updated record, or None if there is none.
        """
        return await self._change_record(check_id(session_id, "session_id"), changes)

    async def delete(self, session_id: str) -> bool:
        """Remove the record; True if a live one was removed."""
        return await self._delete_record(check_id(session_id, "session_id"))

    async def list_by_user(self, user_id: str) -> list[SessionRecord]:
        """Return the live records of one user, oldest first."""
        found = await self._user_records(check_id(user_id, "user_id"))
        return sorted(found, key=lambda r: (r.created, r.session_id))

    async def validate(self, session_id: str, token: str) -> bool:
        """Tell whether ``token`` is the reconnect token of a live session.

        The comparison is constant-time; an unknown or expired session gives False.
        """
        record = await self.get(session_id)
        return record is not None and token_matches(token, record.token_hash)

    async def check_permission(self, session_id: str, permission: str) -> bool:
        """Tell whether a live session's roles grant ``permission``."""
        record = await self.get(session_id)
        if record is None:
            return False
        for role in record.roles:
            granted = self.role_permissions.get(role, frozenset())
            if permission in granted or "*" in granted:
                return True
        return False


class ConnectionRouter(ABC):
    """Which worker holds which session's connection, known for a limited time.

    An entry lives ``ttl`` seconds (the connection TTL) unless renewed: the owning
    worker calls :meth:`heartbeat` (or runs :meth:`run_heartbeat`) well within the
    TTL, so the sessions of a worker that died vanish by themselves. ``worker_id``
    is this process's own id, the default owner.

    The router remembers the entries registered through it (its *mirror*) so that a
    heartbeat can renew them all, and write them again when the store lost them —
    after a Redis restart, the next heartbeat puts this worker's sessions back. A
    backend implements the four primitives ``_write``, ``_read``, ``_remove`` and
    ``_list``.
    """

    def __init__(self, *, worker_id: str, ttl: float) -> None:
        self.worker_id = worker_id
        self.ttl = check_ttl(ttl)
        self._mirror: dict[str, ConnectionInfo] = {}

    @abstractmethod
    async def _write(self, entries: list[ConnectionInfo], *, force: bool) -> list[bool]:
        """Store ``entries``; unless ``force``, only where the stored entry is absent,
        expired or held by the same worker. Return, per entry, whether it was written."""

    @abstractmethod
    async def _read(self, session_id: str) -> ConnectionInfo | None:
        """Return the live stored entry, or None."""

    @abstractmethod
    async def _remove(self, session_id: str, worker_id: str | None) -> bool:
        """Delete the live entry (only if held by ``worker_id`` when given); True if done."""

    @abstractmethod
    async def _list(self, worker_id: str) -> list[str]:
        """Return the ids of the live entries held by ``worker_id``, sorted."""

    async def register(
        self,
        session_id: str,
        worker_id: str | None = None,
        *,
        info: Mapping[str, Any] | None = None,
        ttl: float | None = None,
    ) -> ConnectionInfo:
        """Record that ``worker_id`` (default: this worker) holds ``session_id``.

        Takes the session over from any previous owner. This router remembers the
        entry and renews it on each :meth:`heartbeat` until :meth:`unregister`.
        """
        life = _lifetime(ttl, self.ttl)
        entry = new_connection_info(session_id, worker_id or self.worker_id, info, life)
        await self._write([entry], force=True)
        self._mirror[entry.session_id] = entry
        return entry

    async def get_info(self, session_id: str) -> ConnectionInfo | None:
        """Return the live entry of a session, or None."""
        return await self._read(check_id(session_id, "session_id"))

    async def refresh(self, session_id: str, *, ttl: float | None = None) -> bool:
        """Renew one entry (a heartbeat for one session); False if it is gone or moved."""
        check_id(session_id, "session_id")
        known = self._mirror.get(session_id)
        entry = known if known is not None else await self._read(session_id)
        if entry is None:
            return False
        renewed = entry.renewed(_lifetime(ttl, self.ttl))
        (written,) = await self._write([renewed], force=False)
        if known is not None:
            await self._settle([known], [renewed], [written])
        return written

    async def unregister(self, session_id: str, worker_id: str | None = None) -> bool:
        """Remove the entry; with ``worker_id``, only if that worker still holds it.

        True if a live entry was removed.
        """
        check_id(session_id, "session_id")
        if worker_id is not None:
            check_id(worker_id, "worker_id")
        known = self._mirror.get(session_id)
        if known is not None and (worker_id is None or known.worker_id == worker_id):
            del self._mirror[session_id]
        return await self._remove(session_id, worker_id)

    async def list_worker_sessions(self, worker_id: str | None = None) -> list[str]:
        """Return the ids of the live sessions ``worker_id`` (default: this one) holds."""
        return await self._list(check_id(worker_id or self.worker_id, "worker_id"))

    async def heartbeat(self) -> int:
        """Renew every entry registered through this router; return how many.

        Entries lost by the store (a Redis restart) are written again; entries
        another worker has taken over are forgotten.
        """
        if not self._mirror:
            return 0
        known = list(self._mirror.values())
        renewed = [entry.renewed(entry.ttl) for entry in known]
        results = await self._write(renewed, force=False)
        await self._settle(known, renewed, results)
        return sum(results)

    async def _settle(
        self, known: list[ConnectionInfo], renewed: list[ConnectionInfo], results: list[bool]
    ) -> None:
        """Update the mirror after a renewal, minding calls that ran meanwhile.

        An entry unregistered while its renewal was in flight is removed from the
        store again; one re-registered meanwhile is left as the new call made it.
        """
        for old, new, written in zip(known, renewed, results, strict=True):
            current = self._mirror.get(old.session_id)
            if current is old:
                if written:
                    self._mirror[old.session_id] = new
                else:
                    del self._mirror[old.session_id]
            elif current is None and written:
                await self._remove(old.session_id, old.worker_id)

    async def get_owner(self, session_id: str) -> str | None:
        """Return the id of the worker holding ``session_id``, or None."""
        entry = await self.get_info(session_id)
        return None if entry is None else entry.worker_id

    async def run_heartbeat(self, interval: float | None = None) -> None:
        """Call :meth:`heartbeat` every ``interval`` seconds (default a third of the TTL).

        Runs until cancelled; start it with :func:`webio.tasks.spawn`. A failing
        backend does not stop it (the backend logs the outage once) and the next beat
        after the backend recovers writes every entry again.
        """
        period = check_ttl(interval if interval is not None else self.ttl / 3, "interval")
        while True:
            await asyncio.sleep(period)
            try:
                await self.heartbeat()
            except StateBackendError as exc:
                logger.debug("heartbeat of worker %s failed: %s", self.worker_id, exc)


class EventBus(ABC):
    """Publish/subscribe on named channels, across every worker sharing the backend.

    Delivery is at most once: a subscriber receives the messages published on its
    channel after :meth:`subscribe` returned, in publication order per publisher,
    while the backend is reachable.
    """

    @abstractmethod
    async def publish(self, channel: str, message: EventMessage) -> None:
        """Send ``message`` to every current subscriber of ``channel``, on any worker."""

    @abstractmethod
    async def subscribe(self, channel: str) -> Subscription:
        """Start receiving ``channel``; the returned subscription is an async iterator."""

    async def unsubscribe(self, subscription: Subscription) -> None:
        """Stop a subscription (same as ``await subscription.close()``)."""
        await subscription.close()


class PageStore(ABC):
    """The page snapshot of each session, so any worker can rebuild the page.

    A snapshot is a JSON-able dict, stored as JSON text so that :meth:`load` returns a
    fresh copy. A backend implements the three ``_…_page`` primitives over that text.
    """

    def __init__(self, *, ttl: float) -> None:
        self.ttl = check_ttl(ttl)

    @abstractmethod
    async def _put_page(self, session_id: str, text: str, ttl: float) -> None:
        """Store (replace) the JSON text of a snapshot for ``ttl`` seconds."""

    @abstractmethod
    async def _get_page(self, session_id: str) -> str | None:
        """Return the JSON text of the live snapshot, or None."""

    @abstractmethod
    async def _delete_page(self, session_id: str) -> bool:
        """Remove the snapshot; True if a live one was removed."""

    async def save(self, session_id: str, snapshot: Mapping[str, Any], ttl: float | None = None) -> None:
        """Store (replace) the snapshot of a session for ``ttl`` seconds (default: the store's)."""
        check_id(session_id, "session_id")
        if not isinstance(snapshot, Mapping):
            raise TypeError(f"snapshot must be a mapping, got {snapshot!r}")
        text = dump_json(dict(snapshot), "snapshot")
        await self._put_page(session_id, text, _lifetime(ttl, self.ttl))

    async def load(self, session_id: str) -> dict[str, Any] | None:
        """Return the live snapshot of a session, or None."""
        text = await self._get_page(check_id(session_id, "session_id"))
        if text is None:
            return None
        snapshot: dict[str, Any] = json.loads(text)
        return snapshot

    async def delete(self, session_id: str) -> bool:
        """Remove the snapshot; True if a live one was removed."""
        return await self._delete_page(check_id(session_id, "session_id"))


class StateBackend(ABC):
    """One backend: the four stores over one storage, and the resources they share.

    ``name`` is what ``WEBIO_STATE_BACKEND`` calls it; ``shared`` tells whether
    several processes see the same data (it turns deploy mode on).
    """

    name: ClassVar[str]
    shared: ClassVar[bool]
    session_store: SessionStore
    connection_router: ConnectionRouter
    event_bus: EventBus
    page_store: PageStore

    async def ping(self) -> None:
        """Check that the storage answers; raise :class:`StateBackendError` if not.

        The server calls it once at start, so that an unreachable Redis or a corrupt
        SQLite file is reported before the first visitor arrives.
        """
        await self.page_store.load(PING_KEY)

    @abstractmethod
    async def close(self) -> None:
        """Close subscriptions, connections and threads. Idempotent; data is kept."""
