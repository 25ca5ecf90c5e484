"""Flows: "send a command, then wait for the events it causes", written once.

A flow is a generator that yields operations and receives their results. Thread
sessions drive it with blocking waits, coroutine sessions with ``await`` (httpx drives
its auth flows the same way from its sync and async clients). The public functions
(``input``, ``eval_js``, ``pin_wait_change`` …) only build flows; what a wait means is
decided once, by the kind of the current session.
"""
from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, TypeVar

from webio.protocol import Command

__all__ = ["Send", "Listen", "Receive", "Op", "Flow", "TIMED_OUT", "CLOSED"]

T = TypeVar("T")


@dataclass(frozen=True)
class Send:
    """Send ``command`` to the page; the result is ``None``."""

    command: Command


@dataclass(frozen=True)
class Listen:
    """Start collecting the events whose ``task_id`` is ``task_id``.

    Events for a task id nobody listens to are refused, so a flow listens before it
    sends the command that makes the browser answer. The session stops listening
    when the flow ends.
    """

    task_id: str


@dataclass(frozen=True)
class Receive:
    """Wait for the next event of a task the flow listens to.

    The result is the event dict, or :data:`TIMED_OUT` after ``timeout`` seconds.
    """

    task_id: str
    timeout: float | None = None


Op = Send | Listen | Receive
Flow = Generator[Op, Any, T]


class _Marker:
    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name


TIMED_OUT: Any = _Marker("TIMED_OUT")
"""Result of a :class:`Receive` whose timeout passed."""

CLOSED: Any = _Marker("CLOSED")
"""Put into every waiting channel when the session closes."""
