"""put_text, put_markdown, put_html and put_code through webio.testing, in both session kinds."""
from __future__ import annotations

import pytest
from output_support import outputs_of

from webio.output import put_code, put_html, put_markdown, put_text
from webio.output.text import strip_literal_indent
from webio.testing import TestClient


def test_put_text_joins_values_and_keeps_markup_as_text(open_app):
    client = open_app(lambda: put_text("a", 1, "<b>x</b>", sep="-"))
    assert "a-1-<b>x</b>" in client.texts
    assert outputs_of(client, "text")[0]["inline"] is False


def test_put_markdown_renders_tables_and_strikethrough_and_removes_indentation(open_app):
    def build():
        put_markdown("""# Title
            | a | b |
            |---|---|
            | 1 | ~~2~~ |
            """)

    client = open_app(build)
    html = outputs_of(client, "markdown")[0]["html"]
    assert "<h1>Title</h1>" in html
    assert "<table>" in html and "<s>2</s>" in html


def test_put_markdown_is_sanitized_unless_told_not_to(open_app):
    payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>[x](javascript:alert(3))'

    def build():
        put_markdown(payload)
        put_markdown("<b data-raw>raw</b>", sanitize=False)

    client = open_app(build)
    safe, raw = (o["html"] for o in outputs_of(client, "markdown"))
    assert "onerror" not in safe and "<script" not in safe and "href=\"javascript" not in safe
    assert "<b data-raw>raw</b>" in raw


def test_put_markdown_breaks_option_and_deprecated_strip_indent(open_app):
    def build():
        put_markdown("line one\nline two", options={"breaks": True})
        with pytest.warns(DeprecationWarning, match="strip_indent"):
            put_markdown("x", strip_indent=4)

    client = open_app(build)
    assert "<br" in outputs_of(client, "markdown")[0]["html"]


def test_strip_literal_indent_keeps_the_first_line():
    text = " # H1\n    This is content.\n\n      nested\n    "
    assert strip_literal_indent(text) == " # H1\nThis is content.\n\n  nested\n"


def test_put_html_is_raw_and_sanitize_cleans_it(open_app):
    def build():
        put_html("<p onclick='x()'>raw</p>")
        put_html("<p onclick='x()'>clean</p><script>bad()</script>", sanitize=True)

    client = open_app(build)
    raw, clean = (o["content"] for o in outputs_of(client, "html"))
    assert raw == "<p onclick='x()'>raw</p>"
    assert "onclick" not in clean and "<script" not in clean and "clean" in clean


def test_put_html_accepts_objects_with_html_methods(open_app):
    class Table:
        def _repr_html_(self):
            return "<table><tr><td>df</td></tr></table>"

    client = open_app(lambda: put_html(Table()))
    assert "df" in client.texts


def test_put_code_is_highlighted_on_the_server(open_app):
    def build():
        put_code("def f():\n    return '<x>'", "python", rows=4)
        put_code("<script>no language</script>")
        put_code("x", "no-such-language")

    client = open_app(build)
    python, plain, unknown = outputs_of(client, "code")
    assert 'class="pyg-k"' in python["html"] and "&lt;x&gt;" in python["html"]
    assert python["rows"] == 4 and python["language"] == "python"
    assert plain["html"] == "&lt;script&gt;no language&lt;/script&gt;"
    assert unknown["html"] == "x"
    assert "def f():" in client.texts[0]


@pytest.mark.parametrize("call, error", [
    (lambda: put_code("x", rows=0), ValueError),
    (lambda: put_code("x", language=3), TypeError),
    (lambda: put_markdown(b"bytes"), TypeError),
    (lambda: put_html(3), TypeError),
    (lambda: put_markdown("x", unknown=1), TypeError),
    (lambda: put_text("x", position="top"), TypeError),
    (lambda: put_text("x", scope="no spaces allowed"), ValueError),
])
def test_bad_arguments_raise_clear_errors(call, error):
    seen = []

    def main():
        try:
            call()
        except Exception as exc:  # noqa: BLE001 - the test looks at what was raised
            seen.append(exc)
        put_text("checked")

    with TestClient(main) as client:
        client.wait_for_text("checked")
    assert len(seen) == 1 and isinstance(seen[0], error), seen
