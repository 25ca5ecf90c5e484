"""put_datatable and the datatable_* updates, in both session kinds."""
from __future__ import annotations

import pytest
from output_support import outputs_of, raised_in_session

from webio.output import (
    JSFunction,
    datatable_insert,
    datatable_remove,
    datatable_update,
    put_datatable,
    put_text,
)

RECORDS = [{"name": "Ada", "info": {"age": 36}}, {"name": "Alan", "info": {"age": 41}}]


def test_rows_are_selected_and_actions_get_the_ids(open_app):
    def build():
        put_datatable(
            RECORDS,
            actions=[("Greet", lambda row: put_text(f"hello {row}")), None,
                     ("Drop", lambda row: datatable_remove("people", row))],
            onselect=lambda row: put_text(f"selected {row}"),
            instance_id="people",
        )

    client = open_app(build)
    table = outputs_of(client, "datatable")[0]
    assert table["row_ids"] == [0, 1] and table["actions"] == ["Greet", None, "Drop"]
    client.select_rows("people", [1])
    client.wait_for_text("selected 1")
    client.select_rows("people", [0], action="Greet")
    client.wait_for_text("hello 0")
    client.select_rows("people", [0], action="Drop")
    client.wait_until(lambda: outputs_of(client, "datatable")[0]["row_ids"] == [1], what="row 0 to go")
    assert outputs_of(client, "datatable")[0]["records"] == RECORDS[1:]


def test_multiple_select_gives_lists(open_app):
    def build():
        put_datatable(RECORDS, onselect=lambda rows: put_text(f"rows {rows}"), multiple_select=True,
                      id_field="name", instance_id="t")

    client = open_app(build)
    client.select_rows("t", ["Ada", "Alan"])
    client.wait_for_text("rows ['Ada', 'Alan']")
    client.select_rows("t", [])
    client.wait_for_text("rows []")


def test_updates_change_the_page_model(open_app):
    def build():
        put_datatable(RECORDS, id_field=("info", "age"), instance_id="t")
        datatable_update("t", 37, row_id=36, field=("info", "age"))
        datatable_update("t", {"name": "Alan T.", "info": {"age": 41}}, row_id=41)
        datatable_insert("t", [{"name": "Grace", "info": {"age": 85}}], row_id=41)
        datatable_insert("t", {"name": "Linus", "info": {"age": 20}})
        datatable_remove("t", 37)

    client = open_app(build)
    names = [r["name"] for r in outputs_of(client, "datatable")[0]["records"]]
    assert names == ["Grace", "Alan T.", "Linus"]
    server_table = next(o for o in client.session.page.walk() if o["type"] == "datatable")
    assert [r["name"] for r in server_table["records"]] == names


def test_rows_without_id_field_get_new_numbers(open_app):
    def build():
        put_datatable([{"a": i} for i in range(3)], instance_id="n")
        datatable_remove("n", [1])
        datatable_insert("n", [{"a": 9}, {"a": 10}], row_id=2)
        datatable_update("n", [{"a": "x"}])
        datatable_insert("n", {"a": "y"})

    client = open_app(build)
    table = outputs_of(client, "datatable")[0]
    assert table["row_ids"] == [0, 1] and [r["a"] for r in table["records"]] == ["x", "y"]


def test_options_reach_the_client(open_app):
    def build():
        put_datatable([], column_order=["a", "b"], height="auto", theme="alpine-dark",
                      column_args={"a": {"valueFormatter": JSFunction("p", "return p.value")}, ("b",): {"hide": True}},
                      grid_args={"rowHeight": 40}, cell_content_bar=False)

    client = open_app(build)
    table = outputs_of(client, "datatable")[0]
    key = table["js_func_key"]
    assert table["field_args"]["a"]["valueFormatter"] == {"__webio_js_function__": key, "params": ["p"],
                                                           "body": "return p.value"}
    assert table["path_args"] == [[["b"], {"hide": True}]]
    assert table["column_order"] == {"a": None, "b": None}
    assert (table["height"], table["theme"], table["cell_content_bar"]) == ("auto", "alpine-dark", False)
    assert table["callback_id"] is None


def test_data_that_looks_like_an_output_stays_data(open_app):
    records = [{"type": "scope", "name": "ROOT", "contents": []}, {"type": "text", "content": "not text"}]
    client = open_app(lambda: put_datatable(records))
    assert list(client.page.model.scopes) == ["ROOT"]
    assert "not text" not in client.texts


@pytest.mark.parametrize("call, error", [
    (lambda: put_datatable([]), ValueError),
    (lambda: put_datatable(["row"]), TypeError),
    (lambda: put_datatable([{}], theme="neon"), ValueError),
    (lambda: put_datatable([{}], actions=[("only label",)]), ValueError),
    (lambda: put_datatable([{}], grid_args={"f": object()}), TypeError),
    (lambda: datatable_update("t", {}, field="a"), ValueError),
    (lambda: datatable_update("", []), ValueError),
    (lambda: datatable_update("t", "not rows"), TypeError),
    (lambda: datatable_insert("t", ["x"]), TypeError),
    (lambda: JSFunction(), ValueError),
])
def test_bad_datatable_arguments(webio_client, call, error):
    seen = raised_in_session(webio_client, call)
    assert len(seen) == 1 and isinstance(seen[0], error), seen
