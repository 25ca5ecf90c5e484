"""Output functions with PyWebIO's names: ``from webio.output import put_text …``.

Each family lives in its own module; this module only gathers them:

=================  ==============================================================
``text``           put_text, put_markdown, put_html, put_code
``buttons``        put_buttons, put_button
``table``          put_table, span
``media``          put_image, put_file, put_link
``layout``         put_row, put_column, put_grid, put_collapse, put_scrollable, put_tabs
``widget``         put_widget
``feedback``       put_info, put_success, put_warning, put_error, toast
``progress``       put_progressbar, set_progressbar, put_loading
``popup``          popup, close_popup, PopupSize
``datatable``      put_datatable, datatable_update/insert/remove, JSFunction
``scope``          put_scope, use_scope, set_scope, get_scope, clear, remove, scroll_to
``legacy``         output, style (deprecated)
=================  ==============================================================
"""
from __future__ import annotations

from webio.output.base import Output, OutputList, OutputPosition, Position
from webio.output.buttons import put_button, put_buttons
from webio.output.datatable import JSFunction, datatable_insert, datatable_remove, datatable_update, put_datatable
from webio.output.feedback import put_error, put_info, put_success, put_warning, toast
from webio.output.layout import put_collapse, put_column, put_grid, put_row, put_scrollable, put_tabs
from webio.output.legacy import output, style
from webio.output.media import put_file, put_image, put_link
from webio.output.popup import PopupSize, close_popup, popup
from webio.output.progress import put_loading, put_processbar, put_progressbar, set_processbar, set_progressbar
from webio.output.scope import clear, get_scope, put_scope, remove, scroll_to, set_scope, use_scope
from webio.output.table import put_table, span
from webio.output.text import put_code, put_html, put_markdown, put_text
from webio.output.widget import put_widget

__all__ = [
    "Output",
    "OutputList",
    "OutputPosition",
    "Position",
    "PopupSize",
    "JSFunction",
    "put_text",
    "put_markdown",
    "put_html",
    "put_code",
    "put_table",
    "span",
    "put_buttons",
    "put_button",
    "put_link",
    "put_image",
    "put_file",
    "put_progressbar",
    "set_progressbar",
    "put_processbar",
    "set_processbar",
    "put_loading",
    "put_collapse",
    "put_scrollable",
    "put_tabs",
    "put_widget",
    "put_row",
    "put_column",
    "put_grid",
    "put_info",
    "put_success",
    "put_warning",
    "put_error",
    "put_datatable",
    "datatable_update",
    "datatable_insert",
    "datatable_remove",
    "toast",
    "popup",
    "close_popup",
    "style",
    "output",
    "put_scope",
    "use_scope",
    "set_scope",
    "get_scope",
    "clear",
    "remove",
    "scroll_to",
]
