"""A dropped connection loses nothing and shows nothing twice."""
from __future__ import annotations

import asyncio
import json
import threading

import pytest
from tornado.websocket import websocket_connect

from webio.input import input
from webio.output import put_buttons, put_text
from webio.testing import TestClient

BURST = 5000


def burst_app(release: threading.Event):
    def main():
        for i in range(BURST // 2):
            put_text(f"line {i}")
        release.wait(10)
        for i in range(BURST // 2, BURST):
            put_text(f"line {i}")
        put_text("burst done")
        input("still here?")

    return main


@pytest.mark.parametrize("transport", ["memory", "websocket"])
def test_a_connection_dropped_mid_burst_resumes_without_loss_or_duplicates(webio_client, transport):
    release = threading.Event()
    client = webio_client(burst_app(release), transport=transport, reconnect_timeout=30)
    client.wait_for_text("line 100")
    client.drop()
    release.set()
    client.reconnect()
    client.wait_for_text("burst done")
    texts = client.texts
    assert texts == [f"line {i}" for i in range(BURST)] + ["burst done"]
    assert client.page.gaps == []
    client.submit("yes")
    client.wait_closed()


def test_a_reloaded_page_gets_one_snapshot_of_the_same_page(webio_client):
    def main():
        put_text("before")
        put_buttons(["Add"], onclick=lambda _: put_text("added"))
        input("Your name?", placeholder="typed here")

    client = webio_client(main, reconnect_timeout=30)
    client.wait_for_form()
    client.click("Add")
    client.wait_for_text("added")
    client.fill("Your name?", "Ad")
    client.wait_until(lambda: client.session.page.forms and next(iter(client.session.page.forms.values())).values)
    client.reload()
    client.wait_for_text("added")
    assert [c["command"] for c in list(client.page.commands)[:3]] == ["set_session_id", "set_reconnect_token", "snapshot"]
    assert client.texts == ["before", "Add", "added"]
    assert client.wait_for_form().values == {"data": "Ad"}
    client.submit()
    client.wait_until(lambda: not client.page.forms(), what="the form to close")


def test_without_reconnect_timeout_a_drop_ends_the_session(webio_client):
    client = webio_client(lambda: input("x"))
    client.wait_for_form()
    session = client.session
    client.drop()
    client.wait_until(lambda: session.closed, what="the session to close")


def test_an_expired_session_is_closed_after_reconnect_timeout(webio_client):
    client = webio_client(lambda: input("x"), reconnect_timeout=0.2)
    client.wait_for_form()
    session = client.session
    client.drop()
    client.wait_until(lambda: session.closed, timeout=5, what="the session to expire")
    assert session.close_reason == "the visitor did not come back"


def test_an_unknown_session_id_is_answered_with_close_session():
    with TestClient(lambda: input("x"), transport="websocket", reconnect_timeout=5) as client:
        client.wait_for_form()

        async def attach(query):
            connection = await websocket_connect(f"ws://127.0.0.1:{client.port}/?{query}")
            message = await connection.read_message()
            connection.close()
            return json.loads(message)

        unknown = client.run_on_loop(attach, "app=index&session=no-such-session")
        assert unknown["command"] == "close_session"
        wrong_token = client.run_on_loop(attach, f"app=index&session={client.page.session_id}&token=forged")
        assert wrong_token["command"] == "close_session"
        assert not client.closed, "a forged token must not touch the real session"


def test_commands_sent_while_away_reach_a_visitor_who_returns_after_main_ended(webio_client):
    release = threading.Event()

    def main():
        put_text("first")
        release.wait(10)
        put_text("last words")

    client = webio_client(main, reconnect_timeout=30)
    client.wait_for_text("first")
    session = client.session
    client.drop()
    release.set()
    client.wait_until(lambda: session.closed, what="main to end")
    client.reconnect()
    client.wait_for_text("last words")
    client.wait_closed()
    client.wait_until(lambda: session.id not in client.hub.sessions, what="the session to be forgotten")


def test_server_shutdown_forgets_a_session_waiting_for_its_visitor(webio_client):
    release = threading.Event()

    def main():
        put_text("hello")
        release.wait(10)
        put_text("bye")

    client = webio_client(main, reconnect_timeout=30)
    client.wait_for_text("hello")
    session = client.session
    client.drop()
    release.set()
    client.wait_until(lambda: session.closed, what="main to end")
    assert session.id in client.hub.sessions, "it waits for the visitor's return"
    client.run_on_loop(client.hub.close_all)
    assert session.id not in client.hub.sessions


def test_an_ack_riding_on_an_event_trims_the_outbox_and_a_bad_one_is_refused(serve):
    def main():
        put_buttons(["Ping"], onclick=lambda _: put_text("pong"))

    served = serve(main, reconnect_timeout=30)

    async def next_commands(ws, until):
        seen = []
        while not any(until(command) for command in seen):
            frame = await asyncio.wait_for(ws.read_message(), 10)
            assert frame is not None, "the server closed the connection"
            decoded = json.loads(frame)
            seen.extend(decoded if isinstance(decoded, list) else [decoded])
        return seen

    async def drive():
        ws = await websocket_connect(f"ws://127.0.0.1:{served.port}/?app=index&session=NEW")
        first = await next_commands(ws, lambda c: c["command"] == "output" and c["spec"]["type"] == "buttons")
        session_id = next(c["spec"] for c in first if c["command"] == "set_session_id")
        buttons = next(c["spec"] for c in first if c["command"] == "output")
        session = served.hub.sessions.get(session_id)
        shown = max(c.get("seq", 0) for c in first)
        assert session.outbox.acked_seq == 0, "nothing is acknowledged before the client says so"

        click = {"event": "callback", "task_id": buttons["callback_id"], "data": "Ping"}
        ws.write_message(json.dumps({**click, "ack": shown}))
        answer = await next_commands(ws, lambda c: c["command"] == "output" and c["spec"].get("content") == "pong")
        assert session.outbox.acked_seq == shown

        ws.write_message(json.dumps({**click, "ack": "all"}))
        refused = await next_commands(ws, lambda c: c["command"] == "notice")
        assert "'ack' of a callback event must be an int" in refused[-1]["spec"]["message"]
        assert session.outbox.acked_seq == shown, "a malformed ack acknowledges nothing"
        ws.write_message(json.dumps({**click, "ack": max(c["seq"] for c in answer + refused)}))
        await next_commands(ws, lambda c: c["command"] == "output" and c["spec"].get("content") == "pong")
        assert not session.closed
        ws.close()

    asyncio.run(drive())
