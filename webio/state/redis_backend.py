"""The ``redis`` backend: state shared by workers on any number of hosts.

Imported only when chosen (``WEBIO_STATE_BACKEND=redis``); it needs redis-py
(``pip install 'webio[redis]'``) and uses its ``redis.asyncio`` client over a
blocking pool of ``redis_pool_size`` connections.

Layout, every key under ``redis_prefix`` (``webio:`` by default):

==============================  ===================================================
``{p}session:{id}``             hash, one JSON value per field; PEXPIRE = session TTL
``{p}user:{user_id}``           sorted set of session ids scored by expiry
``{p}conn:{id}``                hash of the router entry; PEXPIRE = connection TTL
``{p}worker:{worker_id}``       sorted set of the worker's session ids, by expiry
``{p}page:{id}``                string, the JSON snapshot; PEXPIRE = page TTL
``{p}bus:{channel}``            pub/sub channel (nothing stored)
==============================  ===================================================

Conditional writes (create-if-absent, update-if-present, take-over rules of the
router) are small Lua scripts, so each is atomic. Index sets are cleaned lazily on
read: an id whose record vanished is dropped from its set.

Faults: every Redis error becomes a :class:`StateBackendError` naming the URL (its
password hidden). Connection failures are logged once per outage. The pub/sub reader
reconnects by itself with a backoff and subscribes again (messages published during
the outage are lost, as always with Redis pub/sub); the router's next heartbeat
writes this worker's entries again.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import math
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict
from typing import Any, ClassVar, cast
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from webio.state.channels import check_channel
from webio.state.errors import BackendImportError, StateBackendError
from webio.state.interfaces import ConnectionRouter, EventBus, PageStore, SessionStore, StateBackend
from webio.state.outage import OutageLog, logger
from webio.state.records import (
    ConnectionInfo,
    EventMessage,
    SessionRecord,
    apply_session_changes,
    dump_json,
)
from webio.state.settings import StateSettings
from webio.state.subscription import Fanout, Subscription
from webio.tasks import spawn

try:
    import redis.asyncio as aioredis
    from redis.asyncio.retry import Retry
    from redis.backoff import ExponentialBackoff
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import RedisError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError as exc:
    raise BackendImportError(
        "the redis state backend needs the redis package: pip install 'webio[redis]'"
    ) from exc

CONNECT_TIMEOUT = 5.0
"""Seconds to wait for a TCP connection, a reply, or a free pooled connection."""

SUBSCRIBE_TIMEOUT = 5.0
"""Seconds to wait for Redis to confirm a SUBSCRIBE."""

_CREATE_IF_ABSENT = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
"""

_UPDATE_IF_PRESENT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
if ARGV[1] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return redis.call('HGETALL', KEYS[1])
"""

_PUT_CONNECTION = """
if ARGV[2] ~= '1' then
  local owner = redis.call('HGET', KEYS[1], 'worker_id')
  if owner and owner ~= ARGV[3] then return 0 end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
"""

_DELETE_CONNECTION = """
local owner = redis.call('HGET', KEYS[1], 'worker_id')
if not owner then return false end
if ARGV[1] ~= '' and owner ~= ARGV[1] then return false end
redis.call('DEL', KEYS[1])
return owner
"""


def redact_url(url: str) -> str:
    """Return ``url`` with its password (in the authority or the query) replaced by ***."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        host = netloc.rsplit("@", 1)[1]
        netloc = f"{parts.username or ''}:***@{host}"
    query = parts.query
    if "password" in query:
        query = urlencode(
            [(k, "***" if k == "password" else v) for k, v in parse_qsl(query)], safe="*"
        )
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def _px(ttl: float) -> int:
    return max(1, math.ceil(ttl * 1000))


def _encode(data: Mapping[str, Any]) -> list[str]:
    """Flatten a dict into HSET arguments, each value as JSON."""
    flat: list[str] = []
    for key, value in data.items():
        flat += [key, dump_json(value, key)]
    return flat


def _decode(raw: Any) -> dict[str, Any]:
    """Rebuild a dict from HGETALL's answer (a mapping, or a flat list from Lua)."""
    pairs = raw.items() if isinstance(raw, Mapping) else zip(raw[::2], raw[1::2], strict=True)
    return {key: json.loads(value) for key, value in pairs}


