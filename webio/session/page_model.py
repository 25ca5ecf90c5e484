"""What a session's page shows, kept on the server (no I/O).

The model follows the commands the session sends: outputs in their scopes, open
forms with the values typed into them, the popup, the page settings. From it the
session builds one ``snapshot`` command that rebuilds the page for a client that
attaches fresh. It holds only what is on screen: ``clear`` and ``remove`` free the
outputs they take off the page.

Command dicts are stored by reference and never changed in place; an update that
changes an output replaces it with a changed copy. The headless test client uses the
same class to keep its view of the page.
"""
from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from webio.protocol import Command, is_plain_spec
from webio.session.page_pins import PIN_HANDLERS, PRUNE_AFTER, note_pins, prune_pins
from webio.session.page_updates import LEAF_TYPES, UPDATE_HANDLERS

__all__ = ["PageModel", "FormState", "ROOT_SCOPE", "POPUP_CONTAINER", "insert_at", "iter_nested_outputs"]

ROOT_SCOPE = "ROOT"
POPUP_CONTAINER = "<popup>"
"""The parent recorded for the scope a popup's content lives in (no real scope)."""


@dataclass
class FormState:
    """An open form: its command spec, the values typed so far and shown errors."""

    task_id: str
    spec: dict[str, Any]
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def insert_at(items: list[Any], item: Any, position: int) -> None:
    """Insert following the ``position`` rule of the ``output`` command.

    ``i >= 0`` puts the item before the i-th one (at the end if there are fewer);
    ``-k`` puts it after the k-th item from the end, so ``-1`` appends.
    """
    if position >= 0:
        items.insert(min(position, len(items)), item)
    else:
        items.insert(max(len(items) + position + 1, 0), item)


def iter_nested_outputs(value: Any) -> Iterator[dict[str, Any]]:
    """Yield every output spec nested anywhere inside ``value`` (not ``value`` itself)."""
    if isinstance(value, dict):
        if value.get("type") in LEAF_TYPES:
            return
        for child in value.values():
            yield from _iter_outputs(child)
    elif isinstance(value, list):
        for child in value:
            yield from _iter_outputs(child)


def _iter_outputs(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict) and isinstance(value.get("type"), str):
        yield value
    yield from iter_nested_outputs(value)


