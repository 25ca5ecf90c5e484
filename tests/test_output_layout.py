"""Tables, layout containers, widgets and composition, in both session kinds."""
from __future__ import annotations

import pytest
from output_support import outputs_of, raised_in_session

from webio.output import (
    put_buttons,
    put_code,
    put_collapse,
    put_column,
    put_file,
    put_grid,
    put_html,
    put_markdown,
    put_row,
    put_scope,
    put_scrollable,
    put_table,
    put_tabs,
    put_text,
    put_widget,
    span,
    use_scope,
)


def test_put_table_with_spans_and_outputs_in_cells(open_app):
    def build():
        put_table([
            [span("Name", row=2), span("Address", col=2)],
            ["City", "Country"],
            ["Wang", put_markdown("**Beijing**"), "China"],
        ])

    client = open_app(build)
    table = outputs_of(client, "table")[0]
    assert table["span"] == {"0,0": {"row": 2, "col": 1}, "0,1": {"row": 1, "col": 2}}
    assert table["data"][2][1]["type"] == "markdown"
    assert client.texts[:2] == ["Name Address\nCity Country\nWang China", "Beijing"]
    assert [o["type"] for o in client.page.model.scopes["ROOT"]] == ["table", "text"], \
        "the markdown lives in the cell only"


def test_put_table_header_and_dict_rows(open_app):
    def build():
        put_table([["Wang", "M"], ["Liu", "W"]], header=["Name", "Gender"])
        put_table([{"Course": "OS", "Score": 80}, {"Course": "DB"}], header=["Course", "Score"])
        put_table([{"course": "OS", "score": 80}])
        put_table([{"a": 1}], header=[(put_text("Label A"), "a")])
        put_table([], header=["Only", "Header"])

    client = open_app(build)
    tables = [t["data"] for t in outputs_of(client, "table")]
    assert tables[0] == [["Name", "Gender"], ["Wang", "M"], ["Liu", "W"]]
    assert tables[1] == [["Course", "Score"], ["OS", "80"], ["DB", ""]]
    assert tables[2] == [["Course", "Score"], ["OS", "80"]]
    assert tables[3][0][0]["content"] == "Label A" and tables[3][1] == ["1"]
    assert tables[4] == [["Only", "Header"]]


def test_row_column_and_grid(open_app):
    def build():
        put_row([put_code("A"), None, put_code("B")])
        put_row([put_text("x"), put_text("y")], size="40% 60%")
        put_column([put_text("top"), put_text("bottom")])
        put_grid([
            [put_text("A"), put_text("B"), put_text("C")],
            [None, span(put_text("D"), col=2)],
        ], cell_width="100px")

    client = open_app(build)
    row, sized = outputs_of(client, "row")
    assert row["size"] == "1fr 10px 1fr" and row["contents"][1] is None
    assert sized["size"] == "40% 60%"
    assert outputs_of(client, "column")[0]["size"] == "1fr 1fr"
    grid = outputs_of(client, "grid")[0]
    assert grid["columns"] == "repeat(3, 100px)" and grid["rows"] == "repeat(2, auto)"
    assert grid["contents"][3] is None
    assert "grid-column-start: span 2" in grid["contents"][4]["style"]
    assert [t for t in client.texts if len(t) == 1][-4:] == ["A", "B", "C", "D"]


def test_collapse_scrollable_and_tabs_hold_outputs(open_app):
    def build():
        put_collapse("More", [put_text("inside"), "plain"], open=True)
        put_scrollable([put_text("line")], height=(100, 200), keep_bottom=True)
        put_tabs([{"title": "One", "content": "first"}, {"title": "Two", "content": [put_text("second")]}])

    client = open_app(build)
    collapse = outputs_of(client, "collapse")[0]
    assert collapse["title"] == "More" and collapse["open"] is True
    scrollable = outputs_of(client, "scrollable")[0]
    assert (scrollable["min_height"], scrollable["max_height"], scrollable["keep_bottom"]) == (100, 200, True)
    assert client.texts[:6] == ["More", "inside", "plain", "line", "One Two", "first"]
    assert "second" in client.texts


