"""PyWebIO's HTTP exchange, kept working for the load drivers and scripts written for it.

The client names itself with a ``webio-session-id`` header: ``NEW-`` and a random key
on the request that creates the session (a GET; a POST may not create one, so a
cross-site form cannot), the bare key afterwards. Commands travel in numbered
*batches* (one per frame the session writes, ids from 0), events in numbered lists
(ids from 0):

* pull: ``GET ?app=NAME&ack=A`` — A is the last batch the client consumed (-1 at
  first). webio holds the pull up to :data:`PULL_HOLD_SECONDS` until there is
  something to send, so commands arrive as soon as they exist, without a poll delay.
* push: ``POST ?app=NAME&ack=A&seq=S`` with a JSON array of the events the server
  has not confirmed, S being the id of the first. An event is handled once even when
  the client sends it again.

Both answer ``{"commands": [[cmd, …], …], "seq": FIRST_BATCH_ID, "ack": LAST_EVENT_ID}``
with every batch after A. Batches up to A are dropped (and acknowledged to the
session's outbox). A client that sends no request for the session's HTTP timeout
(:meth:`ServerOptions.session_timeout`) is gone and its session closes.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from webio.exceptions import ProtocolError
from webio.platform.adaptor.buffered import BufferedPort
from webio.platform.adaptor.hub import SessionHub
from webio.platform.adaptor.inbound import decode_body, deliver
from webio.platform.adaptor.responses import SECURITY_HEADERS, Response, text_response
from webio.protocol import Event, encode_json, make_command
from webio.session.info import SessionInfo

logger = logging.getLogger("webio.server")

__all__ = ["PULL_HOLD_SECONDS", "PUSH_WAIT_SECONDS", "SESSION_HEADER", "LegacyExchange"]

SESSION_HEADER = "webio-session-id"
PULL_HOLD_SECONDS = 4.0
"""How long a pull waits for commands; short enough for clients with a 5 s timeout."""
PUSH_WAIT_SECONDS = 0.1
"""How long a push (or the first pull) waits for the commands its events cause."""

_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
_JSON_HEADERS = {"Content-Type": "application/json", "Cache-Control": "no-store", **SECURITY_HEADERS}


class _EventGate:
    """Lets each numbered event through once, in order."""

    def __init__(self) -> None:
        self.next_id = 0

    def admit(self, first_id: int, events: list[Event | ProtocolError]) -> list[Event | ProtocolError]:
        skip = self.next_id - first_id
        if skip < 0:
            logger.warning("a PyWebIO HTTP client skipped events %d..%d", self.next_id, first_id - 1)
            skip = 0
        self.next_id = max(self.next_id, first_id + len(events))
        return events[skip:]


def _int_param(query: Any, name: str) -> int | None:
    text = query.get(name)
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        raise ProtocolError(f"query parameter {name!r} must be a whole number, got {text[:20]!r}") from None


class _LegacyClient(BufferedPort):
    """One PyWebIO HTTP client: its batches are the kept frames, numbered from 0."""

    def __init__(self, hub: SessionHub, key: str, gone: Callable[[BufferedPort], None]) -> None:
        super().__init__(hub, gone)
        self.key = key
        self.events = _EventGate()

    def answer(self) -> Response:
        """Every batch the client has not consumed, and the id of the last event handled."""
        first = self.frames[0].number if self.frames else self.next_number
        batches = ",".join(kept.text if kept.text.startswith("[") else f"[{kept.text}]" for kept in self.frames)
        body = f'{{"commands":[{batches}],"seq":{first},"ack":{self.events.next_id - 1}}}'
        return Response(200, body.encode("utf-8"), dict(_JSON_HEADERS))


class LegacyExchange:
    """The PyWebIO HTTP clients of one hub, by the key each chose."""

    def __init__(self, hub: SessionHub) -> None:
        self.hub = hub
        self.clients: dict[str, _LegacyClient] = {}

    async def handle(self, method: str, query: Any, header: str, body: bytes, oversized: bool,
                     info: Callable[[], SessionInfo]) -> Response:
        """Answer one pull or push; ``header`` is the ``webio-session-id`` value."""
        try:
            acked = _int_param(query, "ack")
            first_event = _int_param(query, "seq")
        except ProtocolError as exc:
            return text_response(400, str(exc))
        ack = -1 if acked is None else acked
        header = header.strip()
        creating = header.startswith("NEW-")
        key = header[4:] if creating else header
        client = self.clients.get(key)
        if client is None and not creating:
            return self._gone(ack, "the session has ended or is unknown")
        if client is None:
            if method != "GET":
                return text_response(403, "a session is created by a GET request")
            if not _KEY.fullmatch(key):
                return text_response(400, "webio-session-id must be NEW- and 16 to 64 letters, digits, - or _")
            client = self._create(key, query, info())
        client.touch()
        client.confirm(lambda kept: kept.number <= ack)
        if method == "POST":
            refused = self._push(client, first_event, body, oversized)
            if refused is not None:
                return refused
            known = client.next_number
            await client.wait(lambda: client.next_number > known, PUSH_WAIT_SECONDS)
        else:
            await client.wait(lambda: bool(client.frames), PUSH_WAIT_SECONDS if creating else PULL_HOLD_SECONDS)
        client.touch()
        return client.answer()

    def _create(self, key: str, query: Any, info: SessionInfo) -> _LegacyClient:
        client = _LegacyClient(self.hub, key, self._forget)
        self.clients[key] = client
        client.client.open({"app": query.get("app") or "index", "session": "NEW"}, info)
        return client

    def _forget(self, port: BufferedPort) -> None:
        if isinstance(port, _LegacyClient) and self.clients.get(port.key) is port:
            del self.clients[port.key]

    def _push(self, client: _LegacyClient, first_event: int | None, body: bytes, oversized: bool) -> Response | None:
        """Hand the pushed events to the session; a Response when they are refused."""
        if first_event is None:
            return text_response(400, "a push needs the query parameter seq (id of its first event)")
        session = client.client.session
        events = decode_body(session, body, oversized=oversized, limit=self.hub.options.max_payload_bytes)
        if isinstance(events, Response):
            return events
        fresh = client.events.admit(first_event, events)
        if session is not None:
            deliver(session, fresh)
        return None

    @staticmethod
    def _gone(ack: int, reason: str) -> Response:
        command = encode_json([make_command("close_session", {"reason": reason})])
        body = f'{{"commands":[{command}],"seq":{ack + 1},"ack":-1}}'
        return Response(200, body.encode("utf-8"), dict(_JSON_HEADERS))
