"""Settings: keywords first, then WEBIO_* variables, then defaults; bad values named."""
from __future__ import annotations

import os

import pytest

from webio.state.settings import ENV_VARS, StateSettings, default_worker_id


def test_defaults() -> None:
    settings = StateSettings.from_env({})
    assert settings.backend == "memory"
    assert settings.redis_url == "redis://127.0.0.1:6379/0"
    assert settings.redis_prefix == "webio:"
    assert settings.redis_pool_size >= 2
    assert settings.session_ttl > 0 and settings.connection_ttl > 0
    assert settings.deploy_mode is False and settings.is_deploy_mode is False
    assert settings.worker_id == default_worker_id()
    assert settings.heartbeat_interval == settings.connection_ttl / 3


def test_worker_id_default_is_host_pid_random() -> None:
    worker = default_worker_id()
    assert f"-{os.getpid()}-" in worker
    assert worker == default_worker_id()


def test_every_variable_is_read() -> None:
    env = {
        "WEBIO_STATE_BACKEND": "SQLite",
        "WEBIO_REDIS_URL": "redis://example.invalid:6380/2",
        "WEBIO_REDIS_PREFIX": "app1:",
        "WEBIO_REDIS_POOL_SIZE": "7",
        "WEBIO_SQLITE_PATH": "/tmp/x.db",
        "WEBIO_SQLITE_TIMEOUT": "2.5",
        "WEBIO_SQLITE_POLL_INTERVAL": "0.1",
        "WEBIO_SQLITE_EVENT_RETENTION": "30",
        "WEBIO_SESSION_TTL": "120",
        "WEBIO_CONNECTION_TTL": "9.5",
        "WEBIO_WORKER_ID": "web-3",
        "WEBIO_DEPLOY_MODE": "yes",
    }
    assert set(env) == set(ENV_VARS.values())
    settings = StateSettings.from_env(env)
    assert settings == StateSettings(
        backend="sqlite", redis_url="redis://example.invalid:6380/2", redis_prefix="app1:",
        redis_pool_size=7, sqlite_path="/tmp/x.db", sqlite_timeout=2.5,
        sqlite_poll_interval=0.1, sqlite_event_retention=30.0, session_ttl=120.0,
        connection_ttl=9.5, worker_id="web-3", deploy_mode=True,
    )


def test_keywords_beat_environment() -> None:
    env = {"WEBIO_STATE_BACKEND": "redis", "WEBIO_SESSION_TTL": "100"}
    settings = StateSettings.from_env(env, backend="memory", session_ttl=5)
    assert settings.backend == "memory" and settings.session_ttl == 5.0


def test_empty_variable_counts_as_unset() -> None:
    assert StateSettings.from_env({"WEBIO_STATE_BACKEND": " "}).backend == "memory"


@pytest.mark.parametrize(
    ("var", "value"),
    [
        ("WEBIO_STATE_BACKEND", "postgres"),
        ("WEBIO_SESSION_TTL", "ten"),
        ("WEBIO_CONNECTION_TTL", "-1"),
        ("WEBIO_SESSION_TTL", "inf"),
        ("WEBIO_REDIS_POOL_SIZE", "2.5"),
        ("WEBIO_REDIS_POOL_SIZE", "0"),
        ("WEBIO_REDIS_URL", "http://localhost"),
        ("WEBIO_DEPLOY_MODE", "maybe"),
        ("WEBIO_WORKER_ID", "has space"),
    ],
)
def test_bad_variable_is_named_with_its_value(var: str, value: str) -> None:
    with pytest.raises(ValueError) as info:
        StateSettings.from_env({var: value})
    assert var in str(info.value) and repr(value.strip()) in str(info.value)


def test_bad_keyword_is_named() -> None:
    with pytest.raises(ValueError, match=r"session_ttl.*'soon'"):
        StateSettings.from_env({}, session_ttl="soon")
    with pytest.raises(ValueError, match="backend"):
        StateSettings(backend="nope")
    with pytest.raises(TypeError, match="sesion_ttl"):
        StateSettings.from_env({}, sesion_ttl=3)


@pytest.mark.parametrize(
    ("backend", "deploy", "expected"),
    [("memory", False, False), ("memory", True, True), ("sqlite", False, True),
     ("redis", False, True), ("mypkg.state:Backend", False, True)],
)
def test_deploy_mode(backend: str, deploy: bool, expected: bool) -> None:
    assert StateSettings(backend=backend, deploy_mode=deploy).is_deploy_mode is expected


def test_role_permissions_are_normalised() -> None:
    settings = StateSettings(role_permissions={"admin": ["*"], "viewer": ("view", "view")})
    assert settings.role_permissions == {
        "admin": frozenset({"*"}), "viewer": frozenset({"view"})
    }
    with pytest.raises(TypeError):
        StateSettings(role_permissions={"admin": "all"})
    with pytest.raises(ValueError):
        StateSettings(role_permissions={"": ["x"]})
