"""A session whose visitor has left is freed at once, not by the cycle collector.

Python frees an object the moment nothing refers to it, unless it sits in a
reference cycle: then it waits for the cycle collector's full pass, which runs
rarely and, over a large heap, stops the whole server while it looks. After a
thousand visitors leave, their sessions must not pile up waiting for it. Each test
here runs with the collector off and expects the closed session to be gone. The
last one checks that an open Tornado connection stays as small as Tornado makes it.
"""
from __future__ import annotations

import gc
import sys
import time
import weakref

import pytest

from webio.input import input
from webio.output import put_buttons, put_text
from webio.testing import TestClient

FREED_WITHIN = 5.0


def waits_in_input():
    input("name")


async def waits_in_input_async():
    await input("name")


def clicked_then_waits():
    put_buttons(["go"], onclick=lambda value: put_text(f"clicked {value}"))
    input("name")


async def clicked_then_waits_async():
    put_buttons(["go"], onclick=lambda value: put_text(f"clicked {value}"))
    await input("name")


def still_alive_after_leaving(client: TestClient, act=None) -> list[str]:
    """What of the session and its connection is still alive once the visitor drops it."""
    client.wait_for_form()
    if act is not None:
        act(client)
    session = client.session
    watched = {"the session": weakref.ref(session),
               "the server's end of the WebSocket": weakref.ref(session._connection.port)}
    del session
    client.drop()
    deadline = time.monotonic() + FREED_WITHIN
    while time.monotonic() < deadline and any(ref() is not None for ref in watched.values()):
        time.sleep(0.02)
    return [name for name, ref in watched.items() if ref() is not None]


def click_go(client: TestClient) -> None:
    client.click("go")
    client.wait_for_text("clicked go")


@pytest.fixture
def collector_off():
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.usefixtures("collector_off")
@pytest.mark.parametrize("backend", ["tornado", "aiohttp"])
@pytest.mark.parametrize(("app", "act"), [
    (waits_in_input, None),
    (waits_in_input_async, None),
    (clicked_then_waits, click_go),
    (clicked_then_waits_async, click_go),
], ids=["thread", "coroutine", "thread-after-click", "coroutine-after-click"])
def test_a_closed_session_is_freed_without_the_cycle_collector(backend, app, act):
    with TestClient(app, transport="websocket", backend=backend) as client:
        assert still_alive_after_leaving(client, act) == [], "left in a reference cycle"



def test_a_tornado_connection_keeps_its_attributes_in_a_shared_key_dict():
    """An open WebSocket costs what Tornado's handler costs, not 1.3 KiB more.

    CPython lets instances of one class share their dict's keys up to 30 attributes;
    past that, each instance has a dict of its own. Tornado's handler holds 27 once
    the socket is open, so webio keeps what it adds in slots.
    """
    with TestClient(waits_in_input, transport="websocket", backend="tornado") as client:
        client.wait_for_form()
        handler = client.session._connection.port
        assert len(vars(handler)) <= 28, sorted(vars(handler))
        assert sys.getsizeof(vars(handler)) < 600
