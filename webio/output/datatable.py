"""``put_datatable``: a large table with sorting, filtering and row selection.

webio draws it with its own component (no grid library, nothing from a CDN): it
renders only the rows in view, so tens of thousands of rows scroll smoothly. The
``datatable_*`` functions change the rows of a table shown with an ``instance_id``.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from webio.output.base import Output, OutputPosition, new_scope_name, show
from webio.protocol import make_command
from webio.session.context import get_current_session

__all__ = ["put_datatable", "datatable_update", "datatable_insert", "datatable_remove", "JSFunction"]

logger = logging.getLogger("webio.output")

THEMES = ("balham", "alpine", "balham-dark", "alpine-dark", "material")
AUTO_HEIGHT_MAX_ROWS = 1000


class JSFunction:
    """A JavaScript function for ``column_args``/``grid_args`` of :func:`put_datatable`:
    ``JSFunction('params', 'return params.value.toFixed(2)')`` (parameters, then body).

    .. warning:: the body runs in the visitor's browser as written: build it only
       from code you wrote, never from text a visitor typed.
    """

    def __init__(self, *params_and_body: str) -> None:
        if not params_and_body:
            raise ValueError("JSFunction needs at least the function body")
        for part in params_and_body:
            if not isinstance(part, str):
                raise TypeError(f"JSFunction takes strings (parameter names, then the body), got {part!r}")
        self.params = list(params_and_body[:-1])
        self.body = params_and_body[-1]

    def __repr__(self) -> str:
        return f"JSFunction({', '.join(map(repr, [*self.params, self.body]))})"


def _encode_functions(value: Any, key: str, what: str) -> Any:
    """``value`` as JSON data, JSFunctions marked with this table's ``key``."""
    def default(obj: Any) -> Any:
        if isinstance(obj, JSFunction):
            return {"__webio_js_function__": key, "params": obj.params, "body": obj.body}
        raise TypeError(f"{what} can hold JSON values and JSFunction, not {type(obj).__name__} ({obj!r:.60})")

    return json.loads(json.dumps(value, default=default))


def _key_path(field: Any, what: str) -> list[Any]:
    if isinstance(field, (list, tuple)):
        if not field:
            raise ValueError(f"{what} must not be empty")
        return list(field)
    if isinstance(field, (str, int)) and not isinstance(field, bool):
        return [field]
    raise TypeError(f"{what} must be a key or a tuple of keys, got {field!r}")


def _check_instance_id(instance_id: Any) -> str:
    if not isinstance(instance_id, str) or not instance_id:
        raise ValueError(f"instance_id must be the non-empty string given to put_datatable, got {instance_id!r}")
    return instance_id


