"""input_group, input_update, onchange, validate and action, in both kinds of session."""
from __future__ import annotations

import logging

import pytest
from input_support import both

from webio.input import NUMBER, input, input_group, input_update, select
from webio.output import put_text

COUNTRIES = {"France": ["Paris", "Lyon"], "Japan": ["Tokyo", "Osaka"]}


def test_group_returns_a_dict_and_validates_across_fields(webio_client, kind):
    def check(data):
        if data["low"] is not None and data["high"] is not None and data["low"] > data["high"]:
            return "high", "must not be below low"
        return None

    def script():
        data = yield input_group("Range", [input("Low", name="low", type=NUMBER),
                                           input("High", name="high", type=NUMBER)], validate=check)
        put_text("got " + repr(data))

    client = webio_client(both(script)[kind])
    form = client.wait_for_form()
    assert form.spec["label"] == "Range" and [i["name"] for i in form.spec["inputs"]] == ["low", "high"]
    client.fill("Low", 5)
    client.submit(High=3)
    assert client.wait_for_error("High") == "must not be below low"
    assert client.wait_for_form().values["low"] == 5, "what the visitor typed is kept"
    client.submit(high=9)
    client.wait_for_text("got {'low': 5, 'high': 9}")


def test_cancelable_group_returns_none(webio_client, kind):
    def script():
        data = yield input_group("Maybe", [input("A", name="a")], cancelable=True)
        put_text("got " + repr(data))

    client = webio_client(both(script)[kind])
    assert client.wait_for_form().spec["cancelable"] is True
    client.cancel()
    client.wait_for_text("got None")


def test_a_cancel_of_a_form_that_is_not_cancelable_is_refused(webio_client, kind):
    client = webio_client(both(lambda: (yield input("A")))[kind])
    client.cancel()
    client.wait_for_notice("cancel")
    assert client.wait_for_form()


def test_onchange_and_input_update_change_the_options_and_the_server_checks_them(webio_client, kind):
    def script():
        data = yield input_group("Where", [
            select("Country", list(COUNTRIES), name="country",
                   onchange=lambda c: input_update("city", options=COUNTRIES[c])),
            select("City", COUNTRIES["France"], name="city"),
        ])
        put_text("got " + repr(data))

    client = webio_client(both(script)[kind])
    form = client.wait_for_form()
    assert form.spec["inputs"][0]["onchange"] is True
    client.choose("Country", "Japan")
    client.wait_until(lambda: [o["label"] for o in client.wait_for_form().spec["inputs"][1]["options"]]
                      == ["Tokyo", "Osaka"], what="the new cities")
    client.submit(city="Paris")
    assert "options offered" in client.wait_for_error("City")
    client.choose("City", "Osaka")
    client.submit()
    client.wait_for_text("got {'country': 'Japan', 'city': 'Osaka'}")


def test_input_update_changes_the_triggering_field_by_default(webio_client, kind):
    def shout(value):
        if value and value != value.upper():
            input_update(value=value.upper(), help_text="upper case only")

    client = webio_client(both(lambda: (yield input("Word", onchange=shout)))[kind])
    client.change("Word", "abc")
    client.wait_until(lambda: client.wait_for_form().values.get("data") == "ABC", what="the updated value")
    assert client.wait_for_form().spec["inputs"][0]["help_text"] == "upper case only"


def test_input_update_outside_onchange_and_fixed_attributes_raise(webio_client, kind):
    def script():
        try:
            input_update("x", label="nope")
        except RuntimeError as exc:
            put_text("outside: " + str(exc))
        yield input("Word", onchange=lambda v: input_update(type="number"))

    client = webio_client(both(script)[kind])
    client.wait_for_text("outside: input_update() can only be called from the onchange callback")
    client.change("Word", "x")
    notice = client.wait_for_notice("internal error")
    assert notice["level"] == "error"


def test_an_exception_in_onchange_is_logged_and_reported(webio_client, kind, caplog):
    def broken(value):
        raise ZeroDivisionError("boom")

    def script():
        put_text("got " + (yield input("Word", onchange=broken)))

    client = webio_client(both(script)[kind])
    with caplog.at_level(logging.ERROR, logger="webio.session"):
        client.change("Word", "x")
        client.wait_for_notice("internal error")
    assert any("onchange function of field 'data'" in r.getMessage() and r.exc_info for r in caplog.records)
    client.submit("y")
    client.wait_for_text("got y")


