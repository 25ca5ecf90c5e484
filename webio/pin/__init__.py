"""Pin widgets with PyWebIO's names: ``from webio.pin import put_input, pin``.

Widgets (``put_input`` … ``put_file_upload``) are inputs placed on the page like
outputs; ``pin.name`` reads one, ``pin_wait_change`` waits for the visitor to change
one, ``pin_update`` changes one, ``pin_on_change`` calls back on changes.
"""
from __future__ import annotations

from webio.pin.api import Pin, get_pin_values, pin, pin_on_change, pin_update, pin_wait_change
from webio.pin.widgets import (
    put_actions,
    put_checkbox,
    put_file_upload,
    put_input,
    put_radio,
    put_select,
    put_slider,
    put_textarea,
)

__all__ = [
    "Pin",
    "get_pin_values",
    "pin",
    "pin_on_change",
    "pin_update",
    "pin_wait_change",
    "put_actions",
    "put_checkbox",
    "put_file_upload",
    "put_input",
    "put_radio",
    "put_select",
    "put_slider",
    "put_textarea",
]
