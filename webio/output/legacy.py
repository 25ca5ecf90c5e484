"""Deprecated parts of PyWebIO's output API, kept so that old apps run: ``output()``
and the ``style()`` function. Both warn with DeprecationWarning."""
from __future__ import annotations

import warnings
from typing import Any

from webio.output.base import Output, OutputList, OutputPosition, as_list, embed_all, new_scope_name
from webio.output.scope import clear
from webio.output.text import put_text

__all__ = ["output", "style", "OutputHandler"]


class OutputHandler(Output):
    """A placeholder returned by :func:`output`: place it like an output (in a
    table cell, a row …), then change what it holds with :meth:`reset`,
    :meth:`append` and :meth:`insert`."""

    def __init__(self, contents: tuple[Any, ...]) -> None:
        self.scope = new_scope_name("output")
        super().__init__({"type": "scope", "name": self.scope, "contents": embed_all(contents)})

    def reset(self, *contents: Any) -> None:
        """Replace what the placeholder holds with ``contents``."""
        clear(self.scope)
        self.append(*contents)

    def append(self, *contents: Any) -> None:
        """Add ``contents`` (outputs or strings) at the end."""
        for content in contents:
            self._place(content, OutputPosition.BOTTOM)

    def insert(self, idx: int, *contents: Any) -> None:
        """Insert ``contents`` before the item at ``idx`` (``idx ≥ 0``) or after it
        (``idx < 0``, counted from the end)."""
        step = 1 if idx >= 0 else -1
        for offset, content in enumerate(contents):
            self._place(content, idx + step * offset)

    def _place(self, content: Any, position: int) -> None:
        if isinstance(content, Output):
            content.remove_from_page()
            content.send(self.scope, position)
        else:
            put_text(content, scope=self.scope, position=position)


def output(*contents: Any) -> OutputHandler:
    """A placeholder for outputs (deprecated: use ``put_scope``).

    Unlike ``put_xxx()``, it is not shown where it is made: place it in another
    output, or call ``.show()``.
    """
    warnings.warn("output() is deprecated; use put_scope() and the scope functions instead",
                  DeprecationWarning, stacklevel=2)
    return OutputHandler(contents)


def style(outputs: Any, css_style: str) -> Any:
    """Add CSS to an output or to each output of a list (deprecated: use
    ``put_xxx(...).style(css)``). Returns what it was given."""
    warnings.warn("style() is deprecated; use put_xxx(...).style(css_style) instead",
                  DeprecationWarning, stacklevel=2)
    items = as_list(outputs)
    for item in items:
        if not isinstance(item, Output):
            raise TypeError(f"style() takes outputs (put_xxx() calls), got {item!r}")
        item.style(css_style)
    return outputs if isinstance(outputs, Output) else OutputList(items)
