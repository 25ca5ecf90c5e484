"""One suite over every backend and transport: Tornado, aiohttp and Flask, WebSocket and HTTP.

The same app code, the same visitor actions, the same expectations; only the server
and the wire change. ``info.backend`` and ``info.protocol`` must tell the truth.
"""
from __future__ import annotations

import json
import threading

import pytest

from webio.input import NUMBER, input, input_group
from webio.output import put_buttons, put_text
from webio.session import defer_call, download, eval_js, info, local, run_js
from webio.testing import TestClient
from webio.testing.servers import BACKENDS

SERVED = [
    ("tornado", "websocket"),
    ("tornado", "http"),
    ("aiohttp", "websocket"),
    ("aiohttp", "http"),
    ("flask", "http"),
    ("flask", "websocket"),
]


@pytest.fixture(params=SERVED, ids=[f"{backend}-{transport}" for backend, transport in SERVED])
def served(request):
    """``served(app, **options)``: a TestClient on this backend and transport, closed after the test."""
    backend, transport = request.param
    if transport not in BACKENDS[backend]:
        pytest.skip(f"{backend} cannot serve {transport} here (Flask's WebSocket needs flask-sock)")
    clients: list[TestClient] = []

    def open_client(app, **options) -> TestClient:
        client = TestClient(app, backend=backend, transport=transport, **options)
        clients.append(client)
        return client

    open_client.backend, open_client.transport = backend, transport
    yield open_client
    for client in clients:
        client.close()


def test_info_reports_the_backend_and_the_protocol(served):
    def main():
        put_text(f"backend={info.backend} protocol={info.protocol} ua={info.user_agent_string} "
                 f"lang={info.user_language} request={info.request is not None}")

    client = served(main, headers={"User-Agent": "suite-agent/1.0", "Accept-Language": "fr-CH,fr;q=0.8"})
    client.wait_for_text(f"backend={served.backend} protocol={served.transport} ua=suite-agent/1.0 "
                         f"lang=fr-CH request=True")


@pytest.mark.parametrize("kind", ["thread", "coroutine"])
def test_a_button_callback_runs_and_its_output_arrives(served, kind):
    def main():
        put_buttons(["Plus"], onclick=lambda value: put_text(f"clicked {value}"))

    async def amain():
        async def clicked(value):
            put_text(f"clicked {value}")

        put_buttons(["Plus"], onclick=clicked)

    client = served(main if kind == "thread" else amain)
    client.click("Plus")
    client.wait_for_text("clicked Plus")
    client.click("Plus")
    client.wait_until(lambda: client.texts.count("clicked Plus") == 2, what="two clicks")


@pytest.mark.parametrize("kind", ["thread", "coroutine"])
def test_an_input_form_returns_its_values(served, kind):
    fields = [input("Name", name="name"), input("Age", name="age", type=NUMBER)]

    def main():
        data = input_group("Who?", [input("Name", name="name"), input("Age", name="age", type=NUMBER)])
        put_text(f"{data['name']} is {data['age']}")

    async def amain():
        data = await input_group("Who?", [input("Name", name="name"), input("Age", name="age", type=NUMBER)])
        put_text(f"{data['name']} is {data['age']}")

    assert fields  # built outside a session: plain specs, as PyWebIO allows
    client = served(main if kind == "thread" else amain)
    client.submit(name="Ada", age=36)
    client.wait_for_text("Ada is 36")


def test_run_js_eval_js_and_download_reach_the_page(served):
    def main():
        run_js("console.log(x)", x=[1, 2])
        put_text("sum", eval_js("a + b", a=2, b=3))
        download("notes.txt", b"line one\n\x00binary")
        put_text("done")

    client = served(main, js=lambda code, args: args["a"] + args["b"] if code == "a + b" else None)
    client.wait_for_text("done")
    assert "sum 5" in client.texts
    assert client.page.scripts[0] == {"code": "console.log(x)", "args": {"x": [1, 2]}, "eval": False}
    assert client.page.downloads == [("notes.txt", b"line one\n\x00binary")]


def test_local_is_private_and_defer_call_runs_at_the_end(served):
    ended: list[str] = []
    all_ended = threading.Event()

    def main():
        local.name = input("name")

        @defer_call
        def goodbye():
            ended.append(local.name)
            if len(ended) == 2:
                all_ended.set()

        put_text(f"I am {local.name}")

    first, second = served(main), served(main)
    first.submit("one")
    second.submit("two")
    first.wait_for_text("I am one")
    second.wait_for_text("I am two")
    assert "I am two" not in first.texts
    first.close()
    second.close()
    assert all_ended.wait(5)
    assert sorted(ended) == ["one", "two"]


def test_a_connection_cut_mid_burst_resumes_without_loss_or_repeats(served):
    """Over HTTP the stream resumes by ``Last-Event-ID``; over WebSocket by ``last_seq``."""
    count = 3000

    def main():
        for number in range(count):
            put_text(f"line {number}")
        put_buttons(["Done"], onclick=lambda _: put_text("thanks"))  # keeps the session open
        put_text("burst over")

    client = served(main, reconnect_timeout=30)
    client.wait_until(lambda: client.page.last_seq >= 200, what="the burst to start")
    client.drop()
    client.reconnect()
    client.wait_for_text("burst over")
    lines = [text for text in client.texts if text.startswith("line ")]
    expected = [f"line {number}" for number in range(count)]
    first_difference = next((i for i, (got, want) in enumerate(zip(lines, expected, strict=False)) if got != want), None)
    assert (len(lines), first_difference) == (count, None)
    client.click("Done")
    client.wait_for_text("thanks")


def test_a_session_that_ends_right_after_a_burst_delivers_all_of_it(served):
    """Every transport delivers the end of the burst and then the close (a slow
    WebSocket reader is covered by test_close_after_burst)."""
    count = 20_000

    def main():
        for number in range(count):
            put_text(f"line {number}")

    client = served(main)
    client.wait_until(lambda: client.closed, what="the session to end", timeout=60)
    lines = [text for text in client.texts if text.startswith("line ")]
    assert (len(lines), lines[-1]) == (count, f"line {count - 1}")


def test_a_foreign_origin_is_refused_and_opens_no_session(served):
    def main():
        put_buttons(["Stay"], onclick=lambda _: None)
        put_text("hello")

    same_host = served(main, headers={"Origin": "http://testserver"})
    same_host.wait_for_text("hello")
    with pytest.raises(ConnectionRefusedError):
        same_host.new_visitor(headers={"Origin": "http://evil.example"})
    assert same_host.run_on_loop(lambda: len(same_host.hub.sessions)) == 1


def test_an_oversized_event_is_refused_and_the_session_goes_on(served):
    def main():
        put_buttons(["Ping"], onclick=lambda _: put_text("pong"))
        put_text("got " + str(len(input("text"))))

    client = served(main, max_payload_size="4K", reconnect_timeout=30)
    form = client.wait_for_form()
    client.send_raw(json.dumps({"event": "from_submit", "task_id": form.task_id, "data": {"data": "x" * 8000}}))
    if served.transport == "http":
        # The POST is answered 413 and the visitor is told; the page stays connected.
        client.wait_for_notice("over the limit")
    else:
        # The framework closes a WebSocket that sends a frame over the limit; the
        # page reconnects and nothing of the frame reached the app.
        client.reconnect()
    client.click("Ping")
    client.wait_for_text("pong")
    client.submit("short")
    client.wait_for_text("got 5")
    assert "got 8000" not in client.texts
