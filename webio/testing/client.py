"""A headless client that runs a webio app and lets a test use its page.

    from webio.testing import TestClient

    def test_greeting():
        with TestClient(main) as client:
            client.submit("Ada")
            client.wait_for_text("Hello Ada")
            client.click("Again")
            client.wait_for_text("again")

The app runs in a real session on an event loop in a background thread, exactly as
under a server. Frames travel through an in-memory pipe (``transport="memory"``,
the default), a real loopback WebSocket (``transport="websocket"``), or webio's
HTTP transport, Server-Sent Events down and POSTs up (``transport="http"``), to a
real Tornado, aiohttp or Flask server (``backend=``). Every ``wait_*`` method waits
on the page changing, never on a fixed sleep, and fails with what the page showed.
"""
from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from webio.session.base import Session
from webio.session.page_model import FormState, iter_nested_outputs
from webio.testing.inputs import InputActions, form_data
from webio.testing.page import Button, ClientPage, output_text

__all__ = ["TestClient"]

DEFAULT_TIMEOUT = 10.0


class _LoopThread:
    """An asyncio loop running in a daemon thread, with a way to call into it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="webio-testclient-loop", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def call(self, fn: Callable[..., Any], *args: Any, timeout: float = DEFAULT_TIMEOUT) -> Any:
        """Run ``fn(*args)`` on the loop (awaiting it if it returns an awaitable); return its result."""

        async def run() -> Any:
            result = fn(*args)
            if isinstance(result, Awaitable):
                result = await result
            return result

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(timeout)

    def stop(self) -> None:
        """Cancel what still runs on the loop (a request in flight), then stop and close it."""
        self.call(self._cancel_remaining_tasks)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(DEFAULT_TIMEOUT)
        self.loop.close()

    @staticmethod
    async def _cancel_remaining_tasks() -> None:
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


class _MemoryPort:
    """The server side of an in-memory connection (a :class:`SocketPort`)."""

    def __init__(self, deliver: Callable[[str], None], on_server_close: Callable[[], object]) -> None:
        self._deliver = deliver
        self._on_server_close = on_server_close
        self.open = True

    def send_text(self, text: str) -> None:
        if not self.open:
            raise ConnectionError("the in-memory connection is closed")
        self._deliver(text)

    def close_socket(self) -> None:
        if self.open:
            self.open = False
            self._on_server_close()


class TestClient(InputActions):
    """Runs ``app`` headless; read the page and act on it like a visitor.

    :param app: the app function (or a list/dict of apps, as ``start_server`` takes)
    :param app_name: which app to open when several are given
    :param transport: ``"memory"``, ``"websocket"`` or ``"http"`` (a real server on loopback)
    :param backend: the server of the network transports: ``"tornado"`` (default),
        ``"aiohttp"`` or ``"flask"`` (HTTP only)
    :param reconnect_timeout: as ``start_server``'s; needed for :meth:`reconnect`
    :param js: answers ``eval_js``: a function ``(code, args) -> value`` (default: None)
    :param headers: request headers of the visitor (``User-Agent``, ``Accept-Language`` …)
    """

    __test__ = False

    def __init__(
        self,
        app: Any,
        *,
        app_name: str = "index",
        transport: str = "memory",
        backend: str = "tornado",
        reconnect_timeout: float = 0,
        js: Callable[[str, dict[str, Any]], Any] | None = None,
        headers: dict[str, str] | None = None,
        **server_options: Any,
    ) -> None:
        from webio.platform.adaptor.hub import ServerOptions, SessionHub
        from webio.session.script_mode import forbid_script_mode
        from webio.testing.servers import BACKENDS

        if transport not in ("memory", "websocket", "http"):
            raise ValueError(f"transport must be 'memory', 'websocket' or 'http', got {transport!r}")
        if transport != "memory" and transport not in BACKENDS.get(backend, ()):
            raise ValueError(f"backend {backend!r} does not serve transport {transport!r}; backends: {BACKENDS}")
        forbid_script_mode()
        self.app_name = app_name
        self.transport = transport
        self.backend = backend
        self.headers = {"User-Agent": "webio-testclient", "Host": "testserver", **(headers or {})}
        self._js = js
        self._runner = _LoopThread()
        options = ServerOptions(reconnect_timeout=reconnect_timeout, **server_options)
        backend_name = "testing" if transport == "memory" else backend
        self.hub = self._runner.call(lambda: SessionHub(app, options, backend=backend_name))
        self.page = ClientPage(self._send_event, js)
        self._connection: Any = None
        self._memory_session: Session | None = None
        """The session of the memory transport, kept after it ends so that tests can look at it."""
        self._server: Any = None
        self._owner: TestClient | None = None
        self.port: int | None = None
        self._http: Any = None
        self._links: list[Any] = []
        try:
            if transport != "memory":
                self._runner.call(self._start_server)
            self.connect()
        except BaseException:
            self.close()
            raise

    # --- connection ----------------------------------------------------------

    def _query(self, resume: bool) -> dict[str, str]:
        if not resume:
            return {"app": self.app_name, "session": "NEW"}
        if self.page.session_id is None:
            raise RuntimeError("cannot resume: the server sent no session id (set reconnect_timeout)")
        return {"app": self.app_name, "session": self.page.session_id,
                "token": self.page.reconnect_token or "", "last_seq": str(self.page.last_seq)}

    def connect(self, *, resume: bool = False) -> None:
        """Open a connection: a new session, or (``resume=True``) the current one again."""
        query = self._query(resume)
        opener = {"memory": self._open_memory, "websocket": self._open_websocket, "http": self._open_http}
        self._runner.call(opener[self.transport], query)

    def _open_memory(self, query: dict[str, str]) -> None:
        from webio.platform.adaptor.ws import WebSocketClient

        page = self.page
        port = _MemoryPort(page.receive, lambda: self._runner.loop.call_soon(client.on_close))
        client = WebSocketClient(self.hub, port)
        self._connection = client
        facts = self.hub.facts(self.headers, peer_ip="127.0.0.1", host=self.headers["Host"], scheme="http")
        client.open(query, self.hub.session_info(self.headers, facts, protocol="memory", request=None))
        self._memory_session = client.session or self._memory_session

    async def _start_server(self) -> None:
        from webio.testing.servers import start

        self._server = await start(self.backend, self.transport, self.hub)
        self.port = self._server.port

    async def _open_http(self, query: dict[str, str]) -> None:
        from webio.testing.http_link import HttpLink

        if self._http is None:
            self._http = HttpLink(self.port or 0, dict(self.headers), lambda text: self.page.receive(text),
                                  lambda: self.page.mark_disconnected(),
                                  lambda: (self.page.session_id, self.page.reconnect_token))
            (self._owner or self)._links.append(self._http)
        await self._http.open(query)
        self._connection = self._http

    async def _open_websocket(self, query: dict[str, str]) -> None:
        import tornado.httpclient
        import tornado.websocket

        from webio.tasks import spawn

        url = f"ws://127.0.0.1:{self.port}/?{urlencode(query)}"
        try:
            connection = await tornado.websocket.websocket_connect(
                tornado.httpclient.HTTPRequest(url, headers=self.headers))
        except tornado.httpclient.HTTPClientError as exc:
            raise ConnectionRefusedError(f"the server refused the WebSocket: {exc}") from exc
        connection.stream.set_nodelay(True)
        self._connection = connection
        spawn(self._read(connection), name="webio-testclient-reader")

    async def _read(self, connection: Any) -> None:
        while True:
            message = await connection.read_message()
            if message is None:
                self.page.mark_disconnected()
                return
            self.page.receive(message)

    def _send_event(self, event: dict[str, Any]) -> None:
        self.send_raw(json.dumps(event))

    def send_raw(self, frame: str | bytes) -> None:
        """Send one frame as it is (for tests of malformed input)."""
        connection = self._connection
        if self.transport == "memory":
            self._runner.loop.call_soon_threadsafe(connection.on_message, frame)
        elif self.transport == "http":
            self._runner.loop.call_soon_threadsafe(connection.send, frame)
        else:
            self._runner.loop.call_soon_threadsafe(self._write_websocket, connection, frame)

    @staticmethod
    def _write_websocket(connection: Any, frame: str | bytes) -> None:
        import tornado.websocket

        try:
            connection.write_message(frame, binary=isinstance(frame, bytes))
        except tornado.websocket.WebSocketClosedError:
            return

    def drop(self) -> None:
        """Cut the connection as a network failure would; the session notices."""
        connection = self._connection
        if self.transport == "memory":
            self._runner.call(self._drop_memory, connection)
        elif self.transport == "http":
            self._runner.call(connection.cut)
        else:
            self._runner.call(connection.close)

    @staticmethod
    def _drop_memory(client: Any) -> None:
        client.port.open = False
        client.on_close()

    def reconnect(self) -> None:
        """Resume the session on a new connection after :meth:`drop`."""
        self.connect(resume=True)

    def reload(self) -> None:
        """Attach to the same session with an empty page, as a reloaded tab would."""
        self.drop()
        fresh = ClientPage(self._send_event, self._js)
        fresh.session_id, fresh.reconnect_token = self.page.session_id, self.page.reconnect_token
        self.page = fresh
        self.connect(resume=True)

    @property
    def session(self) -> Session:
        """The server-side session of this client."""
        def find() -> Session | None:
            if self.transport == "memory":
                return self._memory_session
            if self.page.session_id is not None:
                return self.hub.sessions.get(self.page.session_id)
            if len(self.hub.sessions) > 1:
                raise LookupError("several sessions share this server: set reconnect_timeout so that "
                                  "each client learns its session id")
            return next(iter(self.hub.sessions.values()), None)

        session = self._runner.call(find)
        if session is None:
            raise LookupError("the client's session has ended")
        return session

    def new_visitor(self, headers: dict[str, str] | None = None) -> TestClient:
        """Another visitor of the same server: its own session and page.

        It shares this client's server and loop, so both see the same process-wide
        state (a chat room's event bus, for example). Closing this client closes it too.
        """
        visitor = object.__new__(TestClient)
        visitor.app_name, visitor.transport, visitor._js = self.app_name, self.transport, self._js
        visitor.backend, visitor._http = self.backend, None
        visitor.headers = {**self.headers, **(headers or {})}
        visitor._runner, visitor.hub, visitor._server, visitor.port = self._runner, self.hub, self._server, self.port
        visitor.page = ClientPage(visitor._send_event, self._js)
        visitor._connection = None
        visitor._memory_session = None
        visitor._owner = self
        visitor.connect()
        return visitor

    def close(self) -> None:
        """Close the session and stop the client's loop (a visitor just leaves)."""
        if self._owner is not None:
            if self._runner.thread.is_alive() and not self.page.closed:
                self.drop()
            return
        if self._runner.thread.is_alive():
            self._runner.call(self._shutdown)
            self._runner.stop()

    async def _shutdown(self) -> None:
        self.hub.close_all()
        await self.hub.records.drain()
        for link in self._links:
            await link.close()
        if self._server is not None:
            await self._server.stop()
        await asyncio.sleep(0)

    def __enter__(self) -> TestClient:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    # --- reading the page -----------------------------------------------------

    @property
    def texts(self) -> list[str]:
        """The text of every output that shows text, in page order."""
        return self.page.texts()

    @property
    def text(self) -> str:
        """All text on the page, one output per line."""
        return "\n".join(self.texts)

    @property
    def buttons(self) -> list[Button]:
        return self.page.buttons()

    @property
    def closed(self) -> bool:
        """Whether the server ended the session."""
        return self.page.closed

    def wait_for_text(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until some output shows ``text`` (a substring)."""
        self.page.wait(lambda: any(text in t for t in self.page.texts()), timeout, f"text {text!r}")

    def wait_for_form(self, timeout: float = DEFAULT_TIMEOUT) -> FormState:
        """Wait until a form is open; return the newest one."""
        return self.page.wait(lambda: next(reversed(self.page.forms()), None), timeout, "a form")

    def wait_closed(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until the server ends the session."""
        self.page.wait(lambda: self.page.closed, timeout, "the session to close")

    def wait_until(self, predicate: Callable[[], Any], timeout: float = DEFAULT_TIMEOUT, what: str = "a condition") -> Any:
        """Wait until ``predicate()`` is truthy, re-checking whenever the page changes."""
        return self.page.wait(predicate, timeout, what)

    # --- acting on the page ---------------------------------------------------

    def click(self, label: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Click the first enabled button labelled ``label`` (waiting for it to appear)."""
        button = self.page.wait(
            lambda: next((b for b in self.page.buttons() if b.label == label and not b.disabled), None),
            timeout, f"a button labelled {label!r}")
        self._send_event({"event": "callback", "task_id": button.callback_id, "data": button.value})

    def callback(self, callback_id: str, data: Any = None) -> None:
        """Send a ``callback`` event as the page would (for outputs without a label)."""
        self._send_event({"event": "callback", "task_id": callback_id, "data": data})

    def click_output(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Click the first output with an ``onclick`` whose text contains ``text``."""
        output = self.page.wait(
            lambda: next((o for o in self.page.outputs()
                          if o.get("click_callback_id") and text in output_text(o)), None),
            timeout, f"a clickable output showing {text!r}")
        self.callback(output["click_callback_id"])

    def click_toast(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Click the latest toast containing ``text`` (it must have an ``onclick``)."""
        toast = self.page.wait(
            lambda: next((t for t in reversed(self.page.toasts)
                          if text in str(t.get("content")) and t.get("callback_id")), None),
            timeout, f"a clickable toast with {text!r}")
        self.callback(toast["callback_id"])

    def close_popup(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Close the open popup as the visitor would (its close button)."""
        popup = self.page.wait(lambda: self.page.model.popup, timeout, "a popup")
        if not popup.get("closable", True):
            raise AssertionError("the popup has no close button (closable=False)")
        self.callback(popup["close_callback_id"])

    def dismiss(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Close the closable message box (``put_info(..., closable=True)``) whose text
        contains ``text``, as the visitor would."""
        def find() -> dict[str, Any] | None:
            for output in self.page.outputs():
                if output.get("type") == "message" and output.get("close_callback_id"):
                    inside = [output_text(o) for o in iter_nested_outputs(output)]
                    if any(text in t for t in inside):
                        return output
            return None

        message = self.page.wait(find, timeout, f"a closable message with {text!r}")
        self.callback(message["close_callback_id"])

    def select_rows(self, instance_id: str, row_ids: list[Any], action: str | None = None,
                    timeout: float = DEFAULT_TIMEOUT) -> None:
        """Select rows of the datatable ``instance_id`` and, with ``action``, click the
        action button with that label, as the visitor would."""
        table = self.page.wait(
            lambda: next((o for o in self.page.outputs()
                          if o.get("type") == "datatable" and o.get("instance_id") == instance_id), None),
            timeout, f"the datatable {instance_id!r}")
        if not table.get("callback_id"):
            raise AssertionError(f"the datatable {instance_id!r} has no onselect or actions")
        data: dict[str, Any] = {"rows": list(row_ids)}
        if action is not None:
            labels = table.get("actions", [])
            if action not in labels:
                raise KeyError(f"the datatable {instance_id!r} has no action {action!r}; it has {labels}")
            data["btn"] = labels.index(action)
        elif not table.get("on_select"):
            raise AssertionError(f"the datatable {instance_id!r} has no onselect")
        self.callback(table["callback_id"], data)

    def _field_name(self, form: FormState, key: str) -> str:
        for item in form.spec.get("inputs", []):
            if key in (item.get("name"), item.get("label")):
                return str(item["name"])
        names = [item.get("label") or item.get("name") for item in form.spec.get("inputs", [])]
        raise KeyError(f"the form has no field named or labelled {key!r}; it has {names}")

    def fill(self, field: str, value: Any, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Type ``value`` into the field with that name or label and leave it (blur)."""
        form = self.wait_for_form(timeout)
        name = self._field_name(form, field)
        with self.page.changed:
            form.values[name] = value
        self._send_event({"event": "input_event", "task_id": form.task_id,
                          "data": {"event_name": "blur", "name": name, "value": value}})

    def submit(self, *value: Any, timeout: float = DEFAULT_TIMEOUT, **values: Any) -> None:
        """Submit the open form.

        ``submit("Ada")`` fills a one-field form; ``submit(age=36)`` sets fields by
        name or label. Fields not given keep what was filled in or their default.
        """
        form = self.wait_for_form(timeout)
        inputs = form.spec.get("inputs", [])
        data = form_data(form)
        if value:
            if len(value) != 1 or len(inputs) != 1:
                raise TypeError("pass one positional value only for a form with one field; use names otherwise")
            data[inputs[0]["name"]] = value[0]
        for key, item_value in values.items():
            data[self._field_name(form, key)] = item_value
        self._send_event({"event": "from_submit", "task_id": form.task_id, "data": data})

    def cancel(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Cancel the open form."""
        form = self.wait_for_form(timeout)
        self._send_event({"event": "from_cancel", "task_id": form.task_id, "data": None})

    def wait_for_error(self, field: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        """Wait until the open form shows an error next to ``field``; return its text."""
        form = self.wait_for_form(timeout)
        name = self._field_name(form, field)
        return self.page.wait(lambda: form.errors.get(name), timeout, f"an error next to {field!r}")

    def wait_for_notice(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
        """Wait until a notice containing ``text`` was shown; return it."""
        return self.page.wait(lambda: next((n for n in self.page.notices if text in n.get("message", "")), None),
                              timeout, f"a notice with {text!r}")

    def run_on_loop(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn(*args)`` on the server's event loop and return its result."""
        return self._runner.call(fn, *args)
