"""Tables: ``put_table`` and ``span`` (cells spanning rows or columns)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from webio.output.base import Output, OutputPosition, embed_all, show

__all__ = ["put_table", "span", "Span"]


class Span:
    """A cell of ``put_table`` or ``put_grid`` that spans ``row`` rows and ``col`` columns."""

    def __init__(self, content: Any, row: int = 1, col: int = 1) -> None:
        for name, value in (("row", row), ("col", col)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"span {name} must be a positive int, got {value!r}")
        self.content = content
        self.row = row
        self.col = col

    def __repr__(self) -> str:
        return f"span({self.content!r}, row={self.row}, col={self.col})"


def span(content: Any, row: int = 1, col: int = 1) -> Span:
    """A cell of ``put_table``/``put_grid`` spanning ``row`` rows and ``col`` columns.

    ``content`` is a string or an output::

        put_table([['C'], [span('E', col=2)]], header=[span('A', row=2), 'B'])
    """
    return Span(content, row, col)


def _dict_rows(tdata: Sequence[Mapping[str, Any]], header: Sequence[Any] | None) -> tuple[list[Any], list[list[Any]]]:
    """Header labels and list rows from rows given as dicts."""
    if header is None:
        keys = list(tdata[0].keys())
        labels: list[Any] = [str(key).capitalize() for key in keys]
    elif header and isinstance(header[0], (list, tuple)):
        labels = [pair[0] for pair in header]
        keys = [pair[-1] for pair in header]
    else:
        labels = keys = list(header)
    rows = []
    for row in tdata:
        if not isinstance(row, Mapping):
            raise TypeError(f"put_table rows must all be dicts or all be lists, got {row!r}")
        rows.append([row.get(key, "") for key in keys])
    return labels, rows


def put_table(
    tdata: Sequence[Any],
    header: Sequence[Any] | None = None,
    scope: str | None = None,
    position: int = OutputPosition.BOTTOM,
) -> Output:
    """Output a table.

    ``tdata`` is a list of rows: lists of cells, or dicts. A cell is a string (shown
    as text), any other value (shown as ``str(value)``), an output (``put_image``,
    ``put_buttons`` …) or a :func:`span`. The first row is the header unless
    ``header`` is given. For dict rows, ``header`` lists the keys in order, or
    ``(label, key)`` pairs; without it the keys of the first row are used.
    """
    if not isinstance(tdata, (list, tuple)):
        raise TypeError(f"put_table needs a list of rows, got {type(tdata).__name__}")
    if header is not None and not isinstance(header, (list, tuple)):
        raise TypeError(f"put_table header must be a list, got {type(header).__name__}")
    if tdata and isinstance(tdata[0], Mapping):
        labels, rows = _dict_rows(tdata, header)
        rows = [labels, *rows]
    else:
        rows = []
        for row in tdata:
            if isinstance(row, (str, bytes, Mapping)) or not isinstance(row, Sequence):
                raise TypeError(f"put_table rows must all be lists or all be dicts, got {row!r}")
            rows.append(list(row))
        if header:
            labels = [pair[0] for pair in header] if isinstance(header[0], (list, tuple)) else list(header)
            rows = [labels, *rows]
    spans: dict[str, dict[str, int]] = {}
    outputs: list[tuple[int, int, Output]] = []
    for x, row in enumerate(rows):
        for y, cell in enumerate(row):
            if isinstance(cell, Span):
                spans[f"{x},{y}"] = {"row": cell.row, "col": cell.col}
                cell = cell.content
            if isinstance(cell, Output):
                outputs.append((x, y, cell))
            else:
                row[y] = str(cell)
    for (x, y, _), spec in zip(outputs, embed_all(o for _, _, o in outputs), strict=True):
        rows[x][y] = spec
    return show({"type": "table", "data": rows, "span": spans}, scope, position)
