"""Pin widgets and the pin object, in thread and coroutine sessions."""
from __future__ import annotations

import pytest
from input_support import both

from webio.exceptions import PinNotFoundError
from webio.input import FLOAT, NUMBER
from webio.output import put_row, put_text, use_scope
from webio.pin import (
    get_pin_values,
    pin,
    pin_update,
    put_actions,
    put_checkbox,
    put_file_upload,
    put_input,
    put_radio,
    put_select,
    put_slider,
    put_textarea,
)
from webio.testing import UploadFile


def shows_values_on_click(setup, names, kind):
    """An app that puts widgets, then shows the pins' values each time 'Read' is clicked."""
    def script():
        setup()
        while True:
            yield pin_wait_for_click()
            values = []
            for name in names:
                values.append(f"{name}={(yield pin[name])!r}")
            put_text("values " + " ".join(values))
    return both(script)[kind]


def pin_wait_for_click():
    from webio.pin import pin_wait_change
    return pin_wait_change("read")


def setup_all():
    put_input("name", label="Name", value="Ada")
    put_input("age", type=NUMBER, label="Age", value=36)
    put_input("ratio", type=FLOAT, label="Ratio")
    put_textarea("bio", label="Bio", value="line 1\nline 2", rows=2, code=True)
    put_select("city", [("Paris", (48, 2)), ("Lima", (-12, -77))], label="City")
    put_select("langs", ["Py", "JS"], label="Languages", multiple=True, value=["JS"])
    put_checkbox("extras", ["Milk", "Sugar"], label="Extras", inline=True)
    put_radio("level", ["Low", "High"], label="Level", value="High")
    put_slider("volume", label="Volume", value=5, max_value=10)
    put_actions("read", label="Read", buttons=[{"label": "Read values", "value": "go"}])


NAMES = ["name", "age", "ratio", "bio", "city", "langs", "extras", "level", "volume"]


def test_every_widget_reads_its_initial_value(webio_client, kind):
    client = webio_client(shows_values_on_click(setup_all, NAMES, kind))
    client.press_pin("read", "Read values")
    client.wait_for_text("values name='Ada' age=36 ratio=None bio='line 1\\nline 2' city=(48, 2) langs=['JS'] "
                         "extras=[] level='High' volume=5")
    outputs = [o for o in client.page.outputs() if o.get("type") == "pin"]
    assert [o["input"]["type"] for o in outputs] == ["text", "number", "float", "textarea", "select", "select",
                                                     "checkbox", "radio", "slider", "actions"]
    assert client.pin("volume") == 5 and client.pin("langs") == ["JS"]


def test_every_widget_reads_what_the_visitor_set(webio_client, kind):
    client = webio_client(shows_values_on_click(setup_all, NAMES, kind))
    client.set_pin("name", "Grace")
    client.set_pin("age", 37)
    client.set_pin("ratio", 0.25)
    client.set_pin("bio", "new\n  text")
    client.choose_pin("city", "Lima")
    client.choose_pin("langs", "Py", "JS")
    client.choose_pin("extras", "Sugar")
    client.choose_pin("level", "Low")
    client.set_pin("volume", 9)
    client.press_pin("read", "Read values")
    client.wait_for_text("values name='Grace' age=37 ratio=0.25 bio='new\\n  text' city=(-12, -77) "
                         "langs=['Py', 'JS'] extras=['Sugar'] level='Low' volume=9")


def test_a_value_a_widget_cannot_take_is_refused_and_the_old_one_kept(webio_client, kind):
    client = webio_client(shows_values_on_click(setup_all, ["age", "city", "volume"], kind))
    client.set_pin("age", "many")
    client.wait_for_notice("whole number")
    client.set_pin("city", "Atlantis")
    client.wait_for_notice("options offered")
    client.set_pin("volume", 11)
    client.wait_for_notice("from 0 to 10")
    client.press_pin("read", "Read values")
    client.wait_for_text("values age=36 city=(48, 2) volume=5")
    assert client.session.page.pins["age"] == 36, "the page model keeps the last good value"


def test_a_change_of_a_pin_that_is_not_on_the_page_is_refused(webio_client):
    def main():
        from webio.pin import pin_wait_change
        put_input("a")
        pin_wait_change("a")

    client = webio_client(main)
    client.pin_item("a")
    client._send_event({"event": "pin_change", "task_id": "pin", "data": {"name": "ghost", "value": 1}})
    client.wait_for_notice("not on the page")
    client._send_event({"event": "pin_change", "task_id": "pin", "data": "no name"})
    client.wait_for_notice("without a widget name")


def test_writing_a_pin_updates_the_page_and_the_reads(webio_client, kind):
    def script():
        put_input("counter", type=NUMBER, value=0)
        for _ in range(3):
            pin.counter = (yield pin.counter) + 1
        pin["label_me"] = "nobody"
        put_text("counter " + repr((yield pin["counter"])))

    client = webio_client(both(script)[kind])
    client.wait_for_text("counter 3")
    assert client.pin("counter") == 3
    assert "label_me" not in client.page.model.pins, "a pin that is not on the page is not created"


