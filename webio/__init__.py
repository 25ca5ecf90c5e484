"""webio: write interactive web apps as plain Python scripts.

A ``main()`` that calls ``put_text``, ``input``, ``put_buttons`` … becomes a web page.
The public API follows PyWebIO's, so ``import pywebio`` → ``import webio`` moves an app
over. Frameworks are imported only when used: ``import webio`` needs Tornado alone.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from webio.exceptions import (
    SessionClosedException,
    SessionException,
    SessionNotFoundException,
)

__version__ = "0.1.0"
__all__ = [
    "start_server",
    "config",
    "enable_debug",
    "STATIC_PATH",
    "SessionException",
    "SessionClosedException",
    "SessionNotFoundException",
]


def _static_path() -> str:
    # setup.py ships the repository's ``html/`` folder as ``webio/html`` in wheels; a
    # source checkout or editable install finds it next to the package instead. The
    # folder has no __init__.py, so it never shadows the standard library's ``html``.
    package_dir = Path(__file__).resolve().parent
    for candidate in (package_dir / "html", package_dir.parent / "html"):
        if (candidate / "index.html").is_file():
            return str(candidate)
    raise ImportError(f"webio's browser client (html/index.html) is missing next to {package_dir}")


STATIC_PATH: str = _static_path()
"""Folder of the browser client (``html/`` in the repository) inside the installed package."""


def enable_debug(level: int = logging.DEBUG) -> None:
    """Log webio's and Tornado's debug messages to stderr (as PyWebIO's ``enable_debug``)."""
    logging.basicConfig(format="[%(levelname)s %(asctime)s %(name)s] %(message)s")
    for name in ("webio", "tornado.access", "tornado.application", "tornado.general"):
        logging.getLogger(name).setLevel(level)


def __getattr__(name: str) -> Any:
    # ``webio.start_server`` is Tornado's start_server, imported on first use so that
    # ``import webio`` does not import Tornado.
    if name == "start_server":
        from webio.platform.tornado import start_server

        return start_server
    if name == "config":
        # ``webio.config`` (PyWebIO's ``pywebio.config``): see webio.platform.page_config.
        from webio.platform.page_config import config

        return config
    raise AttributeError(f"module 'webio' has no attribute {name!r}")
