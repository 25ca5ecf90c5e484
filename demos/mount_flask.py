"""An existing Flask site with its own pages, and webio apps mounted at ``/tool``.

Run it with ``python demos/mount_flask.py`` and open the address it prints. The
site's pages (``/``, ``/about``) are plain Flask; ``/tool`` is webio, served over
HTTP: commands pushed by Server-Sent Events, events sent by POST.
"""
from __future__ import annotations

import argparse

from flask import Flask

from webio.input import NUMBER, input
from webio.output import put_buttons, put_markdown, put_text
from webio.platform.flask import webio_view

app = Flask(__name__)


@app.route("/")
def home() -> str:
    return ('<!DOCTYPE html><title>Garden shop</title><link rel="icon" href="data:,"><h1>Garden shop</h1>'
            "<p>Seeds, tools and good advice.</p>"
            '<p><a href="/tool">Open the planting tools</a> · <a href="/about">About us</a></p>')


@app.route("/about")
def about() -> str:
    return ('<!DOCTYPE html><title>About</title><link rel="icon" href="data:,"><h1>About us</h1>'
            "<p>A family shop since 1987.</p>")


def spacing() -> None:
    """Plant spacing

    How many plants fit in a bed.
    """
    put_markdown("## Plant spacing")
    length = input("Bed length (cm)", type=NUMBER)
    gap = input("Space between plants (cm)", type=NUMBER)
    put_text(f"A {length} cm bed holds {length // max(gap, 1) + 1} plants in a row.")
    put_buttons(["Thanks"], onclick=lambda _: put_text("Happy planting!"))


def greeter() -> None:
    """Greeter

    Says hello.
    """
    name = input("Your name?")
    put_text(f"Hello {name}, welcome to the shop.")


app.add_url_rule("/tool", "webio_tool", webio_view({"spacing": spacing, "greeter": greeter}),
                 methods=["GET", "POST", "OPTIONS"])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    # Any threaded WSGI server will do: an open event stream holds one thread.
    app.run(host=args.host, port=args.port, threaded=True)
