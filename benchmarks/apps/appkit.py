"""What every benchmark app shares: its command line and how it starts its server.

An app runs as ``python APP_FILE FRAMEWORK BACKEND MODE PORT [COUNT]``: under
PyWebIO's virtual environment for ``pywebio``, under the harness's interpreter for
``webio`` and ``bare``. ``MODE`` is ``thread`` (``def main``) or ``coroutine``
(``async def main``). ``bare`` is the floor (``bare.py``): no framework, a minimal
WebSocket server on the backend that answers in a thread per connection in
``thread`` mode and on the loop in ``coroutine`` mode; only the apps that pass a
:class:`~bare.BareApp` to :func:`serve` have one.
"""
from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bare import BareApp, serve_bare

__all__ = ["AppArgs", "ARGS", "serve"]

FRAMEWORKS = ("webio", "pywebio", "bare")
GC_THRESHOLD_VAR = "WEBIO_BENCH_GC_THRESHOLD"
"""The first threshold of CPython's cycle collector for every server of a run (``--gc-threshold``)."""


@dataclass(frozen=True)
class AppArgs:
    """The app's command line."""

    framework: str
    backend: str
    mode: str
    port: int
    count: int


def _parse(argv: list[str]) -> AppArgs:
    if len(argv) not in (4, 5) or argv[0] not in FRAMEWORKS or argv[2] not in ("thread", "coroutine"):
        raise SystemExit("usage: APP_FILE webio|pywebio|bare tornado|aiohttp|flask thread|coroutine PORT [COUNT]")
    return AppArgs(argv[0], argv[1], argv[2], int(argv[3]), int(argv[4]) if len(argv) == 5 else 0)


ARGS = _parse(sys.argv[1:])


def serve(applications: Callable[..., Any] | dict[str, Callable[..., Any]], bare: BareApp | None = None) -> None:
    """Serve ``applications`` on 127.0.0.1:PORT with the chosen framework's backend until SIGTERM.

    With the ``bare`` framework, serve ``bare`` instead: the same app without a framework.
    """
    threshold = os.environ.get(GC_THRESHOLD_VAR)
    if threshold:
        gc.set_threshold(int(threshold), *gc.get_threshold()[1:])
    if ARGS.framework == "bare":
        if bare is None:
            raise SystemExit(f"{sys.argv[0]} has no bare server")
        serve_bare(bare, ARGS.backend, ARGS.port, ARGS.mode)
        return
    platform = importlib.import_module(f"{ARGS.framework}.platform.{ARGS.backend}")
    if ARGS.backend == "flask":
        platform.start_server(applications, port=ARGS.port, host="127.0.0.1", cdn=False)
    else:
        platform.start_server(applications, port=ARGS.port, host="127.0.0.1", cdn=False, reconnect_timeout=0)
