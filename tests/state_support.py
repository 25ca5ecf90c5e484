"""Closing a test's state backend on the loop that created it."""
from __future__ import annotations

import webio.state
from webio.testing import TestClient


async def close_after_sessions(client: TestClient) -> None:
    """End the sessions, wait for their records to go, then close the backend's connections."""
    client.hub.close_all()
    await client.hub.records.drain()
    await webio.state.close_state()
