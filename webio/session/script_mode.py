"""Script mode: a plain script that calls ``put_text``/``input`` at top level.

The first webio call made outside any session, on the main thread, of a process that
has not started a server itself, starts a Tornado server in a background thread on a
free port (or ``WEBIO_SCRIPT_MODE_PORT``), prints its address and opens a browser
when there is one (not with ``WEBIO_NO_BROWSER=1`` or without a display). The script
itself is the session: the first browser that connects gets it. When the script has
finished and the page has received everything (or the visitor closed it), the
process exits.
"""
from __future__ import annotations

import asyncio
import atexit
import logging
import os
import sys
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from webio.exceptions import SessionClosedException
from webio.session.context import current_session
from webio.session.info import SessionInfo
from webio.session.thread_session import ThreadSession

logger = logging.getLogger("webio.session")

__all__ = ["start_script_mode", "forbid_script_mode", "ScriptSession"]

_forbidden = False
_lock = threading.Lock()
_session: ScriptSession | None = None


def forbid_script_mode() -> None:
    """This process serves apps itself; webio calls outside a session are errors."""
    global _forbidden
    _forbidden = True


class ScriptSession(ThreadSession):
    """The session of a script: its code is the process's main thread."""

    kind = "script"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(lambda: None, **kwargs)
        self.finished = threading.Event()
        self.server_thread: threading.Thread | None = None
        self.stop_server: Callable[[], None] | None = None
        self._attached_once = False

    def start(self) -> None:
        """Nothing to start: the script's code is already running on the main thread."""

    def adopt(self, info: SessionInfo) -> ScriptSession | None:
        """Give the session to the first browser; later ones get None."""
        if self._attached_once:
            return None
        self._attached_once = True
        self.info = info
        return self

    def detach(self, connection: Any) -> None:
        super().detach(connection)
        if self.closed and not self.attached:
            self.finished.set()

    def close(self, reason: str = "closed", *, notify: bool = True) -> None:
        super().close(reason, notify=notify)
        if self._attached_once and not self.attached:
            self.finished.set()


def _quiet_excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, SessionClosedException):
        print("webio: the page was closed, the script stops", file=sys.stderr, flush=True)
        return
    sys.__excepthook__(kind, value, tb)


def start_script_mode() -> ScriptSession | None:
    """Start serving this script, or return None where script mode is not allowed."""
    global _session
    with _lock:
        if _forbidden:
            return None
        if _session is None:
            _session = _launch()
            current_session.set(_session)
            sys.excepthook = _quiet_excepthook
            atexit.register(_wait_for_page, _session)
        return _session


def _launch() -> ScriptSession:
    from webio.platform.script_server import run_script_server

    port = int(os.environ.get("WEBIO_SCRIPT_MODE_PORT", "0") or 0)
    ready = threading.Event()
    holder: dict[str, Any] = {}

    def started(session: ScriptSession, loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
        holder.update(session=session, loop=loop, stop=stop)
        ready.set()

    thread = threading.Thread(target=run_script_server, args=(port, started), name="webio-script-server", daemon=True)
    thread.start()
    if not ready.wait(30):
        raise RuntimeError("webio's script-mode server did not start within 30 s")
    session: ScriptSession = holder["session"]
    session.server_thread = thread
    session.stop_server = lambda: holder["loop"].call_soon_threadsafe(holder["stop"].set)
    return session


def _wait_for_page(session: ScriptSession) -> None:
    session.main_finished()
    session.finished.wait()
    if session.stop_server is not None and session.server_thread is not None:
        session.stop_server()
        session.server_thread.join(10)
