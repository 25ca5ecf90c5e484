"""Real-browser test support: a webio server in a thread, and Debian's chromium.

Import the fixtures into a test module with
``from browser_support import browser, page, serve  # noqa: F401``.
Browser tests are marked ``browser``. Playwright drives ``/usr/bin/chromium``
(Debian's package); it never downloads a browser.
"""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class ServedApp:
    """A Tornado server running ``applications`` on a free loopback port in a thread."""

    def __init__(self, applications: Any, **options: Any) -> None:
        import tornado.httpserver
        import tornado.web

        from webio.platform.adaptor.hub import ServerOptions, SessionHub
        from webio.platform.adaptor.serving import bind_socket
        from webio.platform.tornado import handler_class

        self.loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)

            async def start() -> None:
                self.hub = SessionHub(applications, ServerOptions(**options), backend="tornado")
                sock = bind_socket("127.0.0.1", 0)
                application = tornado.web.Application([(r"/", handler_class(self.hub))],
                                                      websocket_max_message_size=self.hub.options.max_payload_bytes)
                self.server = tornado.httpserver.HTTPServer(application)
                self.server.add_sockets([sock])
                self.port = sock.getsockname()[1]
                ready.set()

            self.loop.run_until_complete(start())
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, name="webio-test-server", daemon=True)
        self.thread.start()
        if not ready.wait(10):
            raise RuntimeError("the test server did not start")
        self.url = f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        """Close every session and the server (idempotent)."""
        if self.loop.is_closed():
            return

        async def shutdown() -> None:
            self.hub.close_all()
            await self.hub.records.drain()
            self.server.stop()
            await self.server.close_all_connections()

        asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture
def serve() -> Iterator[Callable[..., ServedApp]]:
    """``serve(app, **server_options)`` starts a server; all are stopped after the test."""
    started: list[ServedApp] = []

    def start(applications: Any, **options: Any) -> ServedApp:
        served = ServedApp(applications, **options)
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


_chromium: dict[str, Any] = {}
"""The one Playwright and chromium of the test process, and how many fixtures use them."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium, driven by Playwright, shared by a module's browser tests.

    Module-scoped because Playwright's sync API leaves an event loop running in the
    main thread while it is started, which breaks every later test that calls
    ``asyncio.run``; it stops when the module's browser tests are done. Fixtures that
    overlap (one module's and another's) share one instance, since the sync API runs
    only once per thread.
    """
    from playwright.sync_api import sync_playwright

    if not _chromium:
        playwright = sync_playwright().start()
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        _chromium.update(playwright=playwright, browser=launched, users=0)
    _chromium["users"] += 1
    yield _chromium["browser"]
    _chromium["users"] -= 1
    if not _chromium["users"]:
        _chromium["browser"].close()
        _chromium["playwright"].stop()
        _chromium.clear()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page whose console errors fail the test."""
    context = browser.new_context()
    new_page = context.new_page()
    errors: list[str] = []
    new_page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    new_page.on("pageerror", lambda error: errors.append(str(error)))
    yield new_page
    context.close()
    assert not errors, f"the page logged errors: {errors}"


def webio_hubs(site: Any) -> list[Any]:
    """The webio hubs mounted in ``site`` (a Flask app or an aiohttp Application)."""
    handlers = site.view_functions.values() if hasattr(site, "view_functions") else [
        route.handler for route in site.router.routes()]
    return [handler.webio_hub for handler in handlers if hasattr(handler, "webio_hub")]


class ServedSite:
    """An existing web application with webio mounted in it, on a free loopback port in a thread.

    ``site`` is a WSGI application (Flask's), served by webio's threaded Werkzeug
    server, or an ``aiohttp.web.Application`` on its own event loop.
    """

    def __init__(self, site: Any) -> None:
        self.site = site
        self.hubs = webio_hubs(site)
        if hasattr(site, "router"):
            self._start_aiohttp()
        else:
            self._start_wsgi()
        self.url = f"http://127.0.0.1:{self.port}/"

    def _start_wsgi(self) -> None:
        from webio.platform.adaptor.bridge import event_loop
        from webio.platform.flask import make_wsgi_server

        self.loop = event_loop()
        self.server = make_wsgi_server(self.site, "127.0.0.1", 0)
        self.port = self.server.socket.getsockname()[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       name="webio-test-site", daemon=True)
        self.thread.start()

    def _start_aiohttp(self) -> None:
        from webio.platform.adaptor.serving import bind_socket
        from webio.platform.aiohttp import listen

        self.loop = asyncio.new_event_loop()
        sock = bind_socket("127.0.0.1", 0)
        self.port = sock.getsockname()[1]
        self.thread = threading.Thread(target=self.loop.run_forever, name="webio-test-site", daemon=True)
        self.thread.start()
        self.shutdown = asyncio.run_coroutine_threadsafe(listen(self.site, sock), self.loop).result(10)

    def stop(self) -> None:
        """Close the sessions of every mounted hub, then the server."""

        async def close_sessions() -> None:
            for hub in self.hubs:
                await hub.shutdown()

        asyncio.run_coroutine_threadsafe(close_sessions(), self.loop).result(10)
        if hasattr(self, "server"):
            self.server.shutdown()
            self.server.server_close()
            return
        asyncio.run_coroutine_threadsafe(self.shutdown(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture
def serve_site() -> Iterator[Callable[[Any], ServedSite]]:
    """``serve_site(app)`` serves an existing Flask or aiohttp application; stopped after the test."""
    started: list[ServedSite] = []

    def start(site: Any) -> ServedSite:
        served = ServedSite(site)
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()
