"""Starting a standalone server: ports, the printed address, the browser, SIGTERM."""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys
import threading
import webbrowser
from collections.abc import Awaitable, Callable
from typing import Any

logger = logging.getLogger("webio.server")

__all__ = ["announce", "bind_socket", "can_open_browser", "display_url", "on_sigterm", "run_server"]

Shutdown = Callable[[], Awaitable[Any]]


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: a free one), TCP_NODELAY set."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host or "0.0.0.0", port))
    sock.listen(1024)
    sock.setblocking(False)
    return sock


def display_url(host: str, port: int) -> str:
    """The address to show a person for a server bound to ``host``."""
    shown = host if host not in ("", "0.0.0.0", "::") else "127.0.0.1"
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def can_open_browser() -> bool:
    """Whether a browser can be opened here (not with WEBIO_NO_BROWSER=1 or no display)."""
    if os.environ.get("WEBIO_NO_BROWSER", "") not in ("", "0"):
        return False
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    return True


def announce(url: str, *, open_browser: bool) -> None:
    """Print where the server listens, and open a browser there when asked and possible."""
    print(f"webio is serving on {url}", flush=True)
    if open_browser and can_open_browser():
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()


def on_sigterm(stop: Callable[[], None]) -> None:
    """Call ``stop`` (from the signal handler) when the process gets SIGTERM."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda _signum, _frame: stop())


async def run_server(listen: Callable[[socket.socket], Awaitable[Shutdown]], close_sessions: Shutdown, *,
                     host: str, port: int, open_browser: bool = False, ready: Callable[[int], None] | None = None,
                     stop: asyncio.Event | None = None) -> None:
    """Serve on ``host:port`` until SIGTERM or ``stop`` is set; the frame of every async server.

    ``listen(sock)`` starts the framework's server on the bound socket and returns
    the coroutine function that shuts it down; ``close_sessions()`` (a coroutine
    function too) ends the sessions first. ``ready(port)`` is called once the port
    accepts connections.
    """
    sock = bind_socket(host, port)
    shutdown = await listen(sock)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()

    def request_stop() -> None:
        loop.call_soon_threadsafe(stop.set)

    on_sigterm(request_stop)
    bound_port = sock.getsockname()[1]
    announce(display_url(host, bound_port), open_browser=open_browser)
    if ready is not None:
        ready(bound_port)
    try:
        await stop.wait()
    finally:
        await close_sessions()
        await shutdown()
