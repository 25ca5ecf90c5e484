"""Values JSON cannot carry: refused where the app passes them, nothing else lost."""
from __future__ import annotations

import math

import pytest

from webio import protocol
from webio.output import put_datatable, put_text
from webio.protocol import check_encodable, make_command
from webio.session import run_js
from webio.testing import TestClient


def test_nan_in_a_datatable_is_refused_in_the_call_and_the_page_goes_on():
    def main():
        put_text("before")
        try:
            put_datatable([{"price": math.nan}])
        except ValueError as exc:
            put_text(f"refused: {exc}")
        put_text("after")

    with TestClient(main) as client:
        client.wait_for_text("after")
        texts = client.texts
    assert texts[0] == "before" and texts[-1] == "after"
    assert "spec['records'][0]['price'] is nan" in texts[1]
    assert "this datatable output" in texts[1]


def test_a_set_passed_to_run_js_is_refused_with_its_place_named():
    def main():
        try:
            run_js("console.log(v)", v={1, 2})
        except TypeError as exc:
            put_text(f"refused: {exc}")

    with TestClient(main) as client:
        client.wait_for_text("refused", timeout=5)
        [text] = [t for t in client.texts if t.startswith("refused")]
    assert "spec['args']['v'] is a set" in text and "run_script" in text


@pytest.fixture(params=["stdlib", "orjson"])
def json_encoder(request):
    """Frames encoded by each encoder in turn (orjson comes with webio[speedups])."""
    if request.param == "orjson":
        pytest.importorskip("orjson")
    before = protocol.json_encoder_name()
    assert protocol.select_json_encoder({"WEBIO_JSON": request.param}) == request.param
    yield request.param
    protocol.select_json_encoder({"WEBIO_JSON": before})


def _change_after_sending(bad_value):
    async def main():  # a coroutine session: nothing is encoded before main awaits
        put_text("first")
        values = [1]
        run_js("console.log(v)", v=values)  # the command holds the app's own list
        values.append(bad_value)
        put_text("last")

    return main


def test_a_value_changed_in_place_after_sending_costs_only_its_own_command(json_encoder):
    with TestClient(_change_after_sending({1, 2})) as client:
        client.wait_for_text("last")
        assert client.texts == ["first", "last"]
        assert "could not be shown" in client.page.notices[-1]["message"]
        assert client.page.scripts == []


def test_an_infinity_put_in_after_sending_is_refused_or_sent_as_null(json_encoder):
    """The one difference between the encoders (docs/protocol.md): the standard
    library refuses the command, orjson writes null."""
    with TestClient(_change_after_sending(math.inf)) as client:
        client.wait_for_text("last")
        assert client.texts == ["first", "last"]
        if json_encoder == "stdlib":
            assert "could not be shown" in client.page.notices[-1]["message"]
            assert client.page.scripts == []
        else:
            assert not client.page.notices
            assert [script["args"] for script in client.page.scripts] == [{"v": [1, None]}]


@pytest.mark.parametrize("spec", ["text", {"type": "text", "content": "x", "width": 1.5, "inline": False}, None])
def test_plain_specs_pass_without_encoding(spec):
    check_encodable(make_command("output", spec))


@pytest.mark.parametrize(("value", "error"), [(math.nan, ValueError), (-math.inf, ValueError), (object(), TypeError)])
def test_a_nested_bad_value_is_refused(value, error):
    with pytest.raises(error, match=r"spec\['rows'\]\[0\]\[1\]"):
        check_encodable(make_command("output", {"type": "table", "rows": [["ok", value]]}))
