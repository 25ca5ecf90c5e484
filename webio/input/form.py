"""The form flow: show a form, check what comes back, return the values.

Written once as a flow (see :mod:`webio.session.flow`), so the same code blocks in
thread sessions and is awaited in coroutine sessions. Everything a browser sends is
checked here: values are converted by their field, validated by the app's
functions, and anything wrong is shown next to its field while the form stays open
with what the visitor typed. Files arrive before the submit, in chunks, through the
session's :class:`~webio.input.upload_store.UploadStore`; the submit only names them.
"""
from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from webio.protocol import Event, make_command
from webio.session.base import Session, new_secret
from webio.session.context import get_current_session
from webio.session.flow import Flow, Listen, Receive, Send

if TYPE_CHECKING:
    from webio.input.upload_store import UploadStore

logger = logging.getLogger("webio.input")

__all__ = ["Field", "FieldError", "OnchangeScope", "current_onchange", "form_flow", "keep", "run_form"]

Parser = Callable[[Any, dict[str, Any]], Any]
"""Turns what the browser sent for an item into the Python value: ``parse(raw, spec)``."""


class FieldError(ValueError):
    """A submitted value that its field cannot accept; the message is for the visitor."""


def keep(raw: Any, spec: dict[str, Any]) -> Any:
    """The parser of items whose browser value is already the Python value."""
    return raw


@dataclass(eq=False)
class Field:
    """One control of a form: its spec for the client and how to read its value.

    ``parse(raw, spec)`` turns what the browser sent into the Python value (raising
    :class:`FieldError`); it gets the item's current spec, which ``input_update`` may
    have changed. ``validate`` is the app's check, returning an error text or
    ``None``; ``onchange`` is called with the new value while the visitor edits.
    ``upload`` holds the limits of a file item (see :mod:`webio.input.upload`).
    ``cancels``: the item has a button that cancels the form (``actions``).
    ``setup(field, session)`` runs when a form shows the field and returns the
    callback ids it registered, forgotten again when the form closes.
    """

    name: str
    spec: dict[str, Any]
    parse: Parser = keep
    validate: Callable[[Any], str | None] | None = None
    onchange: Callable[[Any], Any] | None = None
    upload: Any = None
    cancels: bool = False
    setup: Callable[[Field, Session], list[str]] | None = None
    task_id: str | None = None
    """The task id of the form that shows the field, while it is shown."""
    extra: dict[str, Any] = field(default_factory=dict)

    def convert(self, raw: Any) -> Any:
        """Convert one browser value (no ``required`` check, no ``validate``)."""
        return self.parse(raw, self.spec)

    def read(self, raw: Any) -> Any:
        """Convert and validate one submitted value; raises :class:`FieldError`."""
        if self.spec.get("required") and raw in (None, "", []):
            raise FieldError("Please fill in this field." if not self.upload else "Please choose a file.")
        value = self.convert(raw)
        if self.validate is not None:
            try:
                error = self.validate(value)
            except Exception:
                logger.exception("the validate function of field %r raised", self.name)
                raise FieldError("This value could not be checked: the application failed.") from None
            if error:
                raise FieldError(str(error))
        return value


@dataclass
class OnchangeScope:
    """The form an ``onchange`` callback runs for (what ``input_update`` acts on)."""

    session: Session
    task_id: str
    trigger: str
    fields: dict[str, Field]


_onchange_scope: ContextVar[OnchangeScope | None] = ContextVar("webio_onchange_scope", default=None)


def current_onchange() -> OnchangeScope | None:
    """The form whose ``onchange`` callback is running here, or None."""
    return _onchange_scope.get()


@contextmanager
def _in_onchange(scope: OnchangeScope) -> Iterator[None]:
    token = _onchange_scope.set(scope)
    try:
        yield
    finally:
        _onchange_scope.reset(token)


def _field_status(task_id: str, name: str, error: str | None) -> Send:
    attributes: dict[str, Any] = {"valid_status": False, "invalid_feedback": error} if error else {"valid_status": 0}
    return Send(make_command("update_input", {"target_name": name, "attributes": attributes}, task_id))


