"""The session: one run of an app for one visitor, whatever runs its code.

A session owns an outbox of numbered commands, the page model, the callbacks it
issued and the channels its flows wait on. It is attached to at most one
:class:`~webio.session.port.Connection` at a time and survives being detached for
``reconnect_timeout`` seconds.

Threads: the session's state changes on the event loop thread, except :meth:`send`,
:meth:`register_callback` and :meth:`call_on_loop`, which are safe from any thread
(``send`` is how a thread session's ``main`` talks to the page). The subclasses in
``thread_session`` and ``coroutine_session`` decide how user code runs and waits.
"""
from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import secrets
import threading
from collections.abc import Callable
from typing import Any

from webio.exceptions import SessionClosedException
from webio.protocol import DEFAULT_MAX_FRAME_BYTES, Command, Event, check_encodable, encode_frame, make_command
from webio.session.context import current_session
from webio.session.flow import CLOSED, Flow, Listen, Op, Receive, Send
from webio.session.info import SessionInfo
from webio.session.local import LocalNamespace
from webio.session.outbox import Outbox
from webio.session.page_model import PageModel
from webio.session.page_pins import note_value
from webio.session.port import Connection
from webio.state import get_callback_registry
from webio.state.errors import CallbackError

logger = logging.getLogger("webio.session")

__all__ = ["Session", "new_secret"]

MAX_BYTES_PER_TURN = 256 * 1024
"""Bytes one session writes before it lets the loop serve others (at least one frame)."""

PRODUCER_HIGH_WATER = 20_000
"""Unsent commands at which a thread producer waits for the writer to catch up."""


