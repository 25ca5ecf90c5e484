"""What the headless client does with form controls and pin widgets, as a browser would.

Mixed into :class:`~webio.testing.TestClient`::

    client.change("Word", "abc")                # typing into a field (runs its onchange)
    client.choose("City", "Paris")              # a select / radio option by its label
    client.choose("Toppings", "Ham", "Olives")  # checkbox or multiple select
    client.upload("Photo", UploadFile("a.png", data, "image/png"))
    client.press("Save")                        # an actions() button
    client.set_pin("query", "webio")            # a pin widget, as if typed
    assert client.pin("query") == "webio"

Uploads follow webio's chunked upload protocol (``docs/protocol.md``): start, chunks
with at most a few unacknowledged, and they return the server's last
``upload_ack`` (with ``error`` when a limit refused the files).
"""
from __future__ import annotations

import base64
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from webio.session.item_values import initial_value
from webio.session.page_model import FormState

if TYPE_CHECKING:
    from webio.testing.page import ClientPage

__all__ = ["UploadFile", "InputActions", "form_data"]

DEFAULT_TIMEOUT = 10.0
UPLOAD_WINDOW = 4
"""Chunks sent ahead of the server's acknowledgements, as webio's browser client does."""


@dataclass(frozen=True)
class UploadFile:
    """A file for :meth:`InputActions.upload`: name, bytes, MIME type, modification time."""

    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"
    last_modified: float = 0.0


def _as_file(value: Any) -> UploadFile:
    if isinstance(value, UploadFile):
        return value
    if isinstance(value, tuple) and 2 <= len(value) <= 3:
        return UploadFile(*value)
    raise TypeError(f"a file is an UploadFile or a (filename, content[, mime_type]) tuple, got {value!r}")


def form_data(form: FormState) -> dict[str, Any]:
    """What a browser would submit for ``form`` now: typed values, else the defaults."""
    return {item["name"]: form.values.get(item["name"], initial_value(item))
            for item in form.spec.get("inputs", []) if item.get("type") != "actions"}


def _labelled(options: list[dict[str, Any]], labels: tuple[str, ...], what: str) -> list[Any]:
    by_label = {str(option.get("label")): option.get("value") for option in options}
    missing = [label for label in labels if label not in by_label]
    if missing:
        raise KeyError(f"{what} has no option labelled {missing[0]!r}; it has {sorted(by_label)}")
    return [by_label[label] for label in labels]


def _choice_value(item: dict[str, Any], labels: tuple[str, ...], what: str) -> Any:
    values = _labelled(item.get("options") or [], labels, what)
    if item.get("type") == "checkbox" or (item.get("type") == "select" and item.get("multiple")):
        return values
    if len(values) != 1:
        raise TypeError(f"{what} takes one option, got {len(values)}")
    return values[0]


