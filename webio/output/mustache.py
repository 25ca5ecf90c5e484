"""A Mustache renderer for ``put_widget`` templates (no I/O).

It covers the Mustache spec's core: ``{{name}}`` (HTML-escaped), ``{{{name}}}`` and
``{{& name}}`` (raw), sections ``{{#name}}…{{/name}}`` over lists, dicts and true
values, inverted sections ``{{^name}}…{{/name}}``, ``{{.}}``, dotted names and
comments. Partials, delimiter changes and lambdas are not supported and raise
ValueError. Outputs placed in the data are not rendered here: they become
:class:`Slot` objects, written into the HTML as ``<template data-webio-slot="N">``
placeholders that the browser replaces with the rendered outputs. ``<template>`` is
allowed anywhere in HTML, tables included, so a placeholder stays where it was put.
"""
from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Slot", "OUTPUT_PARSE", "render", "parse"]

OUTPUT_PARSE = "pywebio_output_parse"
"""PyWebIO's name for "render the current item here": an output, or a string as text."""

_TAG = re.compile(r"\{\{(\{[^}]*\}|[^}]*)\}\}(\})?")
_NAME = re.compile(r"[^\s{}]+")


@dataclass(frozen=True)
class Slot:
    """An output inside the data, shown at its place by the browser."""

    index: int

    def html(self) -> str:
        return f'<template data-webio-slot="{self.index}"></template>'


@dataclass
class _Section:
    name: str
    inverted: bool
    children: list[Any]


@dataclass(frozen=True)
class _Variable:
    name: str
    escape: bool


def parse(template: str) -> list[Any]:
    """Parse ``template`` into a tree of strings, variables and sections."""
    root: list[Any] = []
    stack: list[tuple[_Section | None, list[Any]]] = [(None, root)]
    position = 0
    for match in _TAG.finditer(template):
        stack[-1][1].append(template[position:match.start()])
        position = match.end()
        body = match.group(1)
        if body.startswith("{"):
            if not body.endswith("}") and match.group(2) is None:
                raise ValueError(f"unclosed triple mustache {match.group(0)!r}")
            stack[-1][1].append(_Variable(_name(body.strip("{}")), escape=False))
            continue
        if match.group(2) is not None:
            raise ValueError(f"stray '}}}}}}' after {match.group(0)[:-1]!r}")
        sigil, rest = (body[:1], body[1:]) if body[:1] in "#^/&!>=" else ("", body)
        if sigil == "!":
            continue
        if sigil in (">", "="):
            raise ValueError(f"put_widget templates do not support partials or delimiter changes: {match.group(0)!r}")
        name = _name(rest)
        if sigil in ("#", "^"):
            section = _Section(name, sigil == "^", [])
            stack[-1][1].append(section)
            stack.append((section, section.children))
        elif sigil == "/":
            opened = stack[-1][0]
            if opened is None or opened.name != name:
                raise ValueError(f"{{{{/{name}}}}} closes a section that is not open")
            stack.pop()
        else:
            stack[-1][1].append(_Variable(name, escape=sigil != "&"))
    if stack[-1][0] is not None:
        raise ValueError(f"section {{{{#{stack[-1][0].name}}}}} is not closed")
    root_children = stack[0][1]
    root_children.append(template[position:])
    return root


def _name(text: str) -> str:
    name = text.strip()
    if not _NAME.fullmatch(name):
        raise ValueError(f"bad mustache tag name {text!r}")
    return name


_MISSING = object()


def _lookup(name: str, stack: list[Any]) -> Any:
    if name == ".":
        return stack[-1]
    first, *rest = name.split(".")
    value: Any = _MISSING
    for context in reversed(stack):
        if isinstance(context, Mapping) and first in context:
            value = context[first]
            break
    if value is _MISSING:
        return None
    for part in rest:
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _text(value: Any, escape: bool) -> str:
    if isinstance(value, Slot):
        return value.html()
    if value is None:
        return ""
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return html.escape(text, quote=True) if escape else text


def _render(nodes: list[Any], stack: list[Any], out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, _Variable):
            if node.name == OUTPUT_PARSE:
                out.append(_text(stack[-1], escape=True))
            else:
                out.append(_text(_lookup(node.name, stack), node.escape))
        else:
            value = _lookup(node.name, stack)
            empty = value is None or value is False or (not isinstance(value, Slot) and not value)
            if node.inverted:
                if empty:
                    _render(node.children, stack, out)
            elif isinstance(value, (list, tuple)):
                for item in value:
                    _render(node.children, [*stack, item], out)
            elif not empty:
                _render(node.children, [*stack, value] if not isinstance(value, bool) else stack, out)


def render(template: str, data: Any) -> str:
    """Render ``template`` with ``data``; string values are HTML-escaped unless
    written with ``{{& name}}`` or ``{{{name}}}``."""
    out: list[str] = []
    _render(parse(template), [data], out)
    return "".join(out)