def new_secret() -> str:
    """An unguessable identifier: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


def _encodable_or_notice(command: Command) -> Command:
    """``command`` if it encodes, else an error notice in its place (same ``seq``)."""
    try:
        encode_frame([command])
    except (TypeError, ValueError):
        notice = make_command("notice", {"level": "error", "message": "Part of the page could not be shown: "
                                         "its data was changed after it was sent."})
        notice["seq"] = command["seq"]
        return notice
    return command


class Session:
    """Base class of thread, coroutine and script sessions."""

    # Slots keep an idle session small (a dict of this many attributes costs about
    # 1.5 KiB); ``__dict__`` stays for attributes that other modules attach later.
    __slots__ = (
        "app", "app_name", "loop", "info", "reconnect_timeout", "id", "reconnect_token", "local", "outbox",
        "page", "closed", "close_reason", "_base_context", "_on_close", "_on_detach", "_lock", "_drained",
        "_callback_ids", "_channels", "_deferred", "_connection", "_writing", "_flush_scheduled",
        "_close_when_flushed", "_expiry", "_main_done", "_holders", "_loop_thread", "__dict__", "__weakref__",
    )

    kind = "base"
    max_payload_bytes: int = DEFAULT_MAX_FRAME_BYTES
    """The server's inbound limit (``max_payload_size``); uploads are held to it."""

    def __init__(
        self,
        app: Callable[[], Any],
        *,
        loop: asyncio.AbstractEventLoop,
        app_name: str = "index",
        info: SessionInfo | None = None,
        reconnect_timeout: float = 0,
        on_close: Callable[[Session], None] | None = None,
        on_detach: Callable[[Session], None] | None = None,
    ) -> None:
        self.app = app
        self.app_name = app_name
        self.loop = loop
        self.info = info or SessionInfo()
        self.reconnect_timeout = reconnect_timeout
        self.id = new_secret()
        self.reconnect_token = new_secret()
        self.local = LocalNamespace()
        self.outbox = Outbox()
        self.page = PageModel()
        self.closed = False
        self.close_reason = ""
        self._on_close = on_close
        self._on_detach = on_detach
        self._lock = threading.RLock()
        self._drained: threading.Condition | None = None
        """Where thread producers wait for the writer; made by the first one that waits."""
        # A dict used as a set: an empty one is a quarter of an empty set.
        self._callback_ids: dict[str, None] = {}
        self._channels: dict[str, Any] = {}
        self._deferred: list[Callable[[], Any]] = []
        self._connection: Connection | None = None
        self._writing = False
        self._flush_scheduled = False
        self._close_when_flushed = False
        self._expiry: asyncio.TimerHandle | None = None
        self._main_done = False
        self._holders = 0
        self._loop_thread = self._thread_of(loop)
        self._base_context = contextvars.copy_context()
        """The context the session was made in, without the session in it: a session
        that held a context holding itself would be freed only by the cycle collector."""

    @staticmethod
    def _thread_of(loop: asyncio.AbstractEventLoop) -> int | None:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            return None
        return threading.get_ident() if running is loop else None

    # --- running code -------------------------------------------------------

    def start(self) -> None:
        """Start running the app (on the event loop thread)."""
        raise NotImplementedError

    def run_flow(self, flow: Flow[Any]) -> Any:
        """Drive ``flow``: blocking in thread sessions, a coroutine in coroutine sessions."""
        raise NotImplementedError

    def _new_channel(self) -> Any:
        """A queue that the loop thread puts events into for one task id."""
        raise NotImplementedError

    def _run_callback(self, callback: Callable[[Any], Any], data: Any) -> None:
        """Run a user callback for a click (called on the loop thread)."""
        raise NotImplementedError

    def _run_deferred(self, functions: list[Callable[[], Any]]) -> None:
        """Run the ``defer_call`` functions in order, each once (on close)."""
        raise NotImplementedError

    def _stop_user_code(self) -> None:
        """Unblock or cancel user code still running when the session closes."""

    def _do(self, op: Op, listened: list[str]) -> Any:
        """Perform a non-waiting flow operation; shared by both flow drivers."""
        if isinstance(op, Send):
            self.send(op.command)
        elif isinstance(op, Listen):
            with self._lock:
                if self.closed:
                    raise SessionClosedException(self.close_reason)
                self._channels[op.task_id] = self._new_channel()
            listened.append(op.task_id)
        else:
            raise TypeError(f"a flow yielded {op!r}, which is not Send, Listen or Receive")
        return None

    def _channel_for(self, op: Receive) -> Any:
        channel = self._channels.get(op.task_id)
        if channel is None:
            raise SessionClosedException(self.close_reason or "the session is closed")
        return channel

    def _forget_channels(self, task_ids: list[str]) -> None:
        with self._lock:
            for task_id in task_ids:
                self._channels.pop(task_id, None)

    @staticmethod
    def _check_received(event: Any, reason: str) -> Any:
        if event is CLOSED:
            raise SessionClosedException(reason or "the session is closed")
        return event

    def new_context(self) -> contextvars.Context:
        """A new context for code of this session: the one it was made in, with
        :data:`~webio.session.context.current_session` set to it."""
        context = self._base_context.copy()
        context.run(current_session.set, self)
        return context

    def context_run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``fn`` in a new context of this session (so it finds the session)."""
        return self.new_context().run(fn, *args, **kwargs)

    def call_on_loop(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run ``fn(*args)`` on the event loop thread soon. Safe from any thread.

        Once the server has stopped and its loop is closed, nothing runs any more:
        a user thread that finishes late (its session was closed at shutdown) is
        not an error.
        """
        if self._on_loop_thread():
            self.loop.call_soon(fn, *args)
            return
        try:
            self.loop.call_soon_threadsafe(fn, *args)
        except RuntimeError:
            if not self.loop.is_closed():
                raise
            logger.debug("session %s: the loop is closed; %r does not run", self.short_id, fn)

    def _on_loop_thread(self) -> bool:
        if self._loop_thread is None:
            self._loop_thread = self._thread_of(self.loop)
        return self._loop_thread == threading.get_ident()

    # --- sending ------------------------------------------------------------

    def send(self, command: Command) -> None:
        """Queue a command for the page. Safe from any thread.

        A thread producer that is far ahead of a connected client waits here until
        the writer catches up, so a burst costs bounded memory.

        :raises SessionClosedException: when the session has ended.
        :raises TypeError, ValueError: when the command holds a value JSON cannot carry;
            nothing is sent then.
        """
        check_encodable(command)
        with self._lock:
            if self.closed:
                raise SessionClosedException(self.close_reason or "the session is closed")
            self.page.apply(command)
            self.outbox.push(command)
            frame_full = self.outbox.pending_count >= self.outbox.max_frame_commands
            if (
                self.outbox.pending_count > PRODUCER_HIGH_WATER
                and self._connection is not None
                and not self._on_loop_thread()
            ):
                self._schedule_flush_locked()
                if self._drained is None:
                    self._drained = threading.Condition(self._lock)
                while (
                    self.outbox.pending_count > PRODUCER_HIGH_WATER // 2
                    and self._connection is not None
                    and not self.closed
                ):
                    self._drained.wait(1.0)
            self._schedule_flush_locked()
        if frame_full and self._on_loop_thread():
            # Code on the loop that sends many commands without awaiting would hold them
            # all until it yields; a full frame goes out now, so the visitor sees the
            # page grow while the code runs, and the client reads while it does.
            self._write_more()

    def _wake_producers_locked(self) -> None:
        if self._drained is not None:
            self._drained.notify_all()

    def _schedule_flush_locked(self) -> None:
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self.call_on_loop(self._flush)

    def _flush(self) -> None:
        with self._lock:
            self._flush_scheduled = False
        self._write_more()

    def _write_more(self) -> None:
        connection = self._connection
        if connection is None or self._writing:
            return
        written = 0
        while written < MAX_BYTES_PER_TURN:
            text = self._next_frame()
            if text is None:
                if self._close_when_flushed:
                    self._close_when_flushed = False
                    connection.close()
                return
            if not self._write(connection, text):
                return
            written += len(text)
        with self._lock:
            self._schedule_flush_locked()

    def _next_frame(self) -> str | None:
        """The next frame to write, encoded outside the lock so producers keep going."""
        with self._lock:
            if self.outbox.snapshot_due:
                text: str | None = self._snapshot_frame_locked()
                self._wake_producers_locked()
                return text
            batch = self.outbox.take_batch()
            if not batch:
                return None
        text = self._encode(batch)
        with self._lock:
            self.outbox.keep_frame(batch, text)
            self._wake_producers_locked()
        return text

    def _encode(self, batch: list[Command]) -> str:
        try:
            return encode_frame(batch)
        except (TypeError, ValueError):
            # Every command was checked when sent; only a value the app changed in
            # place since then gets here. Show the rest and say what was lost.
            logger.exception("session %s: a command could not be encoded", self.short_id)
            return encode_frame([_encodable_or_notice(command) for command in batch])

    def _snapshot_frame_locked(self) -> str:
        command = make_command("snapshot", self.page.snapshot_spec())
        command["seq"] = self.outbox.last_seq
        self.outbox.reset_to_snapshot()
        commands = [command]
        if self.closed:
            commands.append(make_command("close_session", {"reason": self.close_reason}))
        return encode_frame(commands)

    def _write(self, connection: Connection, text: str) -> bool:
        """Write one frame; return whether the next may follow at once."""
        try:
            pending = connection.write(text)
        except Exception:
            logger.debug("session %s: write failed", self.short_id, exc_info=True)
            self.detach(connection)
            return False
        if pending is None:
            return True
        future = asyncio.ensure_future(pending)
        if future.done():
            return self._written(connection, future, resume=False)
        self._writing = True
        future.add_done_callback(lambda f: self._written(connection, f, resume=True))
        return False

    def _written(self, connection: Connection, future: asyncio.Future[Any], *, resume: bool) -> bool:
        if connection is not self._connection:
            if not future.cancelled():
                future.exception()
            return False
        self._writing = False
        if future.cancelled() or future.exception() is not None:
            self.detach(connection)
            return False
        if resume:
            self._write_more()
        return True

    # --- attaching clients --------------------------------------------------

    def attach(self, connection: Connection, *, resume_from: int | None = None) -> None:
        """Make ``connection`` the session's client (on the loop thread).

        ``resume_from`` is the last ``seq`` the client applied when it resumes; the
        commands after it are sent again, or one snapshot when they are no longer kept.
        A client attached before is closed.
        """
        previous = self._connection
        self._connection = connection
        self._writing = False
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None
        if previous is not None and previous is not connection:
            previous.close()
        if self.reconnect_timeout > 0:
            hello = [
                make_command("set_session_id", self.id),
                make_command(
                    "set_reconnect_token",
                    {"token": self.reconnect_token, "reconnect_timeout": self.reconnect_timeout},
                ),
            ]
            # False also means "still being written" (an async transport): go on
            # unless the write failed and the connection was dropped.
            if not self._write(connection, encode_frame(hello)) and self._connection is not connection:
                return
        if resume_from is not None:
            with self._lock:
                frames = self.outbox.replay_after(resume_from)
                texts = [f.text for f in frames] if frames is not None else [self._snapshot_frame_locked()]
            for text in texts:
                if not self._write(connection, text) and self._connection is not connection:
                    return
        if self.closed:
            self._close_when_flushed = True
        self._write_more()

    def detach(self, connection: Connection) -> None:
        """The client ``connection`` has gone (on the loop thread).

        Without ``reconnect_timeout`` the session closes; with it, the session waits
        that long for the visitor to come back.
        """
        if connection is not self._connection:
            return
        self._connection = None
        self._writing = False
        with self._lock:
            self._wake_producers_locked()
        if self.closed:
            self.forget()
            return
        if self._on_detach is not None:
            self._on_detach(self)
        if self.reconnect_timeout > 0:
            self._expiry = self.loop.call_later(self.reconnect_timeout, self.close, "the visitor did not come back")
        else:
            self.close("the visitor left")

    @property
    def attached(self) -> bool:
        return self._connection is not None

    @property
    def short_id(self) -> str:
        return self.id[:8]

    # --- events from the client ---------------------------------------------

    def dispatch(self, event: Event) -> None:
        """Handle one validated event from the client (on the loop thread)."""
        if self.closed:
            return
        name = event["event"]
        task_id = event["task_id"] or ""
        acked = event["data"]["seq"] if name == "ack" else event.get("ack")
        if acked is not None:
            with self._lock:
                self.outbox.ack(acked)
        if name == "ack":
            return
        if name == "callback":
            try:
                callback = get_callback_registry().get(task_id, session_id=self.id)
            except CallbackError:
                self.refuse(f"refused a click on an unknown callback id {task_id[:40]!r}")
                return
            self._run_callback(callback, event["data"])
        elif name == "pin_change":
            from webio.pin.state import pin_state

            pin_state(self).on_change(event)
        elif name == "upload":
            from webio.input.upload_store import upload_store

            upload_store(self).on_event(event)
        else:
            if name == "input_event" and isinstance(event["data"], dict):
                with self._lock:
                    self.page.note_input_value(task_id, str(event["data"].get("name")), event["data"].get("value"))
            channel = self._channels.get(task_id)
            if channel is None:
                self.refuse(f"refused a {name} event for {task_id[:40]!r}, which is not open any more")
                return
            channel.put_nowait(event)

    def refuse(self, message: str, *, visitor_message: str | None = None) -> None:
        """Log a refused input and tell the visitor, without ending the session."""
        logger.warning("session %s: %s", self.short_id, message)
        text = visitor_message or "Your last action was refused: " + message + "."
        if not self.closed:
            self.send(make_command("notice", {"level": "error", "message": text}))

    # --- callbacks ----------------------------------------------------------

    def register_callback(self, callback: Callable[[Any], Any], *, keep_alive: bool = True) -> str:
        """Issue an unguessable id for ``callback``; clicks with it call it. Thread-safe.

        The callable lives in the process's CallbackRegistry, bound to this session:
        a click naming another session's callback id is refused. A callback
        registered with ``keep_alive=False`` does not keep a finished session open
        (webio uses it to hear that the visitor closed a popup).
        """
        with self._lock:
            if self.closed:
                raise SessionClosedException(self.close_reason)
            callback_id = get_callback_registry().register(self.id, callback)
            if keep_alive:
                self._callback_ids[callback_id] = None
        return callback_id

    def forget_callback(self, callback_id: str) -> None:
        """Stop calling back for ``callback_id`` (its form closed, its pin callback was
        cleared); a finished session that nothing else needs then closes. Thread-safe."""
        with self._lock:
            self._callback_ids.pop(callback_id, None)
            get_callback_registry().unregister(callback_id)
            if self.closed:
                return
        self.call_on_loop(self._close_if_finished)

    def note_pin_value(self, name: str, value: Any) -> None:
        """Keep the value the visitor gave pin ``name`` in the page model. Thread-safe."""
        with self._lock:
            note_value(self.page, name, value)

    @property
    def has_callbacks(self) -> bool:
        """Whether a callback that keeps the session open was registered."""
        return bool(self._callback_ids)

    # --- lifetime -----------------------------------------------------------

    def defer(self, fn: Callable[[], Any]) -> None:
        """Run ``fn`` when the session closes (``defer_call``). Thread-safe."""
        if not callable(fn):
            raise TypeError(f"defer_call needs a callable, got {fn!r}")
        with self._lock:
            if self.closed:
                raise SessionClosedException(self.close_reason)
            self._deferred.append(fn)

    def hold_open(self) -> None:
        """Something (a registered thread, a background task) still needs the session."""
        with self._lock:
            self._holders += 1

    def release(self) -> None:
        """Undo one :meth:`hold_open`; closes a finished session nobody needs. Thread-safe."""
        with self._lock:
            self._holders -= 1
        self.call_on_loop(self._close_if_finished)

    def main_finished(self) -> None:
        """``main`` has returned or raised. Thread-safe."""
        self._main_done = True
        self.call_on_loop(self._close_if_finished)

    def _close_if_finished(self) -> None:
        if self._main_done and self._holders <= 0 and not self.has_callbacks:
            self.close("finished")

    def close(self, reason: str = "closed", *, notify: bool = True) -> None:
        """End the session (on the loop thread); idempotent.

        The client is told with ``close_session``, waiting flows raise
        :class:`SessionClosedException`, and the ``defer_call`` functions run once.
        """
        with self._lock:
            if self.closed:
                return
            self.closed = True
            self.close_reason = reason
            if notify:
                self.outbox.push(make_command("close_session", {"reason": reason}))
            channels = list(self._channels.values())
            self._channels.clear()
            deferred, self._deferred = self._deferred, []
            self._callback_ids.clear()
            get_callback_registry().unregister_session(self.id)
            self._wake_producers_locked()
        logger.debug("session %s closed: %s", self.short_id, reason)
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None
        for channel in channels:
            channel.put_nowait(CLOSED)
        self._stop_user_code()
        if deferred:
            self._run_deferred(deferred)
        if self._connection is not None:
            self._close_when_flushed = True
            self._write_more()
        elif notify and self.reconnect_timeout > 0:
            # The visitor is away; keep the ended session findable for its last
            # commands until it comes back for them or reconnect_timeout passes.
            self._expiry = self.loop.call_later(self.reconnect_timeout, self.forget)
            return
        self.forget()

    def forget(self) -> None:
        """Let the server drop this closed session (once); also ends a wait for a
        visitor to fetch the last commands (server shutdown)."""
        on_close, self._on_close = self._on_close, None
        if on_close is not None:
            on_close(self)

    def log_app_error(self, what: str) -> None:
        """Log the exception being handled in user code and tell the visitor."""
        logger.exception("session %s: %s raised", self.short_id, what)
        with contextlib.suppress(SessionClosedException):
            self.send(make_command("notice", {"level": "error", "message": "An internal error occurred in the application."}))
