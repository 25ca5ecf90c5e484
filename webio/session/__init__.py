"""Session helpers, with PyWebIO's names: ``from webio.session import run_js, info …``.

``data`` is the deprecated spelling of ``local`` and warns when used.
"""
from __future__ import annotations

import warnings
from typing import Any

from webio.session.api import (
    TaskHandle,
    defer_call,
    download,
    eval_js,
    get_current_session,
    get_info,
    go_app,
    hold,
    info,
    local,
    register_thread,
    run_async,
    run_asyncio_coroutine,
    run_js,
    set_env,
)

__all__ = [
    "run_js",
    "eval_js",
    "download",
    "defer_call",
    "local",
    "info",
    "hold",
    "register_thread",
    "run_async",
    "run_asyncio_coroutine",
    "set_env",
    "go_app",
    "get_info",
    "get_current_session",
    "TaskHandle",
]


def __getattr__(name: str) -> Any:
    if name == "data":
        warnings.warn("webio.session.data is deprecated; use webio.session.local", DeprecationWarning, stacklevel=2)
        return local
    raise AttributeError(f"module 'webio.session' has no attribute {name!r}")
