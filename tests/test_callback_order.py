"""Callbacks of one session run one at a time, in click order, whatever they are.

A thread session runs every callback on the worker pool; a coroutine session runs
``async def`` callbacks on the loop and plain ones on the pool. In both, a second
click waits until the first click's callback has finished, so a slow callback is
never overtaken by a fast one, and two callbacks never change the page at once.
An ``async def`` runs on the loop wherever it is given (a button group, an output's
onclick, a toast, an input's action), so a pool full of slow plain callbacks does
not hold it up.
"""
from __future__ import annotations

import asyncio
import threading
import time

import pytest

from webio.input import input
from webio.output import put_buttons, put_text, toast
from webio.session import executor
from webio.testing import TestClient

SLOW = 0.3


def slow_sync(_value):
    put_text("slow started")
    time.sleep(SLOW)
    put_text("slow done")


async def slow_async(_value):
    put_text("slow started")
    await asyncio.sleep(SLOW)
    put_text("slow done")


def fast_sync(_value):
    put_text("fast done")


async def fast_async(_value):
    put_text("fast done")


def where_sync(_value):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        put_text("ran off the loop")
    else:
        put_text("ran on the loop")


def thread_app(slow, fast):
    def main():
        put_buttons(["slow"], onclick=slow)
        put_buttons(["fast"], onclick=fast)
    return main


def coroutine_app(slow, fast):
    async def main():
        put_buttons(["slow"], onclick=slow)
        put_buttons(["fast"], onclick=fast)
    return main


CASES = [
    ("thread", thread_app(slow_sync, fast_sync)),
    ("coroutine, sync then sync", coroutine_app(slow_sync, fast_sync)),
    ("coroutine, sync then async", coroutine_app(slow_sync, fast_async)),
    ("coroutine, async then sync", coroutine_app(slow_async, fast_sync)),
    ("coroutine, async then async", coroutine_app(slow_async, fast_async)),
    ("coroutine, a plain function returning a coroutine", coroutine_app(lambda value: slow_async(value), fast_sync)),
]


@pytest.mark.parametrize("app", [app for _, app in CASES], ids=[name for name, _ in CASES])
def test_a_fast_callback_waits_for_the_slow_one_clicked_before_it(app):
    with TestClient(app) as client:
        client.click("slow")
        client.wait_for_text("slow started")
        client.click("fast")
        client.wait_for_text("fast done", timeout=SLOW * 20)
        assert client.texts[2:] == ["slow started", "slow done", "fast done"]  # after the buttons


@pytest.mark.parametrize("app", [thread_app(slow_sync, where_sync), coroutine_app(slow_sync, where_sync)],
                         ids=["thread", "coroutine"])
def test_a_plain_callback_runs_off_the_event_loop(app):
    with TestClient(app) as client:
        client.click("fast")
        client.wait_for_text("ran off the loop")


def _shows(number):
    def show():
        put_text(f"click {number}")
    return show


def _shows_async(number):
    async def show():
        put_text(f"click {number}")
    return show


async def six_sync_buttons():
    put_buttons([str(n) for n in range(6)], onclick=lambda value: put_text(f"click {value}"))


async def six_mixed_buttons():
    put_buttons([str(n) for n in range(6)], onclick=[(_shows_async if n % 2 else _shows)(n) for n in range(6)])


@pytest.mark.parametrize("app", [six_sync_buttons, six_mixed_buttons], ids=["sync", "sync-and-async"])
def test_quick_clicks_of_a_coroutine_session_run_in_click_order(app):
    with TestClient(app) as client:
        for n in range(6):
            client.click(str(n))
        client.wait_until(lambda: len(client.texts) == 7, what="six clicks")
        assert client.texts[1:] == [f"click {n}" for n in range(6)]


def fails_sync(_value):
    raise ValueError("broken callback")


async def fails_async(_value):
    raise ValueError("broken callback")


async def takes_no_arguments_async():
    put_text("never")


@pytest.mark.parametrize("failing", [fails_sync, fails_async, takes_no_arguments_async],
                         ids=["sync-raises", "async-raises", "async-called-with-an-argument-it-does-not-take"])
def test_a_failing_callback_does_not_hold_up_the_next_click(failing):
    with TestClient(coroutine_app(failing, fast_sync)) as client:
        client.click("slow")
        client.wait_for_notice("internal error")
        client.click("fast")
        client.wait_for_text("fast done")


@pytest.fixture
def busy_pool(monkeypatch):
    """A worker pool of one thread, busy until the test ends: plain callbacks cannot run."""
    pool = executor.WorkerPool(max_workers=1)
    release = threading.Event()
    pool.submit(release.wait)
    monkeypatch.setattr(executor, "_pool", pool)
    yield
    release.set()


async def async_clickables():
    async def first():
        put_text("first clicked")

    async def second():
        put_text("second clicked")

    async def on_text():
        put_text("text clicked")

    async def on_toast():
        put_text("toast clicked")

    put_buttons(["first", "second"], onclick=[first, second])
    put_text("click this text").onclick(on_text)
    toast("click this toast", duration=0, onclick=on_toast)


@pytest.mark.usefixtures("busy_pool")
def test_async_callbacks_of_buttons_outputs_and_toasts_run_on_the_loop_while_the_pool_is_busy():
    """An ``async def`` given to a button group, an output's onclick or a toast runs on
    the loop, so slow plain callbacks filling the worker pool do not hold it up."""
    with TestClient(async_clickables) as client:
        client.click("second")
        client.wait_for_text("second clicked", timeout=5)
        client.click_output("click this text")
        client.wait_for_text("text clicked", timeout=5)
        client.click_toast("click this toast")
        client.wait_for_text("toast clicked", timeout=5)


@pytest.mark.usefixtures("busy_pool")
def test_an_async_input_action_runs_on_the_loop_while_the_pool_is_busy():
    async def fill(set_value):
        set_value("filled in")

    async def main():
        put_text(f"got {await input('Name', action=('Fill', fill))}")

    with TestClient(main) as client:
        action = client.wait_for_form().spec["inputs"][0]["action"]
        client.callback(action["callback_id"])
        client.wait_until(lambda: client.wait_for_form().values.get("data") == "filled in", timeout=5,
                          what="the action's value in the field")
        client.submit()
        client.wait_for_text("got filled in")
