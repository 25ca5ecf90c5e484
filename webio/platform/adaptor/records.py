"""Keeping ``webio.state`` in step with a server's live sessions.

When a session opens, its record (with the reconnect token's hash) goes to the
SessionStore and its router entry to the ConnectionRouter; while it lives the router
heartbeats and the record is refreshed; a detached session's page snapshot goes to
the PageStore so another worker could serve the visitor's return; at close all three
are removed. Callbacks live in the CallbackRegistry (see ``Session.register_callback``).
Store failures are logged by the backends and never break a session.
"""
from __future__ import annotations

import asyncio
import functools
from typing import Any

from webio.session.base import Session
from webio.state import (
    get_connection_router,
    get_page_store,
    get_session_store,
    get_settings,
    get_worker_id,
)
from webio.state.sync import set_state_loop
from webio.tasks import spawn, spawn_now

__all__ = ["SessionRecords"]


class SessionRecords:
    """The state bookkeeping of one hub's sessions (on the event loop thread)."""

    def __init__(self) -> None:
        self._opening: dict[str, asyncio.Task[Any]] = {}
        self._live: dict[str, Session] = {}
        self._beat: asyncio.Task[Any] | None = None
        self._removals: set[asyncio.Task[Any]] = set()

    def opened(self, session: Session) -> None:
        """Record a new session.

        The records are written here, up to their first wait: with the memory backend
        that is all of it, so a session opens without a task and a loop turn for them
        (about 2% of the server's CPU per session opened, benchmark d on aiohttp). A
        backend that waits on its server goes on in a task. A failure is logged as any
        background task's; the session lives on.
        """
        if self._beat is None:
            set_state_loop(asyncio.get_running_loop())
            self._beat = spawn(self._heartbeat(), name="webio-state-heartbeat")
        self._live[session.id] = session
        opening = spawn_now(self._create(session), name=f"webio-records-{session.short_id}")
        if opening is not None:
            self._opening[session.id] = opening
            opening.add_done_callback(functools.partial(self._opened, session.id))

    def _opened(self, session_id: str, opening: asyncio.Task[Any]) -> None:
        # A finished task is not worth keeping for every session that lives on.
        if self._opening.get(session_id) is opening:
            del self._opening[session_id]

    async def _create(self, session: Session) -> None:
        await get_session_store().create(session.id, token=session.reconnect_token, app=session.app_name,
                                         owner_worker=get_worker_id())
        await get_connection_router().register(session.id)

    def detached(self, session: Session) -> None:
        """Keep the page of a session whose visitor may come back."""
        if session.reconnect_timeout > 0 and not session.closed:
            snapshot = session.page.snapshot_spec()
            spawn(get_page_store().save(session.id, snapshot), name=f"webio-page-{session.short_id}")

    def closed(self, session: Session) -> None:
        """Remove every record of a session that ended."""
        self._live.pop(session.id, None)
        removal = spawn(self._remove(session.id, self._opening.pop(session.id, None)), name="webio-record-removal")
        self._removals.add(removal)
        removal.add_done_callback(self._removals.discard)

    async def _remove(self, session_id: str, opening: asyncio.Task[Any] | None) -> None:
        if opening is not None:
            await asyncio.wait([opening])
        await get_session_store().delete(session_id)
        await get_connection_router().unregister(session_id, get_worker_id())
        await get_page_store().delete(session_id)

    async def _heartbeat(self) -> None:
        period = max(min(get_settings().session_ttl, get_settings().connection_ttl) / 3, 0.1)
        router, store = get_connection_router(), get_session_store()
        while True:
            await asyncio.sleep(period)
            await router.heartbeat()
            for session_id in list(self._live):
                await store.refresh(session_id)

    def stop(self) -> None:
        """Stop heartbeating (server shutdown)."""
        if self._beat is not None:
            self._beat.cancel()
            self._beat = None

    async def drain(self) -> None:
        """Wait until the records of closed sessions are removed (before the loop stops)."""
        while self._removals:
            await asyncio.wait(list(self._removals))
