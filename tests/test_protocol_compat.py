"""shared/PROTOCOL-COMPAT.md items 1–16, by a raw client against a real server process."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time

import pytest
import websockets

APP = textwrap.dedent(
    """
    import sys
    from webio.platform.tornado import start_server
    from webio.input import input, NUMBER
    from webio.output import put_buttons, put_text

    def main():
        put_buttons([{"label": "A", "value": "a"}], onclick=lambda v: put_text("clicked " + v))
        put_text("got " + input())
        put_text("number " + repr(input("n", type=NUMBER)))

    async def amain():
        put_buttons([{"label": "A", "value": "a"}], onclick=lambda v: put_text("clicked " + v))
        put_text("got " + await input())
        put_text("number " + repr(await input("n", type=NUMBER)))

    start_server({"index": main, "async": amain}, port=int(sys.argv[1]), host="127.0.0.1", cdn=False,
                 reconnect_timeout=30)
    """
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("compat") / "app.py"
    path.write_text(APP)
    port = free_port()
    process = subprocess.Popen([sys.executable, str(path), str(port)], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError as refused:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                output = process.stdout.read() if process.stdout else ""
                raise RuntimeError("the server did not start: " + output) from refused
            time.sleep(0.05)
    yield process, port
    if process.poll() is None:
        process.kill()
        process.wait(5)


class RawClient:
    """A load driver's view of the protocol: frames in, events out, nothing else."""

    def __init__(self, ws):
        self.ws = ws
        self.commands: list[dict] = []

    async def next_command(self, predicate, timeout=10):
        for command in self.commands:
            if predicate(command):
                self.commands.remove(command)
                return command
        while True:
            frame = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
            for command in frame if isinstance(frame, list) else [frame]:
                assert set(command) >= {"command", "task_id", "spec"}
                self.commands.append(command)
            for command in self.commands:
                if predicate(command):
                    self.commands.remove(command)
                    return command

    async def text(self, content):
        return await self.next_command(lambda c: c["command"] == "output" and c["spec"].get("type") == "text"
                                       and c["spec"].get("content") == content)

    async def send(self, event, task_id, data):
        await self.ws.send(json.dumps({"event": event, "task_id": task_id, "data": data}))


def connect(port, query):
    return websockets.connect(f"ws://127.0.0.1:{port}/?{query}", compression=None, open_timeout=10)


async def run_app_through(port, app):
    async with connect(port, f"app={app}&session=NEW") as ws:
        client = RawClient(ws)
        first = await client.next_command(lambda c: True)
        assert first["command"] == "set_session_id" and isinstance(first["spec"], str)
        session_id = first["spec"]
        buttons = await client.next_command(lambda c: c["command"] == "output" and c["spec"]["type"] == "buttons")
        assert isinstance(buttons["spec"]["callback_id"], str) and buttons["spec"]["buttons"][0]["value"] == "a"
        form = await client.next_command(lambda c: c["command"] in ("input_group", "input"))
        assert [(i["name"], i["type"]) for i in form["spec"]["inputs"]] == [("data", "text")]
        await client.send("callback", buttons["spec"]["callback_id"], "a")
        await client.text("clicked a")
        await client.send("from_submit", form["task_id"], {"data": "hello"})
        await client.text("got hello")
        form = await client.next_command(lambda c: c["command"] in ("input_group", "input"))
        item = form["spec"]["inputs"][0]
        assert item["type"] == "number"
        await client.send("from_submit", form["task_id"], {item["name"]: 42})
        await client.text("number 42")
        await client.send("callback", buttons["spec"]["callback_id"], "a")
        await client.text("clicked a")
    async with connect(port, f"app={app}&session={session_id}") as ws:
        client = RawClient(ws)
        await client.send("callback", buttons["spec"]["callback_id"], "a")
        await client.text("clicked a")


@pytest.mark.parametrize("app", ["index", "async"])
def test_a_raw_client_runs_the_app_and_reattaches(server, app):
    asyncio.run(run_app_through(server[1], app))


def test_an_unknown_session_is_closed(server):
    async def attempt():
        async with connect(server[1], "app=index&session=nobody") as ws:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
            commands = frame if isinstance(frame, list) else [frame]
            assert commands[0]["command"] == "close_session"

    asyncio.run(attempt())


def test_many_simultaneous_connections_get_their_own_sessions(server):
    async def one():
        async with connect(server[1], "session=NEW") as ws:
            client = RawClient(ws)
            return (await client.next_command(lambda c: c["command"] == "set_session_id"))["spec"]

    async def many():
        return await asyncio.gather(*(one() for _ in range(40)))

    assert len(set(asyncio.run(many()))) == 40


def test_the_page_is_served_offline(server):
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{server[1]}/", timeout=10) as response:
        page = response.read().decode()
    assert "<html" in page and "cdn" not in page.lower() and "https://" not in page


def test_sigterm_stops_the_server_promptly(server):
    process, port = server
    started = time.monotonic()
    os.kill(process.pid, signal.SIGTERM)
    assert process.wait(10) is not None
    assert time.monotonic() - started < 5
