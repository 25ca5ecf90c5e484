"""The Redis backend against the real server: unreachable URLs, an outage, recovery.

An outage is made with a small TCP proxy in front of the real server: closing the
proxy (and every connection through it) is what a crashed or partitioned Redis
looks like to the client, and no other user of the shared server is disturbed.
"""
from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from typing import Any

import pytest

from webio.state.errors import StateBackendError
from webio.state.records import EventMessage
from webio.state.redis_backend import RedisBackend, redact_url
from webio.state.settings import StateSettings

pytestmark = pytest.mark.redis

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


class TcpProxy:
    """Forward a local port to the Redis server; ``stop`` cuts every connection."""

    def __init__(self) -> None:
        self.port = 0
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._pumps: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(REDIS_HOST, REDIS_PORT)
        self._writers |= {writer, up_writer}
        pumps = {
            asyncio.ensure_future(self._pump(reader, up_writer)),
            asyncio.ensure_future(self._pump(up_reader, writer)),
        }
        self._pumps |= pumps
        await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        for w in (writer, up_writer):
            w.close()
        for pump in pumps:
            pump.cancel()
        await asyncio.gather(*pumps, return_exceptions=True)
        self._pumps -= pumps
        self._writers -= {writer, up_writer}

    @staticmethod
    async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for writer in list(self._writers):
            writer.close()
        deadline = time.monotonic() + 5
        while self._pumps and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        if server is not None:
            await server.wait_closed()


def settings(prefix: str, url: str = "redis://127.0.0.1:6379/0", **kw: Any) -> StateSettings:
    return dataclasses.replace(
        StateSettings(worker_id="proxied", session_ttl=60, connection_ttl=60),
        backend="redis", redis_url=url, redis_prefix=prefix, **kw,
    )


def test_unreachable_redis_names_the_url() -> None:
    async def scenario() -> None:
        backend = RedisBackend(settings("webio-test-none:", "redis://127.0.0.1:1/0"))
        try:
            started = time.monotonic()
            with pytest.raises(StateBackendError, match=r"redis://127\.0\.0\.1:1/0"):
                await backend.ping()
            with pytest.raises(StateBackendError, match=r"redis://127\.0\.0\.1:1/0"):
                await backend.session_store.create()
            with pytest.raises(StateBackendError, match=r"redis://127\.0\.0\.1:1/0"):
                await backend.event_bus.subscribe("app:x")
            assert time.monotonic() - started < 10
        finally:
            await backend.close()

    asyncio.run(scenario())


def test_password_is_hidden_in_errors() -> None:
    assert redact_url("redis://user:s3cret@host:1/0") == "redis://user:***@host:1/0"
    assert redact_url("redis://:s3cret@host:1/0") == "redis://:***@host:1/0"
    assert "s3cret" not in redact_url("unix:///tmp/r.sock?password=s3cret&db=1")
    assert redact_url("redis://host:1/0") == "redis://host:1/0"

    async def scenario() -> None:
        backend = RedisBackend(settings("webio-test-none:", "redis://:s3cret@127.0.0.1:1/0"))
        try:
            with pytest.raises(StateBackendError) as info:
                await backend.ping()
            assert "s3cret" not in str(info.value) and "***@127.0.0.1:1" in str(info.value)
        finally:
            await backend.close()

    asyncio.run(scenario())


def test_pool_size_setting_is_used(redis_prefix: str) -> None:
    async def scenario() -> None:
        backend = RedisBackend(settings(redis_prefix, redis_pool_size=3))
        try:
            assert backend.link.client.connection_pool.max_connections == 3
            await asyncio.gather(*(backend.page_store.save(f"p{i}", {"i": i}) for i in range(30)))
            assert await backend.page_store.load("p29") == {"i": 29}
        finally:
            await backend.close()

    asyncio.run(scenario())


def test_keys_live_under_the_prefix_with_ttls(redis_prefix: str) -> None:
    async def scenario() -> None:
        backend = RedisBackend(settings(redis_prefix))
        try:
            await backend.session_store.create("k-1", user_id="u1", ttl=30)
            await backend.connection_router.register("k-1", ttl=20)
            await backend.page_store.save("k-1", {}, ttl=10)
            client = backend.link.client
            keys = sorted([k async for k in client.scan_iter(match=redis_prefix + "*")])
            assert keys == sorted(
                redis_prefix + k
                for k in ("session:k-1", "user:u1", "conn:k-1", "worker:proxied", "page:k-1")
            )
            for key in keys:
                assert 0 < await client.ttl(key) <= 31
        finally:
            await backend.close()

    asyncio.run(scenario())


def test_outage_is_logged_once_and_state_catches_up(
    redis_prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        proxy = TcpProxy()
        await proxy.start()
        url = f"redis://127.0.0.1:{proxy.port}/0"
        worker = RedisBackend(settings(redis_prefix, url))
        direct = RedisBackend(dataclasses.replace(settings(redis_prefix), worker_id="direct"))
        try:
            await worker.connection_router.register("out-1")
            sub = await worker.event_bus.subscribe("app:outage")

            await proxy.stop()
            for _ in range(4):
                with pytest.raises(StateBackendError, match=f"127.0.0.1:{proxy.port}"):
                    await worker.session_store.get("any")
            with pytest.raises(StateBackendError):
                await worker.connection_router.heartbeat()
            assert await direct.connection_router.unregister("out-1") is True

            await proxy.start()
            deadline = time.monotonic() + 10
            while True:
                try:
                    if await worker.connection_router.heartbeat() == 1:
                        break
                except StateBackendError:
                    pass
                assert time.monotonic() < deadline, "heartbeat did not recover"
                await asyncio.sleep(0.05)
            assert await direct.connection_router.get_owner("out-1") == "proxied"

            while True:
                await direct.event_bus.publish("app:outage", EventMessage(type="back"))
                try:
                    message = await sub.get(timeout=0.2)
                    break
                except TimeoutError:
                    assert time.monotonic() < deadline, "subscription did not recover"
            assert message.type == "back"
        finally:
            await worker.close()
            await direct.close()
            await proxy.stop()

    with caplog.at_level("INFO", logger="webio.state"):
        asyncio.run(scenario())
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1, [r.getMessage() for r in errors]
    assert "unavailable" in errors[0].getMessage()
    recoveries = [r for r in caplog.records if "available again" in r.getMessage()]
    assert len(recoveries) == 1
