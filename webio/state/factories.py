"""The factories: one cached settings object, backend and registry per process.

``get_session_store()`` and its siblings build the configured backend on first use
and return the same stores afterwards. Backends are named as in uvicorn's maps,
``"module:attr"`` strings imported only when chosen, so ``import webio.state`` never
imports redis-py or sqlite3. A third party's backend is chosen by giving its own
``"package.module:Class"`` as the backend name.

All functions here are thread-safe. The stores they return are coroutine objects
bound to the event loop that first uses them (see :mod:`webio.state.sync`).

After ``os.fork()`` the child finds the caches empty and builds its own backend and
worker id: connections and threads of the parent are not usable in a child.
"""
from __future__ import annotations

import importlib
import os
import threading
from typing import Any

from webio.state.errors import BackendImportError
from webio.state.interfaces import (
    ConnectionRouter,
    EventBus,
    PageStore,
    SessionStore,
    StateBackend,
)
from webio.state.registry import CallbackRegistry
from webio.state.settings import StateSettings

BACKENDS: dict[str, str] = {
    "memory": "webio.state.memory:MemoryBackend",
    "sqlite": "webio.state.sqlite:SQLiteBackend",
    "redis": "webio.state.redis_backend:RedisBackend",
}
"""Backend name → ``"module:attr"`` of its class, imported on first use."""

_lock = threading.RLock()
_overrides: dict[str, Any] = {}
_settings: StateSettings | None = None
_backend: StateBackend | None = None
_registry: CallbackRegistry | None = None


def _forget_after_fork() -> None:
    """Drop the caches inherited from a parent process, and a lock its threads may hold."""
    global _lock, _settings, _backend, _registry
    _lock = threading.RLock()
    _settings = _backend = _registry = None


os.register_at_fork(after_in_child=_forget_after_fork)


def configure(**settings: Any) -> StateSettings:
    """Set the keyword settings, which take precedence over ``WEBIO_*`` variables.

    Each call replaces the keywords of the previous one (``configure()`` goes back to
    environment and defaults). The settings are checked at once — ``TypeError`` for an
    unknown keyword, ``ValueError`` for a bad value — and the cached backend and
    registry are dropped, so the next factory call builds them anew. Close the old
    backend first (``await close_state()``) if it was in use.
    """
    global _overrides, _settings, _backend, _registry
    new = StateSettings.from_env(**settings)
    with _lock:
        _overrides = dict(settings)
        _settings = new
        _backend = _registry = None
    return new


def get_settings() -> StateSettings:
    """Return the settings in force (keywords of :func:`configure`, then environment)."""
    global _settings
    with _lock:
        if _settings is None:
            _settings = StateSettings.from_env(**_overrides)
        return _settings


def get_state_backend() -> str:
    """Return the name of the configured backend: ``memory``, ``sqlite``, ``redis`` …"""
    return get_settings().backend


def is_deploy_mode() -> bool:
    """True when deploy mode was asked for or a shared backend (sqlite, redis) is chosen."""
    return get_settings().is_deploy_mode


def get_worker_id() -> str:
    """Return this process's worker id (``WEBIO_WORKER_ID`` or ``hostname-pid-random``)."""
    return get_settings().worker_id


def load_backend_class(name: str) -> type[StateBackend]:
    """Import and return the backend class called ``name`` (or given as ``module:attr``)."""
    target = BACKENDS.get(name, name)
    module_name, _, attr = target.partition(":")
    if not module_name or not attr:
        raise ValueError(f"unknown state backend {name!r}; expected one of {', '.join(BACKENDS)}")
    try:
        module = importlib.import_module(module_name)
    except BackendImportError:
        raise
    except ImportError as exc:
        raise BackendImportError(f"cannot import state backend {name!r} ({target}): {exc}") from exc
    try:
        cls = getattr(module, attr)
    except AttributeError:
        raise BackendImportError(f"state backend {name!r}: {module_name} has no {attr!r}") from None
    if not (isinstance(cls, type) and issubclass(cls, StateBackend)):
        raise TypeError(f"state backend {name!r} ({target}) is not a StateBackend subclass")
    return cls


def get_backend() -> StateBackend:
    """Return the cached backend, building it from the settings on first call."""
    global _backend
    with _lock:
        settings = get_settings()
        if _backend is None:
            _backend = load_backend_class(settings.backend)(settings)  # type: ignore[call-arg]
        return _backend


def get_session_store() -> SessionStore:
    """Return this process's session store."""
    return get_backend().session_store


def get_connection_router() -> ConnectionRouter:
    """Return this process's connection router."""
    return get_backend().connection_router


def get_event_bus() -> EventBus:
    """Return this process's event bus."""
    return get_backend().event_bus


def get_page_store() -> PageStore:
    """Return this process's page store."""
    return get_backend().page_store


def get_callback_registry() -> CallbackRegistry:
    """Return this process's callback registry (always process-local).

    Every click looks it up, so a built registry is returned without the lock.
    """
    global _registry
    registry = _registry
    if registry is not None:
        return registry
    with _lock:
        if _registry is None:
            _registry = CallbackRegistry()
        return _registry


def clear_state_caches() -> None:
    """Forget the cached settings, backend and registry; stored data is untouched.

    The next factory call reads the settings again and builds new objects. The old
    backend is not closed: use :func:`close_state` for that.
    """
    global _settings, _backend, _registry
    with _lock:
        _settings = _backend = _registry = None


async def check_state_backend() -> None:
    """Ping the configured backend; raise :class:`StateBackendError` if it does not answer.

    The server awaits it at start, so that a wrong Redis URL or a corrupt SQLite file
    is reported (naming the URL or path) before the first visitor comes.
    """
    await get_backend().ping()


async def close_state() -> None:
    """Close the cached backend (connections, threads, subscriptions) and forget it."""
    global _backend
    with _lock:
        backend, _backend = _backend, None
    if backend is not None:
        await backend.close()
