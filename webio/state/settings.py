"""The one settings object of the state layer, filled from keywords then ``WEBIO_*``.

A server passes its keyword arguments (``configure(backend="redis", ...)``); whatever
it leaves out is read from the environment, and whatever the environment leaves out
takes the default below. Every bad value raises ``ValueError`` naming the keyword or
the environment variable it came from, and the value itself.

Only the keyword ``role_permissions`` has no environment variable: a role → permissions
mapping is code, not deployment configuration.
"""
from __future__ import annotations

import math
import os
import re
import secrets
import socket
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

BUILTIN_BACKENDS = ("memory", "sqlite", "redis")
"""Names of the backends that ship with webio."""

ENV_VARS: dict[str, str] = {
    "backend": "WEBIO_STATE_BACKEND",
    "redis_url": "WEBIO_REDIS_URL",
    "redis_prefix": "WEBIO_REDIS_PREFIX",
    "redis_pool_size": "WEBIO_REDIS_POOL_SIZE",
    "sqlite_path": "WEBIO_SQLITE_PATH",
    "sqlite_timeout": "WEBIO_SQLITE_TIMEOUT",
    "sqlite_poll_interval": "WEBIO_SQLITE_POLL_INTERVAL",
    "sqlite_event_retention": "WEBIO_SQLITE_EVENT_RETENTION",
    "session_ttl": "WEBIO_SESSION_TTL",
    "connection_ttl": "WEBIO_CONNECTION_TTL",
    "worker_id": "WEBIO_WORKER_ID",
    "deploy_mode": "WEBIO_DEPLOY_MODE",
}
"""Setting name → environment variable that fills it when no keyword is given."""

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
_URL_SCHEMES = ("redis://", "rediss://", "unix://")
_WORKER_ID_RE = re.compile(r"^[A-Za-z0-9_.:@+-]{1,200}$")
_default_worker: tuple[int, str] | None = None


def default_worker_id() -> str:
    """Return ``hostname-pid-random``, the worker id used when none is configured.

    The value is computed once per process (a forked child gets its own), so every
    store of one worker reports the same id.
    """
    global _default_worker
    pid = os.getpid()
    if _default_worker is None or _default_worker[0] != pid:
        host = re.sub(r"[^A-Za-z0-9_.-]", "_", socket.gethostname()) or "host"
        _default_worker = (pid, f"{host}-{pid}-{secrets.token_hex(4)}")
    return _default_worker[1]


