"""webio over plain HTTP, for every web framework: one route serves it all.

At the route where webio is mounted (``PATH``):

=============================================  ==========================================
``GET PATH?app=A``                             the page (``?_webio_static=…``: its files)
``GET PATH?app=A&session=NEW&transport=sse``   a new session; its commands as Server-Sent
                                               Events (:mod:`~webio.platform.adaptor.sse`)
``GET …&session=ID&token=T&transport=sse``     the same session again; ``Last-Event-ID``
                                               (or ``last_seq=N``) says what arrived
``GET …&transport=poll``                       the same by long-polling
                                               (:mod:`~webio.platform.adaptor.longpoll`)
``POST PATH?session=ID&token=T``               events: a JSON array (or one object);
                                               answered 204
any request with a ``webio-session-id`` header  PyWebIO's HTTP exchange
                                               (:mod:`~webio.platform.adaptor.legacy_http`)
``OPTIONS PATH``                               CORS preflight for ``allowed_origins``
=============================================  ==========================================

Streams, polls and POSTs are checked against the server's origin rules (same host,
``allowed_origins``, ``check_origin``, with ``trusted_proxies``), POST bodies against
``max_payload_size``; a refused body is answered 413 and the visitor is told. An HTTP
session waits for its client between requests for
:meth:`~webio.platform.adaptor.hub.ServerOptions.session_timeout` seconds.

Adapters turn their request into an :class:`HttpRequest`, await
:meth:`HttpEndpoint.handle` on the event loop and send the
:class:`~webio.platform.adaptor.responses.Response` it returns, or drive the
:class:`~webio.platform.adaptor.sse.EventStream`.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from webio.platform.adaptor.hub import SessionHub
from webio.platform.adaptor.inbound import decode_body, deliver
from webio.platform.adaptor.legacy_http import SESSION_HEADER, LegacyExchange
from webio.platform.adaptor.longpoll import LongPolls
from webio.platform.adaptor.origin import RequestFacts
from webio.platform.adaptor.responses import Response, answer_get, text_response
from webio.platform.adaptor.sse import EventStream
from webio.session.info import SessionInfo

logger = logging.getLogger("webio.server")

__all__ = ["ALL_TRANSPORTS", "HTTP_TRANSPORTS", "HttpEndpoint", "HttpRequest"]

HTTP_TRANSPORTS = ["sse", "poll"]
"""What an HTTP-only server offers the page, best first."""
ALL_TRANSPORTS = ["websocket", *HTTP_TRANSPORTS]
"""What a server that also holds WebSockets offers the page, best first."""


@dataclass
class HttpRequest:
    """A framework's request, as the shared logic needs it.

    :ivar query: query parameters (one value each)
    :ivar headers: request headers, looked up case-insensitively
    :ivar body: the POST body, at most ``max_payload_size + 1`` bytes
    :ivar oversized: the body is larger than ``max_payload_size`` (and was not read)
    :ivar raw: the framework's own request object, for ``session.info.request``
    :ivar transports: what this request's page is offered, when not the endpoint's
    """

    method: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    peer_ip: str
    host: str
    scheme: str
    body: bytes = b""
    oversized: bool = False
    raw: Any = None
    transports: list[str] | None = None


class HttpEndpoint:
    """The HTTP side of one :class:`SessionHub`. Lives on the event loop thread.

    :param transports: what the page is told to use, best first
    """

    def __init__(self, hub: SessionHub, transports: list[str]) -> None:
        self.hub = hub
        self.transports = list(transports)
        self.legacy = LegacyExchange(hub)
        self.polls = LongPolls(hub)

    @property
    def max_body(self) -> int:
        """Bytes of a POST body an adapter reads at most (one more than allowed)."""
        return self.hub.options.max_payload_bytes + 1

    async def handle(self, request: HttpRequest) -> Response | EventStream:
        """Answer ``request``: a response, or an event stream for the adapter to drive."""
        method = request.method.upper()
        facts = self.hub.facts(request.headers, peer_ip=request.peer_ip, host=request.host, scheme=request.scheme)
        query = request.query
        talks_to_session = (method not in ("GET", "HEAD") or SESSION_HEADER in request.headers
                            or "session" in query or "transport" in query)
        if not talks_to_session:
            transports = self.transports if request.transports is None else request.transports
            return answer_get(self.hub, query, request.headers, transports)
        if not self.hub.origin_allowed(facts):
            return text_response(403, "requests from this origin are not allowed")
        cors = self._cors_headers(facts)
        if method == "OPTIONS":
            return Response(204, b"", {**cors, **self._preflight_headers(facts)})
        header = request.headers.get(SESSION_HEADER)
        if header is not None:
            response = await self.legacy.handle(method, query, header, request.body, request.oversized,
                                                lambda: self._info(request, facts))
        elif method == "POST":
            response = self._post(request)
        elif method != "GET":
            response = text_response(405, f"{method} is not supported here")
        elif query.get("transport") == "poll":
            response = await self.polls.answer(query, self._info(request, facts))
        else:
            return self._stream(request, facts, cors)
        response.headers.update(cors)
        return response

    def _info(self, request: HttpRequest, facts: RequestFacts) -> SessionInfo:
        return self.hub.session_info(request.headers, facts, protocol="http", request=request.raw)

    def _stream(self, request: HttpRequest, facts: RequestFacts, cors: dict[str, str]) -> Response | EventStream:
        last_event_id = request.headers.get("Last-Event-ID")
        if last_event_id is not None and (request.query.get("session") or "NEW") == "NEW":
            # An EventSource reconnecting to the URL that created a session: it cannot
            # name that session, and must not create another one.
            return text_response(409, "a new session cannot be resumed; reconnect with session=<id>")
        return EventStream(self.hub, request.query, self._info(request, facts), last_event_id=last_event_id,
                           extra_headers=cors)

    def _post(self, request: HttpRequest) -> Response:
        session = self.hub.find_session(request.query.get("session") or "", request.query.get("token"))
        events = decode_body(session, request.body, oversized=request.oversized,
                             limit=self.hub.options.max_payload_bytes)
        if isinstance(events, Response):
            return events
        if session is None:
            # Acks racing a session's end need no answer; an action does.
            if all(not isinstance(event, Exception) and event["event"] == "ack" for event in events):
                return Response(204, b"", {"Cache-Control": "no-store"})
            return text_response(410, "the session has ended or is unknown")
        deliver(session, events)
        return Response(204, b"", {"Cache-Control": "no-store"})

    @staticmethod
    def _cors_headers(facts: RequestFacts) -> dict[str, str]:
        """CORS headers for an allowed request from another origin (none for same-origin)."""
        if facts.origin is None or urlsplit(facts.origin).netloc.lower() == facts.host.lower():
            return {}
        return {"Access-Control-Allow-Origin": facts.origin, "Vary": "Origin",
                "Access-Control-Expose-Headers": SESSION_HEADER}

    @staticmethod
    def _preflight_headers(facts: RequestFacts) -> dict[str, str]:
        if facts.origin is None:
            return {}
        return {"Access-Control-Allow-Methods": "GET, POST",
                "Access-Control-Allow-Headers": f"Content-Type, Last-Event-ID, {SESSION_HEADER}",
                "Access-Control-Max-Age": "86400"}
