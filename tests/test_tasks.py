"""webio.tasks.start_now: a coroutine run up to its first wait, then carried on by a task."""
from __future__ import annotations

import asyncio

import pytest

from webio.tasks import running_tasks, start_now


def test_a_coroutine_that_never_waits_finishes_in_the_call():
    done = []

    async def write():
        done.append("written")

    async def main():
        assert start_now(write()) is None
        assert done == ["written"]

    asyncio.run(main())


def test_a_coroutine_that_waits_runs_up_to_the_wait_and_a_task_finishes_it():
    steps = []

    async def write(gate):
        steps.append("before the wait")
        await gate
        steps.append("after the wait")
        return "result"

    async def main():
        gate = asyncio.get_running_loop().create_future()
        task = start_now(write(gate))
        assert steps == ["before the wait"] and task is not None and task in running_tasks()
        gate.set_result(None)
        assert await task == "result"
        assert steps == ["before the wait", "after the wait"]
        assert task not in running_tasks()

    asyncio.run(main())


def test_an_error_before_the_wait_is_raised_in_the_call_and_one_after_by_the_task():
    async def fails_at_once():
        raise ConnectionResetError("closing transport")

    async def fails_later():
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        raise ConnectionResetError("gone")

    async def main():
        with pytest.raises(ConnectionResetError, match="closing transport"):
            start_now(fails_at_once())
        task = start_now(fails_later())
        assert task is not None
        with pytest.raises(ConnectionResetError, match="gone"):
            await task

    asyncio.run(main())


def test_cancelling_the_task_cancels_the_coroutine_where_it_waits():
    seen = []

    async def write(gate):
        try:
            await gate
        except asyncio.CancelledError:
            seen.append("cancelled inside")
            raise

    async def main():
        gate = asyncio.get_running_loop().create_future()
        task = start_now(write(gate))
        assert task is not None
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert seen == ["cancelled inside"] and gate.cancelled()

    asyncio.run(main())
