"""What every benchmark app shares: its command line and how it starts its server.

An app runs as ``python APP_FILE FRAMEWORK BACKEND MODE PORT [COUNT]``: under
PyWebIO's virtual environment for ``pywebio``, under the harness's interpreter for
``webio``. ``MODE`` is ``thread`` (``def main``) or ``coroutine`` (``async def main``).
"""
from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["AppArgs", "ARGS", "serve"]


@dataclass(frozen=True)
class AppArgs:
    """The app's command line."""

    framework: str
    backend: str
    mode: str
    port: int
    count: int


def _parse(argv: list[str]) -> AppArgs:
    if len(argv) not in (4, 5) or argv[0] not in ("webio", "pywebio") or argv[2] not in ("thread", "coroutine"):
        raise SystemExit("usage: APP_FILE webio|pywebio tornado|aiohttp|flask thread|coroutine PORT [COUNT]")
    return AppArgs(argv[0], argv[1], argv[2], int(argv[3]), int(argv[4]) if len(argv) == 5 else 0)


ARGS = _parse(sys.argv[1:])


def serve(applications: Callable[..., Any] | dict[str, Callable[..., Any]]) -> None:
    """Serve ``applications`` on 127.0.0.1:PORT with the chosen framework's backend until SIGTERM."""
    platform = importlib.import_module(f"{ARGS.framework}.platform.{ARGS.backend}")
    if ARGS.backend == "flask":
        platform.start_server(applications, port=ARGS.port, host="127.0.0.1", cdn=False)
    else:
        platform.start_server(applications, port=ARGS.port, host="127.0.0.1", cdn=False, reconnect_timeout=0)
