"""Long-polling: the fallback for networks whose proxies hold back streamed responses.

``GET PATH?app=A&session=NEW&transport=poll`` opens a session; later polls name it
(``session=ID&token=T``) and say what the page has applied (``last_seq=N``). A poll
is answered as soon as the session has written something the client has not
confirmed, or with ``[]`` after :data:`POLL_HOLD_SECONDS`; the answer is a JSON array
of frames, each one command object or an array of them::

    [{"command":"output",…,"seq":7}, [{"command":"output",…,"seq":8}, …]]

Frames stay on the server until a later poll's ``last_seq`` confirms them, so an
answer lost on the way is sent again. Between polls the session stays attached to a
:class:`~webio.platform.adaptor.buffered.BufferedPort`; when the client switches to
another transport (or comes back after the port was dropped) a new port attaches
with ``last_seq`` and the session replays what is missing.
"""
from __future__ import annotations

import hmac
from collections.abc import Mapping

from webio.platform.adaptor.buffered import BufferedPort
from webio.platform.adaptor.hub import SessionHub
from webio.platform.adaptor.responses import SECURITY_HEADERS, Response
from webio.session.info import SessionInfo

__all__ = ["POLL_HOLD_SECONDS", "LongPolls"]

POLL_HOLD_SECONDS = 25.0
"""How long a poll waits for commands; below the idle timeout of common proxies (30–60 s)."""

_HEADERS = {"Content-Type": "application/json", "Cache-Control": "no-store", **SECURITY_HEADERS}


class LongPolls:
    """The long-polling clients of one hub, by session id."""

    def __init__(self, hub: SessionHub, hold: float = POLL_HOLD_SECONDS) -> None:
        self.hub = hub
        self.hold = hold
        self.ports: dict[str, BufferedPort] = {}

    async def answer(self, query: Mapping[str, str], info: SessionInfo) -> Response:
        """Answer one poll with the frames the client has not confirmed."""
        port = self._port(query)
        if port is None:
            port = BufferedPort(self.hub, self._forget)
            port.client.open(query, info)
            if port.client.session is not None and not port.closed:
                self.ports[port.client.session.id] = port
        else:
            last_seq = int(query["last_seq"]) if query.get("last_seq", "").isdigit() else 0
            port.confirm(lambda kept: kept.seq is None or kept.seq <= last_seq)
        port.touch()
        await port.wait(lambda: bool(port.frames), self.hold)
        port.touch()
        body = "[" + ",".join(kept.text for kept in port.frames) + "]"
        return Response(200, body.encode("utf-8"), dict(_HEADERS))

    def _port(self, query: Mapping[str, str]) -> BufferedPort | None:
        """The port of the session the poll names, when its token (if given) matches.

        A port whose session ended still answers until its last frames (the
        ``close_session``) are fetched; one that another connection replaced and that
        has nothing left is not used again.
        """
        port = self.ports.get(query.get("session") or "NEW")
        session = port.client.session if port is not None else None
        if port is None or session is None or (port.closed and not port.frames):
            return None
        token = query.get("token")
        if token is not None and not hmac.compare_digest(token.encode(), session.reconnect_token.encode()):
            return None
        return port

    def _forget(self, port: BufferedPort) -> None:
        session = port.client.session
        if session is not None and self.ports.get(session.id) is port:
            del self.ports[session.id]