def test_an_exception_in_validate_is_shown_next_to_the_field(webio_client, kind, caplog):
    def broken(value):
        raise KeyError(value)

    client = webio_client(both(lambda: (yield input("Word", validate=broken)))[kind])
    with caplog.at_level(logging.ERROR, logger="webio.input"):
        client.submit("x")
        assert "application failed" in client.wait_for_error("Word")
    assert any("validate function of field 'data' raised" in r.getMessage() for r in caplog.records)


def test_a_group_validate_that_raises_or_returns_nonsense_is_reported(webio_client, kind):
    client = webio_client(both(lambda: (yield input_group("G", [input("A", name="a")],
                                                          validate=lambda d: 1 / 0)))[kind])
    client.submit(a="x")
    assert "application failed" in client.wait_for_error("A")
    client = webio_client(both(lambda: (yield input_group("G", [input("A", name="a")],
                                                          validate=lambda d: "just text")))[kind])
    client.submit(a="x")
    assert "application failed" in client.wait_for_error("A")


def test_blur_shows_a_validation_error_early(webio_client, kind):
    client = webio_client(both(lambda: (yield input("Age", type=NUMBER,
                                                   validate=lambda v: "too young" if v < 18 else None)))[kind])
    client.fill("Age", 12)
    assert client.wait_for_error("Age") == "too young"
    client.fill("Age", 30)
    client.wait_until(lambda: "data" not in client.wait_for_form().errors, what="the error to clear")


def test_action_button_sets_the_value(webio_client, kind):
    def script():
        value = yield input("Code", type=NUMBER, action=("Pick", lambda set_value: set_value(7)))
        put_text("got " + repr(value))

    client = webio_client(both(script)[kind])
    action = client.wait_for_form().spec["inputs"][0]["action"]
    assert action["label"] == "Pick"
    client._send_event({"event": "callback", "task_id": action["callback_id"], "data": None})
    client.wait_until(lambda: client.wait_for_form().values.get("data") == 7, what="the value set")
    client.submit()
    client.wait_for_text("got 7")
    client.wait_closed()


def test_action_set_value_with_a_label_returns_the_hidden_value(webio_client, kind):
    marker = object()

    def script():
        value = yield input("When", action=("Now", lambda set_value: set_value(marker, "right now")))
        put_text("same object: " + str(value is marker))

    client = webio_client(both(script)[kind])
    action = client.wait_for_form().spec["inputs"][0]["action"]
    client._send_event({"event": "callback", "task_id": action["callback_id"], "data": None})
    client.wait_until(lambda: client.wait_for_form().spec["inputs"][0].get("readonly") is True, what="read-only")
    assert client.wait_for_form().values["data"] == "right now"
    client.submit()
    client.wait_for_text("same object: True")


def test_the_action_callback_is_forgotten_when_the_form_closes(webio_client, kind):
    client = webio_client(both(lambda: (yield input("X", action=("Go", lambda set_value: set_value("v")))))[kind])
    action = client.wait_for_form().spec["inputs"][0]["action"]
    client.submit("done")
    client.wait_closed()
    assert client.page.close_reason == "finished", "nothing keeps the finished session open"
    assert action["callback_id"]


@pytest.mark.parametrize("transport", ["memory", "websocket"])
def test_a_fresh_attach_shows_the_open_form_with_what_was_typed(webio_client, transport):
    def main():
        input_group("Profile", [input("Name", name="name"), select("City", ["Paris", "Lyon"], name="city")])

    client = webio_client(main, transport=transport, reconnect_timeout=30)
    client.fill("Name", "Ada")
    client.choose("City", "Lyon")
    client.wait_until(lambda: client.session.page.forms
                      and next(iter(client.session.page.forms.values())).values == {"name": "Ada", "city": "Lyon"},
                      what="the typed values in the server's page model")
    client.reload()
    form = client.wait_for_form()
    assert form.spec["label"] == "Profile"
    assert form.values == {"name": "Ada", "city": "Lyon"}
