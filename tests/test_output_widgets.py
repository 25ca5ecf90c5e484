"""Media, messages, toasts, progress, loading and popups, in both session kinds."""
from __future__ import annotations

import base64
import sys

import pytest
from output_support import outputs_of, raised_in_session

from webio.output import (
    PopupSize,
    close_popup,
    popup,
    put_buttons,
    put_error,
    put_file,
    put_image,
    put_info,
    put_link,
    put_loading,
    put_processbar,
    put_progressbar,
    put_success,
    put_table,
    put_text,
    put_warning,
    set_processbar,
    set_progressbar,
    toast,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def test_put_image_from_bytes_and_url(open_app):
    def build():
        put_image(PNG, title="logo", width="50px")
        put_image(b"GIF89a....", format="gif")
        put_image("https://example.org/a.png", height=30)

    client = open_app(build)
    png, gif, url = outputs_of(client, "image")
    assert png["src"] == "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert (png["title"], png["width"], png["height"]) == ("logo", "50px", None)
    assert gif["src"].startswith("data:image/gif;base64,")
    assert url["src"] == "https://example.org/a.png" and url["height"] == "30px"
    assert "logo" in client.texts


def test_put_image_takes_a_pil_image_without_needing_pillow(open_app, monkeypatch):
    class FakeImage:
        format = None
        mode = "RGBA"

        def save(self, buffer, format):
            buffer.write(PNG if format == "PNG" else b"?")

    fake_module = type(sys)("PIL.Image")
    fake_module.Image = FakeImage
    monkeypatch.setitem(sys.modules, "PIL.Image", fake_module)
    client = open_app(lambda: put_image(FakeImage()))
    assert outputs_of(client, "image")[0]["src"].startswith("data:image/png;base64,")


def test_put_file_and_put_link(open_app):
    def build():
        put_file("report.csv", b"a,b\n1,2\n", label="Get the report")
        put_link("Docs", "https://example.org/docs", new_window=True)
        put_link("Other app", app="admin")

    client = open_app(build)
    assert client.page.files() == [("report.csv", "Get the report", b"a,b\n1,2\n")]
    docs, app = outputs_of(client, "link")
    assert (docs["href"], docs["new_window"]) == ("https://example.org/docs", True)
    assert app["href"] == "?app=admin"
    assert "Get the report" in client.texts and "Docs" in client.texts


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:x", "vbscript:x",
                                 "data:text/html,<script>alert(1)</script>"])
def test_script_urls_are_refused(webio_client, url):
    errors = []

    def main():
        for call in (lambda: put_link("x", url), lambda: put_image(url)):
            try:
                call()
            except ValueError as exc:
                errors.append(str(exc))
        put_text("checked")

    webio_client(main).wait_for_text("checked")
    assert len(errors) == 2


def test_message_boxes_hold_outputs_and_can_be_dismissed(open_app):
    def build():
        put_info("info text")
        put_success("done", put_table([["a"], ["b"]]))
        put_warning("careful", closable=True)
        with put_error("broken"):
            put_text("details inside")
        put_buttons(["keeps the session open"], onclick=lambda _: None)

    client = open_app(build)
    colors = [m["color"] for m in outputs_of(client, "message")]
    assert colors == ["info", "success", "warning", "danger"]
    assert client.texts.index("broken") < client.texts.index("details inside")
    client.dismiss("careful")
    client.wait_until(lambda: len(outputs_of(client, "message")) == 3, what="the box to go")
    assert len([o for o in client.session.page.scopes["ROOT"] if o["type"] == "message"]) == 3


def test_a_dismissable_box_does_not_keep_the_session_open(webio_client):
    client = webio_client(lambda: put_info("bye", closable=True))
    client.wait_closed()


def test_toast_with_onclick(open_app):
    def build():
        toast("Saved", duration=0, position="right", color="#2188ff", onclick=lambda: put_text("toast clicked"))
        toast("<b>plain</b>")

    client = open_app(build)
    first, second = client.page.toasts
    assert (first["content"], first["duration"], first["position"], first["color"]) == ("Saved", 0, "right", "#2188ff")
    assert second["content"] == "<b>plain</b>" and second["callback_id"] is None
    client.click_toast("Saved")
    client.wait_for_text("toast clicked")


def test_progressbar_moves_and_closes(open_app):
    def build():
        put_progressbar("a", 0.1, label="starting")
        set_progressbar("a", 0.5)
        put_processbar("b", auto_close=True)
        set_processbar("b", 1)

    client = open_app(build)
    (bar,) = outputs_of(client, "progressbar")
    assert (bar["name"], bar["value"], bar["label"]) == ("a", 0.5, None)
    assert "50.0%" in client.texts
    assert not any(o.get("name") == "b" for o in client.session.page.walk()), "auto_close removed it on the server too"


def test_put_loading_as_context_manager_removes_itself(open_app):
    def build():
        put_loading(shape="grow", color="primary")
        with put_loading():
            put_text("waiting")
        put_text("after")

    client = open_app(build)
    (spinner,) = outputs_of(client, "loading")
    assert (spinner["shape"], spinner["color"]) == ("grow", "primary")
    assert "waiting" not in client.texts and "after" in client.texts
    assert len(client.session.page.scopes) == 1, "the spinner's scope was freed"


def test_popup_direct_and_as_context_manager(open_app):
    def build():
        popup("First", "hello", size=PopupSize.SMALL)
        with popup("Second", [put_text("one")], closable=False) as scope:
            put_text("two")
        put_text("three", scope=scope)

    client = open_app(build)
    assert client.page.popup_texts() == ["Second", "one", "two", "three"]
    popup_spec = client.page.model.popup
    assert (popup_spec["size"], popup_spec["closable"], popup_spec["implicit_close"]) == ("normal", False, True)


def test_close_popup_and_closing_by_the_visitor(open_app):
    def build():
        popup("Ask", put_buttons(["Close it"], onclick=lambda _: close_popup()))

    client = open_app(build)
    client.click("Close it")
    client.wait_until(lambda: client.page.model.popup is None, what="the popup to close")
    assert client.session.page.popup is None


def test_visitor_closing_a_popup_updates_the_server(open_app):
    def build():
        popup("Note", "read me")
        put_buttons(["Reopen"], onclick=lambda _: popup("Again", "here"))

    client = open_app(build)
    client.close_popup()
    client.wait_until(lambda: client.page.model.popup is None, what="the server to close the popup")
    assert client.session.page.popup is None
    client.click("Reopen")
    client.wait_until(lambda: client.page.popup_texts() == ["Again", "here"], what="the second popup")


def test_a_popup_does_not_keep_the_session_open(webio_client):
    client = webio_client(lambda: popup("Bye", "text"))
    client.wait_closed()


@pytest.mark.parametrize("call, error", [
    (lambda: popup("x", size="huge"), ValueError),
    (lambda: toast("x", position="top"), ValueError),
    (lambda: toast("x", duration=-1), ValueError),
    (lambda: put_progressbar("bad name!"), ValueError),
    (lambda: put_progressbar("a", init=2), ValueError),
    (lambda: put_loading(shape="square"), ValueError),
    (lambda: put_file("a.txt", "text"), TypeError),
    (lambda: put_image("x.png", format="png", width=[1]), TypeError),
    (lambda: put_link("x"), ValueError),
    (lambda: put_image(b"x", format="<png>"), ValueError),
])
def test_bad_widget_arguments(webio_client, call, error):
    seen = raised_in_session(webio_client, call)
    assert len(seen) == 1 and isinstance(seen[0], error), seen
