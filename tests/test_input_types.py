"""Every input type, through the headless client, in thread and coroutine sessions."""
from __future__ import annotations

import pytest
from input_support import both

from webio.input import (
    COLOR,
    DATE,
    DATETIME,
    DATETIME_LOCAL,
    FLOAT,
    NUMBER,
    PASSWORD,
    TEXT,
    TIME,
    URL,
    actions,
    checkbox,
    input,
    input_group,
    radio,
    select,
    slider,
    textarea,
)
from webio.output import put_text


def ask(call_factory):
    """A script that asks one thing and shows ``repr`` of the answer."""
    def script():
        put_text("got " + repr((yield call_factory())))
    return script


@pytest.mark.parametrize(("kind_of_input", "sent", "expected"), [
    (TEXT, "Ada", "'Ada'"),
    (TEXT, None, "''"),
    (PASSWORD, "s3cret", "'s3cret'"),
    (URL, "https://example.org/x?y=1", "'https://example.org/x?y=1'"),
    (NUMBER, 42, "42"),
    (NUMBER, 42.0, "42"),
    (NUMBER, "17", "17"),
    (NUMBER, None, "None"),
    (FLOAT, 1.5, "1.5"),
    (FLOAT, 3, "3.0"),
    (DATE, "2024-02-29", "'2024-02-29'"),
    (TIME, "07:30", "'07:30'"),
    (COLOR, "#1a2B3c", "'#1a2B3c'"),
    (DATETIME_LOCAL, "2024-05-01T10:15", "'2024-05-01T10:15'"),
])
def test_input_converts_like_pywebio(webio_client, kind, kind_of_input, sent, expected):
    client = webio_client(both(ask(lambda: input("Value", type=kind_of_input)))[kind])
    form = client.wait_for_form()
    assert form.spec["inputs"][0]["type"] == kind_of_input
    assert form.spec["inputs"][0]["label"] == "Value"
    client.submit(sent)
    client.wait_for_text(f"got {expected}")


@pytest.mark.parametrize(("kind_of_input", "sent", "message"), [
    (NUMBER, "twelve", "whole number"),
    (NUMBER, 1.5, "whole number"),
    (NUMBER, True, "whole number"),
    (FLOAT, "NaN", "finite"),
    (FLOAT, [1], "number"),
    (TEXT, 5, "text"),
    (DATE, "29/02/2024", "YYYY-MM-DD"),
    (TIME, "7h30", "HH:MM"),
    (COLOR, "red", "#rrggbb"),
    (DATETIME, "2024-05-01 10:15", "date and time"),
])
def test_a_value_of_the_wrong_form_is_refused_next_to_the_field(webio_client, kind, kind_of_input, sent, message):
    client = webio_client(both(ask(lambda: input("Value", type=kind_of_input)))[kind])
    client.submit(sent)
    assert message in client.wait_for_error("Value")
    assert client.wait_for_form(), "the form stays open"


def test_html_limits_hold_on_the_server(webio_client, kind):
    client = webio_client(both(ask(lambda: input("Age", type=NUMBER, min=0, max=150)))[kind])
    client.submit(200)
    assert "at most 150" in client.wait_for_error("Age")
    client.submit(-1)
    client.wait_until(lambda: "at least 0" in client.wait_for_form().errors.get("data", ""), what="the new error")
    client.submit(30)
    client.wait_for_text("got 30")


def test_required_and_placeholder_and_help(webio_client, kind):
    script = ask(lambda: input("Name", required=True, placeholder="Ada", help_text="Your given name",
                               readonly=False, datalist=["Ada", "Grace"]))
    client = webio_client(both(script)[kind])
    item = client.wait_for_form().spec["inputs"][0]
    assert item["placeholder"] == "Ada" and item["help_text"] == "Your given name"
    assert item["required"] is True and item["datalist"] == ["Ada", "Grace"]
    client.submit("")
    assert "fill in" in client.wait_for_error("Name")
    client.submit("Grace")
    client.wait_for_text("got 'Grace'")


