"""Scenario c: COUNT ``put_text`` calls right after the visitor connects.

The session then stays open (``hold()``) until the visitor leaves, so the
measurement does not depend on how a server closes a session whose client is
still acknowledging frames.
"""
from __future__ import annotations

from appkit import ARGS, serve

if ARGS.framework == "webio":
    from webio.output import put_text
    from webio.session import hold
else:
    from pywebio.output import put_text  # type: ignore[no-redef]
    from pywebio.session import hold  # type: ignore[no-redef]


def main() -> None:
    """Thread session."""
    for i in range(ARGS.count):
        put_text(f"burst line {i}")
    hold()


async def async_main() -> None:
    """Coroutine session."""
    for i in range(ARGS.count):
        put_text(f"burst line {i}")
    await hold()


serve(main if ARGS.mode == "thread" else async_main)
