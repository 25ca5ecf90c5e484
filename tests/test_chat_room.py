"""demos/chat_room.py: messages reach every visitor through the event bus, on all backends."""
from __future__ import annotations

import importlib.util
import uuid
from pathlib import Path

import pytest
from state_support import close_after_sessions

import webio.state
from webio.testing import TestClient

DEMO = Path(__file__).resolve().parent.parent / "demos" / "chat_room.py"


def load_demo():
    spec = importlib.util.spec_from_file_location("chat_room_demo", DEMO)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(params=["memory", "sqlite", "redis"])
def state_backend(request, tmp_path):
    settings = {"backend": request.param}
    if request.param == "sqlite":
        settings["sqlite_path"] = str(tmp_path / "state.sqlite3")
    if request.param == "redis":
        settings["redis_prefix"] = f"webio-test-{uuid.uuid4().hex[:8]}:"
    webio.state.clear_state_caches()
    webio.state.configure(**settings)
    yield request.param
    webio.state.configure()
    webio.state.clear_state_caches()


def test_two_visitors_talk_in_the_room(state_backend):
    with TestClient(load_demo().main) as ada:
        bob = ada.new_visitor()
        ada.submit("Ada")
        ada.wait_for_text("Ada joined the room")
        bob.submit("Bob")
        ada.wait_for_text("Bob joined the room")
        bob.wait_for_text("Bob joined the room")
        ada.submit("Hello Bob")
        bob.wait_for_text("Ada: Hello Bob")
        bob.submit("Hi Ada")
        ada.wait_for_text("Bob: Hi Ada")
        assert "Ada joined the room" not in " ".join(bob.texts), "history before joining is not replayed"
        ada.run_on_loop(close_after_sessions, ada)
