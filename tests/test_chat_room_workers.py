"""demos/chat_room.py on two worker processes that share one SQLite file or one Redis."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import websockets
from test_protocol_compat import RawClient, free_port

DEMO = Path(__file__).resolve().parent.parent / "demos" / "chat_room.py"


def start_worker(port: int, env: dict[str, str]) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, str(DEMO), "--port", str(port)], env={**os.environ, **env},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = process.stdout.readline()
    assert line.startswith("webio is serving on"), line + process.stdout.read()
    return process


async def join(port: int, nick: str) -> RawClient:
    ws = await websockets.connect(f"ws://127.0.0.1:{port}/?app=index&session=NEW", open_timeout=10)
    client = RawClient(ws)
    form = await client.next_command(lambda c: c["command"] == "input_group")
    await client.send("from_submit", form["task_id"], {"data": nick})
    return client


async def say(client: RawClient, text: str) -> None:
    form = await client.next_command(lambda c: c["command"] == "input_group")
    await client.send("from_submit", form["task_id"], {"data": text})


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_a_message_crosses_from_one_worker_to_another(backend, tmp_path):
    env = {"WEBIO_STATE_BACKEND": backend, "WEBIO_SQLITE_PATH": str(tmp_path / "chat.sqlite3"),
           "WEBIO_REDIS_PREFIX": f"webio-test-{uuid.uuid4().hex[:8]}:"}
    ports = [free_port(), free_port()]
    workers = [start_worker(port, env) for port in ports]

    async def talk() -> None:
        ada = await join(ports[0], "Ada")
        await ada.text("*: Ada joined the room")
        bob = await join(ports[1], "Bob")
        await bob.text("*: Bob joined the room")
        await ada.text("*: Bob joined the room")
        await say(ada, "hello from worker one")
        await bob.text("Ada: hello from worker one")
        await say(bob, "and back from worker two")
        await ada.text("Bob: and back from worker two")
        await ada.ws.close()
        await bob.ws.close()

    try:
        asyncio.run(talk())
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(10)
            worker.stdout.close()
        if backend == "redis":
            delete_keys(env["WEBIO_REDIS_PREFIX"])


def delete_keys(prefix: str) -> None:
    """Remove what the workers left in Redis (records expire anyway, by their TTL)."""
    import redis

    client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    try:
        keys = list(client.scan_iter(match=prefix + "*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