class RedisLink:
    """The client, key naming and fault handling shared by the four Redis stores."""

    def __init__(self, url: str, *, prefix: str, pool_size: int) -> None:
        self.url = url
        self.safe_url = redact_url(url)
        self.prefix = prefix
        self.outage = OutageLog(f"Redis at {self.safe_url}")
        try:
            pool = aioredis.BlockingConnectionPool.from_url(
                url,
                max_connections=max(2, pool_size),
                timeout=CONNECT_TIMEOUT,
                decode_responses=True,
                socket_connect_timeout=CONNECT_TIMEOUT,
                socket_timeout=CONNECT_TIMEOUT,
                retry=Retry(ExponentialBackoff(cap=0.25, base=0.025), retries=2),
            )
        except ValueError as exc:
            raise ValueError(f"bad Redis URL {self.safe_url!r}: {exc}") from None
        self.client = aioredis.Redis.from_pool(pool)
        self.create_if_absent = self.client.register_script(_CREATE_IF_ABSENT)
        self.update_if_present = self.client.register_script(_UPDATE_IF_PRESENT)
        self.put_connection = self.client.register_script(_PUT_CONNECTION)
        self.delete_connection = self.client.register_script(_DELETE_CONNECTION)

    def key(self, kind: str, name: str) -> str:
        """Return the full key ``{prefix}{kind}:{name}``."""
        return f"{self.prefix}{kind}:{name}"

    @contextlib.contextmanager
    def guard(self, action: str) -> Iterator[None]:
        """Turn a Redis error inside the block into a StateBackendError naming the URL."""
        try:
            yield
        except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
            self.outage.failure(exc)
            raise StateBackendError(
                f"Redis at {self.safe_url} is unreachable ({action}): {exc}"
            ) from exc
        except RedisError as exc:
            raise StateBackendError(f"Redis at {self.safe_url}: {action} failed: {exc}") from exc
        self.outage.success()

    async def index_add(self, kind: str, name: str, member: str, expires: float) -> None:
        """Add ``member`` to the sorted set ``kind:name``, keeping the set alive as long."""
        key = self.key(kind, name)
        seconds = max(1, math.ceil(expires - time.time()) + 1)
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.zadd(key, {member: expires})
            pipe.expire(key, seconds, nx=True)
            pipe.expire(key, seconds, gt=True)
            await pipe.execute()

    async def index_members(self, kind: str, name: str) -> list[str]:
        """Return the members of ``kind:name`` whose score (expiry) is in the future."""
        key = self.key(kind, name)
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(key, "-inf", time.time())
            pipe.zrange(key, 0, -1)
            members: list[str] = (await pipe.execute())[1]
        return members

    async def close(self) -> None:
        """Close the client and its pool."""
        await self.client.aclose()


