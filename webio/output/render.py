"""Server-side rendering with the field's libraries: markdown-it-py, Pygments, nh3."""
from __future__ import annotations

import functools
import re

import nh3
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

__all__ = ["render_markdown", "sanitize_html", "highlight_code"]

_ALLOWED_ATTRIBUTES = {"*": {"class", "title", "id", "style", "align"}, "a": {"href", "target"},
                       "img": {"src", "alt", "width", "height"}, "td": {"colspan", "rowspan"},
                       "th": {"colspan", "rowspan"}, "ol": {"start"}, "input": {"type", "checked", "disabled"}}


def sanitize_html(html: str) -> str:
    """Remove scripts, event handlers and dangerous URLs from ``html`` (nh3)."""
    tags = set(nh3.ALLOWED_TAGS) | {"span", "div", "input", "del", "s", "pre", "code"}
    attributes = {tag: set(values) for tag, values in nh3.ALLOWED_ATTRIBUTES.items()}
    for tag, values in _ALLOWED_ATTRIBUTES.items():
        attributes.setdefault(tag, set()).update(values)
    return nh3.clean(html, tags=tags, attributes=attributes, link_rel="noopener noreferrer")


def highlight_code(code: str, language: str) -> str | None:
    """HTML of ``code`` highlighted by Pygments, or None for an unknown language."""
    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        return None
    return highlight(code, lexer, HtmlFormatter(nowrap=True, classprefix="pyg-"))


_LANGUAGE = re.compile(r"[\w+#.-]{1,40}")


def _highlight_fence(code: str, language: str, _attrs: str) -> str:
    # The info string of a fence is written by whoever wrote the Markdown: only a
    # plain lexer name goes into the class attribute.
    if not _LANGUAGE.fullmatch(language or ""):
        return ""
    highlighted = highlight_code(code, language)
    if highlighted is None:
        return ""
    return f'<pre class="webio-code"><code class="language-{language}">{highlighted}</code></pre>'


@functools.lru_cache(maxsize=2)
def _markdown(breaks: bool) -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "breaks": breaks, "highlight": _highlight_fence}).enable(
        ["table", "strikethrough"]
    )


def render_markdown(text: str, *, sanitize: bool = True, breaks: bool = False) -> str:
    """Render CommonMark plus tables and strikethrough to HTML; sanitized unless told not to.

    ``breaks=True`` turns single newlines into ``<br>``.
    """
    html = _markdown(breaks).render(text)
    return sanitize_html(html) if sanitize else html
