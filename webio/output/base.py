"""Output objects and how they reach the page.

``put_*`` functions send their output at once, when they are called; nothing is
sent from ``__del__``. An output passed into another one (``put_row([put_text(…)])``)
has already been shown by then, so embedding it takes it off the page in the same
frame, and it is shown inside its container instead. An output changed after it was
shown (``.style()``, ``.onclick()``) is replaced on the page.
"""
from __future__ import annotations

import itertools
from collections import UserList
from collections.abc import Callable, Iterable
from contextvars import ContextVar, Token
from typing import Any

from webio.protocol import make_command
from webio.session.base import new_secret
from webio.session.context import get_current_session
from webio.session.kinds import ignoring_data

__all__ = [
    "Output",
    "OutputList",
    "OutputPosition",
    "Position",
    "current_scope",
    "scope_stack",
    "embed",
    "embed_all",
    "show",
    "check_position",
    "new_scope_name",
    "as_list",
]

ROOT = "ROOT"

scope_stack: ContextVar[tuple[str, ...]] = ContextVar("webio_scope_stack", default=(ROOT,))
"""The scopes entered with ``use_scope``, innermost last; per session and per task."""

_output_ids = itertools.count(1)


class OutputPosition:
    """Where an output goes in its scope: ``TOP`` (first), ``BOTTOM`` (last) or an index."""

    TOP = 0
    BOTTOM = -1


class Position:
    """Where a scope or popup goes relative to another element."""

    TOP = "top"
    MIDDLE = "middle"
    BOTTOM = "bottom"


def current_scope() -> str:
    """The innermost scope entered with ``use_scope`` (``'ROOT'`` outside any)."""
    return scope_stack.get()[-1]


def new_scope_name(prefix: str = "scope") -> str:
    """A fresh, unguessable scope name (for scopes webio makes on its own)."""
    return f"{prefix}-{new_secret()[:12]}"


class Output:
    """Something shown on the page, as returned by ``put_*`` functions.

    Containers (``put_row``, ``put_collapse``, ``put_info`` …) also work as context
    managers: ``with put_collapse('More') as scope:`` sends the outputs made inside
    the block into the container, and gives the name of the scope that holds them.
    """

    shown_in: str | None = None
    """The scope the output is shown in now, None when it is not on the page."""
    # Context-manager state; class-level defaults keep the common case (a plain
    # put_* call) from setting them on every instance.
    _container: str | None = None
    _inner_scope: str | None = None
    _after_exit: Callable[[Output], None] | None = None
    _scope_tokens: tuple[Token[tuple[str, ...]], ...] = ()

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.output_id = f"o{next(_output_ids)}"

    def enable_context_manager(
        self, container: str = "contents", after_exit: Callable[[Output], None] | None = None
    ) -> Output:
        """Let this output be used in ``with``: outputs made inside the block go into
        the list of child outputs in ``spec[container]``; ``after_exit(output)`` runs
        when the block ends."""
        self._container = container
        self._after_exit = after_exit
        return self

    def __enter__(self) -> str:
        if self._container is None:
            raise TypeError(f"a {self.spec.get('type')!r} output cannot be used in a with statement")
        if self._inner_scope is None:
            self._inner_scope = new_scope_name()
            children = self.spec.get(self._container) or []
            self.spec[self._container] = [{"type": "scope", "name": self._inner_scope, "contents": list(children)}]
            if self.shown_in is None:
                self.send()
            else:
                self._replace_on_page()
        self._scope_tokens += (scope_stack.set(scope_stack.get() + (self._inner_scope,)),)
        return self._inner_scope

    def __exit__(self, *exc_info: Any) -> None:
        *outer, token = self._scope_tokens
        self._scope_tokens = tuple(outer)
        scope_stack.reset(token)
        if self._after_exit is not None:
            self._after_exit(self)

    def remove_from_page(self) -> None:
        """Take this output off the page (it can still be shown again or embedded)."""
        if self.shown_in is not None:
            get_current_session().send(make_command("output_ctl", {"remove_outputs": [[self.shown_in, self.output_id]]}))
            self.shown_in = None

    def embedded_spec(self) -> dict[str, Any]:
        """The spec of this output as part of another one."""
        return {**self.spec, "output_id": self.output_id}

    def send(self, scope: str | None = None, position: int = OutputPosition.BOTTOM) -> Output:
        """Show this output in ``scope`` (default: the current scope)."""
        scope = current_scope() if scope is None else _check_scope_name(scope)
        check_position(position)
        spec = {**self.spec, "scope": scope, "position": position, "output_id": self.output_id}
        get_current_session().send(make_command("output", spec))
        self.shown_in = scope
        return self

    def show(self) -> None:
        """Show this output (again) at the end of the current scope."""
        self.send()

    def style(self, css_style: str) -> Output:
        """Add CSS declarations to this output, e.g. ``'color: red; margin: 0'``."""
        if not isinstance(css_style, str):
            raise TypeError(f"style needs a CSS string, got {css_style!r}")
        previous = self.spec.get("style", "")
        self.spec["style"] = f"{previous};{css_style}" if previous else css_style
        self._replace_on_page()
        return self

    def onclick(self, callback: Callable[[], Any]) -> Output:
        """Call ``callback()`` when the visitor clicks this output."""
        session = get_current_session()
        self.spec["click_callback_id"] = session.register_callback(ignoring_data(callback))
        self._replace_on_page()
        return self

    def _replace_on_page(self) -> None:
        if self.shown_in is None:
            return
        get_current_session().send(
            make_command("output_ctl", {"replace": self.output_id, "scope": self.shown_in, "spec": self.embedded_spec()})
        )

    def __repr__(self) -> str:
        return f"<Output {self.spec.get('type')} {self.output_id}>"


