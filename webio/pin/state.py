"""The pin widgets of one session: their converters, changes, waiters and callbacks.

Where values live: the browser reports every change of a pin widget at once, in
order, with a ``pin_change`` event; the session's page model keeps the raw value of
every pin on the page (see :mod:`webio.session.page_pins`). Reading a pin converts
that value with the widget's field, so reading never waits for the browser. Because
events of one connection arrive in order, a click that follows typing is handled
after the typed value is known.

Changes are never lost: a change that no ``pin_wait_change`` waits for is kept (the
latest value per widget, in the order the widgets first changed) and the next
``pin_wait_change`` naming that widget returns it. ``pin_on_change`` callbacks run
through the session's callback machinery (serialized per session, async callbacks
in coroutine sessions).

Threads: events arrive on the loop thread, reads and waits come from user threads;
one lock guards the state. A change is handed to a waiter while that lock is held,
so a waiter that times out at the same moment either gets it or leaves it pending.
"""
from __future__ import annotations

import logging
import threading
from typing import Any

from webio.input.form import Field, FieldError
from webio.input.upload import files_value
from webio.input.upload_store import upload_store
from webio.protocol import Event
from webio.session.base import Session

logger = logging.getLogger("webio.pin")

__all__ = ["MISSING", "PinState", "pin_state"]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""What :meth:`PinState.read` returns for a widget that is not on the page."""


class PinState:
    """Pin widgets, pending changes, waiters and ``pin_on_change`` callbacks of a session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._lock = threading.Lock()
        self._widgets: dict[str, Field] = {}
        self._files: dict[str, Any] = {}
        self._pending: dict[str, Any] = {}
        self._waiters: dict[str, tuple[str, ...]] = {}
        self._delivered: dict[str, dict[str, Any]] = {}
        self._callbacks: dict[str, list[str]] = {}

    # --- widgets (user threads) ----------------------------------------------

    def register(self, item: Field) -> None:
        """A widget is being shown under ``item.name``; it replaces an earlier one."""
        with self._lock:
            self._widgets[item.name] = item
            self._files.pop(item.name, None)
            self._pending.pop(item.name, None)
        if item.upload is not None:
            upload_store(self.session).expect_pin(item.name, item.upload)

    def kind_of(self, name: str) -> str | None:
        """The item type of the widget ``name`` (``"select"`` …), None if never shown."""
        with self._lock:
            item = self._widgets.get(name)
            return None if item is None else item.spec.get("type")

    def update_spec(self, name: str, attributes: dict[str, Any]) -> None:
        """``pin_update`` changed the widget: later values are checked against it."""
        with self._lock:
            item = self._widgets.get(name)
            if item is not None:
                item.spec = {**item.spec, **attributes}

    def read(self, name: str) -> Any:
        """The current value of the widget ``name``, or :data:`MISSING` if not on the page."""
        raw = self.session.page.pins.get(name, MISSING)
        if raw is MISSING:
            return MISSING
        with self._lock:
            item = self._widgets.get(name)
            if item is not None and item.upload is not None:
                return self._files.get(name, files_value([], item.spec))
        if item is None:
            return raw
        try:
            return item.convert(raw)
        except FieldError:
            return raw

    def values(self) -> dict[str, Any]:
        """Every widget on the page and its current value."""
        return {name: value for name in list(self.session.page.pins)
                if (value := self.read(name)) is not MISSING}

    # --- changes (the loop thread) ---------------------------------------------

    def on_change(self, event: Event) -> None:
        """A ``pin_change`` event: check it, keep the value, wake a waiter, call back."""
        data = event["data"]
        name = data.get("name") if isinstance(data, dict) else None
        if not isinstance(name, str):
            self.session.refuse("a pin change without a widget name")
            return
        with self._lock:
            item = self._widgets.get(name)
        if item is None or name not in self.session.page.pins:
            self.session.refuse(f"a change of the pin widget {name[:40]!r}, which is not on the page")
            return
        raw = data.get("value")
        try:
            if item.upload is not None:
                value = files_value(upload_store(self.session).take_pin(name, raw), item.spec)
                raw = None
            else:
                value = item.convert(raw)
        except FieldError as exc:
            self.session.refuse(f"a value for the pin widget {name[:40]!r} that it cannot take ({exc})",
                                visitor_message=f"{exc}")
            return
        self.session.note_pin_value(name, raw)
        change = {"name": name, "value": value}
        with self._lock:
            if item.upload is not None:
                self._files[name] = value
            waiter = next((task_id for task_id, names in self._waiters.items() if name in names), None)
            if waiter is None:
                self._pending[name] = value
            else:
                del self._waiters[waiter]
                self._delivered[waiter] = change
                self.session.dispatch({"event": "pin_value", "task_id": waiter, "data": change})
            callbacks = list(self._callbacks.get(name, ()))
        for callback_id in callbacks:
            self.session.dispatch({"event": "callback", "task_id": callback_id, "data": value})

    # --- waiting (user threads) -------------------------------------------------

    def take_or_wait(self, task_id: str, names: tuple[str, ...]) -> dict[str, Any] | None:
        """A pending change of one of ``names`` (oldest first), or None after
        registering ``task_id`` to receive the next one."""
        with self._lock:
            for name in self._pending:
                if name in names:
                    return {"name": name, "value": self._pending.pop(name)}
            self._waiters[task_id] = names
            return None

    def end_wait(self, task_id: str, *, requeue: bool) -> dict[str, Any] | None:
        """Stop waiting; return the change handed to ``task_id`` if there was one.

        With ``requeue`` (the waiter is going away without reading it) that change
        goes back to the pending ones instead.
        """
        with self._lock:
            self._waiters.pop(task_id, None)
            change = self._delivered.pop(task_id, None)
            if change is not None and requeue:
                self._pending.setdefault(change["name"], change["value"])
            return change

    # --- callbacks (user threads) -----------------------------------------------

    def bind(self, name: str, callback_id: str) -> None:
        """Call the session callback ``callback_id`` with each new value of ``name``."""
        with self._lock:
            self._callbacks.setdefault(name, []).append(callback_id)

    def unbind_all(self, name: str) -> list[str]:
        """Stop calling back for ``name``; return the callback ids to forget."""
        with self._lock:
            return self._callbacks.pop(name, [])


_attach_lock = threading.Lock()


def pin_state(session: Session) -> PinState:
    """The pin state of ``session``, made on first use."""
    state: PinState | None = getattr(session, "_webio_pins", None)
    if state is None:
        with _attach_lock:
            state = getattr(session, "_webio_pins", None)
            if state is None:
                state = PinState(session)
                session._webio_pins = state  # type: ignore[attr-defined]
    return state
