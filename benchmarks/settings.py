"""How much each scenario does: the issue's counts by default, small ones with ``--quick``."""
from __future__ import annotations

import resource
from dataclasses import dataclass, replace

__all__ = ["Settings", "DEFAULT", "QUICK", "raise_fd_limit", "idle_ceiling"]

FD_MARGIN = 200
"""File descriptors kept free in each process besides the idle sessions' sockets."""


@dataclass(frozen=True)
class Settings:
    """Counts and time bounds. Every loop stops at its count or its time bound, whichever first.

    ``clicks``, ``rounds``, ``flask_clicks``: measured round trips of a, b, e (after
    ``warmup`` unmeasured ones), each loop at most ``loop_seconds``; a and b split
    theirs into ``passes`` turns per framework (``loop_seconds`` shared among them); ``burst``: texts
    of c, in each of ``burst_repeats`` sessions one after another; ``idle_thread`` / ``idle_coroutine``: the session counts of d at which RSS
    is read (the last one is held), opened ``idle_concurrency`` at a time;
    ``growth_clicks``: clicks of f, at most ``growth_seconds``; ``isolation_burst``:
    texts of g's burst (its client vanishes at half), clicks going on for
    ``isolation_window`` seconds after that; ``give_up``: the longest wait for one
    click or connection in g; ``timeout``: any other single wait; ``run_limit``: one
    server's whole measurement.
    """

    clicks: int = 2_000
    rounds: int = 2_000
    passes: int = 5
    burst: int = 20_000
    burst_repeats: int = 5
    idle_thread: tuple[int, ...] = (1_000, 5_000, 10_000)
    idle_coroutine: tuple[int, ...] = (1_000, 5_000, 10_000, 20_000)
    idle_concurrency: int = 50
    flask_clicks: int = 2_000
    growth_clicks: int = 20_000
    isolation_burst: int = 200_000
    isolation_window: float = 3.0
    warmup: int = 20
    loop_seconds: float = 15.0
    growth_seconds: float = 90.0
    give_up: float = 20.0
    timeout: float = 10.0
    run_limit: float = 300.0

    def with_idle(self, thread: tuple[int, ...] | None, coroutine: tuple[int, ...] | None) -> Settings:
        """These settings with other idle session counts."""
        return replace(self, idle_thread=thread or self.idle_thread, idle_coroutine=coroutine or self.idle_coroutine)


DEFAULT = Settings()
QUICK = Settings(
    clicks=200,
    rounds=100,
    passes=2,
    burst=2_000,
    burst_repeats=2,
    idle_thread=(100, 300),
    idle_coroutine=(100, 300),
    flask_clicks=30,
    growth_clicks=1_000,
    isolation_burst=20_000,
    isolation_window=1.0,
    warmup=5,
    loop_seconds=5.0,
    growth_seconds=20.0,
    give_up=5.0,
    timeout=10.0,
    run_limit=120.0,
)


MAX_OPEN_FILES = 1 << 20
"""What an unlimited open-file limit counts as."""


def _hard_fd_limit() -> int:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return MAX_OPEN_FILES if hard == resource.RLIM_INFINITY else hard


def raise_fd_limit() -> None:
    """Raise this process's open-file limit to its hard limit; the servers it starts inherit it."""
    hard = _hard_fd_limit()
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def idle_ceiling() -> int:
    """The most sessions one server can hold here: one socket each, within the open-file limit.

    The harness holds the client side of each in one process, under the same limit.
    """
    return _hard_fd_limit() - FD_MARGIN
