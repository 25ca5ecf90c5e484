"""Shared state of webio: session records, connection routing, event bus, page
snapshots, and the process-local callback registry.

Three backends, chosen by ``WEBIO_STATE_BACKEND`` or ``configure(backend=...)``:
``memory`` (default, one process), ``sqlite`` (several processes on one host, one
file, persists) and ``redis`` (several hosts). The factories return one cached
instance per process; only the chosen backend's module (and so redis-py or sqlite3)
is imported. ``webio.state`` is the only part of webio that talks to SQLite or Redis.

Everything async must run on the server's event loop; threads use the sync door
(:func:`call_sync`, :func:`run_sync`) after the server called :func:`set_state_loop`.
See ``docs/state.md``.
"""
from __future__ import annotations

from webio.state.channels import app_channel, session_channel, worker_channel
from webio.state.errors import (
    BackendImportError,
    CallbackError,
    ForeignCallbackError,
    SessionExistsError,
    StateBackendError,
    StateError,
    SubscriptionClosed,
    UnknownCallbackError,
)
from webio.state.factories import (
    check_state_backend,
    clear_state_caches,
    close_state,
    configure,
    get_backend,
    get_callback_registry,
    get_connection_router,
    get_event_bus,
    get_page_store,
    get_session_store,
    get_settings,
    get_state_backend,
    get_worker_id,
    is_deploy_mode,
)
from webio.state.interfaces import (
    ConnectionRouter,
    EventBus,
    PageStore,
    SessionStore,
    StateBackend,
)
from webio.state.pubsub import (
    SyncSubscription,
    publish,
    publish_sync,
    subscribe,
    subscribe_sync,
)
from webio.state.records import (
    ConnectionInfo,
    CreatedSession,
    EventMessage,
    SessionRecord,
    hash_token,
    token_matches,
)
from webio.state.registry import CallbackRegistry
from webio.state.settings import StateSettings
from webio.state.subscription import Subscription
from webio.state.sync import call_sync, get_state_loop, run_sync, set_state_loop

__all__ = [
    "BackendImportError",
    "CallbackError",
    "CallbackRegistry",
    "ConnectionInfo",
    "ConnectionRouter",
    "CreatedSession",
    "EventBus",
    "EventMessage",
    "ForeignCallbackError",
    "PageStore",
    "SessionExistsError",
    "SessionRecord",
    "SessionStore",
    "StateBackend",
    "StateBackendError",
    "StateError",
    "StateSettings",
    "Subscription",
    "SubscriptionClosed",
    "SyncSubscription",
    "UnknownCallbackError",
    "app_channel",
    "call_sync",
    "check_state_backend",
    "clear_state_caches",
    "close_state",
    "configure",
    "get_backend",
    "get_callback_registry",
    "get_connection_router",
    "get_event_bus",
    "get_page_store",
    "get_session_store",
    "get_settings",
    "get_state_backend",
    "get_state_loop",
    "get_worker_id",
    "hash_token",
    "is_deploy_mode",
    "publish",
    "publish_sync",
    "run_sync",
    "session_channel",
    "set_state_loop",
    "subscribe",
    "subscribe_sync",
    "token_matches",
    "worker_channel",
]
