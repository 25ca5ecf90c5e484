"""The backend contract suite, run on the memory, SQLite and Redis backends."""
from __future__ import annotations

from webio.testing.state_contract import StateBackendContract


class TestStateContract(StateBackendContract):
    """Every contract test, once per backend of the ``state_backend_factory`` fixture."""
