"""Malformed, unknown, forged and oversized input never crashes anything."""
from __future__ import annotations

import json

import pytest

from webio.input import NUMBER, input
from webio.output import put_buttons, put_text


def clicker():
    put_buttons(["Ping"], onclick=lambda _: put_text("pong"))
    input("Age", type=NUMBER)


HOSTILE_FRAMES = [
    "not json",
    "[]",
    "null",
    '{"event": "format_disk", "task_id": "x", "data": 1}',
    '{"event": "callback", "task_id": {"$gt": ""}, "data": 1}',
    '{"event": "callback", "task_id": "cb-forged", "data": "Ping"}',
    '{"event": "from_submit", "task_id": "form-closed-long-ago", "data": {"data": 1}}',
    '{"event": "js_yield", "task_id": "js-never-asked", "data": 1}',
    '{"event": "ack", "task_id": null, "data": {"seq": 999999}}',
    json.dumps({"event": "callback", "task_id": "x" * 10_000, "data": "y" * 100_000}),
]


@pytest.mark.parametrize("transport", ["memory", "websocket"])
def test_hostile_frames_are_refused_and_the_session_keeps_working(webio_client, transport):
    victim = webio_client(clicker, transport=transport)
    bystander = webio_client(clicker, transport=transport)
    victim.wait_for_form()
    for frame in HOSTILE_FRAMES:
        victim.send_raw(frame)
    victim.wait_until(lambda: len(victim.page.notices) >= 7, what="the refusals to be shown")
    assert all(n["level"] == "error" for n in victim.page.notices)
    victim.click("Ping")
    victim.wait_for_text("pong")
    bystander.click("Ping")
    bystander.wait_for_text("pong")
    assert bystander.page.notices == []
    assert not victim.closed


def test_a_callback_id_of_another_session_is_refused(webio_client):
    owner = webio_client(clicker)
    intruder = webio_client(clicker)
    owner_button = owner.wait_until(lambda: owner.buttons, what="buttons")[0]
    intruder.wait_for_form()
    intruder.send_raw(json.dumps({"event": "callback", "task_id": owner_button.callback_id, "data": "Ping"}))
    intruder.wait_for_notice("unknown callback id")
    assert "pong" not in owner.texts and "pong" not in intruder.texts


def test_a_value_of_the_wrong_type_is_shown_next_to_the_field(webio_client):
    client = webio_client(clicker)
    client.submit("forty")
    assert client.wait_for_error("Age") == "Please enter a whole number."
    client.submit({"nested": True})
    client.submit(41)
    client.wait_until(lambda: not client.page.forms(), what="the form to close")


def test_an_unknown_field_name_is_refused_and_the_form_stays(webio_client):
    client = webio_client(clicker)
    form = client.wait_for_form()
    client.send_raw(json.dumps({"event": "from_submit", "task_id": form.task_id, "data": {"data": 3, "is_admin": True}}))
    client.wait_for_notice("no field called 'is_admin'")
    assert client.page.forms()
    client.submit(3)
    client.wait_until(lambda: not client.page.forms(), what="the form to close")


@pytest.mark.parametrize("transport", ["memory", "websocket"])
def test_an_oversized_frame_is_refused(webio_client, transport):
    client = webio_client(clicker, transport=transport, reconnect_timeout=5, max_payload_size="1K")
    client.wait_for_form()
    client.send_raw(json.dumps({"event": "callback", "task_id": "x", "data": "a" * 5000}))
    if transport == "memory":
        client.wait_for_notice("over the limit of 1024 bytes")
    else:
        client.wait_until(lambda: client.page.closed or not client.session.attached, what="the socket to close")
    assert not client.session.closed, "the session survives; the visitor can reconnect"
