"""The floor: a bare WebSocket server on Tornado or aiohttp, no webio and no PyWebIO.

It speaks just enough of the wire protocol for the harness's client
(``benchmarks/page.py``, PROTOCOL-COMPAT items 3–14): on connect it sends the
app's opening commands, and to each event it knows it answers with the app's
commands, all in one text frame (one command as a JSON object, several as a JSON
array). It keeps nothing per connection beyond what the server library needs,
ignores every other event (it gets no acks, like PyWebIO) and serves the path
``/`` with any query. What it costs is what the web server and the JSON alone
cost, measured by the same client as webio and PyWebIO: a floor for their figures.

With ``MODE`` ``thread`` each connection has a thread of its own, as a thread
session has for its ``main``: the loop hands every event to it, the thread works
out the answer and hands the frame back to the loop to send. That is the least a
framework that runs plain ``def`` code off the loop can do (two thread switches per
answer, a waiting thread per visitor), so thread rows are set against it. With
``coroutine`` everything happens on the loop.

It runs on the event loop and encodes with the JSON encoder that webio's servers
use in the same run (``WEBIO_EVENT_LOOP``, ``WEBIO_JSON``; uvloop and orjson when
``webio[speedups]`` is installed), so the floor is measured on the same parts; it
borrows those two helpers from webio (imported by :func:`serve_bare` alone) and
nothing else.
"""
from __future__ import annotations

import asyncio
import json
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

__all__ = ["BareApp", "Command", "INPUT_NAME", "buttons", "input_group", "serve_bare", "text"]

Command = dict[str, Any]
Answer = Callable[[Any], list[Command]]
"""Takes an event's ``data`` and returns the commands to send back."""
Encode = Callable[[list[Command]], str]
"""Commands → one text frame (webio's ``encode_frame``)."""

TASK_ID = "bare"
INPUT_NAME = "data"
"""The name of the one item of :func:`input_group`'s form: what a submit's ``data`` holds."""


@dataclass(frozen=True)
class BareApp:
    """What a bare server says: ``opening`` on connect, ``answers[EVENT](data)`` to each event named there."""

    opening: list[Command]
    answers: dict[str, Answer] = field(default_factory=dict)


def _output(spec: dict[str, Any]) -> Command:
    return {"command": "output", "task_id": TASK_ID, "spec": {**spec, "scope": "ROOT", "position": -1}}


def text(content: str) -> Command:
    """What ``put_text(content)`` sends (item 7)."""
    return _output({"type": "text", "content": content, "inline": False})


def buttons(callback_id: str, labels: list[str]) -> Command:
    """A button group whose clicks name ``callback_id`` (item 6); each button's value is its label."""
    return _output({"type": "buttons", "callback_id": callback_id,
                    "buttons": [{"label": label, "value": label} for label in labels]})


def input_group() -> Command:
    """A form of one text item named :data:`INPUT_NAME`, as ``input()`` opens it (item 8)."""
    return {"command": "input_group", "task_id": TASK_ID, "spec": {"inputs": [{"name": INPUT_NAME, "type": "text"}]}}


def _answer(app: BareApp, message: str, encode: Encode) -> str | None:
    """The frame that answers the event ``message``, or None for an event the app does not answer."""
    event = json.loads(message)
    answer = app.answers.get(event.get("event"))
    return None if answer is None else encode(answer(event.get("data")))


_CLOSED = object()


class ConnectionThread:
    """A connection's own thread: answers the events it is given and sends each frame through the loop."""

    def __init__(self, app: BareApp, encode: Encode, send: Callable[[str], None]) -> None:
        self._loop = asyncio.get_running_loop()
        self._events: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._app, self._encode, self._send = app, encode, send
        threading.Thread(target=self._serve, name="bare-connection", daemon=True).start()

    def put(self, message: str) -> None:
        """Hand ``message`` to the thread (loop)."""
        self._events.put(message)

    def close(self) -> None:
        """Let the thread end (loop)."""
        self._events.put(_CLOSED)

    def _serve(self) -> None:
        while (message := self._events.get()) is not _CLOSED:
            reply = _answer(self._app, message, self._encode)
            if reply is not None:
                self._loop.call_soon_threadsafe(self._send, reply)


async def _run_tornado(app: BareApp, port: int, encode: Encode, threaded: bool) -> None:
    import tornado.web
    import tornado.websocket

    class Handler(tornado.websocket.WebSocketHandler):
        """One connection: the opening frame, then one answer per known event."""

        thread: ConnectionThread | None = None

        def open(self) -> None:
            # webio's listening socket and aiohttp set TCP_NODELAY; Tornado does not by default.
            self.set_nodelay(True)
            self.write_message(encode(app.opening))
            if threaded:
                self.thread = ConnectionThread(app, encode, self.send_if_open)

        def on_message(self, message: str | bytes) -> None:
            text = message if isinstance(message, str) else message.decode()
            if self.thread is not None:
                self.thread.put(text)
                return
            reply = _answer(app, text, encode)
            if reply is not None:
                self.write_message(reply)

        def send_if_open(self, reply: str) -> None:
            if self.ws_connection is not None and not self.ws_connection.is_closing():
                self.write_message(reply)

        def on_close(self) -> None:
            if self.thread is not None:
                self.thread.close()

    tornado.web.Application([(r"/", Handler)]).listen(port, address="127.0.0.1")
    await asyncio.Event().wait()


async def _run_aiohttp(app: BareApp, port: int, encode: Encode, threaded: bool) -> None:
    from aiohttp import WSMsgType, web

    async def handle(request: web.Request) -> web.WebSocketResponse:
        """One connection: the opening frame, then one answer per known event, until it closes."""
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_str(encode(app.opening))
        if threaded:
            await _serve_threaded(socket)
            return socket
        async for message in socket:
            reply = _answer(app, message.data, encode) if message.type == WSMsgType.TEXT else None
            if reply is not None:
                await socket.send_str(reply)
        return socket

    async def _serve_threaded(socket: web.WebSocketResponse) -> None:
        replies: asyncio.Queue[str] = asyncio.Queue()

        async def send_replies() -> None:
            while True:
                await socket.send_str(await replies.get())

        thread = ConnectionThread(app, encode, replies.put_nowait)
        sender = asyncio.ensure_future(send_replies())
        try:
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    thread.put(message.data)
        finally:
            thread.close()
            sender.cancel()

    application = web.Application()
    application.router.add_get("/", handle)
    runner = web.AppRunner(application)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await asyncio.Event().wait()


def serve_bare(app: BareApp, backend: str, port: int, mode: str) -> None:
    """Serve ``app`` on 127.0.0.1:PORT with ``backend`` (tornado or aiohttp) until SIGTERM ends the process.

    ``mode`` ``thread`` answers in a thread per connection, ``coroutine`` on the loop.
    """
    runners = {"tornado": _run_tornado, "aiohttp": _run_aiohttp}
    if backend not in runners:
        raise SystemExit(f"the bare server runs on {' or '.join(runners)}, not {backend}")
    # Imported here: the apps import this module under PyWebIO's environment too, which has no webio.
    from webio.platform.adaptor import event_loop
    from webio.protocol import encode_frame

    # The bare server's commands are plain dicts of the shape webio's Command types.
    event_loop.run(runners[backend](app, port, cast(Encode, encode_frame), mode == "thread"))
