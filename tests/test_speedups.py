"""The optional accelerators (webio[speedups]): chosen by the environment, same results either way."""
from __future__ import annotations

import asyncio
import json
import signal
import textwrap

import pytest
from http_support import first_output, start_script, stop

from webio import protocol
from webio.platform.adaptor import event_loop
from webio.speedups import optional_module

# --- choosing -------------------------------------------------------------------------


def test_auto_takes_the_module_when_it_imports_and_goes_without_when_it_does_not():
    assert optional_module("WEBIO_X", "json", "off", {}) is json
    assert optional_module("WEBIO_X", "json", "off", {"WEBIO_X": " AUTO "}) is json
    assert optional_module("WEBIO_X", "webio_has_no_such_module", "off", {}) is None


def test_the_standard_value_turns_an_installed_accelerator_off():
    assert optional_module("WEBIO_X", "json", "off", {"WEBIO_X": "off"}) is None


def test_naming_a_missing_accelerator_fails_and_says_how_to_install_it():
    with pytest.raises(RuntimeError, match=r"WEBIO_X=webio_has_no_such_module.*pip install 'webio\[speedups\]'"):
        optional_module("WEBIO_X", "webio_has_no_such_module", "off", {"WEBIO_X": "webio_has_no_such_module"})


def test_an_unknown_value_is_refused_naming_the_variable_and_the_value():
    with pytest.raises(ValueError, match=r"WEBIO_EVENT_LOOP must be auto, asyncio or uvloop, got 'trio'"):
        event_loop.loop_choice({"WEBIO_EVENT_LOOP": "trio"})
    with pytest.raises(ValueError, match=r"WEBIO_JSON must be auto, stdlib or orjson, got 'ujson'"):
        protocol.select_json_encoder({"WEBIO_JSON": "ujson"})


# --- the event loop ---------------------------------------------------------------------


async def _running_loop_module() -> str:
    await asyncio.sleep(0)
    return type(asyncio.get_running_loop()).__module__


def test_asyncio_runs_on_asyncios_own_loop(monkeypatch):
    monkeypatch.setenv("WEBIO_EVENT_LOOP", "asyncio")
    assert event_loop.loop_choice() == "asyncio"
    assert event_loop.run(_running_loop_module()).startswith("asyncio.")


def test_uvloop_runs_on_uvloop_and_auto_prefers_it(monkeypatch):
    pytest.importorskip("uvloop")
    monkeypatch.setenv("WEBIO_EVENT_LOOP", "uvloop")
    assert event_loop.run(_running_loop_module()) == "uvloop"
    monkeypatch.delenv("WEBIO_EVENT_LOOP")
    assert event_loop.loop_choice() == "uvloop"
    loop = event_loop.new_event_loop()
    try:
        assert type(loop).__module__ == "uvloop"
    finally:
        loop.close()


def test_a_refused_choice_closes_the_coroutine_it_was_given(monkeypatch):
    monkeypatch.setenv("WEBIO_EVENT_LOOP", "trio")
    coroutine = _running_loop_module()
    with pytest.raises(ValueError):
        event_loop.run(coroutine)
    assert coroutine.cr_frame is None  # closed: no "never awaited" warning


SERVER = textwrap.dedent(
    """
    import asyncio, sys
    from webio.output import put_text
    from webio.platform.{module} import start_server

    async def main():
        put_text("on " + type(asyncio.get_running_loop()).__module__)

    start_server(main, port=int(sys.argv[1]), host="127.0.0.1", cdn=False)
    """
)


@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
@pytest.mark.parametrize("module", ["tornado", "aiohttp"])
def test_start_server_serves_on_the_loop_the_environment_names(tmp_path, monkeypatch, module, loop):
    if loop == "uvloop":
        pytest.importorskip("uvloop")
    monkeypatch.setenv("WEBIO_EVENT_LOOP", loop)
    script = tmp_path / "serve.py"
    script.write_text(SERVER.replace("{module}", module))
    process, port = start_script(script)
    try:
        shown = asyncio.run(first_output(port))
        assert shown == "on uvloop" if loop == "uvloop" else shown.startswith("on asyncio.")
        process.send_signal(signal.SIGTERM)
        assert process.wait(5) == 0
    finally:
        stop(process)


# --- the JSON encoder of frames -----------------------------------------------------------


@pytest.fixture
def both_encoders():
    """Encode with the standard library, then with orjson; restore the choice."""
    pytest.importorskip("orjson")
    before = protocol.json_encoder_name()

    def encode_with(name: str, value: object) -> str:
        assert protocol.select_json_encoder({"WEBIO_JSON": name}) == name
        return protocol.encode_json(value)

    yield encode_with
    protocol.select_json_encoder({"WEBIO_JSON": before})


@pytest.mark.parametrize("value", [
    {"command": "output", "task_id": None, "spec": {"type": "text", "content": "héllo \u2028 \"q\" <b>", "inline": False},
     "seq": 3},
    [1, -2, 0.1, 1.5e300, True, None, "", [], {}],
    {"nested": [{"a": [1, [2, [3]]]}], "big": 2**70, "negative big": -(2**64)},
    {1: "an int key", "s": "a str key"},
    ("a tuple", 1),
])
def test_both_encoders_give_the_same_json(both_encoders, value):
    stdlib, orjson = both_encoders("stdlib", value), both_encoders("orjson", value)
    assert json.loads(orjson) == json.loads(stdlib)
    if "0.1" not in stdlib:  # floats aside (1e+300 or 1e300), the text is the same too
        assert orjson == stdlib


def test_what_neither_encoder_takes_raises_typeerror_with_both(both_encoders):
    for name in ("stdlib", "orjson"):
        with pytest.raises(TypeError):
            both_encoders(name, {"a set": {1, 2}})
