"""The output widgets in chromium: the demo page, an XSS corpus, the datatable at
10,000 rows, popups and the other interactive outputs."""
from __future__ import annotations

import importlib.util
import re
import struct
import warnings
import zlib
from pathlib import Path

import pytest

from webio.output import (
    close_popup,
    datatable_insert,
    datatable_update,
    output,
    popup,
    put_button,
    put_buttons,
    put_code,
    put_collapse,
    put_column,
    put_datatable,
    put_error,
    put_file,
    put_grid,
    put_html,
    put_image,
    put_info,
    put_link,
    put_loading,
    put_markdown,
    put_progressbar,
    put_row,
    put_scope,
    put_scrollable,
    put_success,
    put_table,
    put_tabs,
    put_text,
    put_warning,
    put_widget,
    set_progressbar,
    span,
    style,
    toast,
)
from webio.output.base import show

pytestmark = pytest.mark.browser

DEMO = Path(__file__).resolve().parent.parent / "demos" / "output_usage.py"

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    '<svg onload="window.__xss=1"><circle r="4"/></svg>',
    "<svg><script>window.__xss=1</script></svg>",
    '"><img src=x onerror=window.__xss=1>',
    "javascript:window.__xss=1",
    '<iframe src="javascript:window.__xss=1"></iframe>',
    '<a href="javascript:window.__xss=1" id="xss-link">click</a>',
    "{{#x}}{{/x}}{{& pywebio_output_parse}}<style>*{}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
]


