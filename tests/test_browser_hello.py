"""The README example in chromium: thread and coroutine forms, and a reconnect."""
from __future__ import annotations

import asyncio
import importlib.util
import json
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

DEMO = Path(__file__).resolve().parent.parent / "demos" / "hello.py"


def load_demo():
    spec = importlib.util.spec_from_file_location("hello_demo", DEMO)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("kind", ["main", "async_main"])
def test_the_example_greets_and_answers_the_button(serve, page, kind):
    served = serve(getattr(load_demo(), kind))
    page.goto(served.url)
    name = page.get_by_label("Your name?")
    assert name.evaluate("el => el === document.activeElement"), "focus lands in the first field"
    name.fill("Ada")
    name.press("Enter")
    page.get_by_text("Hello Ada").wait_for()
    page.get_by_role("button", name="Again").click()
    page.get_by_text("again", exact=True).wait_for()
    assert page.get_by_role("button", name="Submit").count() == 0, "the form is gone after submitting"


def test_the_form_buttons_follow_the_browser_language(serve, browser):
    served = serve(load_demo().main)
    context = browser.new_context(locale="de-DE")
    german = context.new_page()
    german.goto(served.url)
    german.get_by_label("Your name?").wait_for()
    assert german.get_by_role("button", name="Absenden").count() == 1
    context.close()


def test_validation_errors_show_next_to_the_field(serve, page):
    from webio.input import NUMBER, input
    from webio.output import put_text

    def main():
        age = input("Age", type=NUMBER, validate=lambda v: "Must be at least 18" if v < 18 else None)
        put_text(f"age {age}")

    served = serve(main)
    page.goto(served.url)
    field = page.get_by_label("Age")
    field.fill("12")
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("Must be at least 18").wait_for()
    assert field.get_attribute("aria-invalid") == "true"
    assert field.input_value() == "12", "what the visitor typed is kept"
    field.fill("30")
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("age 30").wait_for()


def test_a_dropped_connection_resumes_the_same_session(serve, page):
    from webio.input import input
    from webio.output import put_buttons, put_text

    def main():
        put_buttons(["More"], onclick=lambda _: put_text("more"))
        put_text("got " + input("Name"))

    served = serve(main, reconnect_timeout=30)
    page.goto(served.url)
    page.get_by_role("button", name="More").click()
    page.get_by_text("more", exact=True).wait_for()
    page.get_by_label("Name").fill("kept")

    async def cut_all_sockets():
        for session in list(served.hub.sessions.values()):
            session._connection.close()

    asyncio.run_coroutine_threadsafe(cut_all_sockets(), served.loop).result(5)
    page.get_by_role("button", name="More").click()
    page.get_by_text("more", exact=True).nth(1).wait_for()
    assert page.get_by_text("more", exact=True).count() == 2, "nothing shown twice"
    assert page.get_by_label("Name").input_value() == "kept"
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("got kept").wait_for()
    assert len(served.hub.sessions) <= 1


def test_the_visitor_sees_that_the_page_is_reconnecting(serve, browser):
    from webio.output import put_text
    from webio.session import hold

    def main():
        put_text("served")
        hold()

    served = serve(main, reconnect_timeout=30)
    context = browser.new_context()
    visitor = context.new_page()
    visitor.goto(served.url)
    visitor.get_by_text("served").wait_for()

    async def network_gone():
        served.server.stop()
        for session in list(served.hub.sessions.values()):
            session._connection.close()

    asyncio.run_coroutine_threadsafe(network_gone(), served.loop).result(5)
    status = visitor.get_by_role("status").filter(has_text="Reconnecting")
    status.wait_for()
    assert status.is_visible()
    context.close()


def test_a_message_over_the_size_limit_is_refused_with_a_notice(serve, browser):
    from webio.input import input
    from webio.output import put_text

    def main():
        put_text("got " + input("Note"))

    served = serve(main, max_payload_size="1K", reconnect_timeout=30)
    context = browser.new_context()
    visitor = context.new_page()
    sockets: list[str] = []
    visitor.on("websocket", lambda ws: sockets.append(ws.url))
    visitor.goto(served.url)
    visitor.get_by_label("Note").fill("x" * 5000)
    visitor.get_by_role("button", name="Submit").click()
    visitor.get_by_text("too large for the server").first.wait_for()
    visitor.get_by_label("Note").fill("short")
    visitor.get_by_role("button", name="Submit").click()
    visitor.get_by_text("got short").wait_for()
    assert len(sockets) == 1, "the page refused the large message itself: no reconnect, nothing lost"
    context.close()


def test_the_page_sends_its_ack_with_a_quick_event_and_alone_otherwise(serve, page):
    from webio.output import put_buttons, put_text

    def main():
        put_buttons(["Count"], onclick=lambda _: put_text("counted"))

    served = serve(main)
    sent: list[dict] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(json.loads(payload))))
    page.goto(served.url)
    button = page.get_by_role("button", name="Count")
    button.wait_for()
    # Click again the moment the first answer is on the page: well within the ack delay.
    page.evaluate("""() => new MutationObserver((_, observer) => {
        if (!document.body.innerText.includes('counted')) return;
        observer.disconnect();
        document.querySelector('button').click();
    }).observe(document.body, {childList: true, subtree: true, characterData: true})""")
    button.click()
    page.get_by_text("counted", exact=True).nth(1).wait_for()
    session = next(iter(served.hub.sessions.values()))
    deadline = time.monotonic() + 5
    # Playwright reports a sent frame only at its next call, maybe after the server has it.
    while (session.outbox.acked_seq < session.outbox.last_seq or sent[-1]["event"] != "ack") \
            and time.monotonic() < deadline:
        page.wait_for_timeout(20)
    assert session.outbox.acked_seq == session.outbox.last_seq, "everything shown is acknowledged"

    clicks = [index for index, event in enumerate(sent) if event["event"] == "callback"]
    assert len(clicks) == 2
    second_click = sent[clicks[1]]
    assert isinstance(second_click.get("ack"), int), "the ack of the first answer rode on the second click"
    assert all(event["event"] != "ack" for event in sent[clicks[0]:clicks[1]])
    assert sent[-1] == {"event": "ack", "task_id": None, "data": {"seq": session.outbox.last_seq}}, \
        "with no event to carry it, the last ack went alone"
