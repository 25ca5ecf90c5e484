"""Deprecated output()/style(), the Output methods, and pages rebuilt from a snapshot."""
from __future__ import annotations

import pytest
from output_support import outputs_of

import webio.output as output_api
from webio.output import (
    OutputPosition,
    Position,
    output,
    popup,
    put_buttons,
    put_datatable,
    put_markdown,
    put_progressbar,
    put_row,
    put_table,
    put_tabs,
    put_text,
    set_progressbar,
    style,
)

PYWEBIO_OUTPUT_NAMES = {
    "Position", "OutputPosition", "remove", "scroll_to", "put_tabs", "put_scope", "put_text", "put_html",
    "put_code", "put_markdown", "use_scope", "set_scope", "clear", "put_table", "put_buttons", "put_image",
    "put_file", "PopupSize", "popup", "put_button", "close_popup", "put_widget", "put_collapse", "put_link",
    "put_scrollable", "style", "put_column", "put_row", "put_grid", "span", "put_progressbar", "set_progressbar",
    "put_processbar", "set_processbar", "put_loading", "output", "toast", "get_scope", "put_info", "put_error",
    "put_warning", "put_success", "put_datatable", "datatable_update", "datatable_insert", "datatable_remove",
    "JSFunction",
}


def test_every_public_name_of_pywebio_output_exists():
    assert PYWEBIO_OUTPUT_NAMES <= set(output_api.__all__)
    assert (OutputPosition.TOP, OutputPosition.BOTTOM) == (0, -1)
    assert (Position.TOP, Position.MIDDLE, Position.BOTTOM) == ("top", "middle", "bottom")


def test_output_placeholder_reset_append_insert(open_app):
    def build():
        with pytest.warns(DeprecationWarning, match="output"):
            hobby = output(put_text("Coding"))
        put_table([["Name", "Hobbies"], ["Wang", hobby]])
        hobby.reset("Movie")
        hobby.append("Music", put_text("Drama"))
        hobby.insert(0, put_markdown("**First**"))
        hobby.insert(-1, "Last")

    client = open_app(build)
    scope = next(o["name"] for o in client.page.outputs() if o.get("type") == "scope")
    assert [o.get("content") or o.get("html") for o in client.page.model.scopes[scope]] == \
        ["<p><strong>First</strong></p>\n", "Movie", "Music", "Drama", "Last"]
    assert client.page.model.scopes["ROOT"][0]["type"] == "table"


def test_style_function_is_deprecated_and_styles_lists(open_app):
    def build():
        with pytest.warns(DeprecationWarning, match="style"):
            styled = style([put_text("red"), put_text("also red")], "color: red")
        put_row(styled)
        with pytest.warns(DeprecationWarning):
            style(put_text("single"), "margin: 0")

    client = open_app(build)
    styles = [o.get("style") for o in client.page.outputs() if o.get("type") == "text"][:3]
    assert styles == ["color: red", "color: red", "margin: 0"]


def test_show_sends_an_output_again(open_app):
    def build():
        with pytest.warns(DeprecationWarning):
            placeholder = output("later")
        placeholder.show()

    client = open_app(build)
    assert "later" in client.texts


def test_a_reloaded_page_gets_everything_back_in_one_snapshot(open_app):
    def build():
        put_tabs([{"title": "T", "content": "in tab"}])
        put_progressbar("p", 0.1)
        set_progressbar("p", 0.9, "almost")
        put_datatable([{"a": 1}], instance_id="d")
        with popup("Pop"):
            put_text("in popup")
        put_buttons(["keep"], onclick=lambda _: None)

    client = open_app(build, reconnect_timeout=30)
    before = client.texts
    client.reload()
    client.wait_for_text("DONE")
    assert [c["command"] for c in client.page.commands if c.get("seq")][0] == "snapshot"
    assert client.texts == before
    assert client.page.popup_texts() == ["Pop", "in popup"]
    assert outputs_of(client, "progressbar")[0]["label"] == "almost"
