"""One session seen from the wire: commands in, events out (PROTOCOL-COMPAT items 3–14).

The driver knows which server it talks to. For webio it acknowledges the frames
that carry sequenced commands as webio's browser client does, so the server's
outbox stays small: the ack rides on the next event sent within
:data:`ACK_DELAY` and goes alone when none is. PyWebIO and the bare server
(``apps/bare.py``) get no acks (they do not know the event).
"""
from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from benchmarks.wsclient import WebSocket, connect

__all__ = ["Command", "CommandSource", "CommandsHandler", "collect_until", "PageClient", "Button", "Form", "parse_frame", "find_button", "find_form",
           "is_text"]

Command = dict[str, Any]

ACK_DELAY = 0.050
"""Seconds an ack waits for an event to carry it: ``ACK_DELAY_MS`` of ``html/js/session.js``."""


def parse_frame(text: str) -> list[Command]:
    """The commands of one server frame: one object or an array of them (item 4)."""
    value = json.loads(text)
    return value if isinstance(value, list) else [value]


def is_text(command: Command) -> bool:
    """Whether ``command`` shows one ``put_text`` output (item 7)."""
    return command.get("command") == "output" and command["spec"].get("type") == "text"


@dataclass(frozen=True)
class Button:
    """The first button of a button group (item 6): what a click event names."""

    callback_id: str
    value: Any


def find_button(commands: list[Command]) -> Button | None:
    """The first button among ``commands``, if any."""
    for command in commands:
        if command.get("command") == "output" and command["spec"].get("type") == "buttons":
            spec = command["spec"]
            return Button(spec["callback_id"], spec["buttons"][0]["value"])
    return None


@dataclass(frozen=True)
class Form:
    """An open input form (item 8): its task id and the name of its first item."""

    task_id: str
    item_name: str


def find_form(commands: list[Command]) -> Form | None:
    """The last form opened among ``commands``, if any."""
    for command in reversed(commands):
        if command.get("command") in ("input_group", "input"):
            return Form(command["task_id"], command["spec"]["inputs"][0]["name"])
    return None


class CommandSource(Protocol):
    """Anything that yields the commands of one frame at a time with their arrival time."""

    async def commands(self, timeout: float) -> tuple[list[Command], float]:
        """The commands of the next frame and when it arrived."""


async def collect_until(source: CommandSource, done: Callable[[list[Command]], bool],
                        timeout: float) -> tuple[list[Command], float]:
    """Read frames until ``done(all commands read so far)``; returns them and the last arrival.

    :raises asyncio.TimeoutError: when that takes longer than ``timeout`` seconds.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    seen: list[Command] = []
    while True:
        commands, arrived = await source.commands(max(0.0, deadline - loop.time()))
        seen.extend(commands)
        if done(seen):
            return seen, arrived


CommandsHandler = Callable[[list[Command], float], None]
"""Takes the commands of each frame and its arrival time, instead of :meth:`PageClient.commands`."""


class PageClient:
    """A WebSocket session of one app on a webio, PyWebIO or bare server."""

    def __init__(self, framework: str, on_commands: CommandsHandler | None = None) -> None:
        self.sends_acks = framework == "webio"
        self.on_commands = on_commands
        self._socket: WebSocket | None = None
        self._ack_due: int | None = None
        self._ack_timer: asyncio.TimerHandle | None = None

    @classmethod
    async def open(cls, port: int, framework: str, *, app: str = "index", timeout: float = 10.0,
                   on_commands: CommandsHandler | None = None) -> PageClient:
        """Start a new session (``?app=APP&session=NEW``).

        With ``on_commands`` every frame goes to it as it arrives (acknowledged
        already); without it, frames queue for :meth:`commands`.
        """
        page = cls(framework, on_commands)
        page._socket = await connect(port, f"/?app={app}&session=NEW", timeout=timeout,
                                     on_text=None if on_commands is None else page._on_text)
        return page

    @property
    def socket(self) -> WebSocket:
        """The connection (open)."""
        assert self._socket is not None, "the page is not open"
        return self._socket

    def _on_text(self, socket: WebSocket, text: str, arrived: float) -> None:
        commands = parse_frame(text)
        self._ack(socket, commands)
        assert self.on_commands is not None
        self.on_commands(commands, arrived)

    def _ack(self, socket: WebSocket, commands: list[Command]) -> None:
        """Acknowledge the highest ``seq`` among ``commands`` soon (webio only)."""
        if not self.sends_acks:
            return
        seqs = [command["seq"] for command in commands if isinstance(command.get("seq"), int)]
        if not seqs:
            return
        self._ack_due = max(seqs)
        if self._ack_timer is None:
            self._ack_timer = asyncio.get_running_loop().call_later(ACK_DELAY, self._ack_alone, socket)

    def _ack_alone(self, socket: WebSocket) -> None:
        """No event came to carry the ack: send it as an ``ack`` event."""
        seq, self._ack_timer, self._ack_due = self._ack_due, None, None
        if seq is not None and not socket.closed:
            socket.send_text(json.dumps({"event": "ack", "task_id": None, "data": {"seq": seq}}))

    def _send(self, event: dict[str, Any]) -> None:
        """Send ``event``, with the waiting ack if there is one."""
        if self._ack_due is not None:
            event["ack"] = self._ack_due
            self._drop_ack()
        self.socket.send_text(json.dumps(event))

    def _drop_ack(self) -> None:
        if self._ack_timer is not None:
            self._ack_timer.cancel()
        self._ack_timer = self._ack_due = None

    async def commands(self, timeout: float) -> tuple[list[Command], float]:
        """The commands of the next frame and when it arrived; acknowledged already."""
        text, arrived = await self.socket.recv(timeout)
        commands = parse_frame(text)
        self._ack(self.socket, commands)
        return commands, arrived

    def click(self, button: Button) -> None:
        """Send a click on ``button`` (item 11)."""
        self._send({"event": "callback", "task_id": button.callback_id, "data": button.value})

    def submit(self, form: Form, value: Any) -> None:
        """Submit ``value`` as the form's first item (item 12)."""
        self._send({"event": "from_submit", "task_id": form.task_id, "data": {form.item_name: value}})

    def close(self) -> None:
        """Close the connection as a browser tab would."""
        self._drop_ack()
        if self._socket is not None:
            self._socket.close()
