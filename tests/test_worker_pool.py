"""webio.session.executor: the pool that runs blocking user code, and its serial runner."""
from __future__ import annotations

import asyncio
import logging
import threading
import time

import pytest

from webio.session.executor import SerialRunner, WorkerPool, run_in_pool

WAIT = 5.0


def _wait_until(condition, timeout: float = WAIT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return condition()


def test_functions_one_after_another_reuse_one_thread():
    pool = WorkerPool(max_workers=8, name="test-reuse")
    names = []
    for _ in range(50):
        done = threading.Event()
        pool.submit(lambda done=done: (names.append(threading.current_thread().name), done.set()))
        assert done.wait(WAIT)
        # The worker counts itself idle just after the function returns.
        assert _wait_until(lambda: pool._idle == 1)
    assert set(names) == {"test-reuse_1"}
    assert pool.thread_count == 1


def test_functions_that_block_each_get_a_thread_up_to_the_limit():
    pool = WorkerPool(max_workers=3, name="test-limit")
    gate = threading.Event()
    started = []
    lock = threading.Lock()

    def blocked(number):
        with lock:
            started.append(number)
        gate.wait(WAIT)

    for number in range(5):
        pool.submit(lambda number=number: blocked(number))
    assert _wait_until(lambda: len(started) == 3)
    time.sleep(0.05)
    assert len(started) == 3, "more functions ran at once than max_workers"
    assert pool.thread_count == 3
    gate.set()
    assert _wait_until(lambda: len(started) == 5)
    assert sorted(started) == [0, 1, 2, 3, 4]
    assert pool.thread_count == 3


def test_an_exception_is_logged_and_the_worker_carries_on(caplog):
    pool = WorkerPool(max_workers=1, name="test-error")
    done = threading.Event()

    def fail():
        raise ValueError("boom")

    with caplog.at_level(logging.ERROR, logger="webio.session"):
        pool.submit(fail)
        pool.submit(done.set)
        assert done.wait(WAIT)
    assert any("worker pool raised" in record.message and record.exc_info for record in caplog.records)
    assert pool.thread_count == 1


def test_idle_workers_end_but_one_stays():
    pool = WorkerPool(max_workers=4, name="test-idle", idle_seconds=0.05)
    gate = threading.Event()
    for _ in range(4):
        pool.submit(lambda: gate.wait(WAIT))
    assert _wait_until(lambda: pool.thread_count == 4)
    gate.set()
    assert _wait_until(lambda: pool.thread_count == 1)
    assert _wait_until(lambda: len([t for t in threading.enumerate() if t.name.startswith("test-idle")]) == 1)
    done = threading.Event()
    pool.submit(done.set)
    assert done.wait(WAIT), "the remaining worker no longer takes work"


def test_a_worker_that_times_out_still_runs_what_was_promised_to_it():
    pool = WorkerPool(max_workers=1, name="test-promise", idle_seconds=0.01)
    results = []
    for number in range(100):
        done = threading.Event()
        pool.submit(lambda number=number, done=done: (results.append(number), done.set()))
        assert done.wait(WAIT)
        time.sleep(0.0002 * (number % 50))
    assert results == list(range(100))


def test_max_workers_must_be_positive():
    with pytest.raises(ValueError, match="max_workers must be at least 1"):
        WorkerPool(max_workers=0)


def test_run_in_pool_gives_the_result_or_the_exception_to_the_loop():
    def where(value):
        return value, threading.current_thread() is threading.main_thread()

    def fail():
        raise KeyError("missing")

    async def main():
        assert await run_in_pool(where, 7) == (7, False)
        with pytest.raises(KeyError, match="missing"):
            await run_in_pool(fail)

    asyncio.run(main())


def test_a_serial_runner_keeps_order_and_never_runs_two_at_once():
    runner = SerialRunner()
    seen = []
    running = []
    overlaps = []
    done = threading.Event()

    def step(number):
        running.append(number)
        if len(running) > 1:
            overlaps.append(list(running))
        time.sleep(0.0002)
        seen.append(number)
        running.remove(number)
        if number == 99:
            done.set()

    submitters = [threading.Thread(target=lambda start=start: [runner.submit(lambda n=n: step(n))
                                                               for n in range(start, start + 25)])
                  for start in (0, 25, 50, 75)]
    for thread in submitters:
        thread.start()
        thread.join()
    assert done.wait(WAIT)
    assert seen == list(range(100))
    assert overlaps == []
