"""Script mode: a plain script with top-level webio calls, run as a subprocess."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap

import websockets
from test_protocol_compat import RawClient, free_port

SCRIPT = textwrap.dedent(
    """
    from webio.input import input
    from webio.output import put_text

    put_text("before any visitor")
    name = input("Your name?")
    put_text("Hello " + name)
    """
)


def start(tmp_path, port):
    path = tmp_path / "script.py"
    path.write_text(SCRIPT)
    env = {**os.environ, "WEBIO_NO_BROWSER": "1", "WEBIO_SCRIPT_MODE_PORT": str(port)}
    process = subprocess.Popen([sys.executable, str(path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env=env)
    first_line = process.stdout.readline()
    assert first_line.strip() == f"webio is serving on http://127.0.0.1:{port}/", first_line
    return process


def test_a_script_serves_its_first_visitor_and_exits_0_when_done(tmp_path):
    port = free_port()
    process = start(tmp_path, port)

    async def visit():
        async with websockets.connect(f"ws://127.0.0.1:{port}/?app=index&session=NEW") as ws:
            client = RawClient(ws)
            await client.text("before any visitor")
            form = await client.next_command(lambda c: c["command"] == "input_group")
            assert form["spec"]["inputs"][0]["label"] == "Your name?"
            async with websockets.connect(f"ws://127.0.0.1:{port}/?app=index&session=NEW") as second:
                refused = json.loads(await asyncio.wait_for(second.recv(), 10))
                assert refused["command"] == "close_session"
            await client.send("from_submit", form["task_id"], {"data": "Ada"})
            await client.text("Hello Ada")
            await client.next_command(lambda c: c["command"] == "close_session")

    try:
        asyncio.run(visit())
        assert process.wait(15) == 0
    finally:
        process.kill()
        process.stdout.close()


def test_a_script_stops_when_its_page_is_closed(tmp_path):
    port = free_port()
    process = start(tmp_path, port)

    async def leave():
        async with websockets.connect(f"ws://127.0.0.1:{port}/?app=index&session=NEW") as ws:
            client = RawClient(ws)
            await client.next_command(lambda c: c["command"] == "input_group")

    try:
        asyncio.run(leave())
        process.wait(15)
        output = process.stdout.read()
        assert "the page was closed" in output and "Traceback" not in output
    finally:
        process.kill()
        process.stdout.close()
