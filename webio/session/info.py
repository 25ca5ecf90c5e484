"""``session.info``: what webio knows about the visitor and the request.

Built once per session by the platform layer from the request that opened it.
``user_agent`` is parsed by the user-agents package, so ``info.user_agent.is_mobile``,
``.browser.family``, ``.os.family`` … work as in PyWebIO.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import user_agents

__all__ = ["SessionInfo", "parse_accept_language"]


def parse_accept_language(header: str | None) -> str:
    """The visitor's preferred language from an ``Accept-Language`` header ('' if none)."""
    best, best_q = "", -1.0
    for part in (header or "").split(","):
        lang, _, params = part.strip().partition(";")
        if not lang or lang == "*":
            continue
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                continue
        if q > best_q:
            best, best_q = lang.strip(), q
    return best


@dataclass(slots=True)
class SessionInfo:
    """Facts about a session's visitor, readable as attributes or items.

    :ivar user_agent: parsed ``User-Agent`` (``is_mobile``, ``is_tablet``, ``is_pc``,
        ``is_touch_capable``, ``browser``, ``os``, ``device``)
    :ivar user_language: first language of ``Accept-Language``, e.g. ``'en-US'``
    :ivar server_host: the host the visitor asked for, e.g. ``'example.com:8080'``
    :ivar origin: ``scheme://host`` of the page that opened the session
    :ivar user_ip: the visitor's address (the proxy's, unless the proxy is trusted)
    :ivar backend: ``'tornado'``, ``'flask'`` or ``'aiohttp'``
    :ivar protocol: ``'websocket'`` or ``'http'``
    :ivar request: the web framework's own request object
    """

    user_agent_string: str = ""
    user_language: str = ""
    server_host: str = ""
    origin: str = ""
    user_ip: str = ""
    backend: str = ""
    protocol: str = ""
    request: Any = None
    _parsed_user_agent: Any = field(default=None, init=False, repr=False, compare=False)

    @property
    def user_agent(self) -> Any:
        """The parsed ``User-Agent``; parsed when first read, as most apps never ask."""
        if self._parsed_user_agent is None:
            self._parsed_user_agent = user_agents.parse(self.user_agent_string or "")
        return self._parsed_user_agent

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and hasattr(self, key)
