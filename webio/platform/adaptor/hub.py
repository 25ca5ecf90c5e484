"""The sessions of one server: creating, finding, forgetting; shared by all adapters."""
from __future__ import annotations

import asyncio
import functools
import hmac
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from webio.platform.adaptor.apps import normalize_applications
from webio.platform.adaptor.origin import OriginPolicy, RequestFacts
from webio.platform.adaptor.page import PageConfig, StaticFiles, render_page
from webio.platform.adaptor.records import SessionRecords
from webio.platform.page_config import page_config_for
from webio.protocol import DEFAULT_MAX_FRAME_BYTES, parse_size
from webio.session.base import Session
from webio.session.info import SessionInfo, parse_accept_language
from webio.session.kinds import session_class_for

logger = logging.getLogger("webio.server")

__all__ = ["ServerOptions", "SessionHub", "load_static", "DEFAULT_HTTP_SESSION_EXPIRE"]

DEFAULT_HTTP_SESSION_EXPIRE = 60.0
"""Seconds an HTTP session outlives its last request or stream (PyWebIO's Tornado-HTTP default)."""


@functools.lru_cache(maxsize=4)
def load_static(root: str) -> StaticFiles:
    """The client's files under ``root``, read once per process."""
    return StaticFiles(root)


@dataclass
class ServerOptions:
    """Settings every adapter accepts, checked once."""

    reconnect_timeout: float = 0
    max_payload_size: int | str = DEFAULT_MAX_FRAME_BYTES
    allowed_origins: Sequence[str] | None = None
    check_origin: Callable[[str], bool] | None = None
    trusted_proxies: Sequence[str] = ()
    debug: bool = False
    page: PageConfig = field(default_factory=PageConfig)
    static_dir: str | None = None
    session_expire_seconds: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.reconnect_timeout, (int, float)) or self.reconnect_timeout < 0:
            raise ValueError(f"reconnect_timeout must be a number of seconds ≥ 0, got {self.reconnect_timeout!r}")
        expire = self.session_expire_seconds
        if expire is not None and (not isinstance(expire, (int, float)) or expire <= 0):
            raise ValueError(f"session_expire_seconds must be a number of seconds > 0, got {expire!r}")
        self.max_payload_bytes = parse_size(self.max_payload_size)
        self.origin_policy = OriginPolicy(
            allowed_origins=list(self.allowed_origins or ()),
            check_origin=self.check_origin,
            trusted_proxies=list(self.trusted_proxies),
        )

    def session_timeout(self, protocol: str) -> float:
        """Seconds a session of ``protocol`` waits for its client to come back.

        A WebSocket session waits ``reconnect_timeout`` (0: it ends with its socket).
        An HTTP client is between requests or streams all the time, so an HTTP session
        always waits: ``session_expire_seconds``, else ``reconnect_timeout``, else
        :data:`DEFAULT_HTTP_SESSION_EXPIRE`.
        """
        if protocol != "http":
            return self.reconnect_timeout
        return self.session_expire_seconds or self.reconnect_timeout or DEFAULT_HTTP_SESSION_EXPIRE


class SessionHub:
    """Runs the apps of one server: one session per visitor, found again by id.

    Lives on the event loop thread; adapters call it from their handlers.
    """

    def __init__(self, applications: Any, options: ServerOptions, *, backend: str) -> None:
        import webio

        self.apps = normalize_applications(applications)
        self.options = options
        self.backend = backend
        self.static = load_static(webio.STATIC_PATH)
        self.sessions: dict[str, Session] = {}
        self.records = SessionRecords()
        self._session_classes = {name: session_class_for(app) for name, app in self.apps.items()}

    def page_config(self, app_name: str) -> PageConfig:
        """What the page of ``app_name`` shows: its ``config()``, docstring, global config."""
        return page_config_for(self.apps[app_name], self.options.page)

    def page_html(self, app_name: str, transports: list[str]) -> str:
        """The HTML page that runs ``app_name``."""
        return render_page(self.static, self.page_config(app_name), app_name=app_name, transports=transports,
                           reconnect=self.options.reconnect_timeout > 0, debug=self.options.debug,
                           max_message_bytes=self.options.max_payload_bytes)

    def facts(self, headers: Mapping[str, str], *, peer_ip: str, host: str, scheme: str) -> RequestFacts:
        """Host, scheme, client address and origin of a request, proxies resolved."""
        return self.options.origin_policy.facts(headers, peer_ip=peer_ip, host=host, scheme=scheme)

    def origin_allowed(self, facts: RequestFacts) -> bool:
        """Whether the request's ``Origin`` may use this server; refusals are logged."""
        allowed = self.options.origin_policy.allows(facts)
        if not allowed:
            logger.warning("refused a request from origin %r to host %r", facts.origin, facts.host)
        return allowed

    def session_info(self, headers: Mapping[str, str], facts: RequestFacts, *, protocol: str, request: Any) -> SessionInfo:
        """``session.info`` for a session opened by this request."""
        return SessionInfo(
            user_agent_string=headers.get("User-Agent", ""),
            user_language=parse_accept_language(headers.get("Accept-Language")),
            server_host=facts.host,
            origin=facts.origin or f"{facts.scheme}://{facts.host}",
            user_ip=facts.client_ip,
            backend=self.backend,
            protocol=protocol,
            request=request,
        )

    def open_session(self, app_name: str, info: SessionInfo) -> Session | None:
        """Create (but not start) a session of app ``app_name``; None when refused.

        :raises KeyError: for an unknown app name.
        """
        app = self.apps[app_name]
        session: Session = self._session_classes[app_name](
            app,
            loop=asyncio.get_running_loop(),
            app_name=app_name,
            info=info,
            reconnect_timeout=self.options.session_timeout(info.protocol),
            on_close=self._forget,
            on_detach=self.records.detached,
        )
        session.max_payload_bytes = self.options.max_payload_bytes
        self.sessions[session.id] = session
        self.records.opened(session)
        logger.debug("session %s of app %r opened (%s)", session.short_id, app_name, session.kind)
        return session

    def find_session(self, session_id: str, token: str | None) -> Session | None:
        """The session ``session_id``; a given ``token`` must match its reconnect token.

        A session that ended while its visitor was away is still found until the
        visitor has fetched its last commands (or ``reconnect_timeout`` passed).
        """
        session = self.sessions.get(session_id)
        if session is None:
            return None
        if token is not None and not hmac.compare_digest(token.encode(), session.reconnect_token.encode()):
            logger.warning("refused a reconnect to session %s with a wrong token", session.short_id)
            return None
        return session

    def _forget(self, session: Session) -> None:
        self.sessions.pop(session.id, None)
        self.records.closed(session)

    def close_all(self) -> None:
        """Close every session and stop the state heartbeat (server shutdown)."""
        for session in list(self.sessions.values()):
            session.close("the server stopped")
            session.forget()
        self.records.stop()

    async def shutdown(self) -> None:
        """Close every session and wait until their state records are gone (server shutdown)."""
        self.close_all()
        await self.records.drain()


def serving_hub(applications: Any, *, backend: str, **options: Any) -> SessionHub:
    """The hub of a server that serves ``applications``; ``options`` are :class:`ServerOptions`.

    Serving apps turns script mode off: in this process a webio call made outside a
    session is an error, not a reason to start another server.
    """
    from webio.session.script_mode import forbid_script_mode

    forbid_script_mode()
    return SessionHub(applications, ServerOptions(**options), backend=backend)
