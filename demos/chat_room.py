"""A chat room: every message reaches every visitor, on every worker.

Messages travel over webio.state's event bus, so the room spans worker processes
when the state backend is shared::

    python demos/chat_room.py                                  # one process, memory
    WEBIO_STATE_BACKEND=sqlite python demos/chat_room.py       # workers on one host
    WEBIO_STATE_BACKEND=redis python demos/chat_room.py        # workers on many hosts

Open the printed address in two browsers and talk.
"""
import argparse

from webio import start_server
from webio.input import input
from webio.output import put_markdown, put_scope, put_text
from webio.session import run_async
from webio.state import publish, subscribe

ROOM = "chat"


async def show_messages(subscription):
    """Print every message of the room into this visitor's page."""
    try:
        async for message in subscription:
            put_text(f"{message.data['nick']}: {message.data['text']}", scope="messages")
    finally:
        await subscription.close()


async def main():
    """Chat room"""
    put_markdown("## Chat room")
    put_scope("messages")
    nick = await input("Your nickname", required=True, validate=lambda n: "At most 20 characters" if len(n) > 20 else None)
    subscription = await subscribe(ROOM)
    run_async(show_messages(subscription))
    await publish(ROOM, {"nick": "*", "text": f"{nick} joined the room"})
    while True:
        text = await input("Message", required=True)
        await publish(ROOM, {"nick": nick, "text": text})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    start_server(main, port=args.port, host=args.host, reconnect_timeout=60)
