"""webio.tasks.start_now and spawn_now: a coroutine run up to its first wait, then carried on by a task."""
from __future__ import annotations

import asyncio
import logging

import pytest

from webio.tasks import running_tasks, spawn_now, start_now


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


@pytest.mark.parametrize("fails", ["before the wait", "after the wait"])
def test_spawn_now_logs_a_failure_under_the_name_and_raises_nothing(fails, caplog):
    async def write():
        if fails == "after the wait":
            await asyncio.sleep(0)
        raise OSError("the store is down")

    async def main():
        task = spawn_now(write(), name="webio-records-abc")
        assert (task is None) == (fails == "before the wait")
        if task is not None:
            assert task.get_name() == "webio-records-abc"
            await asyncio.wait([task])
            await asyncio.sleep(0)

    with caplog.at_level(logging.ERROR, logger="webio"):
        asyncio.run(main())
    failures = [r for r in caplog.records if r.getMessage() == "background task webio-records-abc failed"]
    assert len(failures) == 1 and str(failures[0].exc_info[1]) == "the store is down"


def test_spawn_now_finishes_work_that_never_waits_in_the_call():
    done = []

    async def write():
        done.append("written")

    async def main():
        assert spawn_now(write(), name="webio-records-abc") is None
        assert done == ["written"]

    asyncio.run(main())
