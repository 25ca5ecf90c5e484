"""The errors of :mod:`webio.state`, defined with all of webio's in :mod:`webio.exceptions`."""
from __future__ import annotations

from webio.exceptions import (
    BackendImportError,
    CallbackError,
    ForeignCallbackError,
    SessionExistsError,
    StateBackendError,
    StateError,
    SubscriptionClosed,
    UnknownCallbackError,
)

__all__ = [
    "StateError",
    "StateBackendError",
    "BackendImportError",
    "SessionExistsError",
    "SubscriptionClosed",
    "CallbackError",
    "UnknownCallbackError",
    "ForeignCallbackError",
]