class RedisSessionStore(SessionStore):
    """Session records as Redis hashes, with a per-user index."""

    def __init__(
        self,
        link: RedisLink,
        *,
        ttl: float,
        role_permissions: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        super().__init__(ttl=ttl, role_permissions=role_permissions)
        self._link = link

    async def _insert_record(self, record: SessionRecord, ttl: float) -> bool:
        with self._link.guard("create session"):
            done = await self._link.create_if_absent(
                keys=[self._link.key("session", record.session_id)],
                args=[_px(ttl), *_encode(record.to_dict())],
            )
            if done and record.user_id is not None:
                await self._link.index_add("user", record.user_id, record.session_id, record.expires)
        return bool(done)

    async def _load_record(self, session_id: str) -> SessionRecord | None:
        with self._link.guard("get session"):
            raw = await self._link.client.hgetall(self._link.key("session", session_id))
        return SessionRecord.from_dict(_decode(raw)) if raw else None

    async def _update(self, session_id: str, ttl: float | None, fields: dict[str, Any]) -> SessionRecord | None:
        """Write ``fields`` (and a new TTL unless None) into a live record; return it."""
        with self._link.guard("update session"):
            raw = await self._link.update_if_present(
                keys=[self._link.key("session", session_id)],
                args=["" if ttl is None else _px(ttl), *_encode(fields)],
            )
        return SessionRecord.from_dict(_decode(raw)) if raw else None

    async def _renew_record(self, session_id: str, seen: float, ttl: float) -> SessionRecord | None:
        record = await self._update(session_id, ttl, {"last_seen": seen, "expires": seen + ttl})
        if record is not None and record.user_id is not None:
            with self._link.guard("index session"):
                await self._link.index_add("user", record.user_id, session_id, record.expires)
        return record

    async def _change_record(
        self, session_id: str, changes: Mapping[str, Any]
    ) -> SessionRecord | None:
        current = await self._load_record(session_id)
        if current is None:
            return None
        wanted = apply_session_changes(current, changes)
        fields = {k: v for k, v in wanted.to_dict().items() if k in changes}
        record = await self._update(session_id, None, fields)
        if record is not None and record.user_id != current.user_id:
            with self._link.guard("index session"):
                if current.user_id is not None:
                    await self._link.client.zrem(self._link.key("user", current.user_id), session_id)
                if record.user_id is not None:
                    await self._link.index_add("user", record.user_id, session_id, record.expires)
        return record

    async def _delete_record(self, session_id: str) -> bool:
        key = self._link.key("session", session_id)
        with self._link.guard("delete session"):
            async with self._link.client.pipeline(transaction=True) as pipe:
                pipe.hget(key, "user_id")
                pipe.delete(key)
                user_raw, removed = await pipe.execute()
            user_id = json.loads(user_raw) if user_raw else None
            if user_id is not None:
                await self._link.client.zrem(self._link.key("user", user_id), session_id)
        return bool(removed)

    async def _user_records(self, user_id: str) -> list[SessionRecord]:
        with self._link.guard("list sessions"):
            members = await self._link.index_members("user", user_id)
            if not members:
                return []
            async with self._link.client.pipeline(transaction=False) as pipe:
                for sid in members:
                    pipe.hgetall(self._link.key("session", sid))
                raws = await pipe.execute()
            records = [SessionRecord.from_dict(_decode(raw)) for raw in raws if raw]
            stale = {sid for sid, raw in zip(members, raws, strict=True) if not raw}
            stale |= {r.session_id for r in records if r.user_id != user_id}
            if stale:
                await self._link.client.zrem(self._link.key("user", user_id), *stale)
        return [r for r in records if r.user_id == user_id]


class RedisConnectionRouter(ConnectionRouter):
    """Router entries as Redis hashes, with a per-worker index."""

    def __init__(self, link: RedisLink, *, worker_id: str, ttl: float) -> None:
        super().__init__(worker_id=worker_id, ttl=ttl)
        self._link = link

    async def _write(self, entries: list[ConnectionInfo], *, force: bool) -> list[bool]:
        link = self._link
        with link.guard("register connection"):
            async with link.client.pipeline(transaction=False) as pipe:
                for entry in entries:
                    await link.put_connection(
                        keys=[link.key("conn", entry.session_id)],
                        args=[
                            _px(entry.ttl),
                            "1" if force else "0",
                            dump_json(entry.worker_id, "worker_id"),
                            *_encode(asdict(entry)),
                        ],
                        client=pipe,
                    )
                results = [bool(r) for r in await pipe.execute()]
            written = [e for e, ok in zip(entries, results, strict=True) if ok]
            if written:
                async with link.client.pipeline(transaction=False) as pipe:
                    for entry in written:
                        key = link.key("worker", entry.worker_id)
                        seconds = max(1, math.ceil(entry.ttl) + 1)
                        pipe.zadd(key, {entry.session_id: entry.expires})
                        pipe.expire(key, seconds, nx=True)
                        pipe.expire(key, seconds, gt=True)
                    await pipe.execute()
        return results

    async def _read(self, session_id: str) -> ConnectionInfo | None:
        with self._link.guard("read connection"):
            raw = await self._link.client.hgetall(self._link.key("conn", session_id))
        return ConnectionInfo.from_dict(_decode(raw)) if raw else None

    async def _remove(self, session_id: str, worker_id: str | None) -> bool:
        link = self._link
        with link.guard("unregister connection"):
            owner = await link.delete_connection(
                keys=[link.key("conn", session_id)],
                args=["" if worker_id is None else dump_json(worker_id, "worker_id")],
            )
            if owner is not None:
                await link.client.zrem(link.key("worker", json.loads(owner)), session_id)
        return owner is not None

    async def _list(self, worker_id: str) -> list[str]:
        link = self._link
        with link.guard("list connections"):
            members = await link.index_members("worker", worker_id)
            if not members:
                return []
            async with link.client.pipeline(transaction=False) as pipe:
                for sid in members:
                    pipe.hget(link.key("conn", sid), "worker_id")
                owners = await pipe.execute()
            mine = dump_json(worker_id, "worker_id")
            stale = [sid for sid, owner in zip(members, owners, strict=True) if owner != mine]
            if stale:
                await link.client.zrem(link.key("worker", worker_id), *stale)
        return sorted(sid for sid, owner in zip(members, owners, strict=True) if owner == mine)


class RedisEventBus(EventBus):
    """Redis pub/sub, read by one task per bus that feeds the local subscriptions.

    The bus holds one pub/sub connection; a channel is subscribed in Redis while
    at least one local subscription wants it, and :meth:`subscribe` returns only
    once Redis confirmed, so a message published after it returns is received.
    """

    def __init__(self, link: RedisLink) -> None:
        self._link = link
        self._bus_prefix = link.key("bus", "")
        self._fanout = Fanout()
        self._lock = asyncio.Lock()
        self._pubsub: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._confirmations: dict[str, list[asyncio.Future[None]]] = {}
        self._closed = False

    async def publish(self, channel: str, message: EventMessage) -> None:
        key = self._bus_prefix + check_channel(channel)
        payload = message.to_json()
        with self._link.guard("publish"):
            await self._link.client.publish(key, payload)

    async def subscribe(self, channel: str) -> Subscription:
        if self._closed:
            raise StateBackendError(f"the event bus on Redis at {self._link.safe_url} is closed")
        sub = Subscription(channel, self._detach)
        async with self._lock:
            if self._fanout.add(sub):
                try:
                    await self._subscribe_redis(self._bus_prefix + sub.channel)
                except BaseException:
                    self._fanout.remove(sub)
                    raise
        return sub

    async def _subscribe_redis(self, key: str) -> None:
        if self._pubsub is None:
            self._pubsub = self._link.client.pubsub()
        confirmed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._confirmations.setdefault(key, []).append(confirmed)
        try:
            with self._link.guard("subscribe"):
                await self._pubsub.subscribe(key)
            if self._reader is None or self._reader.done():
                self._reader = spawn(self._read(), name="webio-redis-bus-reader")
            try:
                await asyncio.wait_for(asyncio.shield(confirmed), SUBSCRIBE_TIMEOUT)
            except asyncio.TimeoutError:
                raise StateBackendError(
                    f"Redis at {self._link.safe_url} did not confirm SUBSCRIBE {key!r} "
                    f"within {SUBSCRIBE_TIMEOUT} s"
                ) from None
        finally:
            waiting = self._confirmations.get(key, [])
            if confirmed in waiting:
                waiting.remove(confirmed)
            if not waiting:
                self._confirmations.pop(key, None)

    async def _detach(self, sub: Subscription) -> None:
        async with self._lock:
            if self._fanout.remove(sub) and self._pubsub is not None and not self._closed:
                try:
                    with self._link.guard("unsubscribe"):
                        await self._pubsub.unsubscribe(self._bus_prefix + sub.channel)
                except StateBackendError as exc:
                    logger.debug("unsubscribe from %s failed: %s", sub.channel, exc)

    async def _read(self) -> None:
        """Read the pub/sub connection until the bus closes, reconnecting after faults."""
        backoff = 0.05
        while not self._closed:
            try:
                message = await self._pubsub.get_message(timeout=1.0)
            except (RedisError, OSError) as exc:
                self._link.outage.failure(exc)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 2.0)
                continue
            self._link.outage.success()
            backoff = 0.05
            if message is not None:
                self._dispatch(message)

    def _dispatch(self, message: Mapping[str, Any]) -> None:
        kind, key = message.get("type"), message.get("channel")
        if not isinstance(key, str) or not key.startswith(self._bus_prefix):
            return
        if kind == "message":
            self._fanout.deliver(key[len(self._bus_prefix):], message["data"])
        elif kind == "subscribe":
            for confirmed in self._confirmations.get(key, []):
                if not confirmed.done():
                    confirmed.set_result(None)

    async def close(self) -> None:
        """Stop the reader, close the pub/sub connection and this process's subscriptions."""
        self._closed = True
        for sub in self._fanout.clear():
            sub.mark_closed()
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)
        pubsub, self._pubsub = self._pubsub, None
        if pubsub is not None:
            await pubsub.aclose()