def test_containers_as_context_managers(open_app):
    def build():
        with put_collapse("Box", [put_text("first")]) as scope:
            put_text("second")
        put_text("third", scope=scope)
        with put_row():
            put_text("left")
            put_text("right")
        with put_scrollable(height=None):
            put_text("scrolled")
        put_text("after")

    client = open_app(build)
    texts = client.texts
    assert texts.index("first") < texts.index("second") < texts.index("third") < texts.index("left")
    assert texts.index("scrolled") < texts.index("after")
    root_types = [o["type"] for o in client.page.model.scopes["ROOT"]]
    assert root_types == ["collapse", "row", "scrollable", "text", "text"]


def test_outputs_placed_in_a_container_leave_their_scope(open_app):
    def build():
        text = put_text("moved")
        put_row([text, put_buttons(["B"], onclick=lambda _: None)])
        put_text("stays")

    client = open_app(build)
    assert [o["type"] for o in client.page.model.scopes["ROOT"]] == ["row", "text", "text"]
    assert client.texts[:2] == ["moved", "B"]


def test_style_and_onclick_on_outputs(open_app):
    def build():
        put_text("styled").style("color: red")
        put_row([put_text("nested").style("font-weight: bold")]).style("margin-top: 2px")
        put_text("click me").onclick(lambda: put_text("clicked"))

    client = open_app(build)
    styled = next(o for o in client.page.outputs() if o.get("content") == "styled")
    nested = next(o for o in client.page.outputs() if o.get("content") == "nested")
    assert styled["style"] == "color: red" and nested["style"] == "font-weight: bold"
    assert outputs_of(client, "row")[0]["style"] == "margin-top: 2px"
    client.click_output("click me")
    client.wait_for_text("clicked")


def test_put_widget_renders_the_template_on_the_server(open_app):
    def build():
        put_widget("<details {{#open}}open{{/open}}><summary>{{title}}</summary>"
                   "{{#contents}}{{& pywebio_output_parse}}{{/contents}}</details>",
                   {"open": True, "title": "<b>More</b>", "contents": ["text <i>", put_markdown("~~no~~")]})

    client = open_app(build)
    widget = outputs_of(client, "widget")[0]
    assert widget["html"].startswith("<details open><summary>&lt;b&gt;More&lt;/b&gt;</summary>text &lt;i&gt;")
    assert '<template data-webio-slot="0"></template>' in widget["html"]
    assert widget["slots"][0]["type"] == "markdown"
    assert client.texts[:2] == ["<b>More</b>text <i>", "no"]


@pytest.mark.parametrize("template", ["{{#open}}never closed", "{{/x}}", "{{> partial}}"])
def test_put_widget_refuses_broken_templates(webio_client, template):
    errors = []

    def main():
        try:
            put_widget(template, {})
        except ValueError as exc:
            errors.append(str(exc))
        put_text("checked")

    webio_client(main).wait_for_text("checked")
    assert errors


def test_scope_functions_inside_containers(open_app):
    def build():
        put_scope("box", [put_text("one")])
        with use_scope("box", clear=True):
            put_text("two")
        put_table([["cell", put_scope("in-cell", [put_html("<p>html</p>")])]])
        put_text("late", scope="in-cell")
        put_file("f.txt", b"data")

    client = open_app(build)
    assert client.page.model.scopes["box"][0]["content"] == "two"
    assert [o.get("content") for o in client.page.model.scopes["in-cell"]][1] == "late"
    assert client.page.files() == [("f.txt", "f.txt", b"data")]


@pytest.mark.parametrize("call, error", [
    (lambda: put_row(["not an output"]), TypeError),
    (lambda: put_grid([[put_text("x")]], direction="diagonal"), ValueError),
    (lambda: put_grid("no"), TypeError),
    (lambda: put_scrollable(height="tall"), ValueError),
    (lambda: put_tabs([{"title": "no content"}]), ValueError),
    (lambda: put_table("no"), TypeError),
    (lambda: span("x", row=0), ValueError),
    (lambda: put_text("x").__enter__(), TypeError),
])
def test_bad_layout_arguments(webio_client, call, error):
    seen = raised_in_session(webio_client, call)
    assert len(seen) == 1 and isinstance(seen[0], error), seen


def test_scrollable_max_height_is_deprecated(webio_client):
    def main():
        with pytest.warns(DeprecationWarning, match="max_height"):
            put_scrollable("x", max_height=50)
        put_text("checked")

    client = webio_client(main)
    client.wait_for_text("checked")
    assert outputs_of(client, "scrollable")[0]["max_height"] == 50
