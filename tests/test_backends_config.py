"""config(): the page's title, description, theme, extra CSS/JS and manifest; PyWebIO's names."""
from __future__ import annotations

import json

import pytest

import webio
import webio.platform
import webio.platform.page_config as config_module
from webio.platform import config, seo
from webio.platform.adaptor.hub import ServerOptions, SessionHub
from webio.platform.adaptor.responses import answer_get


@pytest.fixture(autouse=True)
def no_global_config():
    """Each test starts without a global config and leaves none behind."""
    saved = config_module._global
    config_module._global = {}
    yield
    config_module._global = saved


def page(applications, app_name="index"):
    hub = SessionHub(applications, ServerOptions(), backend="testing")
    return hub.page_html(app_name, ["sse"]), hub


def page_config(html: str) -> dict:
    return json.loads(html.split('id="webio-config" type="application/json">')[1].split("</script>")[0])


def test_the_decorator_configures_one_app_and_keeps_it_callable():
    @config(title="Calculator", description="Adds <numbers>", theme="dark", css_style="h1 { color: teal }",
            js_code="console.log('</script>')", js_file="https://example.org/a.js",
            css_file=["https://example.org/a.css"])
    def calc():
        return "ran"

    def other():
        """Other tool

        Does other things."""

    assert calc() == "ran" and calc.__name__ == "calc"
    html, _ = page({"index": calc, "other": other})
    assert "<title>Calculator</title>" in html
    assert '<meta name="description" content="Adds &lt;numbers&gt;">' in html
    assert page_config(html)["theme"] == "dark"
    assert "<style>h1 { color: teal }</style>" in html
    assert "<script>console.log('<\\/script>')</script>" in html
    assert '<script src="https://example.org/a.js"></script>' in html
    assert '<link rel="stylesheet" href="https://example.org/a.css">' in html
    other_html, _ = page({"index": calc, "other": other}, "other")
    assert "<title>Other tool</title>" in other_html and 'content="Does other things."' in other_html
    assert "teal" not in other_html


def test_the_page_is_told_the_servers_message_limit():
    hub = SessionHub(lambda: None, ServerOptions(max_payload_size="4K"), backend="testing")
    assert page_config(hub.page_html("index", ["websocket"]))["max_message_bytes"] == 4096


def test_a_global_config_is_the_default_and_an_app_overrides_it():
    config(title="Shop tools", theme="light")

    def plain():
        pass

    @config(title="Own")
    def own():
        pass

    html, _ = page({"index": plain, "own": own})
    assert "<title>Shop tools</title>" in html and page_config(html)["theme"] == "light"
    own_html, _ = page({"index": plain, "own": own}, "own")
    assert "<title>Own</title>" in own_html and page_config(own_html)["theme"] == "light"


def test_the_manifest_follows_the_config():
    @config(title="Garden", description="Plant things", manifest={"theme_color": "#2a2"})
    def garden():
        pass

    @config(manifest=False)
    def quiet():
        pass

    html, hub = page({"index": garden, "quiet": quiet})
    assert '<link rel="manifest" href="?_webio_manifest=index">' in html
    answer = answer_get(hub, {"_webio_manifest": "index"}, {}, ["sse"])
    assert answer.headers["Content-Type"] == "application/manifest+json"
    manifest = json.loads(answer.body)
    assert manifest["name"] == "Garden" and manifest["theme_color"] == "#2a2"
    assert manifest["start_url"] == "?app=index" and manifest["display"] == "standalone"
    quiet_html, _ = page({"index": garden, "quiet": quiet}, "quiet")
    assert "manifest" not in quiet_html
    assert answer_get(hub, {"_webio_manifest": "quiet"}, {}, ["sse"]).status == 404


def test_bad_settings_are_refused_clearly():
    with pytest.raises(ValueError, match="unknown theme 'neon'"):
        config(theme="neon")
    with pytest.raises(TypeError, match="title must be a string"):
        config(title=3)
    with pytest.raises(TypeError, match="manifest"):
        config(manifest="yes")
    with pytest.raises(TypeError, match="decorates an app function"):
        config(title="x")("not a function")


def test_seo_is_a_deprecated_alias():
    def app():
        pass

    with pytest.warns(DeprecationWarning, match="config"):
        configured = seo("Search title", "Search description", app)
    html, _ = page(configured)
    assert "<title>Search title</title>" in html and 'content="Search description"' in html


def test_pywebio_names_exist():
    assert webio.config is config
    assert webio.platform.config is config
    assert callable(webio.platform.run_event_loop) and callable(webio.platform.start_server)
    assert issubclass(webio.SessionClosedException, webio.SessionException)
    assert issubclass(webio.SessionNotFoundException, webio.SessionException)
    assert webio.STATIC_PATH.endswith("html") and callable(webio.enable_debug)
