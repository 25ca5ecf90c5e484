"""The mount demos in chromium: an existing Flask or aiohttp site with webio at /tool.

The site's own pages keep working, the webio apps run, and the page picks its
transport: WebSocket on aiohttp, Server-Sent Events on Flask; on aiohttp too when
the browser cannot open WebSockets, and long-polling when it cannot open streams.
"""
from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

DEMOS = Path(__file__).resolve().parent.parent / "demos"


def load_demo(name: str):
    spec = importlib.util.spec_from_file_location(f"{name}_demo", DEMOS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def site_of(name: str):
    demo = load_demo(name)
    return demo.app if name == "mount_flask" else demo.make_app()


def use_the_site(page, url: str) -> None:  # noqa: F811
    page.goto(url)
    assert page.locator("h1").inner_text() == "Garden shop"
    page.get_by_role("link", name="About us").click()
    page.get_by_text("A family shop since 1987.").wait_for()
    page.go_back()
    page.get_by_role("link", name="Open the planting tools").click()
    page.get_by_role("link", name="Plant spacing").click()
    length = page.get_by_label("Bed length (cm)")
    length.fill("120")
    length.press("Enter")
    gap = page.get_by_label("Space between plants (cm)")
    gap.fill("30")
    gap.press("Enter")
    page.get_by_text("A 120 cm bed holds 5 plants in a row.").wait_for()
    page.get_by_role("button", name="Thanks").click()
    page.get_by_text("Happy planting!").wait_for()
    assert page.title() == "Plant spacing"


def protocols(served) -> list[str]:
    async def read() -> list[str]:
        return [session.info.protocol for hub in served.hubs for session in hub.sessions.values()]

    return asyncio.run_coroutine_threadsafe(read(), served.loop).result(10)


@pytest.mark.parametrize(("demo", "protocol"), [("mount_flask", "http"), ("mount_aiohttp", "websocket")])
def test_the_site_keeps_its_pages_and_runs_webio_at_tool(serve_site, page, demo, protocol):  # noqa: F811
    served = serve_site(site_of(demo))
    use_the_site(page, served.url)
    assert protocols(served) == [protocol]


@pytest.mark.parametrize(("blocked", "transport"), [(["WebSocket"], "sse"), (["WebSocket", "EventSource"], "poll")])
def test_the_page_falls_back_to_the_transports_that_get_through(serve_site, page, blocked, transport):  # noqa: F811
    served = serve_site(site_of("mount_aiohttp"))
    for name in blocked:
        page.add_init_script(f"window.{name} = function () {{ throw new Error('{name} is blocked here'); }};")
    requested: list[str] = []
    page.on("request", lambda sent: requested.append(sent.url))
    use_the_site(page, served.url)
    assert protocols(served) == ["http"]
    assert page.evaluate("document.documentElement.dataset.webioSession") == "open"
    assert {url.rsplit("transport=", 1)[-1] for url in requested if "transport=" in url} == {transport}


@pytest.mark.parametrize("framework", ["flask", "aiohttp"])
def test_the_readme_example_runs_standalone_on_each_framework(serve_site, page, framework):  # noqa: F811
    main = load_demo("hello").main
    if framework == "flask":
        from webio.platform.flask import wsgi_app

        site = wsgi_app(main)  # what flask.start_server serves
    else:
        from aiohttp import web

        from webio.platform.aiohttp import webio_handler

        site = web.Application()  # what aiohttp.start_server serves
        site.router.add_route("*", "/", webio_handler(main))
    served = serve_site(site)
    page.goto(served.url)
    name = page.get_by_label("Your name?")
    name.fill("Ada")
    name.press("Enter")
    page.get_by_text("Hello Ada").wait_for()
    page.get_by_role("button", name="Again").click()
    page.get_by_text("again", exact=True).wait_for()
