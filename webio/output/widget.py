"""``put_widget``: an output made from an HTML template of your own."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from webio.output.base import Output, OutputPosition, embed_all, show
from webio.output.mustache import Slot, render

__all__ = ["put_widget"]


def _collect(value: Any, outputs: list[Output]) -> Any:
    """``value`` with every Output replaced by a :class:`Slot` numbered in ``outputs``."""
    if isinstance(value, Output):
        outputs.append(value)
        return Slot(len(outputs) - 1)
    if isinstance(value, Mapping):
        return {key: _collect(item, outputs) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_collect(item, outputs) for item in value]
    return value


def put_widget(template: str, data: Mapping[str, Any], scope: str | None = None,
               position: int = OutputPosition.BOTTOM) -> Output:
    """Output a widget of your own: ``template`` is HTML with Mustache tags, filled
    with ``data`` on the server.

    ``{{name}}`` inserts a value as text (HTML-escaped); sections ``{{#items}}…{{/items}}``
    repeat over lists. Outputs (``put_xxx()`` calls) may be placed in ``data``;
    ``{{& pywebio_output_parse}}`` inside a section shows the current item there:
    an output as itself, a string as text::

        put_widget('<details><summary>{{title}}</summary>'
                   '{{#contents}}{{& pywebio_output_parse}}{{/contents}}</details>',
                   {'title': 'More', 'contents': ['text', put_markdown('~~no~~')]})

    .. warning:: the template is inserted as HTML, ``<script>`` included, and
       ``{{& name}}``/``{{{name}}}`` insert values unescaped: keep text from visitors
       in ``{{name}}`` tags only.
    """
    if not isinstance(template, str):
        raise TypeError(f"put_widget template must be a string, got {type(template).__name__}")
    if not isinstance(data, Mapping):
        raise TypeError(f"put_widget data must be a dict, got {type(data).__name__}")
    outputs: list[Output] = []
    html = render(template, _collect(data, outputs))
    return show({"type": "widget", "html": html, "slots": embed_all(outputs)}, scope, position)
