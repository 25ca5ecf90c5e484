"""The records the stores keep, as dataclasses, and the checks every backend shares.

Records are plain data: JSON-able through ``to_dict``/``from_dict`` (and
``to_json``/``from_json`` for bus messages), so the memory, SQLite and Redis backends
store and return exactly the same values. Reconnect tokens are never stored: only
their SHA-256 (:func:`hash_token`), compared in constant time (:func:`token_matches`).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any, NamedTuple

MAX_ID_LENGTH = 256
"""Longest session id, worker id or channel name the stores accept."""

_WHITESPACE = re.compile(r"\s")
"""Any character ``str.isspace`` calls whitespace: ids are checked on every session open."""

SESSION_FIELDS_UPDATABLE = frozenset({"app", "owner_worker", "user_id", "roles", "metadata"})
"""The fields :meth:`SessionStore.update` may change."""


def new_secret() -> str:
    """Return a fresh unguessable value (256 random bits, URL-safe) for ids and tokens."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest of a reconnect token, the only form stores keep."""
    if not isinstance(token, str) or not token:
        raise TypeError(f"token must be a non-empty str, got {token!r}")
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, token_hash: str) -> bool:
    """Tell, in constant time, whether ``token`` hashes to ``token_hash``."""
    if not isinstance(token, str) or not token:
        return False
    return hmac.compare_digest(hash_token(token), token_hash)


def check_id(value: object, what: str) -> str:
    """Return ``value`` if it is a usable id (non-empty str, no whitespace, ≤ 256 chars)."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, got {value!r}")
    if not value or len(value) > MAX_ID_LENGTH or _WHITESPACE.search(value):
        raise ValueError(
            f"{what} must be 1-{MAX_ID_LENGTH} characters without whitespace, got {value!r}"
        )
    return value


def check_ttl(ttl: object, what: str = "ttl") -> float:
    """Return ``ttl`` as a float if it is a positive finite number of seconds."""
    if isinstance(ttl, bool) or not isinstance(ttl, (int, float)):
        raise TypeError(f"{what} must be a number of seconds, got {ttl!r}")
    if not math.isfinite(ttl) or ttl <= 0:
        raise ValueError(f"{what} must be a positive number of seconds, got {ttl!r}")
    return float(ttl)


def dump_json(value: Any, what: str) -> str:
    """Serialise ``value`` compactly, raising ``TypeError`` naming ``what`` if it cannot be."""
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{what} must be JSON-serialisable: {exc}") from None


def _roles(roles: Iterable[str]) -> tuple[str, ...]:
    if isinstance(roles, str):
        raise TypeError(f"roles must be a collection of str, not a single str {roles!r}")
    result = tuple(roles)
    if not all(isinstance(r, str) and r for r in result):
        raise TypeError(f"roles must be non-empty str, got {result!r}")
    return result


def _metadata(metadata: Mapping[str, Any] | None) -> dict[str, Any]:
    if metadata is None:
        return {}
    if not isinstance(metadata, Mapping):
        raise TypeError(f"metadata must be a mapping, got {metadata!r}")
    result: dict[str, Any] = json.loads(dump_json(dict(metadata), "metadata"))
    return result


@dataclass(slots=True)
class SessionRecord:
    """What every worker may know about one session.

    ``created``, ``last_seen`` and ``expires`` are wall-clock times (``time.time()``)
    so that several processes can compare them. ``token_hash`` is
    ``hash_token(reconnect_token)``; the token itself is never stored.
    """

    session_id: str
    token_hash: str
    app: str
    owner_worker: str | None
    created: float
    last_seen: float
    expires: float
    user_id: str | None = None
    roles: tuple[str, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the record as a JSON-able dict (roles as a list)."""
        data = asdict(self)
        data["roles"] = list(self.roles)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SessionRecord:
        """Rebuild a record from :meth:`to_dict`'s output."""
        return cls(
            session_id=data["session_id"],
            token_hash=data["token_hash"],
            app=data["app"],
            owner_worker=data["owner_worker"],
            created=float(data["created"]),
            last_seen=float(data["last_seen"]),
            expires=float(data["expires"]),
            user_id=data.get("user_id"),
            roles=tuple(data.get("roles") or ()),
            metadata=dict(data.get("metadata") or {}),
        )


class CreatedSession(NamedTuple):
    """What :meth:`SessionStore.create` returns: the record and the plain token.

    This is the only time the reconnect token is visible; hand it to the client.
    """

    record: SessionRecord
    token: str


