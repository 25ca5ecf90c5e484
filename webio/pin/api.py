"""Reading and writing pin widgets: ``pin``, ``pin_wait_change``, ``pin_update``,
``pin_on_change`` and webio's ``get_pin_values``.

Reads use the server's pin state, which the browser keeps current (see
:mod:`webio.pin.state`), instead of asking the browser each time as PyWebIO does:
a read costs no round trip, works while the visitor is reconnecting, and sees every
change that came before the event being handled. In a coroutine session
``pin.name`` still returns an awaitable (``await pin.name``), as in PyWebIO, so apps
run unchanged; :func:`get_pin_values` is the plain, non-awaited spelling.
"""
from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from webio.exceptions import PinNotFoundError
from webio.input.common import check_name
from webio.input.group import check_update
from webio.pin.state import MISSING, PinState, pin_state
from webio.protocol import make_command
from webio.session.base import new_secret
from webio.session.context import get_current_session
from webio.session.flow import TIMED_OUT, Flow, Listen, Receive
from webio.session.kinds import is_async_callable

__all__ = ["Pin", "get_pin_values", "pin", "pin_on_change", "pin_update", "pin_wait_change"]


class _Ready:
    """An awaitable that is already done (``await pin.name`` in coroutine sessions)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __await__(self) -> Generator[Any, None, Any]:
        yield from ()
        return self.value


class Pin:
    """The ``pin`` object: ``pin.name`` / ``pin['name']`` read a widget, assignment sets it.

    A widget that is not on the page reads as None, or raises
    :class:`~webio.exceptions.PinNotFoundError` (an ``AssertionError``) after
    :meth:`use_strict`. In coroutine sessions a read returns an awaitable.
    Setting a value does not count as a change for ``pin_wait_change`` or
    ``pin_on_change``, as in PyWebIO.
    """

    _strict = False

    def use_strict(self) -> None:
        """Raise instead of returning None when reading a widget that is not on the page."""
        object.__setattr__(self, "_strict", True)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(f"the pin object has no attribute {name!r}")
        return self[name]

    def __getitem__(self, name: str) -> Any:
        check_name(name, "a pin name")
        session = get_current_session()
        value = pin_state(session).read(name)
        if value is MISSING:
            if self._strict:
                raise PinNotFoundError(f"there is no pin widget called {name!r} on the page")
            value = None
        return _Ready(value) if session.kind == "coroutine" else value

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "use_strict":
            raise ValueError("'use_strict' is reserved and cannot be a pin widget's name")
        self[name] = value

    def __setitem__(self, name: str, value: Any) -> None:
        pin_update(name, value=value)

    def __repr__(self) -> str:
        return "<webio pin object: pin.NAME reads a pin widget>"


pin = Pin()
"""Pin widget values: ``pin.name`` and ``pin['name']`` read, assignment writes."""


def _wait_flow(state: PinState, names: tuple[str, ...], timeout: float | None) -> Flow[dict[str, Any] | None]:
    task_id = "pin-wait-" + new_secret()
    yield Listen(task_id)
    change = state.take_or_wait(task_id, names)
    if change is not None:
        return change
    try:
        event = yield Receive(task_id, timeout)
    except BaseException:
        state.end_wait(task_id, requeue=True)
        raise
    late = state.end_wait(task_id, requeue=False)
    return late if event is TIMED_OUT else event["data"]


def pin_wait_change(*names: Any, timeout: float | None = None) -> Any:
    """Wait until the visitor changes one of the widgets ``names``.

    Returns ``{"name": name, "value": new value}``, or None after ``timeout``
    seconds. A change made while nothing was waiting is not lost: the next call
    naming that widget returns it at once (the latest value of each widget, oldest
    change first). Updates made by the app do not count. Blocks in thread sessions;
    ``await`` it in coroutine sessions. ``names`` may also be one list.
    """
    if len(names) == 1 and isinstance(names[0], (list, tuple)):
        names = tuple(names[0])
    if not names:
        raise ValueError("pin_wait_change needs at least one pin name")
    checked = tuple(check_name(name, "a pin name") for name in names)
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout < 0):
        raise ValueError(f"timeout must be None or a number of seconds ≥ 0, got {timeout!r}")
    session = get_current_session()
    return session.run_flow(_wait_flow(pin_state(session), checked, timeout))


def pin_update(name: str, **spec: Any) -> None:
    """Change a pin widget: ``value``, ``label``, ``options``, ``placeholder``,
    ``help_text``, ``readonly``, ``disabled``, ``valid_status`` … (not ``type``,
    ``name``, ``code``, ``multiple`` and the other fixed parameters)."""
    check_name(name, "a pin name")
    session = get_current_session()
    state = pin_state(session)
    attributes = check_update(spec, state.kind_of(name))
    state.update_spec(name, {k: v for k, v in attributes.items()
                             if k not in ("valid_status", "invalid_feedback", "valid_feedback", "value")})
    session.send(make_command("pin_update", {"name": name, "attributes": attributes}))


def pin_on_change(name: str, onchange: Callable[[Any], Any] | None = None, clear: bool = False,
                  init_run: bool = False, **callback_options: Any) -> None:
    """Call ``onchange(value)`` each time the visitor changes the widget ``name``.

    Several callbacks of one widget run in the order they were bound; ``clear=True``
    removes the earlier ones (``pin_on_change(name, clear=True)`` removes all).
    ``init_run=True`` also calls it once now with the current value. Callbacks of a
    session run one at a time; ``callback_options`` are accepted for PyWebIO
    compatibility.
    """
    check_name(name, "a pin name")
    if onchange is None and not clear:
        raise ValueError("pin_on_change needs an onchange function, or clear=True to remove the callbacks")
    if onchange is not None and not callable(onchange):
        raise TypeError(f"onchange must be a function, got {onchange!r}")
    session = get_current_session()
    state = pin_state(session)
    if clear:
        for callback_id in state.unbind_all(name):
            session.forget_callback(callback_id)
    if onchange is None:
        return
    callback_id = session.register_callback(onchange)
    state.bind(name, callback_id)
    if init_run:
        value = state.read(name)
        value = None if value is MISSING else value
        if is_async_callable(onchange):
            session.call_on_loop(session.dispatch, {"event": "callback", "task_id": callback_id, "data": value})
        else:
            onchange(value)


def get_pin_values() -> dict[str, Any]:
    """webio addition: ``{name: value}`` of every pin widget on the page, at once.

    Never awaited, in either kind of session: it reads the server's pin state.
    """
    return pin_state(get_current_session()).values()
