"""Fixtures of the state tests: a clean configuration, real SQLite files, real Redis.

The Redis tests use the server CI guarantees on 127.0.0.1:6379. When it does not
answer they fail, they are never skipped. Each test gets its own random key prefix
and its keys are deleted afterwards.
"""
from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable, Iterator

import pytest
import redis

from webio.state import factories
from webio.state.interfaces import StateBackend
from webio.state.memory import MemoryBackend, MemoryState
from webio.state.settings import ENV_VARS, StateSettings
from webio.state.sync import set_state_loop

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(autouse=True)
def isolated_state_config(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run each test with no ``WEBIO_*`` variable, no keyword settings, no cached state."""
    for var in ENV_VARS.values():
        monkeypatch.delenv(var, raising=False)
    factories.configure()
    set_state_loop(None)
    yield
    monkeypatch.undo()
    factories.configure()
    factories.clear_state_caches()
    set_state_loop(None)


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A fresh key prefix on the real Redis server; every key under it is deleted after."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        try:
            client.ping()
        except redis.RedisError as exc:
            pytest.fail(f"the Redis server at {REDIS_URL} must be running for these tests: {exc}")
        prefix = f"webio-test-{secrets.token_hex(6)}:"
        yield prefix
        keys = list(client.scan_iter(match=prefix + "*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture(
    params=["memory", "sqlite", pytest.param("redis", marks=pytest.mark.redis)],
)
def state_backend_factory(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[StateSettings], StateBackend]:
    """Make backends that share one storage: a MemoryState, a SQLite file, a Redis prefix."""
    kind = request.param
    if kind == "memory":
        state = MemoryState()
        return lambda settings: MemoryBackend(settings, state=state)
    if kind == "sqlite":
        from webio.state.sqlite import SQLiteBackend

        path = str(tmp_path_factory.mktemp("sqlite") / "state.sqlite3")
        return lambda settings: SQLiteBackend(
            dataclasses.replace(settings, backend="sqlite", sqlite_path=path)
        )
    from webio.state.redis_backend import RedisBackend

    prefix = request.getfixturevalue("redis_prefix")
    return lambda settings: RedisBackend(
        dataclasses.replace(settings, backend="redis", redis_url=REDIS_URL, redis_prefix=prefix)
    )
