"""Factories: one cached instance per process, lazy backend imports, configure()."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from webio import state
from webio.state import factories
from webio.state.errors import BackendImportError, StateBackendError
from webio.state.memory import MemoryBackend

REPO = Path(__file__).resolve().parents[2]


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter that imports webio from this work tree."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env = {k: v for k, v in env.items() if not k.startswith("WEBIO_")}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )


def test_factories_return_one_cached_instance() -> None:
    store = state.get_session_store()
    assert store is state.get_session_store()
    assert state.get_event_bus() is state.get_event_bus()
    assert state.get_connection_router() is state.get_connection_router()
    assert state.get_page_store() is state.get_page_store()
    assert state.get_callback_registry() is state.get_callback_registry()
    assert isinstance(state.get_backend(), MemoryBackend)
    assert state.get_state_backend() == "memory"
    assert state.is_deploy_mode() is False
    assert state.get_worker_id() == state.get_connection_router().worker_id


def test_clear_state_caches_drops_instances_not_data() -> None:
    async def scenario() -> None:
        backend = state.get_backend()
        await state.get_session_store().create("kept-sid")
        registry = state.get_callback_registry()
        state.clear_state_caches()
        assert state.get_backend() is not backend
        assert state.get_callback_registry() is not registry
        assert await backend.session_store.get("kept-sid") is not None
        await backend.close()
        await state.close_state()

    asyncio.run(scenario())


def test_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBIO_WORKER_ID", "env-worker")
    monkeypatch.setenv("WEBIO_DEPLOY_MODE", "1")
    state.clear_state_caches()
    assert state.get_worker_id() == "env-worker"
    assert state.is_deploy_mode() is True
    assert state.get_state_backend() == "memory"


def test_configure_beats_environment_and_resets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBIO_WORKER_ID", "env-worker")
    monkeypatch.setenv("WEBIO_SESSION_TTL", "50")
    registry = state.get_callback_registry()
    settings = state.configure(worker_id="kw-worker", role_permissions={"admin": ["*"]})
    assert settings is state.get_settings()
    assert state.get_worker_id() == "kw-worker"
    assert state.get_settings().session_ttl == 50.0
    assert state.get_session_store().role_permissions == {"admin": frozenset({"*"})}
    assert state.get_callback_registry() is not registry
    state.configure()
    assert state.get_worker_id() == "env-worker"


def test_configure_checks_at_once() -> None:
    with pytest.raises(ValueError, match=r"backend.*'mongo'"):
        state.configure(backend="mongo")
    with pytest.raises(TypeError, match="colour"):
        state.configure(colour="blue")
    assert state.get_state_backend() == "memory"


def test_bad_environment_raises_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBIO_CONNECTION_TTL", "soon")
    state.clear_state_caches()
    with pytest.raises(ValueError, match=r"WEBIO_CONNECTION_TTL.*'soon'"):
        state.get_connection_router()


def test_sqlite_backend_through_the_factories(tmp_path: Path) -> None:
    async def scenario() -> None:
        state.configure(backend="sqlite", sqlite_path=str(tmp_path / "f.db"))
        assert state.is_deploy_mode() is True
        await state.check_state_backend()
        await state.get_page_store().save("p", {"x": 1})
        assert await state.get_page_store().load("p") == {"x": 1}
        await state.close_state()

    asyncio.run(scenario())


def test_third_party_backend_by_module_attr() -> None:
    cls = factories.load_backend_class("webio.state.memory:MemoryBackend")
    assert cls is MemoryBackend
    with pytest.raises(BackendImportError, match="no_such_module"):
        factories.load_backend_class("no_such_module:Backend")
    with pytest.raises(TypeError, match="StateBackend"):
        factories.load_backend_class("webio.state.settings:StateSettings")


def test_redis_unreachable_at_start_names_the_url() -> None:
    async def scenario() -> None:
        state.configure(backend="redis", redis_url="redis://127.0.0.1:1/0")
        with pytest.raises(StateBackendError, match=r"redis://127\.0\.0\.1:1/0"):
            await state.check_state_backend()
        await state.close_state()

    asyncio.run(scenario())


def test_importing_webio_state_imports_no_backend() -> None:
    result = run_python(
        """
        import sys
        import webio.state
        webio.state.get_session_store()
        webio.state.get_callback_registry()
        loaded = [m for m in ("redis", "sqlite3", "webio.state.sqlite",
                              "webio.state.redis_backend") if m in sys.modules]
        print("loaded:", loaded)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "loaded: []"


def test_choosing_a_backend_imports_only_that_one() -> None:
    result = run_python(
        """
        import sys
        import webio.state
        webio.state.configure(backend="sqlite", sqlite_path=":memory:")
        webio.state.get_session_store()
        print("redis" in sys.modules, "webio.state.sqlite" in sys.modules)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True"


def test_missing_redis_package_says_how_to_install() -> None:
    result = run_python(
        """
        import sys
        sys.modules["redis"] = None  # as if redis-py were not installed
        import webio.state
        webio.state.configure(backend="redis")
        try:
            webio.state.get_session_store()
        except ImportError as exc:
            print(type(exc).__name__, exc)
        """
    )
    assert result.returncode == 0, result.stderr
    assert "BackendImportError" in result.stdout
    assert "pip install 'webio[redis]'" in result.stdout


def test_a_forked_child_builds_its_own_instances() -> None:
    result = run_python("""
        import os
        from webio import state
        registry, backend = state.get_callback_registry(), state.get_backend()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            fresh = state.get_callback_registry() is not registry and state.get_backend() is not backend
            os.write(write, b"fresh" if fresh else b"inherited")
            os._exit(0)
        os.waitpid(pid, 0)
        print(os.read(read, 20).decode(), state.get_callback_registry() is registry)
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["fresh", "True"]
