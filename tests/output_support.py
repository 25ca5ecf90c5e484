"""Helpers of the output tests: run the same page-building code in both session kinds.

The ``open_app`` fixture (this module is a pytest plugin, see ``conftest.py``):
``open_app(build)`` runs ``build()`` as the ``main`` of a thread session
and, in the other parametrisation, of a coroutine session, and returns the
TestClient once ``build`` has finished (it puts the text ``DONE`` last).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from webio.output import put_text
from webio.testing import TestClient

DONE = "DONE"


@pytest.fixture(params=["thread", "coroutine"])
def open_app(request: pytest.FixtureRequest, webio_client: Callable[..., TestClient]) -> Iterator[Callable[..., TestClient]]:
    """``open_app(build, **client_options)``: run ``build`` in a session of each kind."""

    def open_(build: Callable[[], Any], **options: Any) -> TestClient:
        def main() -> None:
            build()
            put_text(DONE)

        async def async_main() -> None:
            build()
            put_text(DONE)

        client = webio_client(main if request.param == "thread" else async_main, **options)
        client.wait_for_text(DONE)
        return client

    yield open_


def outputs_of(client: TestClient, kind: str) -> list[dict[str, Any]]:
    """The outputs of type ``kind`` on the page, in page order."""
    return [o for o in client.page.outputs() if o.get("type") == kind]


def raised_in_session(webio_client: Callable[..., TestClient], call: Callable[[], object]) -> list[Exception]:
    """Run ``call()`` inside a thread session; return what it raised (at most one exception)."""
    seen: list[Exception] = []

    def main() -> None:
        try:
            call()
        except Exception as exc:  # noqa: BLE001 - the test inspects whatever was raised
            seen.append(exc)
        put_text("checked")

    webio_client(main).wait_for_text("checked")
    return seen
