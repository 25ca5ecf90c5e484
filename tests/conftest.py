"""Shared fixtures: the webio_client factory and a leak check after every test."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

pytest_plugins = ["webio.testing.pytest_plugin", "browser_support", "output_support"]


def _webio_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(("webio-main-", "webio-testclient-loop"))]


@pytest.fixture(autouse=True)
def no_leaked_sessions() -> Iterator[None]:
    """Fail a test that leaves a session's main thread or a client loop running."""
    yield
    deadline = time.monotonic() + 5
    while _webio_threads() and time.monotonic() < deadline:
        _webio_threads()[0].join(0.1)
    leaked = _webio_threads()
    assert not leaked, f"webio threads still running after the test: {[t.name for t in leaked]}"


@pytest.fixture(params=["thread", "coroutine"])
def kind(request: pytest.FixtureRequest) -> str:
    """The kind of session a test runs its app in: once each (see ``input_support.both``)."""
    return request.param