def test_pin_update_changes_options_and_later_values_are_checked_against_them(webio_client, kind):
    def script():
        put_select("fruit", ["Apple", "Pear"], label="Fruit")
        pin_update("fruit", options=["Kiwi", "Mango"], value="Mango", help_text="seasonal")
        put_actions("read", buttons=["go"])
        from webio.pin import pin_wait_change
        while True:
            yield pin_wait_change("read")
            put_text("fruit " + repr((yield pin.fruit)))

    client = webio_client(both(script)[kind])
    item = client.pin_item("fruit")
    client.wait_until(lambda: [o["label"] for o in client.pin_item("fruit")["options"]] == ["Kiwi", "Mango"],
                      what="the new options")
    assert client.pin_item("fruit")["help_text"] == "seasonal" and item["label"] == "Fruit"
    client.press_pin("read", "go")
    client.wait_for_text("fruit 'Mango'")
    client.set_pin("fruit", "Apple")
    client.wait_for_notice("options offered")
    client.choose_pin("fruit", "Kiwi")
    client.press_pin("read", "go")
    client.wait_for_text("fruit 'Kiwi'")


def test_pin_update_refuses_fixed_attributes(webio_client):
    def main():
        put_input("a")
        for spec in ({"type": "number"}, {"onchange": print}, {"multiple": True}, {"code": True}):
            try:
                pin_update("a", **spec)
            except ValueError as exc:
                put_text("refused " + str(exc))

    client = webio_client(main)
    client.wait_for_text("refused 'code' cannot be updated")
    assert len([t for t in client.texts if t.startswith("refused")]) == 4


def test_a_widget_that_is_not_on_the_page_reads_none_or_raises_in_strict_mode(webio_client, kind):
    def script():
        with use_scope("box"):
            put_input("temp", value="x")
        put_text("before " + repr((yield pin.temp)))
        from webio.output import clear
        clear("box")
        put_text("after " + repr((yield pin.temp)))
        put_text("never " + repr((yield pin.never_shown)))

    client = webio_client(both(script)[kind])
    client.wait_for_text("never None")
    assert "before 'x'" in client.texts and "after None" in client.texts
    assert "temp" not in client.session.page.pins, "the page model forgets pins taken off the page"


def test_strict_mode_raises_an_assertion_error(webio_client):
    def main():
        try:
            pin.use_strict()
            pin.missing  # noqa: B018 - the read is the test
        except AssertionError as exc:
            put_text(f"raised {type(exc).__name__}: {exc}")
        finally:
            object.__setattr__(pin, "_strict", False)

    client = webio_client(main)
    client.wait_for_text("raised PinNotFoundError: there is no pin widget called 'missing' on the page")
    assert issubclass(PinNotFoundError, AssertionError)


def test_pins_nested_in_layouts_are_found(webio_client, kind):
    def script():
        put_row([put_input("left", value="L"), put_slider("right", value=3)])
        put_text("values " + repr((yield pin.left)) + " " + repr((yield pin.right)))

    client = webio_client(both(script)[kind])
    client.wait_for_text("values 'L' 3")
    assert client.pin("left") == "L"


def test_get_pin_values_returns_every_widget_without_waiting(webio_client, kind):
    def script():
        put_input("a", value="x")
        put_checkbox("b", ["1", "2"], value=["2"])
        put_text("all " + repr(get_pin_values()))
        yield None

    client = webio_client(both(script)[kind])
    client.wait_for_text("all {'a': 'x', 'b': ['2']}")


def test_put_file_upload_takes_files_as_its_value(webio_client, kind):
    def script():
        put_file_upload("photo", label="Photo", accept="image/*", max_size="1K", multiple=True)
        from webio.pin import pin_wait_change
        changed = yield pin_wait_change("photo")
        put_text("changed " + repr([(f["filename"], f["content"]) for f in changed["value"]]))
        put_text("read " + repr([f["filename"] for f in (yield pin.photo)]))

    client = webio_client(both(script)[kind])
    assert client.pin_item("photo")["type"] == "file"
    ack = client.upload_pin("photo", UploadFile("big.png", b"x" * 2000, "image/png"))
    assert ack["error"] == "big.png is 2 KB, over the limit of 1 KB per file."
    client.upload_pin("photo", UploadFile("a.png", b"A", "image/png"), UploadFile("b.png", b"B", "image/png"))
    client.wait_for_text("changed [('a.png', b'A'), ('b.png', b'B')]")
    client.wait_for_text("read ['a.png', 'b.png']")
    assert client.pin("photo") is None, "the page model holds no file contents"


@pytest.mark.parametrize(("call", "error"), [
    (lambda: put_input("bad name"), ValueError),
    (lambda: put_input(5), TypeError),
    (lambda: put_actions("a", buttons=[{"label": "Reset", "type": "reset"}]), ValueError),
    (lambda: put_select("s"), TypeError),
    (lambda: setattr(pin, "use_strict", 1), ValueError),
    (lambda: pin["bad name"], ValueError),
])
def test_bad_arguments_raise_clear_errors(webio_client, call, error):
    def main():
        try:
            call()
        except error as exc:
            put_text(f"raised {type(exc).__name__}: {exc}")

    client = webio_client(main)
    client.wait_for_text(f"raised {error.__name__}")
