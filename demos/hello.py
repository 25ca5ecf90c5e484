"""The README's example: ask a name, greet, and answer a button.

Run it with ``python demos/hello.py`` (add ``--async`` for the coroutine version)
and open the address it prints.
"""
import argparse

from webio import start_server
from webio.input import input
from webio.output import put_buttons, put_text


def main():
    """Greeting (thread session)"""
    name = input("Your name?")
    put_text(f"Hello {name}")
    put_buttons(["Again"], onclick=lambda _: put_text("again"))


async def async_main():
    """Greeting (coroutine session)"""
    name = await input("Your name?")
    put_text(f"Hello {name}")
    put_buttons(["Again"], onclick=lambda _: put_text("again"))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--async", dest="use_async", action="store_true", help="serve the coroutine version")
    parser.add_argument("--reconnect-timeout", type=float, default=60)
    args = parser.parse_args()
    start_server(async_main if args.use_async else main, port=args.port, host=args.host,
                 reconnect_timeout=args.reconnect_timeout)
