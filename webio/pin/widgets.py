"""Pin widgets: input controls placed on the page like outputs, read at any time.

Each ``put_*`` builds the same item as its input function (``put_select`` as
``select``) and shows it as an output of type ``pin``; its value is read with the
:data:`~webio.pin.pin` object. A widget put under the name of an earlier one
replaces it as the source of that name's value.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from webio.input.actions import actions
from webio.input.choice import checkbox, radio, select
from webio.input.common import check_name
from webio.input.fields import TEXT, input
from webio.input.form import Field
from webio.input.slider import slider
from webio.input.textarea import textarea
from webio.input.upload import file_upload
from webio.output.base import Output, OutputPosition, show
from webio.pin.state import pin_state
from webio.session.context import get_current_session

__all__ = [
    "put_actions",
    "put_checkbox",
    "put_file_upload",
    "put_input",
    "put_radio",
    "put_select",
    "put_slider",
    "put_textarea",
]


def _pin_name(name: Any) -> str:
    return check_name(name, "a pin name")


def _show(item: Field, scope: str | None, position: int) -> Output:
    pin_state(get_current_session()).register(item)
    return show({"type": "pin", "input": item.spec}, scope, position)


def put_input(name: str, type: str = TEXT, *, label: str = "", value: Any = None,
              placeholder: str | None = None, readonly: bool | None = None, datalist: Sequence[Any] | None = None,
              help_text: str | None = None, scope: str | None = None,
              position: int = OutputPosition.BOTTOM) -> Output:
    """Put a one-line input on the page; parameters as :func:`webio.input.input`."""
    item = input(label, type, name=_pin_name(name), value=value, placeholder=placeholder, readonly=readonly,
                 datalist=datalist, help_text=help_text)
    return _show(item, scope, position)


def put_textarea(name: str, *, label: str = "", rows: int = 6, code: bool | dict[str, Any] | None = None,
                 maxlength: int | None = None, minlength: int | None = None, value: str | None = None,
                 placeholder: str | None = None, readonly: bool | None = None, help_text: str | None = None,
                 scope: str | None = None, position: int = OutputPosition.BOTTOM) -> Output:
    """Put a text area on the page; parameters as :func:`webio.input.textarea`."""
    item = textarea(label, name=_pin_name(name), rows=rows, code=code, maxlength=maxlength, minlength=minlength,
                    value=value, placeholder=placeholder, readonly=readonly, help_text=help_text)
    return _show(item, scope, position)


def put_select(name: str, options: Sequence[Any] | None = None, *, label: str = "", multiple: bool | None = None,
               value: Any = None, native: bool = True, help_text: str | None = None, scope: str | None = None,
               position: int = OutputPosition.BOTTOM) -> Output:
    """Put a drop-down list on the page; parameters as :func:`webio.input.select`."""
    item = select(label, options, name=_pin_name(name), multiple=multiple, value=value, native=native,
                  help_text=help_text)
    return _show(item, scope, position)


def put_checkbox(name: str, options: Sequence[Any] | None = None, *, label: str = "", inline: bool | None = None,
                 value: Sequence[Any] | None = None, help_text: str | None = None, scope: str | None = None,
                 position: int = OutputPosition.BOTTOM) -> Output:
    """Put check boxes on the page; parameters as :func:`webio.input.checkbox`."""
    item = checkbox(label, options, name=_pin_name(name), inline=inline, value=value, help_text=help_text)
    return _show(item, scope, position)


def put_radio(name: str, options: Sequence[Any] | None = None, *, label: str = "", inline: bool | None = None,
              value: Any = None, help_text: str | None = None, scope: str | None = None,
              position: int = OutputPosition.BOTTOM) -> Output:
    """Put radio buttons on the page; parameters as :func:`webio.input.radio`."""
    item = radio(label, options, name=_pin_name(name), inline=inline, value=value, help_text=help_text)
    return _show(item, scope, position)


def put_slider(name: str, *, label: str = "", value: float = 0, min_value: float = 0,
               max_value: float = 100, step: float = 1, required: bool | None = None,
               help_text: str | None = None, scope: str | None = None,
               position: int = OutputPosition.BOTTOM) -> Output:
    """Put a slider on the page; parameters as :func:`webio.input.slider`."""
    item = slider(label, name=_pin_name(name), value=value, min_value=min_value, max_value=max_value, step=step,
                  required=required, help_text=help_text)
    return _show(item, scope, position)


def put_actions(name: str, *, label: str = "", buttons: Sequence[Any] | None = None, help_text: str | None = None,
                scope: str | None = None, position: int = OutputPosition.BOTTOM) -> Output:
    """Put buttons on the page: a click makes the pin's value that button's value.

    Only ``submit`` buttons are allowed (there is no form to reset or cancel).
    """
    item = actions(label, buttons, name=_pin_name(name), help_text=help_text)
    kinds = {button["type"] for button in item.spec["buttons"]}
    if kinds - {"submit"}:
        raise ValueError(f"put_actions() takes submit buttons only, got a {min(kinds - {'submit'})!r} button")
    return _show(item, scope, position)


def put_file_upload(name: str, *, label: str = "", accept: str | Sequence[str] | None = None,
                    placeholder: str = "Choose file", multiple: bool = False, max_size: int | str = 0,
                    max_total_size: int | str = 0, help_text: str | None = None, scope: str | None = None,
                    position: int = OutputPosition.BOTTOM) -> Output:
    """Put a file chooser on the page; parameters as :func:`webio.input.file_upload`.

    Chosen files are uploaded at once (in chunks, with progress, limits enforced on
    the server); the pin's value is then the file dict (a list with ``multiple``).
    """
    item = file_upload(label, accept=accept, name=_pin_name(name), placeholder=placeholder, multiple=multiple,
                       max_size=max_size, max_total_size=max_total_size, help_text=help_text)
    return _show(item, scope, position)
