"""Changes to outputs already on the page: progress bars and datatables (no I/O).

The page model applies these commands to its stored specs the way the browser
applies them to the page, so that a snapshot shows the bar at its last value and
the table with its last rows. Specs are never changed in place: each change copies
the output and the containers on the way to it.

``set_progressbar``: ``{name, value, label}``; a bar with ``auto_close`` that
reaches 1 is removed. ``datatable_update``: ``{instance_id, data, row_id, field}``
replaces all rows (no ``row_id``), one row, or one cell (``field``: a key path).
``datatable_insert``: ``{instance_id, records, row_id}`` inserts before ``row_id``
or at the end. ``datatable_remove``: ``{instance_id, row_ids}``.

Rows are found by id: the value at the table's ``id_field`` path in each record,
or, when the table has none, its ``row_ids`` list (numbers from 0 at first;
inserted rows get the next numbers after the largest one).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from webio.protocol import Command

if TYPE_CHECKING:
    from webio.session.page_model import PageModel

__all__ = ["LEAF_TYPES", "UPDATE_HANDLERS", "rewrite_first", "row_id_of"]

LEAF_TYPES = frozenset({"datatable"})
"""Output types whose fields hold the app's data, never nested outputs."""

_NOT_FOUND = object()


def rewrite_first(
    value: Any, match: Callable[[dict[str, Any]], bool], change: Callable[[dict[str, Any]], dict[str, Any] | None]
) -> Any:
    """``value`` with the first output that ``match``es replaced by ``change(output)``
    (``None`` removes it from its list), or ``_NOT_FOUND`` when nothing matched."""
    if isinstance(value, dict):
        if isinstance(value.get("type"), str):
            if match(value):
                return change(value)
            if value["type"] in LEAF_TYPES:
                return _NOT_FOUND
        for key, child in value.items():
            new = rewrite_first(child, match, change)
            if new is not _NOT_FOUND:
                return {**value, key: new}
        return _NOT_FOUND
    if isinstance(value, list):
        for index, child in enumerate(value):
            new = rewrite_first(child, match, change)
            if new is not _NOT_FOUND:
                return value[:index] + ([] if new is None else [new]) + value[index + 1:]
    return _NOT_FOUND


def _apply_first(model: PageModel, match: Callable[[dict[str, Any]], bool],
                 change: Callable[[dict[str, Any]], dict[str, Any] | None]) -> None:
    # A popup's outputs live in the scope its content holds, so scopes cover it too.
    for name, items in model.scopes.items():
        new = rewrite_first(items, match, change)
        if new is not _NOT_FOUND:
            model.scopes[name] = new
            return


def _on_set_progressbar(model: PageModel, command: Command, spec: Any) -> None:
    def change(bar: dict[str, Any]) -> dict[str, Any] | None:
        if bar.get("auto_close") and spec["value"] >= 1:
            return None
        return {**bar, "value": spec["value"], "label": spec.get("label")}

    _apply_first(model, lambda o: o["type"] == "progressbar" and o.get("name") == spec["name"], change)


def row_id_of(record: Any, id_field: list[Any]) -> Any:
    """The id of ``record`` at the key path ``id_field`` (None when missing)."""
    value = record
    for key in id_field:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _row_ids(table: dict[str, Any]) -> list[Any]:
    id_field = table.get("id_field")
    if id_field:
        return [row_id_of(record, id_field) for record in table["records"]]
    return list(table.get("row_ids") or [])


def _index_of(table: dict[str, Any], row_id: Any) -> int | None:
    for index, candidate in enumerate(_row_ids(table)):
        if candidate == row_id and row_id is not None:
            return index
    return None


def _set_path(record: Any, path: list[Any], value: Any) -> Any:
    if not path:
        return value
    base = dict(record) if isinstance(record, dict) else {}
    base[path[0]] = _set_path(base.get(path[0]), path[1:], value)
    return base


def _datatable_update(table: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    row_id, field = spec.get("row_id"), spec.get("field")
    if row_id is None:
        records = list(spec["data"])
        changed = {**table, "records": records}
        if not table.get("id_field"):
            changed["row_ids"] = list(range(len(records)))
        return changed
    index = _index_of(table, row_id)
    if index is None:
        return table
    records = list(table["records"])
    records[index] = spec["data"] if field is None else _set_path(records[index], list(field), spec["data"])
    return {**table, "records": records}


def _datatable_insert(table: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    new = list(spec["records"])
    index = _index_of(table, spec.get("row_id")) if spec.get("row_id") is not None else None
    at = len(table["records"]) if index is None else index
    changed = {**table, "records": table["records"][:at] + new + table["records"][at:]}
    if not table.get("id_field"):
        ids = list(table.get("row_ids") or [])
        start = max((i for i in ids if isinstance(i, int)), default=-1) + 1
        changed["row_ids"] = ids[:at] + list(range(start, start + len(new))) + ids[at:]
    return changed


def _datatable_remove(table: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    gone = list(spec["row_ids"])
    ids = _row_ids(table)
    keep = [index for index, row_id in enumerate(ids) if row_id not in gone]
    changed = {**table, "records": [table["records"][i] for i in keep]}
    if not table.get("id_field"):
        changed["row_ids"] = [ids[i] for i in keep]
    return changed


def _datatable_handler(update: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]) -> Any:
    def handle(model: PageModel, command: Command, spec: Any) -> None:
        _apply_first(model, lambda o: o["type"] == "datatable" and o.get("instance_id") == spec["instance_id"],
                     lambda table: update(table, spec))

    return handle


UPDATE_HANDLERS = {
    "set_progressbar": _on_set_progressbar,
    "datatable_update": _datatable_handler(_datatable_update),
    "datatable_insert": _datatable_handler(_datatable_insert),
    "datatable_remove": _datatable_handler(_datatable_remove),
}
