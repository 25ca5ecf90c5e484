"""webio.session helpers, each in a thread session and in a coroutine session."""
from __future__ import annotations

import asyncio
import threading

import pytest

from webio.exceptions import SessionKindError, SessionNotFoundException
from webio.input import input
from webio.output import put_buttons, put_text
from webio.session import (
    defer_call,
    download,
    eval_js,
    get_info,
    go_app,
    hold,
    info,
    local,
    register_thread,
    run_async,
    run_asyncio_coroutine,
    run_js,
    set_env,
)
from webio.testing import TestClient

CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)


def test_eval_js_returns_the_page_value_in_both_kinds(webio_client):
    def main():
        put_text("sum", eval_js("a + b", a=1, b=2))

    async def amain():
        put_text("sum", await eval_js("a + b", a=1, b=2))

    for app in (main, amain):
        client = webio_client(app, js=lambda code, args: args["a"] + args["b"] if code == "a + b" else None)
        client.wait_for_text("sum 3")
        assert client.page.scripts[0] == {"code": "a + b", "args": {"a": 1, "b": 2}, "eval": True}


def test_eval_js_gives_none_when_the_script_fails(webio_client):
    def main():
        put_text("value:", repr(eval_js("Promise.reject()")))

    client = webio_client(main, js=lambda code, args: None)
    client.wait_for_text("value: None")


def test_run_js_sends_code_with_arguments(webio_client):
    async def amain():
        run_js("console.log(x)", x=[1, 2])
        put_text("done")

    client = webio_client(amain)
    client.wait_for_text("done")
    assert client.page.scripts == [{"code": "console.log(x)", "args": {"x": [1, 2]}, "eval": False}]


def test_download_offers_the_bytes(webio_client):
    def main():
        download("hello.txt", b"hello \x00 world")
        put_text("offered")

    client = webio_client(main)
    client.wait_for_text("offered")
    assert client.page.downloads == [("hello.txt", b"hello \x00 world")]


def test_download_refuses_text():
    def main():
        download("a.txt", "not bytes")

    with TestClient(main) as client:
        client.wait_for_notice("internal error")


@pytest.mark.parametrize("kind", ["thread", "coroutine"])
def test_defer_call_runs_once_in_order_after_main_raised(webio_client, kind):
    calls: list[str] = []
    all_ran = threading.Event()

    def first():
        calls.append("first")

    def second():
        calls.append("second")
        all_ran.set()

    def main():
        defer_call(first)
        defer_call(second)
        put_text("working")
        raise RuntimeError("the app failed")

    async def amain():
        defer_call(first)
        defer_call(second)
        put_text("working")
        raise RuntimeError("the app failed")

    client = webio_client(main if kind == "thread" else amain)
    client.wait_closed()
    assert all_ran.wait(5)
    client.close()
    assert calls == ["first", "second"]
    assert client.page.notices[0]["message"] == "An internal error occurred in the application."


def test_defer_call_works_as_decorator_and_when_visitor_leaves(webio_client):
    left = threading.Event()

    def main():
        @defer_call
        def cleanup():
            left.set()

        input("Wait here")

    client = webio_client(main)
    client.wait_for_form()
    client.drop()
    assert left.wait(5)


@pytest.mark.parametrize("kind", ["thread", "coroutine"])
def test_local_is_private_per_session(webio_client, kind):
    def main():
        local.name = input("name")
        put_text("missing reads", local.missing)
        put_text("in:", "name" in local, "items:", sorted(local), local._dict)

    async def amain():
        local.name = await input("name")
        put_text("missing reads", local.missing)
        put_text("in:", "name" in local, "items:", sorted(local), local._dict)

    app = main if kind == "thread" else amain
    first, second = webio_client(app), webio_client(app)
    first.submit("one")
    second.submit("two")
    first.wait_for_text("in: True items: ['name'] {'name': 'one'}")
    second.wait_for_text("in: True items: ['name'] {'name': 'two'}")
    assert "missing reads None" in first.texts


def test_data_and_get_info_are_deprecated(webio_client):
    import webio.session

    def main():
        with pytest.warns(DeprecationWarning, match="local"):
            webio.session.data.x = 1
        with pytest.warns(DeprecationWarning, match="info"):
            backend = get_info().backend
        put_text("x is", local.x, "backend", backend)

    client = webio_client(main)
    client.wait_for_text("x is 1 backend testing")