def _read_all(fields: Sequence[Field], data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for item in fields:
        try:
            values[item.name] = item.read(data.get(item.name))
        except FieldError as exc:
            errors[item.name] = str(exc)
    return values, errors


def form_flow(
    label: str,
    fields: Sequence[Field],
    *,
    validate: Callable[[dict[str, Any]], Any] | None = None,
    cancelable: bool = False,
    only: str | None = None,
) -> Flow[Any]:
    """Show a form of ``fields`` and return the submitted values (``None`` if cancelled).

    The form is cancelable when ``cancelable`` is set or when an item has a cancel
    button. It stays open until a submit passes every check. With ``only`` (a
    field's name) it returns that field's value instead of them all.
    """
    session = get_current_session()
    task_id = "form-" + new_secret()
    by_name = {f.name: f for f in fields}
    accepts_cancel = cancelable or any(f.cancels for f in fields)
    callback_ids: list[str] = []
    uploads: UploadStore | None = None
    if any(f.upload is not None for f in fields):
        from webio.input.upload_store import upload_store  # imports this module: not at the top

        uploads = upload_store(session)
    try:
        for item in fields:
            item.task_id = task_id
            if item.setup is not None:
                callback_ids.extend(item.setup(item, session))
            if uploads is not None and item.upload is not None:
                uploads.expect_form_field(task_id, item)
        # "cancelable" shows a Cancel button; a cancel button of an actions item cancels too.
        spec = {"label": str(label), "inputs": [f.spec for f in fields], "cancelable": cancelable}
        yield Listen(task_id)
        yield Send(make_command("input_group", spec, task_id))
        values = yield from _serve_form(session, task_id, fields, by_name, validate, accepts_cancel, uploads)
        return values if only is None or values is None else values[only]
    finally:
        for item in fields:
            item.task_id = None
        for callback_id in callback_ids:
            session.forget_callback(callback_id)
        if uploads is not None:
            uploads.forget(task_id)


def _serve_form(
    session: Session,
    task_id: str,
    fields: Sequence[Field],
    by_name: dict[str, Field],
    validate: Callable[[dict[str, Any]], Any] | None,
    cancelable: bool,
    uploads: UploadStore | None,
) -> Flow[dict[str, Any] | None]:
    # The fields that show an error now; a dict, as an empty one is a quarter of an empty set.
    shown_errors: dict[str, None] = {}
    while True:
        event: Event = yield Receive(task_id)
        kind, data = event["event"], event["data"]
        if kind == "from_cancel" and cancelable:
            yield Send(make_command("destroy_form", None, task_id))
            return None
        if kind == "input_event":
            yield from _on_input_event(session, task_id, by_name, data, shown_errors)
            continue
        if kind != "from_submit" or not isinstance(data, dict):
            what = "a cancel" if kind == "from_cancel" else f"an unexpected {kind} event"
            logger.warning("session %s: form %s got %s", session.short_id, task_id[:12], what)
            yield Send(_notice(f"The form got {what}; it is still open."))
            continue
        unknown = set(data) - set(by_name)
        if unknown:
            bad = min(map(str, unknown))[:40]
            logger.warning("session %s: a submit named an unknown field %r", session.short_id, bad)
            yield Send(_notice(f"The form has no field called {bad!r}; please submit it again."))
            continue
        if uploads is not None:
            data = dict(data)
            upload_errors = uploads.resolve_form(task_id, fields, data)
        else:
            upload_errors = {}
        values, errors = _read_all([f for f in fields if f.name not in upload_errors], data)
        errors.update(upload_errors)
        if not errors and validate is not None:
            problem = _run_group_validate(validate, values, fields)
            if problem:
                name, message = problem
                errors[name if name in by_name else fields[0].name] = str(message)
        if errors:
            logger.info("session %s: form %s refused a submit: %s", session.short_id, task_id[:12],
                        "; ".join(f"{name}: {message}" for name, message in errors.items()))
        for name in shown_errors.keys() - errors.keys():
            yield _field_status(task_id, name, None)
        for name, message in errors.items():
            yield _field_status(task_id, name, message)
        shown_errors = dict.fromkeys(errors)
        if not errors:
            yield Send(make_command("destroy_form", None, task_id))
            return values


def _run_group_validate(
    validate: Callable[[dict[str, Any]], Any], values: dict[str, Any], fields: Sequence[Field]
) -> tuple[str, str] | None:
    try:
        problem = validate(values)
    except Exception:
        logger.exception("the validate function of an input_group raised")
        return fields[0].name, "The form could not be checked: the application failed."
    if not problem:
        return None
    if not (isinstance(problem, (tuple, list)) and len(problem) == 2):
        logger.error("an input_group validate function returned %r, not None or (name, message)", problem)
        return fields[0].name, "The form could not be checked: the application failed."
    return str(problem[0]), str(problem[1])


def _on_input_event(
    session: Session, task_id: str, by_name: dict[str, Field], data: Any, shown_errors: dict[str, None]
) -> Flow[None]:
    if not isinstance(data, dict) or data.get("name") not in by_name:
        return
    item = by_name[data["name"]]
    if item.upload is not None:
        return
    if data.get("event_name") == "change" and item.onchange is not None:
        try:
            value = item.convert(data.get("value"))
        except FieldError:
            return
        scope = OnchangeScope(session, task_id, item.name, by_name)
        try:
            with _in_onchange(scope):
                result = item.onchange(value)
            if inspect.iscoroutine(result):
                result.close()
                raise TypeError(f"the onchange function of field {item.name!r} must be a plain function, "
                                "not a coroutine function")
        except Exception:  # noqa: BLE001 - the app's callback; logged and shown, the form goes on
            session.log_app_error(f"the onchange function of field {item.name!r}")
    elif data.get("event_name") == "blur" and data.get("value") not in (None, ""):
        try:
            item.read(data.get("value"))
        except FieldError as exc:
            shown_errors[item.name] = None
            yield _field_status(task_id, item.name, str(exc))
            return
        if item.name in shown_errors:
            del shown_errors[item.name]
            yield _field_status(task_id, item.name, None)


def _notice(message: str) -> Any:
    return make_command("notice", {"level": "error", "message": message})


def run_form(flow: Flow[Any]) -> Any:
    """Run a form flow in the current session (blocks, or returns an awaitable)."""
    return get_current_session().run_flow(flow)