class OutputList(UserList):  # type: ignore[type-arg]
    """A list of outputs, as the deprecated ``style()`` returns for a list."""


def as_list(content: Any) -> list[Any]:
    """``content`` as a list: lists, tuples and OutputLists as they are, anything else alone."""
    if isinstance(content, (list, tuple, OutputList)):
        return list(content)
    return [content]


def check_position(position: Any) -> int:
    """``position`` if it is an int (``OutputPosition.TOP``/``BOTTOM`` or an index)."""
    if not isinstance(position, int) or isinstance(position, bool):
        raise TypeError(f"position must be an int (OutputPosition.TOP/BOTTOM or an index), got {position!r}")
    return position


def _check_scope_name(name: Any) -> str:
    if not isinstance(name, str) or not name:
        raise ValueError(f"a scope name must be a non-empty string, got {name!r}")
    if not all(c.isalnum() or c in "-_" for c in name):
        raise ValueError(f"scope name {name!r} may contain only letters, digits, '-' and '_'")
    return name


def embed(value: Any) -> dict[str, Any]:
    """The spec to put inside another output for ``value`` (an Output or text)."""
    return embed_all([value])[0]


def embed_all(values: Iterable[Any]) -> list[dict[str, Any]]:
    """Specs for outputs placed inside a container; shown ones leave their scope.

    Strings and other plain values become text outputs.
    """
    specs: list[dict[str, Any]] = []
    taken_off: list[list[str]] = []
    for value in values:
        if isinstance(value, Output):
            if value.shown_in is not None:
                taken_off.append([value.shown_in, value.output_id])
                value.shown_in = None
            specs.append(value.embedded_spec())
        elif value is None:
            specs.append({"type": "text", "content": "", "inline": True})
        else:
            specs.append({"type": "text", "content": str(value), "inline": True})
    if taken_off:
        get_current_session().send(make_command("output_ctl", {"remove_outputs": taken_off}))
    return specs


def show(spec: dict[str, Any], scope: str | None, position: int) -> Output:
    """Build an Output from ``spec`` and send it: the last step of every ``put_*``."""
    return Output(spec).send(scope, position)
