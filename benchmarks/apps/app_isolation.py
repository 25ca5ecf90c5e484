"""Scenario g: ``?app=burst`` shows COUNT texts and holds; ``?app=index`` is the button of scenario a."""
from __future__ import annotations

from appkit import ARGS, serve

if ARGS.framework == "webio":
    from webio.output import put_buttons, put_text
    from webio.session import hold
else:
    from pywebio.output import put_buttons, put_text  # type: ignore[no-redef]
    from pywebio.session import hold  # type: ignore[no-redef]


def on_click(_value: object) -> None:
    """Show one line per click."""
    put_text("clicked")


def clicker() -> None:
    """Thread session: the button."""
    put_buttons(["Click"], onclick=on_click)


def burst() -> None:
    """Thread session: the burst, then the session stays open."""
    for i in range(ARGS.count):
        put_text(f"burst line {i}")
    hold()


async def async_clicker() -> None:
    """Coroutine session: the button."""
    put_buttons(["Click"], onclick=on_click)


async def async_burst() -> None:
    """Coroutine session: the burst, then the session stays open."""
    for i in range(ARGS.count):
        put_text(f"burst line {i}")
    await hold()


if ARGS.mode == "thread":
    serve({"index": clicker, "burst": burst})
else:
    serve({"index": async_clicker, "burst": async_burst})
