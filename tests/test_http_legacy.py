"""PyWebIO's HTTP exchange (shared/PROTOCOL-COMPAT.md items 17–21) against Flask's start_server.

A raw client, written from the compatibility list alone, drives
``webio.platform.flask.start_server`` in a real process, as a load driver would.
"""
from __future__ import annotations

import http.client
import json
import secrets
import signal
import string
import textwrap
import time

import pytest
from http_support import start_script, stop

APP = textwrap.dedent(
    """
    import sys
    from webio.input import NUMBER, input, input_group
    from webio.output import put_buttons, put_text
    from webio.platform.flask import start_server

    def main():
        put_buttons([{"label": "A", "value": "a"}], onclick=lambda v: put_text("clicked " + v))
        data = input_group("Who", [input("name", name="name"), input("age", name="age", type=NUMBER)])
        put_text(f"{data['name']} is {data['age']}")

    async def amain():
        put_buttons([{"label": "A", "value": "a"}], onclick=lambda v: put_text("clicked " + v))
        data = await input_group("Who", [input("name", name="name"), input("age", name="age", type=NUMBER)])
        put_text(f"{data['name']} is {data['age']}")

    start_server({"index": main, "async": amain}, port=int(sys.argv[1]), host="127.0.0.1", cdn=False)
    """
)


@pytest.fixture(scope="module")
def flask_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("legacy") / "app.py"
    path.write_text(APP)
    process, port = start_script(path)
    yield process, port
    stop(process)


class PyWebIOHttpClient:
    """What a PyWebIO HTTP load driver does: numbered batches in, numbered events out."""

    def __init__(self, port: int, app: str = "index") -> None:
        self.port, self.app = port, app
        self.session_id = "NEW-" + "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(24))
        self.consumed = -1
        self.events: list[dict] = []
        self.first_event_id = 0
        self.commands: list[dict] = []

    def request(self, method: str, query: str, body: bytes | None = None) -> tuple[int, dict]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"webio-session-id": self.session_id}
        if body is not None:
            headers["Content-Type"] = "application/json"
        connection.request(method, f"/?app={self.app}&{query}", body=body, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        connection.close()
        if response.status != 200:
            return response.status, {}
        if response.getheader("webio-session-id"):
            self.session_id = response.getheader("webio-session-id")
        elif self.session_id.startswith("NEW-"):
            self.session_id = self.session_id[4:]
        answer = json.loads(payload)
        for batch_id, batch in enumerate(answer["commands"], start=answer["seq"]):
            if batch_id > self.consumed:
                self.commands.extend(batch)
                self.consumed = batch_id
        handled = answer["ack"] - self.first_event_id + 1
        if handled > 0:
            self.events = self.events[handled:]
            self.first_event_id += handled
        return response.status, answer

    def pull(self) -> int:
        return self.request("GET", f"ack={self.consumed}")[0]

    def push(self, event: dict) -> int:
        self.events.append(event)
        body = json.dumps(self.events).encode()
        return self.request("POST", f"ack={self.consumed}&seq={self.first_event_id}", body)[0]

    def wait_for(self, predicate, timeout: float = 10) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            found = next((c for c in self.commands if predicate(c)), None)
            if found is not None:
                return found
            assert time.monotonic() < deadline, f"timed out; got {[c['command'] for c in self.commands]}"
            self.pull()


def is_text(content):
    return lambda c: c["command"] == "output" and c["spec"].get("type") == "text" and c["spec"]["content"] == content


@pytest.mark.parametrize("app", ["index", "async"])
def test_a_pywebio_http_client_runs_the_app(flask_server, app):
    _, port = flask_server
    client = PyWebIOHttpClient(port, app)
    assert client.request("GET", "ack=-1")[0] == 200
    assert not client.session_id.startswith("NEW-")
    buttons = client.wait_for(lambda c: c["command"] == "output" and c["spec"].get("type") == "buttons")
    form = client.wait_for(lambda c: c["command"] in ("input_group", "input"))
    assert [item["name"] for item in form["spec"]["inputs"]] == ["name", "age"]
    assert client.push({"event": "callback", "task_id": buttons["spec"]["callback_id"], "data": "a"}) == 200
    client.wait_for(is_text("clicked a"))
    assert client.push({"event": "from_submit", "task_id": form["task_id"], "data": {"name": "Ada", "age": 36}}) == 200
    client.wait_for(is_text("Ada is 36"))


def test_events_sent_again_are_handled_once(flask_server):
    _, port = flask_server
    client = PyWebIOHttpClient(port)
    client.request("GET", "ack=-1")
    buttons = client.wait_for(lambda c: c["command"] == "output" and c["spec"].get("type") == "buttons")
    click = {"event": "callback", "task_id": buttons["spec"]["callback_id"], "data": "a"}
    body = json.dumps([click]).encode()
    # The same push three times, as a client does when an answer is lost.
    for _ in range(3):
        assert client.request("POST", f"ack={client.consumed}&seq=0", body)[0] == 200
    client.events, client.first_event_id = [], 1
    client.wait_for(is_text("clicked a"))
    # A second click: callbacks run in order, so a repeat of the first would show before it.
    client.push({"event": "callback", "task_id": buttons["spec"]["callback_id"], "data": "b"})
    client.wait_for(is_text("clicked b"))
    assert sum(1 for c in client.commands if is_text("clicked a")(c)) == 1


def test_unknown_sessions_and_cross_site_creation_are_refused(flask_server):
    _, port = flask_server
    stranger = PyWebIOHttpClient(port)
    stranger.session_id = "x" * 24
    status, answer = stranger.request("GET", "ack=-1")
    assert status == 200 and answer["commands"][0][0]["command"] == "close_session"
    creator = PyWebIOHttpClient(port)
    assert creator.request("POST", "ack=-1&seq=0", b"[]")[0] == 403


def test_sigterm_stops_the_flask_server_promptly(flask_server):
    process, port = flask_server
    client = PyWebIOHttpClient(port)
    client.request("GET", "ack=-1")
    process.send_signal(signal.SIGTERM)
    process.wait(5)
    assert process.returncode is not None
