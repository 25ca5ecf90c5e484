"""Scopes: named regions of the page that outputs go into, and their control."""
from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from webio.output.base import (
    ROOT,
    Output,
    OutputPosition,
    Position,
    _check_scope_name,
    current_scope,
    embed_all,
    scope_stack,
    show,
)
from webio.protocol import make_command
from webio.session.base import new_secret
from webio.session.context import get_current_session
from webio.session.kinds import is_async_callable

__all__ = ["use_scope", "set_scope", "get_scope", "clear", "remove", "scroll_to", "put_scope"]

F = TypeVar("F", bound=Callable[..., Any])

_IF_EXIST = (None, "none", "remove", "clear")


def _ctl(spec: dict[str, Any]) -> None:
    get_current_session().send(make_command("output_ctl", spec))


def set_scope(
    name: str,
    container_scope: str | None = None,
    position: int = OutputPosition.BOTTOM,
    if_exist: str | None = None,
) -> None:
    """Create scope ``name`` inside ``container_scope`` (default: the current one).

    ``if_exist``: ``None``/``'none'`` leaves an existing scope as it is, ``'remove'``
    removes it and creates it anew, ``'clear'`` empties it in place.
    """
    if if_exist not in _IF_EXIST:
        raise ValueError(f"if_exist must be one of {_IF_EXIST}, got {if_exist!r}")
    container = current_scope() if container_scope is None else _check_scope_name(container_scope)
    _ctl({"set_scope": _check_scope_name(name), "container": container, "position": position, "if_exist": if_exist})


def get_scope(stack_idx: int = -1) -> str | None:
    """The name of a scope entered with ``use_scope``: ``-1`` the current one,
    ``-2`` its parent …; ``None`` when the stack is not that deep."""
    stack = scope_stack.get()
    try:
        return stack[stack_idx]
    except IndexError:
        return None


def clear(scope: str | None = None) -> None:
    """Remove everything inside ``scope`` (default: the current one), keeping the scope."""
    _ctl({"clear": current_scope() if scope is None else _check_scope_name(scope)})


def remove(scope: str | None = None) -> None:
    """Remove ``scope`` (default: the current one) and everything in it."""
    name = current_scope() if scope is None else _check_scope_name(scope)
    if name == ROOT:
        raise ValueError("the ROOT scope cannot be removed; use clear() to empty it")
    _ctl({"remove": name})


def scroll_to(scope: str | None = None, position: str = Position.TOP) -> None:
    """Scroll the page so that ``scope`` is at its ``'top'``, ``'middle'`` or ``'bottom'``."""
    if position not in (Position.TOP, Position.MIDDLE, Position.BOTTOM):
        raise ValueError(f"position must be 'top', 'middle' or 'bottom', got {position!r}")
    _ctl({"scroll_to": current_scope() if scope is None else _check_scope_name(scope), "position": position})


def put_scope(
    name: str, content: Any = (), scope: str | None = None, position: int = OutputPosition.BOTTOM
) -> Output:
    """Output a new scope called ``name`` holding ``content`` (an output or a list)."""
    contents = content if isinstance(content, (list, tuple)) else [content]
    return show({"type": "scope", "name": _check_scope_name(name), "contents": embed_all(contents)}, scope, position)


class use_scope:  # noqa: N801 - PyWebIO's name
    """Enter a scope, as a context manager or a decorator.

    ``with use_scope('news', clear=True): put_text(...)`` sends outputs into scope
    ``news``, created at the end of the current scope if it does not exist yet.
    Without a name a new unique scope is made; ``as`` gives its name. As a decorator
    the scope is entered on every call (async functions too). ``create_scope=False``
    enters a scope that already exists without sending anything; other keyword
    arguments go to :func:`set_scope`.
    """

    def __init__(self, name: str | None = None, clear: bool = False, **scope_params: Any) -> None:
        self.create_scope = bool(scope_params.pop("create_scope", True))
        if name is None:
            name = "scope-" + new_secret()[:10]
        self.name = _check_scope_name(name)
        self.clear = clear
        self.scope_params = scope_params
        self._tokens: list[Any] = []

    def __enter__(self) -> str:
        if self.create_scope:
            set_scope(self.name, if_exist="clear" if self.clear else None, **self.scope_params)
        self._tokens.append(scope_stack.set(scope_stack.get() + (self.name,)))
        return self.name

    def __exit__(self, *exc_info: Any) -> None:
        scope_stack.reset(self._tokens.pop())

    def __call__(self, func: F) -> F:
        if is_async_callable(func):

            @functools.wraps(func)
            async def run_async_in_scope(*args: Any, **kwargs: Any) -> Any:
                with self._copy():
                    return await func(*args, **kwargs)

            return run_async_in_scope  # type: ignore[return-value]

        @functools.wraps(func)
        def run_in_scope(*args: Any, **kwargs: Any) -> Any:
            with self._copy():
                return func(*args, **kwargs)

        return run_in_scope  # type: ignore[return-value]

    @contextlib.contextmanager
    def _copy(self) -> Iterator[str]:
        with use_scope(self.name, self.clear, create_scope=self.create_scope, **self.scope_params) as name:
            yield name
