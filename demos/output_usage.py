"""Every output of webio.output on one page: a tour for a new user, and the page the
browser test takes a screenshot of.

Run it with ``python demos/output_usage.py`` (add ``--async`` for the coroutine
version) and open the address it prints.
"""
import argparse
import random
import struct
import zlib

from webio import start_server
from webio.output import (
    JSFunction,
    clear,
    close_popup,
    datatable_insert,
    datatable_remove,
    datatable_update,
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
    remove,
    scroll_to,
    set_progressbar,
    span,
    toast,
    use_scope,
)


def gradient_png(width=160, height=90):
    """A small PNG made without Pillow: a diagonal blue-to-teal gradient."""
    rows = b"".join(
        b"\x00" + b"".join(bytes((40 + x // 2, 90 + y, 200 - x // 3)) for x in range(width)) for y in range(height)
    )

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


CITIES = ["Lisbon", "Nairobi", "Osaka", "Lima", "Oslo", "Hanoi", "Quito", "Perth"]


def people(count):
    rng = random.Random(7)
    return [{"id": i, "name": f"Person {i}", "city": rng.choice(CITIES), "age": rng.randint(18, 90),
             "score": round(rng.random() * 100, 2), "contact": {"email": f"p{i}@example.org"}}
            for i in range(count)]


def show_everything():
    put_markdown("""
    # webio outputs
    Every function of `webio.output`, as a PyWebIO user knows them.
    """)

    put_markdown("## Text, Markdown, HTML and code")
    put_text("put_text shows text as typed: <b>not bold</b>, & friends.")
    put_markdown("**Markdown** with `code`, ~~strikethrough~~, [a link](https://example.org) and a table:\n\n"
                 "| a | b |\n|---|---|\n| 1 | 2 |")
    put_html("<p>put_html: <em>raw HTML</em> with <sup>superscript</sup>.</p>")
    put_code('def greet(name: str) -> str:\n    """Say hello."""\n    return f"Hello {name}!"  # 42', "python")

    put_markdown("## Messages")
    put_info("put_info: something to know.")
    put_success("put_success: it worked.", closable=True)
    put_warning("put_warning: careful.")
    put_error("put_error: something failed.", put_text("Outputs nest in messages too."))

    put_markdown("## Tables")
    put_table([
        [span("Name", row=2), span("Address", col=2)],
        ["City", "Country"],
        ["Wang", "Beijing", "China"],
        ["Liu", "New York", "America"],
    ])
    put_table([
        ["Type", "Content"],
        ["html", put_html("X<sup>2</sup>")],
        ["text", "<hr/>"],
        ["buttons", put_buttons(["A", "B"], onclick=lambda v: toast(f"clicked {v}"), small=True)],
        ["markdown", put_markdown("`Awesome webio!`")],
        ["file", put_file("hello.txt", b"hello world")],
    ])

    put_markdown("## Buttons, links, images and files")
    put_buttons([dict(label=c, value=c, color=c) for c in ("primary", "secondary", "success", "danger", "warning",
                                                          "info", "light", "dark")],
                onclick=lambda value: toast(f"You clicked {value}", color="success"))
    put_row([
        put_button("Show a popup", onclick=open_popup, outline=True),
        put_button("Toast", onclick=lambda: toast("A toast; click me", duration=4,
                                                   onclick=lambda: put_text("toast clicked")), color="info"),
        put_link("webio on example.org", "https://example.org", new_window=True),
        put_file("notes.txt", b"Some notes\n", label="Download notes.txt"),
    ], size="auto auto auto 1fr").style("align-items: center; gap: 1rem")
    put_image(gradient_png(), title="A gradient made in Python", width="240px")

    put_markdown("## Progress and loading")
    put_progressbar("upload", 0.65, auto_close=False)
    set_progressbar("upload", 0.72)
    put_row([put_loading(), put_loading("grow", "primary"), put_loading(color="success")],
            size="3rem 3rem 3rem")

    put_markdown("## Layout")
    put_row([put_code("row A"), None, put_code("row B")])
    put_column([put_text("column item 1"), put_text("column item 2")])
    put_grid([
        [put_text("A"), put_text("B"), put_text("C")],
        [None, span(put_text("D spans two columns"), col=2)],
        [put_text("E"), put_text("F"), put_text("G")],
    ], cell_width="1fr", cell_height="auto")
    put_collapse("put_collapse: click to open", [
        put_text("Collapsed content, with a table:"),
        put_table([["Commodity", "Price"], ["Apple", "5.5"]]),
    ], open=True)
    put_tabs([
        {"title": "Text", "content": "Hello world"},
        {"title": "Markdown", "content": put_markdown("~~Strikethrough~~")},
        {"title": "More", "content": [put_text("Tabs hold any output."), put_link("Python", "https://python.org")]},
    ])
    with put_scrollable(height=(60, 120), keep_bottom=True):
        for number in range(1, 9):
            put_text(f"scrollable line {number}")
    put_widget("""
    <details {{#open}}open{{/open}} class="demo-widget">
      <summary>put_widget: {{title}}</summary>
      {{#contents}}{{& pywebio_output_parse}}{{/contents}}
    </details>""", {"open": True, "title": "your own template",
                    "contents": ["text item", put_markdown("~~markdown item~~")]})

    put_markdown("## Scopes")
    put_scope("news", [put_text("put_scope: a named region")])
    with use_scope("news"):
        put_text("use_scope: appended to it")
    with use_scope("scratch"):
        put_text("this scope is removed")
    remove("scratch")
    with use_scope("counter", clear=True):
        put_text("use_scope(clear=True) keeps only the latest")
    clear("counter")
    put_text("cleared and refilled", scope="counter")

    put_markdown("## Datatable")
    put_datatable(
        people(2000),
        actions=[("Older by one", lambda row: datatable_update("people", older(row), row)),
                 None,
                 ("Delete", lambda row: datatable_remove("people", row))],
        onselect=lambda row: toast(f"Selected row {row}"),
        instance_id="people",
        id_field="id",
        height=320,
        column_args={"score": {"valueFormatter": JSFunction("params", "return params.value.toFixed(1)")}},
    )
    datatable_insert("people", {"id": 2000, "name": "Newcomer", "city": "Oslo", "age": 30, "score": 99.5,
                                "contact": {"email": "new@example.org"}}, row_id=0)
    scroll_to("ROOT", "top")


def older(row_id):
    record = next(p for p in people(2000) if p["id"] == row_id)
    return {**record, "age": record["age"] + 1}


def open_popup():
    with popup("A popup", size="normal"):
        put_text("Popups hold outputs, like every container.")
        put_table([["A", "B"], ["C", "D"]])
        put_buttons(["Close"], onclick=lambda _: close_popup())


def main():
    """All outputs (thread session)"""
    show_everything()


async def async_main():
    """All outputs (coroutine session)"""
    show_everything()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--async", dest="use_async", action="store_true", help="serve the coroutine version")
    args = parser.parse_args()
    start_server(async_main if args.use_async else main, port=args.port, host=args.host)
