"""The session helpers of PyWebIO's ``pywebio.session``, same names and behaviour.

Every function acts on the current session (see :mod:`webio.session.context`). The
ones that wait for the browser (``eval_js``, ``hold``) block in a thread session and
return an awaitable in a coroutine session, as in PyWebIO.

Thread safety: all of them may be called from any thread that runs the session's
code: ``main``, a callback, or a thread passed to :func:`register_thread`.
"""
from __future__ import annotations

import asyncio
import base64
import json
import warnings
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

from webio.exceptions import SessionClosedException, SessionKindError
from webio.protocol import make_command
from webio.session.base import new_secret
from webio.session.context import get_current_session
from webio.session.flow import Flow, Listen, Receive, Send
from webio.session.info import SessionInfo

__all__ = [
    "run_js",
    "eval_js",
    "download",
    "defer_call",
    "local",
    "info",
    "hold",
    "register_thread",
    "run_async",
    "run_asyncio_coroutine",
    "set_env",
    "go_app",
    "get_info",
    "get_current_session",
    "TaskHandle",
]

F = TypeVar("F", bound=Callable[..., Any])

ENV_KEYS = frozenset(
    {
        "title",
        "output_animation",
        "auto_scroll_bottom",
        "http_pull_interval",
        "input_panel_fixed",
        "input_panel_min_height",
        "input_panel_init_height",
        "input_auto_focus",
        "output_max_width",
    }
)


def run_js(code_: str, **args: Any) -> None:
    """Run JavaScript ``code_`` in the visitor's page; ``args`` become variables of it.

    Nothing is returned; use :func:`eval_js` to get a value back.
    """
    get_current_session().send(make_command("run_script", {"code": code_, "args": args, "eval": False}))


def _eval_flow(expression: str, args: dict[str, Any]) -> Flow[Any]:
    task_id = "js-" + new_secret()
    yield Listen(task_id)
    yield Send(make_command("run_script", {"code": expression, "args": args, "eval": True}, task_id))
    event = yield Receive(task_id)
    return event["data"]


def eval_js(expression_: str, **args: Any) -> Any:
    """Evaluate a JavaScript expression in the page and return its value.

    A promise is awaited in the browser; a rejected promise or a thrown error gives
    ``None``. Blocks in thread sessions; ``await`` it in coroutine sessions.
    """
    return get_current_session().run_flow(_eval_flow(expression_, args))


def download(name: str, content: bytes) -> None:
    """Offer ``content`` to the visitor as a file called ``name``."""
    if not isinstance(content, (bytes, bytearray, memoryview)):
        raise TypeError(f"download content must be bytes, got {type(content).__name__}")
    encoded = base64.b64encode(bytes(content)).decode("ascii")
    get_current_session().send(make_command("download", {"name": name, "content": encoded}))


def defer_call(func: F) -> F:
    """Call ``func()`` once when the session ends, however it ends.

    Functions run in the order they were registered, also after ``main`` raised.
    Usable as a decorator.
    """
    get_current_session().defer(func)
    return func


def _hold_flow() -> Flow[None]:
    task_id = "hold-" + new_secret()
    yield Listen(task_id)
    yield Receive(task_id)


def hold() -> Any:
    """Keep the session open until the visitor closes the page.

    Needed only when ``main`` must not return (code after it runs once the session
    has ended). Blocks in thread sessions; ``await hold()`` in coroutine sessions.
    """
    session = get_current_session()
    if session.kind == "coroutine":
        return _await_until_closed(session.run_flow(_hold_flow()))
    try:
        session.run_flow(_hold_flow())
    except SessionClosedException:
        return None
    return None


async def _await_until_closed(waiting: Coroutine[Any, Any, Any]) -> None:
    try:
        await waiting
    except SessionClosedException:
        return


def register_thread(thread: Any) -> None:
    """Let ``thread`` (not started yet) use webio functions of the current session.

    The session stays open while the thread runs, as long as it was started.
    """
    session = get_current_session()
    run = thread.run
    context = session.new_context()
    session.hold_open()

    def run_in_session() -> None:
        try:
            context.run(run)
        finally:
            session.release()

    thread.run = run_in_session


