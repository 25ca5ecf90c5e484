"""pytest fixture ``webio_client``: ``webio_client(main)`` returns a started TestClient.

Every client a test opened is closed when the test ends. Enable it with
``pytest_plugins = ["webio.testing.pytest_plugin"]``. The plugin also turns script
mode off: a webio call outside a session in a test raises instead of starting a server.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from webio.session.script_mode import forbid_script_mode
from webio.testing.client import TestClient


def pytest_configure(config: pytest.Config) -> None:
    forbid_script_mode()


@pytest.fixture
def webio_client() -> Iterator[Callable[..., TestClient]]:
    """A factory of :class:`TestClient` objects, closed after the test."""
    clients: list[TestClient] = []

    def open_client(app: Any, **options: Any) -> TestClient:
        client = TestClient(app, **options)
        clients.append(client)
        return client

    yield open_client
    for client in clients:
        client.close()
