"""An existing aiohttp site with its own pages, and webio apps mounted at ``/tool``.

Run it with ``python demos/mount_aiohttp.py`` and open the address it prints. The
site's pages (``/``, ``/about``) are plain aiohttp; ``/tool`` is webio, over
WebSocket, falling back to Server-Sent Events and long-polling on its own where a
network blocks WebSockets.
"""
from __future__ import annotations

import argparse

from aiohttp import web

from webio.input import NUMBER, input
from webio.output import put_buttons, put_markdown, put_text
from webio.platform.aiohttp import webio_handler


async def home(request: web.Request) -> web.Response:
    return web.Response(content_type="text/html", text=(
        '<!DOCTYPE html><title>Garden shop</title><link rel="icon" href="data:,"><h1>Garden shop</h1>'
        "<p>Seeds, tools and good advice.</p>"
        '<p><a href="/tool">Open the planting tools</a> · <a href="/about">About us</a></p>'))


async def about(request: web.Request) -> web.Response:
    return web.Response(content_type="text/html",
                        text='<!DOCTYPE html><title>About</title><link rel="icon" href="data:,"><h1>About us</h1>'
                        "<p>A family shop since 1987.</p>")


async def spacing() -> None:
    """Plant spacing

    How many plants fit in a bed.
    """
    put_markdown("## Plant spacing")
    length = await input("Bed length (cm)", type=NUMBER)
    gap = await input("Space between plants (cm)", type=NUMBER)
    put_text(f"A {length} cm bed holds {length // max(gap, 1) + 1} plants in a row.")
    put_buttons(["Thanks"], onclick=lambda _: put_text("Happy planting!"))


async def greeter() -> None:
    """Greeter

    Says hello.
    """
    name = await input("Your name?")
    put_text(f"Hello {name}, welcome to the shop.")


def make_app() -> web.Application:
    """The site: its own routes, and webio at /tool (every method, for the HTTP fallback)."""
    app = web.Application()
    app.router.add_get("/", home)
    app.router.add_get("/about", about)
    app.router.add_route("*", "/tool", webio_handler({"spacing": spacing, "greeter": greeter}))
    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    web.run_app(make_app(), host=args.host, port=args.port)
