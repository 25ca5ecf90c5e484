"""``textarea()``: several lines of text, or code in a monospace editor."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from webio.input.common import finish, item_spec, make_field
from webio.input.fields import check_length
from webio.input.form import FieldError

__all__ = ["TEXTAREA", "code_options", "parse_textarea", "textarea"]

TEXTAREA = "textarea"


def parse_textarea(raw: Any, spec: dict[str, Any]) -> str:
    """The submitted text (``""`` when empty), within ``maxlength``/``minlength``."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise FieldError("Please enter text.")
    return check_length(raw, spec)


def code_options(code: Any) -> dict[str, Any] | None:
    """The ``code`` spec field: None (plain text), or the editor options as a dict.

    ``code=True`` or ``code={}`` asks for the code editor; a dict of CodeMirror-style
    options (``mode``, ``theme`` …) is accepted for PyWebIO compatibility and sent
    along: webio's editor is monospace, keeps indentation and takes Tab, and shows
    ``mode`` as the language name.
    """
    if code is None or code is False:
        return None
    if code is True:
        return {}
    if isinstance(code, dict):
        return dict(code)
    raise TypeError(f"code must be True, False, None or a dict of editor options, got {code!r}")


def _count(value: Any, what: str, *, minimum: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{what} must be an int ≥ {minimum}, got {value!r}")
    return value


def textarea(
    label: str = "",
    *,
    rows: int = 6,
    code: bool | dict[str, Any] | None = None,
    maxlength: int | None = None,
    minlength: int | None = None,
    validate: Callable[[Any], str | None] | None = None,
    name: str | None = None,
    value: str | None = None,
    onchange: Callable[[Any], Any] | None = None,
    placeholder: str | None = None,
    required: bool | None = None,
    readonly: bool | None = None,
    help_text: str | None = None,
    **other_html_attrs: Any,
) -> Any:
    """Ask for several lines of text and return them as one string.

    ``rows`` is the visible height. ``maxlength``/``minlength`` count characters as a
    browser does (UTF-16 code units) and are checked on the server too. ``code=True``
    (or a dict of editor options) shows a monospace code editor that keeps the
    indentation of the line above, and where Tab indents (press Esc first to move
    on with Tab). Other parameters are as for :func:`~webio.input.input`.
    """
    spec = item_spec(TEXTAREA, name=name, label=label, other_html_attrs=other_html_attrs, value=value,
                     rows=_count(rows, "rows", minimum=1), code=code_options(code),
                     maxlength=_count(maxlength, "maxlength", minimum=0),
                     minlength=_count(minlength, "minlength", minimum=0), placeholder=placeholder,
                     required=required, readonly=readonly, help_text=help_text)
    return finish(make_field(spec, parse_textarea, validate=validate, onchange=onchange), name)