def test_textarea_keeps_lines_and_checks_lengths(webio_client, kind):
    client = webio_client(both(ask(lambda: textarea("Bio", rows=3, maxlength=5, minlength=2)))[kind])
    item = client.wait_for_form().spec["inputs"][0]
    assert (item["type"], item["rows"], item["maxlength"], item["minlength"]) == ("textarea", 3, 5, 2)
    client.submit("toolong")
    assert "at most 5" in client.wait_for_error("Bio")
    client.submit("😀😀😀")  # 6 UTF-16 code units, as a browser counts
    client.wait_until(lambda: "now 6" in client.wait_for_form().errors.get("data", ""), what="the count in UTF-16")
    client.submit("a\n b")
    client.wait_for_text("got 'a\\n b'")


def test_textarea_code_sends_the_editor_options(webio_client, kind):
    client = webio_client(both(ask(lambda: textarea("Code", code={"mode": "python"}, value="x = 1\n")))[kind])
    item = client.wait_for_form().spec["inputs"][0]
    assert item["code"] == {"mode": "python"} and item["value"] == "x = 1\n"
    client.submit()
    client.wait_for_text("got 'x = 1\\n'")


def test_select_returns_the_original_option_value(webio_client, kind):
    options = [("Origin", (0, 0)), {"label": "Unit", "value": {"x": 1}}, "plain"]
    client = webio_client(both(ask(lambda: select("Point", options)))[kind])
    client.choose("Point", "Origin")
    client.submit()
    client.wait_for_text("got (0, 0)")


def test_select_default_is_the_first_option_or_the_value(webio_client, kind):
    client = webio_client(both(ask(lambda: select("A", ["x", "y"])))[kind])
    client.submit()
    client.wait_for_text("got 'x'")
    client = webio_client(both(ask(lambda: select("B", ["x", "y"], value="y")))[kind])
    client.submit()
    client.wait_for_text("got 'y'")


def test_select_multiple_and_required(webio_client, kind):
    client = webio_client(both(ask(lambda: select("Langs", ["Py", "JS", "Go"], multiple=True, required=True)))[kind])
    client.submit()
    assert "fill in" in client.wait_for_error("Langs")
    client.choose("Langs", "Py", "Go")
    client.submit()
    client.wait_for_text("got ['Py', 'Go']")


def test_a_value_that_is_not_an_option_is_refused(webio_client, kind):
    client = webio_client(both(ask(lambda: select("Pick", ["a", "b", {"label": "C", "value": "c", "disabled": True}])))[kind])
    client.submit("z")
    assert "options offered" in client.wait_for_error("Pick")
    client.submit("c")
    client.wait_until(lambda: client.page.model.forms and "options" in next(iter(client.page.model.forms.values())).errors.get("data", ""), what="disabled refused")
    client.submit("b")
    client.wait_for_text("got 'b'")


def test_checkbox_returns_a_list(webio_client, kind):
    client = webio_client(both(ask(lambda: checkbox("Toppings", ["Ham", "Cheese", "Olives"], value=["Ham"], inline=True)))[kind])
    item = client.wait_for_form().spec["inputs"][0]
    assert item["inline"] is True and item["options"][0]["selected"] is True
    client.submit()
    client.wait_for_text("got ['Ham']")
    client2 = webio_client(both(ask(lambda: checkbox("Toppings", ["Ham", "Cheese", "Olives"])))[kind])
    client2.choose("Toppings", "Cheese", "Olives")
    client2.submit()
    client2.wait_for_text("got ['Cheese', 'Olives']")


def test_checkbox_refuses_duplicates_and_non_lists(webio_client, kind):
    client = webio_client(both(ask(lambda: checkbox("Box", ["a", "b"])))[kind])
    client.submit(["a", "a"])
    assert "once" in client.wait_for_error("Box")
    client.submit("a")
    client.wait_until(lambda: "among" in client.wait_for_form().errors.get("data", ""), what="a non-list refused")
    client.submit([])
    client.wait_for_text("got []")


def test_radio_returns_one_value_or_none(webio_client, kind):
    client = webio_client(both(ask(lambda: radio("Size", ["S", "M", "L"])))[kind])
    client.submit()
    client.wait_for_text("got None")
    client = webio_client(both(ask(lambda: radio("Size", ["S", "M", "L"], value="M", required=True)))[kind])
    item = client.wait_for_form().spec["inputs"][0]
    assert item["required"] is True
    client.choose("Size", "L")
    client.submit()
    client.wait_for_text("got 'L'")


