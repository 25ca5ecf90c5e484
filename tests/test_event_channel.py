"""The channel a coroutine session's flows read events from."""
from __future__ import annotations

import asyncio

import pytest

from webio.session.channel import EventChannel


def test_events_queued_before_the_reader_come_out_in_order():
    async def scenario():
        channel = EventChannel()
        for n in range(3):
            channel.put_nowait(n)
        return [await channel.get() for _ in range(3)]

    assert asyncio.run(scenario()) == [0, 1, 2]


def test_a_waiting_reader_gets_the_next_event():
    async def scenario():
        channel = EventChannel()
        reader = asyncio.ensure_future(channel.get())
        await asyncio.sleep(0)
        assert not reader.done()
        channel.put_nowait("submit")
        return await asyncio.wait_for(reader, 1)

    assert asyncio.run(scenario()) == "submit"


def test_a_reader_that_timed_out_loses_no_event():
    async def scenario():
        channel = EventChannel()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(channel.get(), 0.01)
        channel.put_nowait("late")
        return await asyncio.wait_for(channel.get(), 1)

    assert asyncio.run(scenario()) == "late"


def test_a_reader_cancelled_just_after_being_woken_leaves_the_event_queued():
    async def scenario():
        channel = EventChannel()
        reader = asyncio.ensure_future(channel.get())
        await asyncio.sleep(0)
        channel.put_nowait("kept")
        reader.cancel()
        with pytest.raises(asyncio.CancelledError):
            await reader
        return await asyncio.wait_for(channel.get(), 1)

    assert asyncio.run(scenario()) == "kept"