def load_demo():
    spec = importlib.util.spec_from_file_location("output_usage_demo", DEMO)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def png_is_not_blank(path: Path) -> bool:
    """Whether a PNG screenshot shows something: many distinct byte values in its pixels."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, offset = [], 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if kind == b"IDAT":
            chunks.append(data[offset + 8:offset + 8 + length])
        offset += 12 + length
    pixels = zlib.decompress(b"".join(chunks))
    return len(set(pixels)) > 64 and len(data) > 20_000


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_demo_shows_every_output(serve, browser, tmp_path, scheme):
    served = serve(load_demo().main)
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1000, "height": 800})
    demo = context.new_page()
    errors = []
    demo.on("pageerror", lambda error: errors.append(str(error)))
    demo.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    demo.goto(served.url)
    demo.get_by_text("Newcomer").wait_for()
    assert demo.evaluate("document.documentElement.dataset.theme") == scheme
    assert demo.locator(".webio-unsupported").count() == 0
    for kind in ("markdown", "code", "table", "buttons", "link", "image", "file", "progressbar", "loading",
                 "row", "column", "grid", "collapse", "tabs", "scrollable", "widget", "message", "datatable"):
        assert demo.locator(f".webio-output-{kind}").count() > 0, kind
    shot = tmp_path / f"demo-{scheme}.png"
    demo.screenshot(path=str(shot), full_page=True)
    context.close()
    assert png_is_not_blank(shot)
    assert not errors


def xss_app():
    """Every text-bearing argument of every output function, fed with script payloads."""
    refused = []

    def attempt(call):
        try:
            call()
        except (ValueError, TypeError) as exc:
            refused.append(exc)

    for text in PAYLOADS:
        put_text(text, text, sep=text)
        put_markdown(text)
        put_markdown(f"[link]({text}) ![img]({text}) `{text}`\n\n```{text}\ncode\n```")
        put_html(text, sanitize=True)
        put_code(text, language=text)
        put_code(text, language="html")
        put_table([[text, span(text, col=1)], [put_text(text), text]], header=[text, (text, "k")])
        put_table([{text: text}])
        put_buttons([text, (text, text), {"label": text, "value": text}], onclick=lambda _: None)
        put_button(text, onclick=lambda: None)
        put_link(text, app=text)
        put_link(text, "https://example.org/?" + text)
        attempt(lambda text=text: put_link(text, text))
        put_image(b"\x89PNG\r\n\x1a\n", title=text)
        attempt(lambda text=text: put_image(text, title=text))
        attempt(lambda text=text: put_image(b"x", format=text))
        put_image("https://example.invalid/a.png", width=text, height=text, title=text)
        put_file(text, b"x", label=text)
        put_progressbar("bar", 0.5, label=text)
        set_progressbar("bar", 0.6, label=text)
        attempt(lambda text=text: put_progressbar(text))
        attempt(lambda text=text: put_loading(color=text))
        put_collapse(text, [text, put_text(text)])
        put_scrollable([text], height=50)
        put_tabs([{"title": text, "content": text}])
        put_widget("<div>{{x}}{{#items}}{{& pywebio_output_parse}}{{/items}}</div>", {"x": text, "items": [text]})
        put_row([put_text(text)], size=text)
        put_column([put_text(text)], size=text)
        put_grid([[put_text(text)]], cell_width=text, cell_height=text)
        put_info(text)
        put_success(text, closable=True)
        put_warning(put_text(text))
        put_error(text)
        put_text("styled").style(text)
        attempt(lambda text=text: put_scope(text))
        toast(text, color=text)
        put_datatable([{text: text, "n": {text: text}}], actions=[(text, lambda _: None)], onselect=lambda _: None,
                      instance_id="t" + str(PAYLOADS.index(text)), height=text,
                      column_args={text: {"headerName": text}})
        datatable_update("t" + str(PAYLOADS.index(text)), [{text: text + "!"}])
        datatable_insert("t" + str(PAYLOADS.index(text)), {text: text})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            put_row(style([put_text(text)], text))
            holder = output(text)
            put_table([[holder]])
            holder.append(text)
    # The client's own guard, behind the server's: specs no server would send.
    show({"type": "link", "name": "raw link", "href": "javascript:window.__xss=1"}, None, -1)
    show({"type": "image", "src": "javascript:window.__xss=1", "title": "raw image"}, None, -1)
    show({"type": "file", "name": "<img src=x onerror=window.__xss=1>", "label": PAYLOADS[1], "content": "eA=="}, None, -1)
    popup(PAYLOADS[1], [PAYLOADS[0], put_text(PAYLOADS[2])])
    put_text(f"refused {len(refused)}")
    put_buttons(["keep"], onclick=lambda _: None)


def test_no_payload_runs_in_the_browser(serve, browser):
    served = serve(xss_app)
    context = browser.new_context()
    page = context.new_page()
    errors = []  # failed image loads are expected here; script errors are not
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(served.url)
    refused = page.get_by_text(re.compile(r"^refused \d+$"))
    refused.wait_for()
    # Always refused: image format, progress bar name, loading colour, scope name;
    # and the script URLs of put_link and put_image.
    assert int(refused.inner_text().split()[1]) == 4 * len(PAYLOADS) + 2
    page.keyboard.press("Escape")  # close the popup
    for tab in page.get_by_role("tab").all()[:3]:
        tab.click()
    page.locator(".webio-dt-table tbody tr[data-index]").first.click()
    page.locator(".webio-file").first.click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__xss") is None
    found = page.evaluate("""() => {
        const handlers = [];
        for (const el of document.querySelectorAll('*')) {
            for (const attr of el.attributes) if (/^on/i.test(attr.name)) handlers.push(el.tagName + ' ' + attr.name);
        }
        const urls = [...document.querySelectorAll('[href], [src]')]
            .map((el) => el.getAttribute('href') || el.getAttribute('src'))
            .filter((url) => /^\\s*(javascript|vbscript|data:text)/i.test(url));
        return {handlers, urls, scripts: document.querySelectorAll('#pywebio-scope-ROOT script').length};
    }""")
    context.close()
    assert found == {"handlers": [], "urls": [], "scripts": 0}
    assert not errors


def test_datatable_stays_small_in_the_dom_at_10000_rows(serve, page):
    def main():
        put_datatable([{"id": i, "name": f"Person {i}", "age": i % 90} for i in range(10_000)],
                      onselect=lambda row: put_text(f"picked {row}"), instance_id="big", id_field="id")
        put_buttons(["Rename 9999"], onclick=lambda _: datatable_update("big", "Zed", 9999, "name"))

    served = serve(main)
    page.goto(served.url)
    page.get_by_text("10,000 rows").wait_for()
    rows = page.locator(".webio-dt-table tbody tr[data-index]")
    assert rows.count() < 80, "only the rows in view are in the DOM"
    timing = page.evaluate("""() => {
        const start = performance.now();
        document.querySelectorAll('.webio-dt-sort')[2].click();
        document.querySelectorAll('.webio-dt-sort')[2].click();
        return performance.now() - start;
    }""")
    assert timing < 500, f"sorting 10,000 rows twice took {timing:.0f} ms"
    assert page.locator("th[aria-sort='descending']").count() == 1
    page.locator(".webio-dt-scroll").evaluate("el => { el.scrollTop = el.scrollHeight; }")
    page.get_by_text("Person 9990").wait_for()
    page.get_by_label("Filter rows").fill("9999")
    page.get_by_text("1 of 10,000 rows").wait_for()
    page.get_by_role("button", name="Rename 9999").click()
    page.get_by_text("Zed").wait_for()
    page.get_by_role("checkbox", name="Select row 9999").check()
    page.get_by_text("picked 9999").wait_for()


def test_popup_closes_with_escape_and_tells_the_server(serve, page):
    def main():
        put_button("Open", onclick=lambda: popup("Hello", [put_text("inside"), put_buttons(["Done"], onclick=lambda _: close_popup())]))
        put_button("Locked", onclick=lambda: popup("Locked", "no way out", closable=False))
        put_button("Unlock", onclick=close_popup)

    served = serve(main)
    page.goto(served.url)
    page.get_by_role("button", name="Open").click()
    dialog = page.get_by_role("dialog", name="Hello")
    dialog.wait_for()
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    session = next(iter(served.hub.sessions.values()))
    page.get_by_role("button", name="Open").click()
    page.get_by_role("button", name="Done").click()
    dialog.wait_for(state="detached")
    page.get_by_role("button", name="Locked").click()
    locked = page.get_by_role("dialog", name="Locked")
    locked.wait_for()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert locked.is_visible(), "closable=False ignores Esc"
    assert page.get_by_role("button", name="Close").count() == 0
    assert session.page.popup is not None and session.page.popup["title"] == "Locked"


def test_interactive_outputs(serve, page):
    def main():
        put_text("click this text").onclick(lambda: put_text("text clicked"))
        put_tabs([{"title": "One", "content": "first panel"}, {"title": "Two", "content": "second panel"}])
        put_collapse("Open me", "hidden content")
        put_file("hello.txt", b"hello file")
        put_info("dismiss me", closable=True)
        toast("click the toast", duration=0, onclick=lambda: put_text("toast clicked"))

    served = serve(main)
    page.goto(served.url)
    page.get_by_role("button", name="click this text").press("Enter")
    page.get_by_text("text clicked").wait_for()
    page.get_by_role("tab", name="One").focus()
    page.keyboard.press("ArrowRight")
    assert page.get_by_role("tab", name="Two").get_attribute("aria-selected") == "true"
    assert page.get_by_text("second panel").is_visible() and not page.get_by_text("first panel").is_visible()
    assert not page.get_by_text("hidden content").is_visible()
    page.get_by_text("Open me").click()
    assert page.get_by_text("hidden content").is_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="hello.txt").click()
    assert download.value.suggested_filename == "hello.txt"
    assert Path(download.value.path()).read_bytes() == b"hello file"
    page.get_by_role("button", name="Dismiss").click()
    assert page.get_by_text("dismiss me").count() == 0
    page.get_by_text("click the toast").click()
    page.get_by_text("toast clicked").wait_for()
