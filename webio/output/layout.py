"""Layout containers: rows, columns, grids, collapsible parts, scroll areas and tabs.

Each takes outputs (or strings, shown as text) and shows them inside itself; the
outputs leave the place they were shown before. ``put_row``, ``put_column``,
``put_collapse`` and ``put_scrollable`` also work as context managers::

    with put_collapse('Details'):
        put_text('shown inside the collapsible part')
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from webio.output.base import Output, OutputPosition, as_list, embed_all, show
from webio.output.table import Span

__all__ = ["put_row", "put_column", "put_grid", "put_collapse", "put_scrollable", "put_tabs"]


def _check_css(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a CSS string, e.g. '1fr 10px 2fr', got {value!r}")
    return value


def _line(kind: str, content: Any, size: str | None, scope: str | None, position: int) -> Output:
    items = as_list(content)
    for item in items:
        if item is not None and not isinstance(item, Output):
            raise TypeError(f"put_{kind} content must be outputs (put_xxx() calls) or None, got {item!r}")
    size = _check_css(size, "size") or " ".join("10px" if item is None else "1fr" for item in items)
    present = [item for item in items if item is not None]
    specs = iter(embed_all(present))
    contents = [None if item is None else next(specs) for item in items]
    output = show({"type": kind, "contents": contents, "size": size}, scope, position)
    return output.enable_context_manager()


def put_row(
    content: Sequence[Output | None] = (),
    size: str | None = None,
    scope: str | None = None,
    position: int = OutputPosition.BOTTOM,
) -> Output:
    """Show outputs side by side.

    ``None`` items are 10-pixel gaps. ``size`` gives the widths in CSS grid terms, one
    per item (gaps included), e.g. ``'2fr 10px 3fr'``, ``'40% 10px 60%'``,
    ``'auto minmax(100px, 1fr)'``; by default the items share the width equally.
    """
    return _line("row", content, size, scope, position)


def put_column(
    content: Sequence[Output | None] = (),
    size: str | None = None,
    scope: str | None = None,
    position: int = OutputPosition.BOTTOM,
) -> Output:
    """Show outputs one below the other; ``size`` gives the heights as in :func:`put_row`."""
    return _line("column", content, size, scope, position)


def put_grid(
    content: Sequence[Sequence[Any]],
    cell_width: str = "auto",
    cell_height: str = "auto",
    cell_widths: str | None = None,
    cell_heights: str | None = None,
    direction: str = "row",
    scope: str | None = None,
    position: int = OutputPosition.BOTTOM,
) -> Output:
    """Show outputs in a grid.

    ``content`` is a list of rows of outputs; ``None`` is an empty cell and
    :func:`span` makes a cell span rows or columns. ``cell_width``/``cell_height``
    size every cell, ``cell_widths``/``cell_heights`` each column/row (CSS grid
    values separated by spaces). ``direction='column'`` fills the grid column by column.
    """
    if direction not in ("row", "column"):
        raise ValueError(f"direction must be 'row' or 'column', got {direction!r}")
    if not isinstance(content, (list, tuple)) or not all(isinstance(row, (list, tuple)) for row in content):
        raise TypeError(f"put_grid content must be a list of lists, got {content!r}")
    _check_css(cell_width, "cell_width")
    _check_css(cell_height, "cell_height")
    lengths = [0] * len(content)
    cells: list[tuple[Any, str]] = []
    for x, row in enumerate(content):
        for cell in row:
            css = ""
            if isinstance(cell, Span):
                for covered in range(x, min(x + cell.row, len(content))):
                    lengths[covered] += cell.col
                css = f"grid-row-start: span {cell.row}; grid-column-start: span {cell.col}"
                cell = cell.content
            else:
                lengths[x] += 1
            if cell is not None and not isinstance(cell, Output):
                raise TypeError(f"put_grid cells must be outputs (put_xxx() calls), span() or None, got {cell!r}")
            cells.append((cell, css))
    widest = max(lengths, default=0)
    rows, columns = len(content), widest
    if direction == "column":
        rows, columns = widest, len(content)
    specs = iter(embed_all(cell for cell, _ in cells if cell is not None))
    flat: list[dict[str, Any] | None] = []
    for cell, css in cells:
        spec = next(specs) if cell is not None else ({"type": "html", "content": ""} if css else None)
        if spec is not None and css:
            spec = {**spec, "style": f"{spec['style']};{css}" if spec.get("style") else css}
        flat.append(spec)
    return show({
        "type": "grid",
        "contents": flat,
        "columns": _check_css(cell_widths, "cell_widths") or f"repeat({columns}, {cell_width})",
        "rows": _check_css(cell_heights, "cell_heights") or f"repeat({rows}, {cell_height})",
        "direction": direction,
    }, scope, position)


def put_collapse(
    title: str,
    content: Any = (),
    open: bool = False,  # noqa: A002 - PyWebIO's parameter name
    scope: str | None = None,
    position: int = OutputPosition.BOTTOM,
) -> Output:
    """A collapsible part: ``title`` is always shown, ``content`` (a string, an
    output or a list of them) when opened. ``open=True`` shows it opened."""
    return show({"type": "collapse", "title": str(title), "contents": embed_all(as_list(content)),
                 "open": bool(open)}, scope, position).enable_context_manager()


def put_scrollable(
    content: Any = (),
    height: int | tuple[int, int] | None = 400,
    keep_bottom: bool = False,
    border: bool = True,
    scope: str | None = None,
    position: int = OutputPosition.BOTTOM,
    **kwargs: Any,
) -> Output:
    """An area of fixed height that scrolls when its content is taller.

    ``height`` in pixels, or ``(min_height, max_height)``, or ``None`` for no limit.
    ``keep_bottom=True`` keeps it scrolled to the bottom as outputs are added (until
    the visitor scrolls up). ``border`` draws a frame around it.
    """
    if "max_height" in kwargs:
        warnings.warn("put_scrollable(max_height=...) is deprecated; use height", DeprecationWarning, stacklevel=2)
        height = kwargs.pop("max_height")
    if kwargs:
        raise TypeError(f"put_scrollable got unexpected keyword arguments {sorted(kwargs)}")
    if height is None:
        min_height = max_height = None
    elif isinstance(height, int) and not isinstance(height, bool):
        min_height = max_height = height
    elif isinstance(height, (tuple, list)) and len(height) == 2 and all(isinstance(h, int) for h in height):
        min_height, max_height = height
    else:
        raise ValueError(f"height must be an int, a (min_height, max_height) pair or None, got {height!r}")
    spec = {"type": "scrollable", "contents": embed_all(as_list(content)), "min_height": min_height,
            "max_height": max_height, "keep_bottom": bool(keep_bottom), "border": bool(border)}
    return show(spec, scope, position).enable_context_manager()


def put_tabs(tabs: Sequence[Mapping[str, Any]], scope: str | None = None,
             position: int = OutputPosition.BOTTOM) -> Output:
    """Tabs: ``tabs`` is a list of ``{'title': 'Title', 'content': ...}``, where the
    content is a string, an output or a list of them. The first tab is shown."""
    if not isinstance(tabs, (list, tuple)):
        raise TypeError(f"put_tabs needs a list of {{'title': ..., 'content': ...}} dicts, got {tabs!r}")
    for tab in tabs:
        if not isinstance(tab, Mapping) or "title" not in tab or "content" not in tab:
            raise ValueError(f"each tab must be a dict with 'title' and 'content', got {tab!r}")
    items = [{"title": str(tab["title"]), "content": embed_all(as_list(tab["content"]))} for tab in tabs]
    return show({"type": "tabs", "tabs": items}, scope, position)
