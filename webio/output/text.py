"""Text-like outputs: plain text, markdown, code and raw HTML."""
from __future__ import annotations

import html as html_lib
import warnings
from typing import Any

from webio.output.base import Output, OutputPosition, show
from webio.output.render import highlight_code, render_markdown, sanitize_html

__all__ = ["put_text", "put_markdown", "put_html", "put_code"]


def put_text(
    *texts: Any, sep: str = " ", inline: bool = False, scope: str | None = None, position: int = OutputPosition.BOTTOM
) -> Output:
    """Output plain text: the values joined by ``sep``, shown as typed (never as HTML).

    ``inline=True`` keeps it on the line of the output before it.
    """
    content = str(texts[0]) if len(texts) == 1 else str(sep).join(map(str, texts))
    return show({"type": "text", "content": content, "inline": bool(inline)}, scope, position)


def strip_literal_indent(text: str) -> str:
    """Remove the indentation of an indented triple-quoted string.

    The first line is kept as it is (it usually follows the opening quotes); the
    indentation common to the other non-blank lines is removed from them.
    """
    lines = text.splitlines()
    if len(lines) < 2:
        return text
    indents = [len(line) - len(line.lstrip(" \t")) for line in lines[1:] if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(lines[:1] + [line[cut:] for line in lines[1:]])


def put_markdown(
    mdcontent: str,
    lstrip: bool = True,
    options: dict[str, Any] | None = None,
    sanitize: bool = True,
    scope: str | None = None,
    position: int = OutputPosition.BOTTOM,
    **kwargs: Any,
) -> Output:
    """Output Markdown (CommonMark with tables and strikethrough), rendered on the server.

    With ``lstrip`` (the default) the indentation of an indented triple-quoted string
    is removed, so Markdown can be indented like the code around it. ``options``:
    ``{'breaks': True}`` turns single newlines into line breaks; other keys of
    PyWebIO's marked.js options are accepted and have no effect. With
    ``sanitize=True`` (the default) HTML inside the Markdown is cleaned of scripts,
    event handlers and ``javascript:`` links.

    .. warning:: ``sanitize=False`` inserts HTML written in the Markdown as is; use it
       only for text you wrote yourself, never for text from visitors.
    """
    if not isinstance(mdcontent, str):
        raise TypeError(f"put_markdown needs a string, got {type(mdcontent).__name__}")
    if options is not None and not isinstance(options, dict):
        raise TypeError(f"put_markdown options must be a dict, got {options!r}")
    if "strip_indent" in kwargs:
        warnings.warn("put_markdown(strip_indent=...) is deprecated; lstrip=True removes the indentation",
                      DeprecationWarning, stacklevel=2)
    unknown = set(kwargs) - {"strip_indent"}
    if unknown:
        raise TypeError(f"put_markdown got unexpected keyword arguments {sorted(unknown)}")
    text = strip_literal_indent(mdcontent) if lstrip else mdcontent
    breaks = bool((options or {}).get("breaks", False))
    return show({"type": "markdown", "html": render_markdown(text, sanitize=sanitize, breaks=breaks)}, scope, position)


def put_code(
    content: Any,
    language: str = "",
    rows: int | None = None,
    scope: str | None = None,
    position: int = OutputPosition.BOTTOM,
) -> Output:
    """Output a block of code, highlighted on the server by Pygments.

    ``language`` is a Pygments lexer name or alias (``'python'``, ``'js'``, ``'sql'`` …);
    unknown or empty, the code is shown plain. ``rows`` limits the height to that many
    lines; longer code scrolls.
    """
    if not isinstance(language, str):
        raise TypeError(f"put_code language must be a string, got {language!r}")
    if rows is not None and (not isinstance(rows, int) or isinstance(rows, bool) or rows < 1):
        raise ValueError(f"put_code rows must be a positive int or None, got {rows!r}")
    code = content if isinstance(content, str) else str(content)
    highlighted = highlight_code(code, language) if language else None
    spec: dict[str, Any] = {
        "type": "code",
        "html": highlighted if highlighted is not None else html_lib.escape(code, quote=False),
        "language": language,
    }
    if rows is not None:
        spec["rows"] = rows
    return show(spec, scope, position)


def put_html(
    html: Any, sanitize: bool = False, scope: str | None = None, position: int = OutputPosition.BOTTOM
) -> Output:
    """Output HTML.

    .. warning:: the HTML is inserted as is, ``<script>`` elements included, unless
       ``sanitize=True``: never pass text that came from a visitor without
       ``sanitize=True``, or it can run scripts in other visitors' browsers.

    Objects with ``_repr_html_`` or ``__html__`` (pandas tables, markupsafe strings)
    are accepted.
    """
    if hasattr(html, "__html__"):
        html = html.__html__()
    elif hasattr(html, "_repr_html_"):
        html = html._repr_html_()
    if not isinstance(html, str):
        raise TypeError(f"put_html needs a string, got {type(html).__name__}")
    return show({"type": "html", "content": sanitize_html(html) if sanitize else html}, scope, position)
