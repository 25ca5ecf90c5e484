"""Names of event-bus channels.

Three families share one namespace, told apart by their prefix:

- ``session:{session_id}`` — messages for the worker that owns a session (a relayed
  event, a request to close it);
- ``worker:{worker_id}`` — messages for one worker process;
- ``app:{name}`` — channels of the application itself (a chat room that spans
  workers), used through :func:`webio.state.publish` / :func:`webio.state.subscribe`.
"""
from __future__ import annotations

from webio.state.records import check_id

SESSION_PREFIX = "session:"
WORKER_PREFIX = "worker:"
APP_PREFIX = "app:"


def check_channel(channel: object) -> str:
    """Return ``channel`` if it is a valid channel name (non-empty, no whitespace)."""
    return check_id(channel, "channel")


def session_channel(session_id: str) -> str:
    """Return the channel of one session: ``session:{session_id}``."""
    return SESSION_PREFIX + check_id(session_id, "session_id")


def worker_channel(worker_id: str) -> str:
    """Return the channel of one worker: ``worker:{worker_id}``."""
    return WORKER_PREFIX + check_id(worker_id, "worker_id")


def app_channel(name: str) -> str:
    """Return the application channel ``app:{name}``.

    A name that already starts with ``app:`` is returned unchanged, so passing a full
    channel name is harmless.
    """
    check_id(name, "channel")
    if name.startswith(APP_PREFIX) and len(name) > len(APP_PREFIX):
        return name
    return APP_PREFIX + name