class PageModel:
    """Scopes and their outputs, open forms, popup and env of one page."""

    def __init__(self) -> None:
        self.scopes: dict[str, list[dict[str, Any]]] = {ROOT_SCOPE: []}
        self.parent: dict[str, str] = {}
        self.forms: dict[str, FormState] = {}
        self.popup: dict[str, Any] | None = None
        self.env: dict[str, Any] = {}
        self.pins: dict[str, Any] = {}

    def apply(self, command: Command) -> None:
        """Update the model for one command the session sends."""
        name = command["command"]
        spec = command.get("spec")
        handler = _HANDLERS.get(name)
        if handler is not None:
            handler(self, command, spec)
        if self.pins and name in PRUNE_AFTER:
            prune_pins(self)

    def snapshot_spec(self) -> dict[str, Any]:
        """The ``spec`` of a ``snapshot`` command that shows this page."""
        return {
            "scopes": {name: list(items) for name, items in self.scopes.items()},
            "forms": [
                {"task_id": f.task_id, "spec": f.spec, "values": dict(f.values), "errors": dict(f.errors)}
                for f in self.forms.values()
            ],
            "popup": self.popup,
            "env": dict(self.env),
            "pins": dict(self.pins),
        }

    def load_snapshot(self, spec: dict[str, Any]) -> None:
        """Replace the whole model with a snapshot (used by clients)."""
        self.__init__()  # type: ignore[misc]
        self.scopes = {name: list(items) for name, items in spec.get("scopes", {}).items()}
        self.scopes.setdefault(ROOT_SCOPE, [])
        for name, items in self.scopes.items():
            for output in items:
                self._adopt_scopes(output, name, register_contents=False)
        for form in spec.get("forms", []):
            self.forms[form["task_id"]] = FormState(
                form["task_id"], form["spec"], dict(form.get("values", {})), dict(form.get("errors", {}))
            )
        self.popup = spec.get("popup")
        if self.popup is not None:
            self._adopt_scopes(self.popup, POPUP_CONTAINER, register_contents=False)
        self.env = dict(spec.get("env", {}))
        self.pins = dict(spec.get("pins", {}))

    def note_input_value(self, task_id: str, name: str, value: Any) -> None:
        """Remember a value the visitor typed into an open form."""
        form = self.forms.get(task_id)
        if form is not None:
            form.values[name] = value

    def walk_popup(self) -> Iterator[dict[str, Any]]:
        """Yield the outputs of the open popup in page order (nothing without one)."""
        if self.popup is not None:
            for placeholder in _top_level_scopes(self.popup.get("content")):
                yield from self.walk(placeholder["name"])

    def walk(self, scope: str = ROOT_SCOPE) -> Iterator[dict[str, Any]]:
        """Yield the outputs of ``scope`` in page order, descending into named scopes."""
        for output in self.scopes.get(scope, []):
            yield output
            yield from self._walk_nested(output)

    def _walk_nested(self, output: dict[str, Any]) -> Iterator[dict[str, Any]]:
        if output.get("type") == "scope":
            yield from self.walk(output["name"])
            return
        for child in iter_nested_outputs(output):
            yield child
            if child.get("type") == "scope":
                yield from self.walk(child["name"])

    # --- outputs and scopes -------------------------------------------------

    def _add_output(self, spec: dict[str, Any], *, flat: bool) -> None:
        scope = spec.get("scope", ROOT_SCOPE)
        items = self.scopes.get(scope)
        if items is None:
            return
        stored = spec if flat else self._adopt_scopes(spec, scope, register_contents=True)
        insert_at(items, stored, int(spec.get("position", -1)))

    def _adopt_scopes(self, output: dict[str, Any], container: str, *, register_contents: bool,
                      keep: frozenset[str] = frozenset()) -> dict[str, Any]:
        """Register the named scopes inside ``output``; return what to store for it.

        A ``scope`` output keeps its children in ``self.scopes[name]``; the stored
        output holds a placeholder with empty ``contents``. With
        ``register_contents=False`` (a snapshot, already in that form) only the
        parent links are recorded. Scopes named in ``keep`` (an output replaced by a
        changed copy) keep the outputs they hold now.
        """
        if not any(o.get("type") == "scope" for o in _iter_outputs(output)):
            return output
        stored = copy.deepcopy(output) if register_contents else output
        for placeholder in _top_level_scopes(stored):
            name = placeholder["name"]
            self.parent[name] = container
            if not register_contents:
                self.scopes.setdefault(name, [])
                continue
            if name in keep and name in self.scopes:
                placeholder["contents"] = []
                continue
            self._drop_scope(name)
            self.parent[name] = container
            children = placeholder.get("contents") or []
            placeholder["contents"] = []
            self.scopes[name] = [self._adopt_scopes(c, name, register_contents=True) for c in children]
        return stored

    def _set_scope(self, spec: dict[str, Any]) -> None:
        name = spec["set_scope"]
        if name in self.scopes:
            if_exist = spec.get("if_exist")
            if if_exist == "clear":
                self._clear(name)
                return
            if if_exist != "remove":
                return
            self._remove(name)
        container = spec.get("container", ROOT_SCOPE)
        items = self.scopes.get(container)
        if items is None:
            return
        self.scopes[name] = []
        self.parent[name] = container
        insert_at(items, {"type": "scope", "name": name, "contents": []}, int(spec.get("position", -1)))

    def _clear(self, name: str) -> None:
        items = self.scopes.get(name)
        if items is None:
            return
        for child in [n for n, p in self.parent.items() if p == name]:
            self._drop_scope(child)
        items.clear()

    def _remove(self, name: str) -> None:
        if name == ROOT_SCOPE or name not in self.scopes:
            return
        container = self.parent.get(name)
        self._drop_scope(name)
        if container is None or container not in self.scopes:
            return
        self.scopes[container] = [
            kept for kept in (_without_scope(o, name) for o in self.scopes[container]) if kept is not None
        ]

    def _remove_output(self, scope: str, output_id: str) -> None:
        items = self.scopes.get(scope, [])
        for index in range(len(items) - 1, -1, -1):
            if items[index].get("output_id") == output_id:
                for placeholder in _top_level_scopes(items[index]):
                    self._drop_scope(placeholder["name"])
                del items[index]
                return

    def _replace_output(self, scope: str, output_id: str, spec: dict[str, Any]) -> None:
        items = self.scopes.get(scope, [])
        for index, output in enumerate(items):
            if output.get("output_id") == output_id:
                old = {p["name"] for p in _top_level_scopes(output)}
                new = {p["name"] for p in _top_level_scopes(spec)}
                for name in old - new:
                    self._drop_scope(name)
                stored = self._adopt_scopes({**spec, "scope": scope}, scope, register_contents=True,
                                            keep=frozenset(old & new))
                items[index] = stored
                return

    def _open_popup(self, spec: dict[str, Any]) -> None:
        self._close_popup()
        self.popup = self._adopt_scopes(spec, POPUP_CONTAINER, register_contents=True)

    def _close_popup(self) -> None:
        if self.popup is not None:
            for placeholder in _top_level_scopes(self.popup.get("content")):
                self._drop_scope(placeholder["name"])
        self.popup = None

    def _drop_scope(self, name: str) -> None:
        """Forget scope ``name`` and every scope nested inside it."""
        if name not in self.scopes:
            return
        for child in [n for n, p in self.parent.items() if p == name]:
            self._drop_scope(child)
        del self.scopes[name]
        self.parent.pop(name, None)


