"""One WebSocket client of a session, independent of the web framework.

An adapter accepts the socket, then calls :meth:`WebSocketClient.open` with the query
parameters, :meth:`on_message` for each text frame and :meth:`on_close` once. It
passes a :class:`SocketPort` through which frames go out.
"""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Mapping
from typing import Protocol

from webio.exceptions import ProtocolError
from webio.platform.adaptor.hub import SessionHub
from webio.platform.adaptor.inbound import deliver
from webio.protocol import Event, decode_event, encode_frame, make_command
from webio.session.base import Session
from webio.session.info import SessionInfo

logger = logging.getLogger("webio.server")

__all__ = ["SocketPort", "WebSocketClient", "parse_attach_query", "AttachRequest"]


class SocketPort(Protocol):
    """What the shared logic needs from a framework's WebSocket."""

    def send_text(self, text: str) -> Awaitable[None] | None:
        """Send a text frame; an awaitable completes when it was handed to the socket."""

    def close_socket(self) -> None:
        """Close the socket (idempotent)."""


class AttachRequest:
    """What a client asks for when it connects: a new session or an existing one."""

    def __init__(self, app: str, session_id: str | None, token: str | None, last_seq: int | None) -> None:
        self.app = app
        self.session_id = session_id
        self.token = token
        self.last_seq = last_seq


def parse_attach_query(query: Mapping[str, str]) -> AttachRequest:
    """Read ``app``, ``session`` (``NEW`` or an id), ``token`` and ``last_seq``.

    :raises ProtocolError: for a ``last_seq`` that is not a number ≥ 0.
    """
    session = query.get("session") or "NEW"
    last_seq_text = query.get("last_seq")
    last_seq = None
    if last_seq_text is not None:
        if not last_seq_text.isdigit():
            raise ProtocolError(f"last_seq must be a number ≥ 0, got {last_seq_text[:20]!r}")
        last_seq = int(last_seq_text)
    return AttachRequest(
        app=query.get("app") or "index",
        session_id=None if session == "NEW" else session,
        token=query.get("token"),
        last_seq=last_seq,
    )


class WebSocketClient:
    """Implements the session's :class:`~webio.session.port.Connection` over a port.

    The port is a WebSocket, an SSE response, a long-poll answer or PyWebIO's HTTP
    exchange (see :mod:`webio.platform.adaptor.http`): whatever moves text frames.
    """

    __slots__ = ("hub", "port", "session", "_closed", "__weakref__")

    def __init__(self, hub: SessionHub, port: SocketPort) -> None:
        self.hub = hub
        self.port = port
        self.session: Session | None = None
        self._closed = False

    def open(self, query: Mapping[str, str], info: SessionInfo) -> None:
        """Attach to a new or an existing session as the query asks."""
        try:
            request = parse_attach_query(query)
        except ProtocolError as exc:
            self._refuse(str(exc))
            return
        if request.app not in self.hub.apps:
            self._refuse(f"there is no app called {request.app[:60]!r}")
            return
        if request.session_id is None:
            session = self.hub.open_session(request.app, info)
            if session is None:
                self._refuse("the server does not take new visitors now")
                return
            self.session = session
            session.attach(self)
            session.start()
            return
        found = self.hub.find_session(request.session_id, request.token)
        if found is None:
            self._refuse("the session has ended or is unknown")
            return
        self.session = found
        found.attach(self, resume_from=request.last_seq)

    def _refuse(self, reason: str) -> None:
        logger.info("refused a connection: %s", reason)
        self.port.send_text(encode_frame([make_command("close_session", {"reason": reason})]))
        self.close()

    def on_message(self, text: str | bytes) -> None:
        """Handle one inbound frame; bad frames are refused without harm."""
        session = self.session
        if session is None:
            return
        try:
            event: Event | ProtocolError = decode_event(text, self.hub.options.max_payload_bytes)
        except ProtocolError as exc:
            event = exc
        deliver(session, [event])

    def on_close(self) -> None:
        """The socket has closed (either side); the client lets go of its session, so
        that a server holding on to its closed connections keeps no session alive."""
        self._closed = True
        session, self.session = self.session, None
        if session is not None:
            session.detach(self)

    def write(self, frame: str) -> Awaitable[None] | None:
        return self.port.send_text(frame)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.port.close_socket()
