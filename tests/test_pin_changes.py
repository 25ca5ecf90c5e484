"""pin_wait_change and pin_on_change: no change lost, timeouts, callbacks, snapshots."""
from __future__ import annotations

import asyncio
import threading

import pytest
from input_support import both

from webio.input import NUMBER
from webio.output import put_text
from webio.pin import pin, pin_on_change, pin_wait_change, put_input, put_select, put_slider
from webio.session import register_thread


def test_wait_returns_the_name_and_the_converted_value(webio_client, kind):
    def script():
        put_input("a", type=NUMBER)
        put_input("b")
        for _ in range(2):
            changed = yield pin_wait_change("a", "b")
            put_text(f"changed {changed['name']} {changed['value']!r}")

    client = webio_client(both(script)[kind])
    client.set_pin("b", "x")
    client.wait_for_text("changed b 'x'")
    client.set_pin("a", 5)
    client.wait_for_text("changed a 5")


def test_wait_takes_a_list_and_times_out_with_none(webio_client, kind):
    def script():
        put_input("a")
        put_text("timed out " + repr((yield pin_wait_change(["a"], timeout=0.05))))
        put_text("at once " + repr((yield pin_wait_change("a", timeout=0))))

    client = webio_client(both(script)[kind])
    client.wait_for_text("timed out None")
    client.wait_for_text("at once None")


def test_a_change_while_nothing_waits_is_not_lost(webio_client, kind):
    gate = threading.Event()

    def script():
        put_input("a")
        put_input("b")
        put_text("ready")
        yield wait_for(gate)
        for _ in range(2):
            changed = yield pin_wait_change("a", "b", timeout=5)
            put_text(f"changed {changed['name']} {changed['value']!r}")

    client = webio_client(both(script)[kind])
    client.wait_for_text("ready")
    client.set_pin("b", "first")
    client.set_pin("a", "one")
    client.set_pin("a", "two")
    client.wait_until(lambda: client.session.page.pins == {"a": "two", "b": "first"}, what="the changes to arrive")
    gate.set()
    client.wait_for_text("changed a 'two'")
    texts = [t for t in client.texts if t.startswith("changed")]
    assert texts == ["changed b 'first'", "changed a 'two'"], "oldest first, the latest value of each"


def wait_for(gate):
    """Block until ``gate`` is set (awaitable in coroutine sessions)."""
    from webio.session import get_current_session

    if get_current_session().kind == "coroutine":
        return asyncio.get_running_loop().run_in_executor(None, gate.wait)
    gate.wait()
    return None


def test_a_change_of_another_widget_does_not_end_a_wait(webio_client, kind):
    def script():
        put_input("watched")
        put_input("other")
        changed = yield pin_wait_change("watched")
        put_text(f"changed {changed['name']}")
        put_text("other pending " + repr((yield pin_wait_change("other", timeout=0))))

    client = webio_client(both(script)[kind])
    client.set_pin("other", "x")
    client.set_pin("watched", "y")
    client.wait_for_text("changed watched")
    client.wait_for_text("other pending {'name': 'other', 'value': 'x'}")


def test_writes_by_the_app_are_not_changes(webio_client, kind):
    def script():
        put_input("a")
        pin.a = "set by the app"
        put_text("waited " + repr((yield pin_wait_change("a", timeout=0.05))))

    client = webio_client(both(script)[kind])
    client.wait_for_text("waited None")
    assert client.pin("a") == "set by the app"


def test_pin_on_change_calls_back_in_order_and_clear_removes(webio_client, kind):
    def script():
        put_slider("level", value=1)
        pin_on_change("level", lambda v: put_text(f"first {v}"))
        pin_on_change("level", lambda v: put_text(f"second {v}"))
        pin_on_change("level", lambda v: put_text(f"init {v}"), clear=True, init_run=True)
        yield None

    client = webio_client(both(script)[kind])
    client.wait_for_text("init 1")
    client.set_pin("level", 7)
    client.wait_for_text("init 7")
    assert not any(t.startswith(("first", "second")) for t in client.texts)


def test_pin_on_change_keeps_the_session_open_until_cleared(webio_client):
    def main():
        put_input("q")
        pin_on_change("q", lambda v: put_text(f"q is {v}") if v != "stop" else pin_on_change("q", clear=True))

    client = webio_client(main)
    client.set_pin("q", "x")
    client.wait_for_text("q is x")
    assert not client.closed
    client.set_pin("q", "stop")
    client.wait_closed()


def test_async_pin_on_change_in_a_coroutine_session(webio_client):
    async def on_change(value):
        await asyncio.sleep(0)
        put_text(f"async {value}")

    async def main():
        put_select("fruit", ["Apple", "Pear"])
        pin_on_change("fruit", on_change, init_run=True)

    client = webio_client(main)
    client.wait_for_text("async Apple")
    client.choose_pin("fruit", "Pear")
    client.wait_for_text("async Pear")


def test_pin_on_change_needs_a_function_or_clear(webio_client):
    def main():
        for args in ({"onchange": None}, {"onchange": "not callable"}):
            try:
                pin_on_change("a", **args)
            except (ValueError, TypeError) as exc:
                put_text(f"raised {type(exc).__name__}")
        try:
            pin_wait_change()
        except ValueError:
            put_text("raised for no names")
        try:
            pin_wait_change("a", timeout=-1)
        except ValueError:
            put_text("raised for a negative timeout")

    client = webio_client(main)
    client.wait_for_text("raised for a negative timeout")
    assert client.texts[:3] == ["raised ValueError", "raised TypeError", "raised for no names"]


def test_a_waiting_thread_and_a_change_racing_with_its_timeout_lose_nothing(webio_client):
    seen = []

    def main():
        put_input("a")

        def watch():
            while len(seen) < 20:
                changed = pin_wait_change("a", timeout=0.001)
                if changed is not None:
                    seen.append(changed["value"])
            put_text("watched")

        thread = threading.Thread(target=watch, name="watcher")
        register_thread(thread)
        thread.start()

    client = webio_client(main)
    client.pin_item("a")
    for number in range(20):
        client.set_pin("a", f"v{number}")
        client.wait_until(lambda n=number: len(seen) > n, what=f"change {number}")
    client.wait_for_text("watched")
    assert seen == [f"v{n}" for n in range(20)]


@pytest.mark.parametrize("transport", ["memory", "websocket"])
def test_a_fresh_attach_shows_the_pins_with_their_values(webio_client, transport):
    def main():
        put_input("name", value="Ada")
        put_select("city", ["Paris", "Lima"])
        pin_wait_change("nothing-ever")

    client = webio_client(main, transport=transport, reconnect_timeout=30)
    client.set_pin("name", "Grace")
    client.choose_pin("city", "Lima")
    client.wait_until(lambda: client.session.page.pins == {"name": "Grace", "city": "Lima"},
                      what="the server's page model")
    client.reload()
    client.pin_item("city")
    assert client.page.model.pins == {"name": "Grace", "city": "Lima"}
