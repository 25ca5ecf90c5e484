"""Input functions with PyWebIO's names: ``from webio.input import input, select, NUMBER``.

Each function shows a form and returns what the visitor entered: it blocks in a
thread session and returns an awaitable in a coroutine session. Called with
``name=...`` it returns a field for :func:`input_group` instead. One family per
module: ``fields`` (input), ``textarea``, ``choice`` (select, checkbox, radio),
``slider``, ``actions``, ``upload`` (file_upload), ``group`` (input_group,
input_update); the form flow itself is in ``form``.
"""
from __future__ import annotations

from webio.input.actions import actions
from webio.input.choice import CHECKBOX, RADIO, SELECT, checkbox, radio, select
from webio.input.fields import (
    COLOR,
    DATE,
    DATETIME,
    DATETIME_LOCAL,
    FLOAT,
    NUMBER,
    PASSWORD,
    TEXT,
    TIME,
    URL,
    input,
)
from webio.input.group import input_group, input_update
from webio.input.slider import slider
from webio.input.textarea import TEXTAREA, textarea
from webio.input.upload import file_upload

__all__ = [
    "CHECKBOX",
    "COLOR",
    "DATE",
    "DATETIME",
    "DATETIME_LOCAL",
    "FLOAT",
    "NUMBER",
    "PASSWORD",
    "RADIO",
    "SELECT",
    "TEXT",
    "TEXTAREA",
    "TIME",
    "URL",
    "actions",
    "checkbox",
    "file_upload",
    "input",
    "input_group",
    "input_update",
    "radio",
    "select",
    "slider",
    "textarea",
]
