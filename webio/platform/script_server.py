"""The Tornado server behind script mode (see :mod:`webio.session.script_mode`)."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import tornado.web

from webio.platform.adaptor import event_loop
from webio.platform.adaptor.hub import ServerOptions, SessionHub
from webio.platform.adaptor.serving import can_open_browser
from webio.platform.tornado import handler_class, serve
from webio.session.base import Session
from webio.session.info import SessionInfo
from webio.session.script_mode import ScriptSession

__all__ = ["run_script_server"]


class ScriptHub(SessionHub):
    """A hub whose only session is the running script, given to the first browser."""

    def __init__(self, session: ScriptSession) -> None:
        super().__init__({"index": session.app}, ServerOptions(), backend="tornado")
        self.script_session = session
        self.sessions[session.id] = session

    def open_session(self, app_name: str, info: SessionInfo) -> Session | None:
        return self.script_session.adopt(info)


def run_script_server(port: int, started: Callable[[ScriptSession, asyncio.AbstractEventLoop, asyncio.Event], Any]) -> None:
    """Serve the script's session on ``port`` until told to stop (runs in its own thread)."""

    async def main() -> None:
        loop = asyncio.get_running_loop()
        session = ScriptSession(loop=loop)
        hub = ScriptHub(session)
        stop = asyncio.Event()
        application = tornado.web.Application([(r"/", handler_class(hub))], websocket_ping_interval=20)
        await serve(application, hub, host="127.0.0.1", port=port, open_browser=can_open_browser(),
                    ready=lambda _port: started(session, loop, stop), stop=stop)

    event_loop.run(main())