def test_info_describes_the_visitor(webio_client):
    def main():
        ua = info.user_agent
        put_text(f"mobile={ua.is_mobile} pc={ua.is_pc} tablet={ua.is_tablet} touch={ua.is_touch_capable}")
        put_text(f"browser={ua.browser.family} os={ua.os.family}")
        put_text(f"lang={info.user_language} host={info.server_host} ip={info.user_ip}")
        put_text(f"backend={info.backend} protocol={info.protocol} origin={info['origin']}")

    client = webio_client(main, headers={"User-Agent": CHROME_ANDROID, "Accept-Language": "de-CH,de;q=0.9,en;q=0.5",
                                         "Host": "apps.example.org"})
    client.wait_for_text("backend=")
    assert client.texts == [
        "mobile=True pc=False tablet=False touch=True",
        "browser=Chrome Mobile os=Android",
        "lang=de-CH host=apps.example.org ip=127.0.0.1",
        "backend=testing protocol=memory origin=http://apps.example.org",
    ]


def test_info_over_a_real_websocket(webio_client):
    def main():
        put_text(f"backend={info.backend} protocol={info.protocol} has_request={info.request is not None}")

    client = webio_client(main, transport="websocket")
    client.wait_for_text("backend=tornado protocol=websocket has_request=True")


def test_hold_keeps_main_running_until_the_visitor_leaves(webio_client):
    returned = threading.Event()

    def main():
        put_text("held")
        hold()
        returned.set()

    client = webio_client(main)
    client.wait_for_text("held")
    assert not client.closed
    client.drop()
    assert returned.wait(5)


def test_hold_in_a_coroutine_session(webio_client):
    returned = threading.Event()

    async def amain():
        put_text("held")
        await hold()
        returned.set()

    client = webio_client(amain)
    client.wait_for_text("held")
    client.drop()
    assert returned.wait(5)


def test_register_thread_lets_a_thread_output_and_keeps_the_session(webio_client):
    def worker():
        put_text("from the thread")

    def main():
        thread = threading.Thread(target=worker)
        register_thread(thread)
        thread.start()

    client = webio_client(main)
    client.wait_for_text("from the thread")
    client.wait_closed()


def test_an_unregistered_thread_gets_a_clear_error(webio_client):
    errors: list[str] = []
    done = threading.Event()

    def worker():
        try:
            put_text("nope")
        except SessionNotFoundException as exc:
            errors.append(str(exc))
        done.set()

    def main():
        threading.Thread(target=worker).start()
        done.wait(5)
        put_text("main done")

    client = webio_client(main)
    client.wait_for_text("main done")
    assert "register_thread" in errors[0]


def test_run_async_runs_in_the_background_and_can_be_closed(webio_client):
    async def ticker():
        put_text("tick")
        await asyncio.sleep(3600)

    async def amain():
        handle = run_async(ticker())
        await asyncio.sleep(0)
        put_text("started", handle.closed())
        put_buttons(["stop"], onclick=lambda _: handle.close() or put_text("stopped"))

    client = webio_client(amain)
    client.wait_for_text("tick")
    client.wait_for_text("started False")
    client.click("stop")
    client.wait_for_text("stopped")


def test_run_async_in_a_thread_session_says_what_to_do(webio_client):
    def main():
        coro = asyncio.sleep(0)
        try:
            run_async(coro)
        except SessionKindError as exc:
            put_text(str(exc))
        finally:
            coro.close()

    client = webio_client(main)
    client.wait_for_text("works only in a coroutine session")


def test_run_asyncio_coroutine_in_both_kinds(webio_client):
    async def compute():
        await asyncio.sleep(0)
        return 42

    def main():
        put_text("thread got", run_asyncio_coroutine(compute()))

    async def amain():
        put_text("coroutine got", await run_asyncio_coroutine(compute()))

    webio_client(main).wait_for_text("thread got 42")
    webio_client(amain).wait_for_text("coroutine got 42")


def test_set_env_and_go_app(webio_client):
    def main():
        set_env(title="My app", output_max_width="90%")
        go_app("other", new_window=False)
        put_text("done")

    client = webio_client(main)
    client.wait_for_text("done")
    assert client.page.model.env == {"title": "My app", "output_max_width": "90%"}
    assert client.page.scripts[0]["args"] == {"url": "?app=other"}


def test_set_env_refuses_unknown_settings(webio_client):
    def main():
        try:
            set_env(colour="red")
        except ValueError as exc:
            put_text(str(exc))

    webio_client(main).wait_for_text("unknown settings ['colour']")


def test_helpers_outside_a_session_raise_a_helpful_error():
    with pytest.raises(SessionNotFoundException, match="inside the app function"):
        put_text("x")
    with pytest.raises(SessionNotFoundException):
        local.x = 1


def test_the_thread_of_a_waiting_main_is_alive_and_joins_once_main_returned():
    def main():
        put_text(f"got {input('Name')}")

    with TestClient(main) as client:
        client.wait_for_form()
        thread = client.session.main_thread
        assert thread is not None and thread.is_alive()
        thread.join(0.05)
        assert thread.is_alive(), "join returned while main still waited in input()"
        client.submit("Ada")
        client.wait_for_text("got Ada")
        thread.join(5)
        assert not thread.is_alive()