def test_slider_int_and_float(webio_client, kind):
    client = webio_client(both(ask(lambda: slider("Volume", value=20, min_value=0, max_value=50, step=5)))[kind])
    item = client.wait_for_form().spec["inputs"][0]
    assert (item["min_value"], item["max_value"], item["step"], item["float"]) == (0, 50, 5, False)
    client.submit(51)
    assert "from 0 to 50" in client.wait_for_error("Volume")
    client.submit(7)
    client.wait_until(lambda: "steps of 5" in client.wait_for_form().errors.get("data", ""), what="the step error")
    client.submit(35.0)
    client.wait_for_text("got 35")
    client = webio_client(both(ask(lambda: slider("Ratio", value=0.5, max_value=1.0)))[kind])
    assert client.wait_for_form().spec["inputs"][0]["step"] == "any"
    client.submit()
    client.wait_for_text("got 0.5")


def test_actions_returns_the_pressed_value_and_cancel_gives_none(webio_client, kind):
    buttons = ["Yes", ("No", 0), {"label": "Later", "type": "cancel"}, {"label": "Clear", "type": "reset"}]
    client = webio_client(both(ask(lambda: actions("Sure?", buttons, help_text="Pick one")))[kind])
    item = client.wait_for_form().spec["inputs"][0]
    assert [b["type"] for b in item["buttons"]] == ["submit", "submit", "cancel", "reset"]
    client.press("No")
    client.wait_for_text("got 0")
    client = webio_client(both(ask(lambda: actions("Sure?", buttons)))[kind])
    client.press("Later")
    client.wait_for_text("got None")


def test_actions_submitted_another_way_gives_none_and_forged_values_are_refused(webio_client, kind):
    def script():
        data = yield input_group("Save", [input("Name", name="name"),
                                          actions("", [{"label": "Save", "value": "save"},
                                                       {"label": "Off", "value": "off", "disabled": True}],
                                                  name="act")])
        put_text("got " + repr(data))

    client = webio_client(both(script)[kind])
    client.submit(name="x", act="off")
    assert "buttons offered" in client.wait_for_error("act")
    client.submit(name="x")
    client.wait_for_text("got {'name': 'x', 'act': None}")


def test_a_cancel_button_cancels_an_input_group(webio_client, kind):
    def script():
        data = yield input_group("Group", [input("A", name="a"),
                                           actions("", [{"label": "Go", "value": 1},
                                                        {"label": "Stop", "type": "cancel"}], name="act")])
        put_text("got " + repr(data))

    client = webio_client(both(script)[kind])
    assert client.wait_for_form().spec["cancelable"] is False, "no extra Cancel button: the actions have one"
    client.press("Stop")
    client.wait_for_text("got None")


@pytest.mark.parametrize(("call", "error"), [
    (lambda: input("x", type="week"), ValueError),
    (lambda: input("x", name="bad name"), ValueError),
    (lambda: input("x", name=3), TypeError),
    (lambda: input("x", validate="no"), TypeError),
    (lambda: input("x", action=("label",)), TypeError),
    (lambda: input("x", datalist="abc"), TypeError),
    (lambda: textarea("x", rows=0), ValueError),
    (lambda: textarea("x", code="python"), TypeError),
    (lambda: select("x"), TypeError),
    (lambda: select("x", "abc"), TypeError),
    (lambda: select("x", [("only-label",)]), ValueError),
    (lambda: select("x", [{"label": "no value"}]), ValueError),
    (lambda: select("x", [object()]), TypeError),
    (lambda: checkbox("x", ["a"], value="a"), TypeError),
    (lambda: slider("x", min_value=5, max_value=1), ValueError),
    (lambda: slider("x", step=0), ValueError),
    (lambda: slider("x", value="3"), TypeError),
    (lambda: actions("x", [{"label": "no value"}]), ValueError),
    (lambda: actions("x", [("a", 1, "explode")]), ValueError),
    (lambda: actions("x"), TypeError),
    (lambda: input_group("x", ["not a field"]), TypeError),
    (lambda: input_group("x", [input("a", name="a"), input("b", name="a")]), ValueError),
])
def test_bad_arguments_raise_clear_errors(webio_client, call, error):
    def main():
        try:
            call()
        except error as exc:
            put_text(f"raised {type(exc).__name__}: {exc}")

    client = webio_client(main)
    client.wait_for_text(f"raised {error.__name__}")