class InputActions:
    """Form and pin actions of the test client (see the module doc)."""

    page: ClientPage
    _send_event: Callable[[dict[str, Any]], None]
    wait_for_form: Callable[..., FormState]
    _field_name: Callable[[FormState, str], str]

    # --- forms ---------------------------------------------------------------

    def _item(self, form: FormState, field: str) -> dict[str, Any]:
        name = self._field_name(form, field)
        return next(item for item in form.spec.get("inputs", []) if item.get("name") == name)

    def _set_field(self, form: FormState, name: str, value: Any) -> None:
        with self.page.changed:
            form.values[name] = value
        self._send_event({"event": "input_event", "task_id": form.task_id,
                          "data": {"event_name": "change", "name": name, "value": value}})

    def change(self, field: str, value: Any, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Change a field of the open form as typing would: its ``onchange`` runs."""
        form = self.wait_for_form(timeout)
        self._set_field(form, self._field_name(form, field), value)

    def choose(self, field: str, *labels: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Choose options by their labels in a select, checkbox or radio field."""
        form = self.wait_for_form(timeout)
        item = self._item(form, field)
        self._set_field(form, item["name"], _choice_value(item, labels, f"the field {field!r}"))

    def press(self, label: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Press the button ``label`` of an ``actions()`` item of the open form."""
        form = self.wait_for_form(timeout)
        for item in form.spec.get("inputs", []):
            for button in item.get("buttons", []) if item.get("type") == "actions" else ():
                if button.get("label") != label or button.get("disabled"):
                    continue
                if button.get("type") == "cancel":
                    self._send_event({"event": "from_cancel", "task_id": form.task_id, "data": None})
                elif button.get("type") == "reset":
                    with self.page.changed:
                        form.values.clear()
                else:
                    data = {**form_data(form), item["name"]: button.get("value")}
                    self._send_event({"event": "from_submit", "task_id": form.task_id, "data": data})
                return
        raise KeyError(f"the open form has no enabled button labelled {label!r}")

    def upload(self, field: str, *files: Any, timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
        """Upload ``files`` into a file field of the open form; returns the last ack.

        A following :meth:`submit` sends the field's value. When a limit refused the
        files the ack holds ``error`` (and the form shows it next to the field).
        """
        form = self.wait_for_form(timeout)
        item = self._item(form, field)
        ack = self._upload(form.task_id, item, [_as_file(f) for f in files], timeout)
        if "error" not in ack:
            with self.page.changed:
                form.values[item["name"]] = {"upload_id": ack["upload_id"]}
        return ack

    def _upload(self, task_id: str, item: dict[str, Any], files: list[UploadFile], timeout: float) -> dict[str, Any]:
        upload_id = secrets.token_urlsafe(12)
        chunk_size = int(item.get("chunk_size") or 1024 * 1024)
        described = [{"filename": f.filename, "size": len(f.content), "mime_type": f.mime_type,
                      "last_modified": f.last_modified} for f in files]
        self._send_event({"event": "upload", "task_id": task_id,
                          "data": {"op": "start", "upload_id": upload_id, "name": item["name"], "files": described}})
        ack = self._wait_ack(upload_id, 0, timeout)
        sent = 0
        for index, file in enumerate(files):
            view = memoryview(file.content)
            for offset in range(0, len(view), chunk_size):
                if "error" in ack:
                    return ack
                ack = self._wait_ack(upload_id, sent - UPLOAD_WINDOW * chunk_size, timeout)
                piece = view[offset:offset + chunk_size]
                data = base64.b64encode(piece).decode("ascii")
                self._send_event({"event": "upload", "task_id": task_id, "data": {
                    "op": "chunk", "upload_id": upload_id, "file": index, "offset": offset, "data": data}})
                sent += len(piece)
        return self._wait_ack(upload_id, sent, timeout)

    def _wait_ack(self, upload_id: str, received: int, timeout: float) -> dict[str, Any]:
        def ready() -> dict[str, Any] | None:
            ack = self.page.upload_acks.get(upload_id)
            if ack is not None and ("error" in ack or ack.get("received", 0) >= received):
                return ack
            return None

        return self.page.wait(ready, timeout, f"the server to acknowledge {received} bytes of upload {upload_id}")

    # --- pins ------------------------------------------------------------------

    def pin_item(self, name: str, timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
        """The item spec of the pin widget ``name`` (waiting for it to be shown)."""
        def find() -> dict[str, Any] | None:
            found = None
            for output in self.page.outputs():
                item = output.get("input")
                if output.get("type") == "pin" and isinstance(item, dict) and item.get("name") == name:
                    found = item
            return found

        return self.page.wait(find, timeout, f"a pin widget called {name!r}")

    def pin(self, name: str) -> Any:
        """What the pin widget ``name`` shows (its raw value), None if not on the page."""
        with self.page.changed:
            return self.page.model.pins.get(name)

    def set_pin(self, name: str, value: Any, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Change the pin widget ``name`` as the visitor would (the raw browser value)."""
        self.pin_item(name, timeout)
        with self.page.changed:
            self.page.model.pins[name] = value
        self._send_event({"event": "pin_change", "task_id": "pin", "data": {"name": name, "value": value}})

    def choose_pin(self, name: str, *labels: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Choose options of a select, checkbox or radio pin widget by their labels."""
        item = self.pin_item(name, timeout)
        self.set_pin(name, _choice_value(item, labels, f"the pin {name!r}"), timeout)

    def press_pin(self, name: str, label: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Press the button ``label`` of a ``put_actions`` pin widget."""
        item = self.pin_item(name, timeout)
        values = [b.get("value") for b in item.get("buttons", []) if b.get("label") == label and not b.get("disabled")]
        if not values:
            raise KeyError(f"the pin {name!r} has no enabled button labelled {label!r}")
        self.set_pin(name, values[0], timeout)

    def upload_pin(self, name: str, *files: Any, timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
        """Upload ``files`` into a ``put_file_upload`` widget; returns the last ack."""
        item = self.pin_item(name, timeout)
        ack = self._upload("pin", item, [_as_file(f) for f in files], timeout)
        if "error" not in ack:
            self._send_event({"event": "pin_change", "task_id": "pin",
                              "data": {"name": name, "value": {"upload_id": ack["upload_id"]}}})
        return ack