def new_session_record(
    session_id: str | None,
    *,
    token: str | None,
    app: str,
    owner_worker: str | None,
    user_id: str | None,
    roles: Iterable[str],
    metadata: Mapping[str, Any] | None,
    ttl: float,
) -> CreatedSession:
    """Check the arguments of ``create`` and build the record a backend will store.

    Missing ids and tokens are generated with :func:`new_secret`.
    """
    sid = check_id(session_id if session_id is not None else new_secret(), "session_id")
    plain = token if token is not None else new_secret()
    if not isinstance(plain, str) or not plain:
        raise TypeError(f"token must be a non-empty str, got {token!r}")
    if not isinstance(app, str):
        raise TypeError(f"app must be a str, got {app!r}")
    if owner_worker is not None:
        check_id(owner_worker, "owner_worker")
    if user_id is not None:
        check_id(user_id, "user_id")
    now = time.time()
    record = SessionRecord(
        session_id=sid,
        token_hash=hash_token(plain),
        app=app,
        owner_worker=owner_worker,
        created=now,
        last_seen=now,
        expires=now + check_ttl(ttl),
        user_id=user_id,
        roles=_roles(roles),
        metadata=_metadata(metadata),
    )
    return CreatedSession(record, plain)


def apply_session_changes(record: SessionRecord, changes: Mapping[str, Any]) -> SessionRecord:
    """Return ``record`` with ``changes`` (a subset of the updatable fields) applied."""
    unknown = sorted(set(changes) - SESSION_FIELDS_UPDATABLE)
    if unknown:
        raise TypeError(
            f"cannot update session field(s) {', '.join(unknown)}; "
            f"updatable: {', '.join(sorted(SESSION_FIELDS_UPDATABLE))}"
        )
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "app":
            if not isinstance(value, str):
                raise TypeError(f"app must be a str, got {value!r}")
            clean[name] = value
        elif name in ("owner_worker", "user_id"):
            clean[name] = None if value is None else check_id(value, name)
        elif name == "roles":
            clean[name] = _roles(value)
        else:
            clean[name] = _metadata(value)
    return replace(record, **clean)


@dataclass(slots=True)
class ConnectionInfo:
    """Which worker holds a session's live connection, and until when that is known.

    ``info`` is free JSON-able data the session layer may attach (transport, client
    address …). Times are wall-clock (``time.time()``).
    """

    session_id: str
    worker_id: str
    registered: float
    last_heartbeat: float
    expires: float
    info: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the entry as a JSON-able dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ConnectionInfo:
        """Rebuild an entry from :meth:`to_dict`'s output."""
        return cls(
            session_id=data["session_id"],
            worker_id=data["worker_id"],
            registered=float(data["registered"]),
            last_heartbeat=float(data["last_heartbeat"]),
            expires=float(data["expires"]),
            info=dict(data.get("info") or {}),
        )

    @property
    def ttl(self) -> float:
        """The lifetime this entry was last given, in seconds."""
        return self.expires - self.last_heartbeat

    def renewed(self, ttl: float) -> ConnectionInfo:
        """Return a copy whose heartbeat is now and that expires ``ttl`` seconds later."""
        now = time.time()
        return replace(self, last_heartbeat=now, expires=now + ttl, info=dict(self.info))


def new_connection_info(
    session_id: str, worker_id: str, info: Mapping[str, Any] | None, ttl: float
) -> ConnectionInfo:
    """Check the arguments of ``register`` and build the router entry."""
    now = time.time()
    return ConnectionInfo(
        session_id=check_id(session_id, "session_id"),
        worker_id=check_id(worker_id, "worker_id"),
        registered=now,
        last_heartbeat=now,
        expires=now + check_ttl(ttl),
        info=_metadata(info) if info is not None else {},
    )


_MESSAGE_FIELDS = frozenset(
    {"type", "data", "session_id", "source_worker", "target_worker", "timestamp", "message_id"}
)


@dataclass(slots=True)
class EventMessage:
    """One message on the event bus.

    ``type`` says what it is (``"relay"``, ``"close"``, an app's own kind …);
    ``data`` must be JSON-able. ``target_worker`` lets a message on a shared channel
    address one worker; ``source_worker`` lets a worker ignore its own messages.
    """

    type: str
    data: Any = None
    session_id: str | None = None
    source_worker: str | None = None
    target_worker: str | None = None
    timestamp: float = field(default_factory=time.time)
    message_id: str = field(default_factory=lambda: secrets.token_hex(16))

    def to_json(self) -> str:
        """Serialise the message; ``TypeError`` if ``data`` is not JSON-able."""
        if not isinstance(self.type, str) or not self.type:
            raise TypeError(f"EventMessage.type must be a non-empty str, got {self.type!r}")
        return dump_json(asdict(self), "EventMessage.data")

    @classmethod
    def from_json(cls, raw: str | bytes) -> EventMessage:
        """Parse :meth:`to_json`'s output; ``ValueError`` if it is not such a message."""
        try:
            data = json.loads(raw)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"not a JSON event message: {exc}") from None
        valid = (
            isinstance(data, dict)
            and isinstance(data.get("type"), str)
            and isinstance(data.get("timestamp", 0.0), (int, float))
        )
        if not valid:
            raise ValueError(f"not an event message: {str(raw)[:200]!r}")
        return cls(**{k: v for k, v in data.items() if k in _MESSAGE_FIELDS})