class RedisPageStore(PageStore):
    """Page snapshots as JSON strings with a TTL."""

    def __init__(self, link: RedisLink, *, ttl: float) -> None:
        super().__init__(ttl=ttl)
        self._link = link

    async def _put_page(self, session_id: str, text: str, ttl: float) -> None:
        with self._link.guard("save page"):
            await self._link.client.set(self._link.key("page", session_id), text, px=_px(ttl))

    async def _get_page(self, session_id: str) -> str | None:
        with self._link.guard("load page"):
            text = await self._link.client.get(self._link.key("page", session_id))
        return cast("str | None", text)  # the client decodes every reply to str

    async def _delete_page(self, session_id: str) -> bool:
        with self._link.guard("delete page"):
            return bool(await self._link.client.delete(self._link.key("page", session_id)))


class RedisBackend(StateBackend):
    """The Redis backend over ``settings.redis_url``, keys under ``settings.redis_prefix``.

    Creating it opens nothing; the first call connects. Call :meth:`ping` at start
    to learn at once whether Redis answers.
    """

    name: ClassVar[str] = "redis"
    shared: ClassVar[bool] = True

    def __init__(self, settings: StateSettings) -> None:
        self.link = RedisLink(
            settings.redis_url, prefix=settings.redis_prefix, pool_size=settings.redis_pool_size
        )
        self.session_store = RedisSessionStore(
            self.link, ttl=settings.session_ttl, role_permissions=settings.role_permissions
        )
        self.connection_router = RedisConnectionRouter(
            self.link, worker_id=settings.worker_id, ttl=settings.connection_ttl
        )
        self.event_bus: RedisEventBus = RedisEventBus(self.link)
        self.page_store = RedisPageStore(self.link, ttl=settings.session_ttl)
        self._closed = False

    async def ping(self) -> None:
        with self.link.guard("ping"):
            await self.link.client.ping()

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self.event_bus.close()
        await self.link.close()