class TaskHandle:
    """The handle :func:`run_async` returns."""

    def __init__(self, task: asyncio.Task[Any], loop: asyncio.AbstractEventLoop) -> None:
        self._task = task
        self._loop = loop

    def close(self) -> None:
        """Stop the task (it is cancelled)."""
        self._loop.call_soon_threadsafe(self._task.cancel)

    def closed(self) -> bool:
        """Whether the task has ended."""
        return self._task.done()


def _coroutine_session(helper: str) -> Any:
    session = get_current_session()
    if session.kind != "coroutine":
        raise SessionKindError(
            f"{helper}() works only in a coroutine session (an `async def main`). In a "
            "thread session, start a thread with threading.Thread and register_thread()."
        )
    return session


def run_async(coro_obj: Coroutine[Any, Any, Any]) -> TaskHandle:
    """Run a coroutine in the background of the current coroutine session.

    It can use webio functions. It is cancelled when the session closes, and the
    session stays open while it runs.
    """
    session = _coroutine_session("run_async")
    if not asyncio.iscoroutine(coro_obj):
        raise TypeError(f"run_async needs a coroutine object, got {coro_obj!r}")
    return TaskHandle(session.run_background(coro_obj), session.loop)


def run_asyncio_coroutine(coro_obj: Coroutine[Any, Any, Any]) -> Any:
    """Run an asyncio coroutine from a session.

    In a coroutine session ``await run_asyncio_coroutine(coro)`` (the same as
    ``await coro``, since webio runs coroutine sessions on the server's loop). In a
    thread session it runs the coroutine on the server's loop and blocks for its result.
    """
    session = get_current_session()
    if not asyncio.iscoroutine(coro_obj):
        raise TypeError(f"run_asyncio_coroutine needs a coroutine object, got {coro_obj!r}")
    if session.kind == "coroutine":
        return coro_obj
    return asyncio.run_coroutine_threadsafe(coro_obj, session.loop).result()


def set_env(**env_info: Any) -> None:
    """Change settings of the page: ``title``, ``output_animation``,
    ``auto_scroll_bottom``, ``http_pull_interval``, ``input_panel_fixed``,
    ``input_panel_min_height``, ``input_panel_init_height``, ``input_auto_focus``,
    ``output_max_width``."""
    unknown = set(env_info) - ENV_KEYS
    if unknown:
        raise ValueError(f"set_env got unknown settings {sorted(unknown)}; known: {sorted(ENV_KEYS)}")
    get_current_session().send(make_command("set_env", env_info))


def go_app(name: str, new_window: bool = True) -> None:
    """Open the app called ``name`` of the same server, in a new window or this one."""
    target = "?app=" + json.dumps(str(name))[1:-1]
    code = "window.open(url, '_blank')" if new_window else "window.location.href = url"
    run_js(code, url=target)


class _SessionAttribute:
    """Reads an attribute of the current session each time it is used."""

    def __init__(self, attribute: str) -> None:
        object.__setattr__(self, "_attribute", attribute)

    def _target(self) -> Any:
        return getattr(get_current_session(), self._attribute)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._target(), name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._target(), name)

    def __getitem__(self, name: str) -> Any:
        return self._target()[name]

    def __setitem__(self, name: str, value: Any) -> None:
        self._target()[name] = value

    def __contains__(self, name: object) -> bool:
        return name in self._target()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._target())

    def __repr__(self) -> str:
        return f"<current session's {self._attribute}>"


local: Any = _SessionAttribute("local")
"""Attributes private to the current session: ``local.name = ...``; unset names read ``None``."""

info: SessionInfo = _SessionAttribute("info")  # type: ignore[assignment]
"""Facts about the current visitor; see :class:`~webio.session.info.SessionInfo`."""


def get_info() -> SessionInfo:
    """Deprecated: read :data:`info` instead."""
    warnings.warn("get_info() is deprecated; use webio.session.info", DeprecationWarning, stacklevel=2)
    return get_current_session().info
