"""The test client's view of a page: what a browser would show, without a browser.

Frames are applied as webio's browser client applies them: in ``seq`` order,
duplicates dropped, snapshots replacing the page. The page itself is a
:class:`~webio.session.page_model.PageModel`, the same class the server keeps.
"""
from __future__ import annotations

import base64
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from webio.session.page_model import FormState, PageModel

__all__ = ["ClientPage", "Button", "output_text", "html_text", "COMMANDS_KEPT"]

COMMANDS_KEPT = 10_000
RECHECK_INTERVAL = 0.02


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in ("p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "br"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """The visible text of an HTML fragment."""
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    return "".join(collector.parts).strip()


def output_text(spec: dict[str, Any]) -> str:
    """The text one output shows by itself (nested outputs are walked separately)."""
    kind = spec.get("type")
    if kind == "text":
        return str(spec.get("content", ""))
    if kind == "markdown":
        return html_text(spec.get("html", ""))
    if kind == "html":
        return html_text(spec.get("content", ""))
    if kind == "buttons":
        return " ".join(str(b.get("label", "")) for b in spec.get("buttons", []))
    return _container_text(kind, spec)


def _leaves(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [] if value is None else [str(value)]


def _container_text(kind: Any, spec: dict[str, Any]) -> str:
    """The text of the other output types: what they show besides nested outputs."""
    if kind in ("code", "widget"):
        return html_text(spec.get("html", ""))
    if kind == "table":
        return "\n".join(" ".join(c for c in row if isinstance(c, str)) for row in spec.get("data", [])).strip()
    if kind == "link":
        return str(spec.get("name", ""))
    if kind == "file":
        return str(spec.get("label", ""))
    if kind == "image":
        return str(spec.get("title", ""))
    if kind == "progressbar":
        label = spec.get("label")
        return f"{spec.get('value', 0) * 100:.1f}%" if label is None else str(label)
    if kind == "collapse":
        return str(spec.get("title", ""))
    if kind == "tabs":
        return " ".join(str(tab.get("title", "")) for tab in spec.get("tabs", []))
    if kind == "datatable":
        return "\n".join(" ".join(_leaves(record)) for record in spec.get("records", []))
    return ""


@dataclass(frozen=True)
class Button:
    """A button on the page: its label, the value it sends and its callback id."""

    label: str
    value: Any
    callback_id: str
    disabled: bool


class ClientPage:
    """Applies frames and answers questions about the page. Thread-safe."""

    def __init__(self, send_event: Callable[[dict[str, Any]], None],
                 js_handler: Callable[[str, dict[str, Any]], Any] | None = None) -> None:
        self.model = PageModel()
        self.changed = threading.Condition()
        self.last_seq = 0
        self.session_id: str | None = None
        self.reconnect_token: str | None = None
        self.closed = False
        self.close_reason = ""
        self.commands: deque[dict[str, Any]] = deque(maxlen=COMMANDS_KEPT)
        """The latest commands received, oldest first (bounded, so long tests stay small)."""
        self.notices: list[dict[str, Any]] = []
        self.toasts: list[dict[str, Any]] = []
        self.scripts: list[dict[str, Any]] = []
        self.downloads: list[tuple[str, bytes]] = []
        self.upload_acks: dict[str, dict[str, Any]] = {}
        """The latest ``upload_ack`` of each upload id."""
        self.gaps: list[tuple[int, int]] = []
        """``(last applied, received)`` for every command that skipped a ``seq``: must stay empty."""
        self.version = 0
        """Counts changes of the page, so waiters notice a change they did not see."""
        self._send_event = send_event
        self._js_handler = js_handler

    # --- applying frames ---------------------------------------------------

    def receive(self, frame: str) -> None:
        """Apply one text frame from the server and acknowledge it."""
        decoded = json.loads(frame)
        commands = decoded if isinstance(decoded, list) else [decoded]
        replies: list[dict[str, Any]] = []
        with self.changed:
            applied_any = False
            for command in commands:
                seq = command.get("seq")
                if command["command"] == "snapshot":
                    self.last_seq = seq
                elif seq is not None:
                    if seq <= self.last_seq:
                        continue
                    if seq != self.last_seq + 1:
                        self.gaps.append((self.last_seq, seq))
                    self.last_seq = seq
                applied_any = applied_any or seq is not None
                self.commands.append(command)
                replies.extend(self._apply(command))
            self.version += 1
            self.changed.notify_all()
        if applied_any:
            self._send_event({"event": "ack", "task_id": None, "data": {"seq": self.last_seq}})
        for reply in replies:
            self._send_event(reply)

    def _apply(self, command: dict[str, Any]) -> list[dict[str, Any]]:
        name = command["command"]
        spec: Any = command.get("spec")
        self.model.apply(command)  # type: ignore[arg-type]
        if name == "set_session_id":
            self.session_id = spec
        elif name == "set_reconnect_token":
            self.reconnect_token = spec["token"]
        elif name == "close_session":
            self.closed = True
            self.close_reason = (spec or {}).get("reason", "")
        elif name == "notice":
            self.notices.append(spec)
        elif name == "toast":
            self.toasts.append(spec)
        elif name == "download":
            self.downloads.append((spec["name"], base64.b64decode(spec["content"])))
        elif name == "upload_ack":
            self.upload_acks[spec["upload_id"]] = spec
        elif name == "run_script":
            self.scripts.append(spec)
            if spec.get("eval"):
                value = self._js_handler(spec["code"], spec.get("args", {})) if self._js_handler else None
                return [{"event": "js_yield", "task_id": command["task_id"], "data": value}]
        return []

    def mark_disconnected(self) -> None:
        with self.changed:
            self.version += 1
            self.changed.notify_all()

    # --- reading -----------------------------------------------------------

    def outputs(self) -> list[dict[str, Any]]:
        """Every output on the page in page order, nested ones included, then the
        outputs of the open popup."""
        with self.changed:
            return [*self.model.walk(), *self.model.walk_popup()]

    def popup_texts(self) -> list[str] | None:
        """The title and texts of the open popup, or None when no popup is open."""
        with self.changed:
            if self.model.popup is None:
                return None
            texts = [output_text(o) for o in self.model.walk_popup()]
            return [str(self.model.popup.get("title", "")), *(t for t in texts if t)]

    def files(self) -> list[tuple[str, str, bytes]]:
        """``(file name, link label, bytes)`` of every ``put_file`` link on the page."""
        return [(str(o["name"]), str(o.get("label", "")), base64.b64decode(o["content"]))
                for o in self.outputs() if o.get("type") == "file"]

    def texts(self) -> list[str]:
        """The text of each output that shows text, in page order."""
        return [t for t in (output_text(o) for o in self.outputs()) if t]

    def buttons(self) -> list[Button]:
        """Every button on the page, in page order."""
        found = []
        for output in self.outputs():
            if output.get("type") == "buttons":
                for item in output.get("buttons", []):
                    found.append(Button(str(item.get("label")), item.get("value"), output["callback_id"],
                                        bool(item.get("disabled"))))
        return found

    def forms(self) -> list[FormState]:
        """The open forms, oldest first."""
        with self.changed:
            return list(self.model.forms.values())

    def wait(self, predicate: Callable[[], Any], timeout: float, what: str) -> Any:
        """Wait until ``predicate()`` is truthy; return it.

        It is re-checked whenever the page changes, and every 20 ms for conditions
        that do not show on the page (a server-side session's state).
        """
        # The predicate runs without the page's lock held: it may ask the server's loop
        # (client.session), and that loop may be waiting for the lock to deliver a frame.
        deadline = time.monotonic() + timeout
        while True:
            with self.changed:
                seen = self.version
            result = predicate()
            if result or self.closed or time.monotonic() >= deadline:
                break
            with self.changed:
                if self.version == seen:
                    self.changed.wait(min(RECHECK_INTERVAL, max(deadline - time.monotonic(), 0)))
        if not result:
            result = predicate()
        if not result:
            with self.changed:
                shown = self.texts_unlocked()
            raise AssertionError(f"timed out after {timeout} s waiting for {what}; the page shows: "
                                 f"{shown!r}" + (" (session closed)" if self.closed else ""))
        return result

    def texts_unlocked(self) -> list[str]:
        return [t for t in (output_text(o) for o in (*self.model.walk(), *self.model.walk_popup())) if t]