def put_datatable(
    records: Sequence[Mapping[str, Any]],
    actions: Sequence[tuple[str, Callable[[Any], Any]] | None] | None = None,
    onselect: Callable[[Any], Any] | None = None,
    multiple_select: bool = False,
    id_field: str | tuple[str, ...] | None = None,
    height: str | int = 600,
    theme: str = "balham",
    cell_content_bar: bool = True,
    instance_id: str = "",
    column_order: Sequence[str] | Mapping[str, Any] | None = None,
    column_args: Mapping[Any, Mapping[str, Any]] | None = None,
    grid_args: Mapping[str, Any] | None = None,
    enterprise_key: str = "",
    scope: str | None = None,
    position: int = OutputPosition.BOTTOM,
) -> Output:
    """Output a data table for many rows: sortable columns, a filter box, row selection.

    ``records`` is a list of dicts (nested dicts become columns ``a.b``). Visitors
    sort by clicking a column header and filter with the search box.

    :param actions: ``(label, callback)`` pairs shown as buttons while rows are
        selected; ``callback(row_id)`` gets the selected row's id (a list of ids with
        ``multiple_select``). A ``None`` item is a separator.
    :param onselect: ``onselect(row_id)`` when the visitor selects a row (a list of
        ids with ``multiple_select``).
    :param id_field: the key (a tuple of keys for nested dicts) whose value
        identifies a row; by default rows are numbered from 0 in ``records`` order.
    :param height: pixels, or any CSS height; ``'auto'`` fits the rows (up to
        1000 rows; more get 600px).
    :param theme: ``'balham'`` (default), ``'alpine'``, ``'material'`` follow the
        page's light or dark theme; ``'balham-dark'``/``'alpine-dark'`` are always dark.
    :param cell_content_bar: show the full content of the focused cell above the table.
    :param instance_id: a name for :func:`datatable_update`, :func:`datatable_insert`
        and :func:`datatable_remove`.
    :param column_order: the columns to show, in order: a list of keys, or a nested
        dict for nested records (``{'a': {'b': None}, 'c': None}``). Required when
        ``records`` is empty.
    :param column_args: per column options, keyed by a column key (for every column
        with that last key) or a tuple path: ``headerName``, ``width``, ``minWidth``,
        ``hide``, ``sortable``, ``filter`` (include in the filter box),
        ``valueFormatter`` and ``cellStyle`` (a dict of CSS, or a :class:`JSFunction`
        ``(params)`` with ``params.value`` and ``params.data``).
    :param grid_args: table options: ``rowHeight`` (pixels), ``rowSelection``,
        ``onRowClicked``/``onSelectionChanged`` (:class:`JSFunction`).
    :param enterprise_key: accepted for PyWebIO compatibility; webio has no
        enterprise edition, so it is ignored.
    """
    if not isinstance(records, (list, tuple)) or not all(isinstance(r, Mapping) for r in records):
        raise TypeError("put_datatable records must be a list of dicts")
    if not records and not column_order:
        raise ValueError("column_order must be given when records is empty")
    if theme not in THEMES:
        raise ValueError(f"theme must be one of {THEMES}, got {theme!r}")
    if not isinstance(instance_id, str):
        raise TypeError(f"instance_id must be a string, got {instance_id!r}")
    actions = list(actions or [])
    for action in actions:
        if action is not None and (not isinstance(action, (list, tuple)) or len(action) != 2
                                   or not callable(action[1])):
            raise ValueError(f"each action must be a (label, callback) pair or None, got {action!r}")
    if onselect is not None and not callable(onselect):
        raise TypeError(f"onselect must be callable, got {onselect!r}")
    if isinstance(height, int) and not isinstance(height, bool):
        height = f"{height}px"
    elif not isinstance(height, str):
        raise TypeError(f"height must be pixels (int) or a CSS height, got {height!r}")
    if height == "auto" and len(records) > AUTO_HEIGHT_MAX_ROWS:
        logger.warning("put_datatable: %d rows are too many for height='auto'; using 600px", len(records))
        height = "600px"
    if isinstance(column_order, (list, tuple)):
        column_order = {key: None for key in column_order}
    elif column_order is not None and not isinstance(column_order, Mapping):
        raise TypeError(f"column_order must be a list of keys or a nested dict, got {column_order!r}")

    key = new_scope_name("fn")
    column_args = dict(column_args or {})
    field_args = {k: v for k, v in column_args.items() if isinstance(k, str)}
    path_args = [[list(k), v] for k, v in column_args.items() if isinstance(k, tuple)]
    if len(field_args) + len(path_args) != len(column_args):
        raise TypeError("column_args keys must be column keys (str) or key paths (tuple)")

    def callback(data: Any) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
            raise ValueError(f"a datatable event needs {{'rows': [...]}}, got {data!r:.80}")
        rows = data["rows"]
        selected = rows if multiple_select else (rows[0] if rows else None)
        button = data.get("btn")
        if button is None:
            if onselect is not None and (multiple_select or rows):
                return onselect(selected)
            return None
        action = actions[button] if isinstance(button, int) and 0 <= button < len(actions) else None
        if action is None:
            raise ValueError(f"the datatable has no action number {button!r}")
        return action[1](selected)

    path = None if id_field is None else _key_path(id_field, "id_field")
    spec: dict[str, Any] = {
        "type": "datatable",
        "records": json.loads(json.dumps(list(records), default=str)),
        "id_field": path,
        "callback_id": get_current_session().register_callback(callback) if actions or onselect else None,
        "actions": [None if a is None else str(a[0]) for a in actions],
        "on_select": onselect is not None,
        "multiple_select": bool(multiple_select),
        "column_order": _encode_functions(column_order, key, "column_order"),
        "field_args": _encode_functions(field_args, key, "column_args"),
        "path_args": _encode_functions(path_args, key, "column_args"),
        "grid_args": _encode_functions(dict(grid_args or {}), key, "grid_args"),
        "js_func_key": key,
        "cell_content_bar": bool(cell_content_bar),
        "height": height,
        "theme": theme,
        "instance_id": instance_id or None,
    }
    if path is None:
        spec["row_ids"] = list(range(len(records)))
    return show(spec, scope, position)


def _send(name: Any, spec: dict[str, Any]) -> None:
    get_current_session().send(make_command(name, json.loads(json.dumps(spec, default=str))))


def datatable_update(
    instance_id: str,
    data: Any,
    row_id: int | str | None = None,
    field: str | Sequence[str] | None = None,
) -> None:
    """Change the rows of the datatable ``instance_id``.

    ``datatable_update(id, records)`` replaces every row; ``datatable_update(id,
    record, row_id)`` one row; ``datatable_update(id, value, row_id, field)`` one
    cell, where ``field`` is a key or a tuple path for nested records.
    """
    _check_instance_id(instance_id)
    if row_id is None and field is not None:
        raise ValueError("datatable_update needs row_id when field is given")
    if row_id is None and not (isinstance(data, (list, tuple)) and all(isinstance(r, Mapping) for r in data)):
        raise TypeError("datatable_update without row_id needs a list of dicts (all the rows)")
    if row_id is not None and field is None and not isinstance(data, Mapping):
        raise TypeError(f"datatable_update of a row needs a dict, got {data!r:.60}")
    _send("datatable_update", {"instance_id": instance_id, "data": data, "row_id": row_id,
                               "field": None if field is None else _key_path(field, "field")})


def datatable_insert(instance_id: str, records: Any, row_id: int | str | None = None) -> None:
    """Insert a row (a dict) or rows (a list of dicts) into the datatable
    ``instance_id``, before the row ``row_id`` or at the end. Without an
    ``id_field`` the new rows get the numbers after the largest row id."""
    _check_instance_id(instance_id)
    rows = list(records) if isinstance(records, (list, tuple)) else [records]
    if not all(isinstance(r, Mapping) for r in rows):
        raise TypeError("datatable_insert needs a dict or a list of dicts")
    _send("datatable_insert", {"instance_id": instance_id, "records": rows, "row_id": row_id})


def datatable_remove(instance_id: str, row_ids: Any) -> None:
    """Remove the row ``row_ids`` (an id, or a list of ids) from the datatable ``instance_id``."""
    _check_instance_id(instance_id)
    ids = list(row_ids) if isinstance(row_ids, (list, tuple)) else [row_ids]
    _send("datatable_remove", {"instance_id": instance_id, "row_ids": ids})