def _top_level_scopes(value: Any) -> Iterator[dict[str, Any]]:
    """Scope outputs in ``value`` (itself included) that are not inside another scope."""
    if isinstance(value, dict) and value.get("type") == "scope":
        yield value
    elif isinstance(value, dict) and value.get("type") not in LEAF_TYPES:
        for child in value.values():
            yield from _top_level_scopes(child)
    elif isinstance(value, list):
        for child in value:
            yield from _top_level_scopes(child)


def _without_scope(output: dict[str, Any], name: str) -> dict[str, Any] | None:
    """``output`` with the scope ``name`` taken out of it; None if it is that scope."""
    if output.get("type") == "scope" and output.get("name") == name:
        return None
    if not any(o.get("type") == "scope" and o.get("name") == name for o in iter_nested_outputs(output)):
        return output
    return _strip(copy.deepcopy(output), name)


def _strip(value: Any, name: str) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v, name) for k, v in value.items()}
    if isinstance(value, list):
        return [
            _strip(v, name)
            for v in value
            if not (isinstance(v, dict) and v.get("type") == "scope" and v.get("name") == name)
        ]
    return value


# --- command handlers -------------------------------------------------------

def _on_output(model: PageModel, command: Command, spec: Any) -> None:
    # A plain spec holds nothing nested: no scopes to register, no pins to note.
    flat = is_plain_spec(spec)
    model._add_output(spec, flat=flat)
    if not flat:
        note_pins(model, spec)


def _on_output_ctl(model: PageModel, command: Command, spec: Any) -> None:
    if "set_scope" in spec:
        model._set_scope(spec)
    elif "clear" in spec:
        model._clear(spec["clear"])
    elif "remove" in spec:
        model._remove(spec["remove"])
    elif "remove_outputs" in spec:
        for scope, output_id in spec["remove_outputs"]:
            model._remove_output(scope, output_id)
    elif "replace" in spec:
        model._replace_output(spec.get("scope", ROOT_SCOPE), spec["replace"], spec["spec"])


def _on_input_group(model: PageModel, command: Command, spec: Any) -> None:
    task_id = command["task_id"] or ""
    model.forms[task_id] = FormState(task_id, spec)


def _on_update_input(model: PageModel, command: Command, spec: Any) -> None:
    form = model.forms.get(command["task_id"] or "")
    if form is None:
        return
    target = spec["target_name"]
    attributes = spec.get("attributes", {})
    status = attributes.get("valid_status")
    if status is False:
        form.errors[target] = attributes.get("invalid_feedback", "")
    elif "valid_status" in attributes:
        form.errors.pop(target, None)
    if "value" in attributes:
        form.values[target] = attributes["value"]
    elif "options" in attributes:
        form.values.pop(target, None)  # new options: the field shows what they select
    changed = {k: v for k, v in attributes.items() if k not in ("valid_status", "invalid_feedback", "value")}
    if changed:
        form.spec = {
            **form.spec,
            "inputs": [
                {**item, **changed} if item.get("name") == target else item
                for item in form.spec.get("inputs", [])
            ],
        }


def _on_destroy_form(model: PageModel, command: Command, spec: Any) -> None:
    model.forms.pop(command["task_id"] or "", None)


def _on_set_env(model: PageModel, command: Command, spec: Any) -> None:
    model.env.update(spec)


def _on_popup(model: PageModel, command: Command, spec: Any) -> None:
    model._open_popup(spec)
    note_pins(model, spec)


def _on_close_popup(model: PageModel, command: Command, spec: Any) -> None:
    model._close_popup()


def _on_snapshot(model: PageModel, command: Command, spec: Any) -> None:
    model.load_snapshot(spec)


_HANDLERS = {
    "output": _on_output,
    "output_ctl": _on_output_ctl,
    "input_group": _on_input_group,
    "update_input": _on_update_input,
    "destroy_form": _on_destroy_form,
    "set_env": _on_set_env,
    "popup": _on_popup,
    "close_popup": _on_close_popup,
    "snapshot": _on_snapshot,
    **UPDATE_HANDLERS,
    **PIN_HANDLERS,
}
