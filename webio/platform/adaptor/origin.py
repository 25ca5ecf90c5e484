"""Who may open a session: origin checks and trusted proxies.

Browsers send an ``Origin`` header with WebSocket handshakes, SSE requests and POSTs.
By default a request is accepted only when that origin names the host the request was
sent to, which stops other websites from driving a visitor's session (cross-site
WebSocket hijacking). Clients that send no ``Origin`` (scripts, load drivers) are not
browsers acting for someone else and are accepted.

Behind a reverse proxy the host the browser used arrives in ``X-Forwarded-Host``
(and ``X-Forwarded-Proto``); those headers count only when the request comes from an
address listed in ``trusted_proxies``, since anybody can send them.
"""
from __future__ import annotations

import fnmatch
import ipaddress
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

__all__ = ["OriginPolicy", "RequestFacts"]


@dataclass(frozen=True)
class RequestFacts:
    """What the checks and ``session.info`` need from a request, proxy headers resolved."""

    host: str
    scheme: str
    client_ip: str
    origin: str | None


def _in_networks(ip: str, networks: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(address in network for network in networks)


@dataclass
class OriginPolicy:
    """The origin rules of one server.

    :param allowed_origins: extra origins to accept, as patterns matched against the
        whole origin (``'https://*.example.com'``) or its host (``'*.example.com'``).
    :param check_origin: a function ``(origin) -> bool`` that decides for origins
        other than the page's own host, instead of ``allowed_origins``.
    :param trusted_proxies: addresses or networks (``'10.0.0.0/8'``) of reverse proxies
        whose ``X-Forwarded-*`` headers are believed.

    .. warning:: ``allowed_origins=['*']`` or a ``check_origin`` that returns True
       for everything lets any website act in your visitors' sessions.
    """

    allowed_origins: Sequence[str] = ()
    check_origin: Callable[[str], bool] | None = None
    trusted_proxies: Sequence[str] = ()
    _networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.allowed_origins, str):
            raise TypeError("allowed_origins must be a list of patterns, not one string")
        self._networks = [ipaddress.ip_network(p, strict=False) for p in self.trusted_proxies]

    def facts(self, headers: Mapping[str, str], *, peer_ip: str, host: str, scheme: str) -> RequestFacts:
        """Resolve the request's real host, scheme and client address."""
        client_ip = peer_ip
        if self._networks and _in_networks(peer_ip, self._networks):
            host = headers.get("X-Forwarded-Host", host).split(",")[0].strip() or host
            scheme = headers.get("X-Forwarded-Proto", scheme).split(",")[0].strip() or scheme
            forwarded_for = headers.get("X-Forwarded-For", "").split(",")[0].strip()
            client_ip = forwarded_for or peer_ip
        return RequestFacts(host=host, scheme=scheme, client_ip=client_ip, origin=headers.get("Origin"))

    def allows(self, facts: RequestFacts) -> bool:
        """Whether a request with these facts may use the server."""
        origin = facts.origin
        if origin is None:
            return True
        origin_host = urlsplit(origin).netloc
        if origin_host and origin_host.lower() == facts.host.lower():
            return True
        if self.check_origin is not None:
            return bool(self.check_origin(origin))
        return any(
            fnmatch.fnmatch(origin, pattern) or fnmatch.fnmatch(origin_host, pattern)
            for pattern in self.allowed_origins
        )