@dataclass(frozen=True)
class StateSettings:
    """Everything the state layer can be told; see ``docs/state.md`` for the table.

    Build one with :meth:`from_env` to apply the keyword → environment → default
    order, or construct it directly (tests, embedding) to use keywords and defaults
    only. Construction validates every field.
    """

    backend: str = "memory"
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_prefix: str = "webio:"
    redis_pool_size: int = 32
    sqlite_path: str = "webio-state.sqlite3"
    sqlite_timeout: float = 5.0
    sqlite_poll_interval: float = 0.05
    sqlite_event_retention: float = 60.0
    session_ttl: float = 3600.0
    connection_ttl: float = 30.0
    worker_id: str = field(default_factory=default_worker_id)
    deploy_mode: bool = False
    role_permissions: Mapping[str, Iterable[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.name != "role_permissions":
                value = _parse(f.name, getattr(self, f.name), f.name)
                object.__setattr__(self, f.name, value)
        object.__setattr__(
            self, "role_permissions", normalize_role_permissions(self.role_permissions)
        )

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, **overrides: Any
    ) -> StateSettings:
        """Build settings from keyword ``overrides``, then ``environ``, then defaults.

        ``environ`` defaults to ``os.environ``. An empty environment variable counts
        as unset. Unknown keywords raise ``TypeError``; bad values ``ValueError``.
        """
        env = os.environ if environ is None else environ
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise TypeError(f"unknown state setting(s): {', '.join(unknown)}")
        values: dict[str, Any] = {}
        for name, var in ENV_VARS.items():
            if name in overrides:
                values[name] = _parse(name, overrides[name], name)
            elif env.get(var, "").strip():
                values[name] = _parse(name, env[var].strip(), var)
        if "role_permissions" in overrides:
            values["role_permissions"] = overrides["role_permissions"]
        return cls(**values)

    @property
    def is_deploy_mode(self) -> bool:
        """True when asked for, or when the backend is shared between processes.

        A backend named ``"module:attr"`` (a third party's) counts as shared.
        """
        return self.deploy_mode or self.backend != "memory"

    @property
    def heartbeat_interval(self) -> float:
        """How often a worker should re-announce its sessions: a third of the TTL."""
        return self.connection_ttl / 3


def normalize_role_permissions(
    mapping: Mapping[str, Iterable[str]] | None,
) -> dict[str, frozenset[str]]:
    """Check a role → permissions mapping and return it with frozensets as values.

    A permission ``"*"`` in a role grants every permission.
    """
    if mapping is None:
        return {}
    if not isinstance(mapping, Mapping):
        raise TypeError(f"role_permissions must be a mapping, got {mapping!r}")
    result: dict[str, frozenset[str]] = {}
    for role, perms in mapping.items():
        if not isinstance(role, str) or not role:
            raise ValueError(f"role_permissions: role names must be non-empty str, got {role!r}")
        if isinstance(perms, str) or not isinstance(perms, Iterable):
            raise TypeError(
                f"role_permissions[{role!r}] must be a collection of permission names, "
                f"got {perms!r}"
            )
        names = frozenset(perms)
        if not all(isinstance(p, str) and p for p in names):
            raise ValueError(
                f"role_permissions[{role!r}] must hold non-empty str, got {sorted(names, key=str)!r}"
            )
        result[role] = names
    return result


def _parse(name: str, value: Any, source: str) -> Any:
    """Convert and check one setting; ``source`` (keyword or env var) names it in errors."""
    if name == "backend":
        return _backend(value, source)
    if name == "redis_url":
        return _text_where(
            value,
            source,
            lambda text: text.startswith(_URL_SCHEMES),
            "a redis://, rediss:// or unix:// URL",
        )
    if name == "redis_prefix":
        if not isinstance(value, str):
            raise ValueError(f"{source} must be a str, got {value!r}")
        return value
    if name == "redis_pool_size":
        return _positive_int(value, source)
    if name == "sqlite_path":
        if isinstance(value, os.PathLike):
            value = os.fspath(value)
        return _text(value, source)
    if name == "worker_id":
        return _text_where(
            value,
            source,
            _WORKER_ID_RE.match,
            "1-200 characters of letters, digits and _.:@+-",
        )
    if name == "deploy_mode":
        return _boolean(value, source)
    return _seconds(value, source)


def _backend(value: Any, source: str) -> str:
    text = _text(value, source)
    if text.lower() in BUILTIN_BACKENDS:
        return text.lower()
    module, _, attr = text.partition(":")
    if module and attr and not any(c.isspace() for c in text):
        return text
    raise ValueError(
        f"{source} must be one of {', '.join(BUILTIN_BACKENDS)} "
        f"(or 'package.module:Class'), got {value!r}"
    )


def _text(value: Any, source: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{source} must be a non-empty str, got {value!r}")
    return value.strip()


def _text_where(value: Any, source: str, valid: Callable[[str], object], requirement: str) -> str:
    """Return ``value`` as stripped text if ``valid`` accepts it; else name the ``requirement``."""
    text = _text(value, source)
    if not valid(text):
        raise ValueError(f"{source} must be {requirement}, got {value!r}")
    return text


def _positive_int(value: Any, source: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1 or isinstance(value, bool) or (isinstance(value, float) and number != value):
        raise ValueError(f"{source} must be a positive integer, got {value!r}")
    return number


def _seconds(value: Any, source: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number) or number <= 0:
        raise ValueError(f"{source} must be a positive number of seconds, got {value!r}")
    return number


def _boolean(value: Any, source: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError(
        f"{source} must be one of 1/true/yes/on or 0/false/no/off, got {value!r}"
    )
