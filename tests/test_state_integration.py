"""Sessions keep their records in webio.state: created, refreshed, removed."""
from __future__ import annotations

import asyncio

import pytest
from state_support import close_after_sessions

import webio.state
from webio.input import input
from webio.output import put_buttons, put_text
from webio.state.errors import ForeignCallbackError
from webio.testing import TestClient


@pytest.fixture(params=["memory", "sqlite"])
def backend(request, tmp_path):
    webio.state.clear_state_caches()
    webio.state.configure(backend=request.param, sqlite_path=str(tmp_path / "state.sqlite3"))
    yield request.param
    webio.state.configure()
    webio.state.clear_state_caches()


def app():
    put_buttons(["Hi"], onclick=lambda _: put_text("hi"))
    input("name")


def test_a_session_is_recorded_while_it_lives_and_forgotten_at_close(backend):
    with TestClient(app, reconnect_timeout=30) as client:
        client.wait_for_form()
        session = client.session

        async def records():
            store, router = webio.state.get_session_store(), webio.state.get_connection_router()
            return await store.get(session.id), await router.get_owner(session.id), \
                await store.validate(session.id, session.reconnect_token)

        record, owner, token_ok = client.wait_until(lambda: client.run_on_loop(records)[0] and client.run_on_loop(records),
                                                     what="the session record")
        assert record.app == "index" and owner == webio.state.get_worker_id() and token_ok
        assert webio.state.get_callback_registry().session_callbacks(session.id)

        client.drop()
        snapshot = client.wait_until(lambda: client.run_on_loop(webio.state.get_page_store().load, session.id),
                                     what="the page snapshot of the detached session")
        assert snapshot["forms"][0]["spec"]["inputs"][0]["label"] == "name"

        client.reconnect()
        client.run_on_loop(session.close, "test over")
        client.wait_until(lambda: client.run_on_loop(records) == (None, None, False), what="the records to go")
        assert webio.state.get_callback_registry().session_callbacks(session.id) == []
        client.run_on_loop(close_after_sessions, client)


def test_the_registry_refuses_a_callback_id_of_another_session(backend):
    with TestClient(app) as owner:
        other = owner.new_visitor()
        button = owner.wait_until(lambda: owner.buttons, what="a button")[0]
        other.wait_for_form()
        registry = webio.state.get_callback_registry()
        with pytest.raises(ForeignCallbackError):
            registry.get(button.callback_id, session_id=other.session.id)
        owner.run_on_loop(close_after_sessions, owner)


@pytest.mark.parametrize("fails", ["at once", "after a wait"])
def test_a_session_store_that_fails_is_logged_and_the_session_lives_on(fails, monkeypatch, caplog):
    webio.state.clear_state_caches()
    webio.state.configure(backend="memory")
    store = webio.state.get_session_store()

    async def refuse(record, ttl):
        if fails == "after a wait":
            await asyncio.sleep(0)
        raise OSError("the store is down")

    monkeypatch.setattr(store, "_insert_record", refuse)
    try:
        with TestClient(app) as client:
            client.wait_for_form()
            client.click("Hi")
            client.wait_until(lambda: "hi" in client.texts, what="the callback's text")
            assert client.run_on_loop(store.get, client.session.id) is None
            name = f"webio-records-{client.session.short_id}"
        failures = [r for r in caplog.records if r.getMessage() == f"background task {name} failed"]
        assert len(failures) == 1 and "the store is down" in str(failures[0].exc_info[1])
    finally:
        webio.state.configure()
        webio.state.clear_state_caches()
