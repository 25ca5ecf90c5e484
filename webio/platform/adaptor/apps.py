"""Turning the ``applications`` argument into named apps, with an index page."""
from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["normalize_applications", "make_index_app"]

App = Callable[[], Any]


def _title_of(app: App, name: str) -> str:
    doc = inspect.getdoc(app)
    return doc.strip().splitlines()[0] if doc else name


def make_index_app(apps: Mapping[str, App]) -> App:
    """An app that lists the links to ``apps`` (used when no ``index`` app is given)."""
    entries = [(name, _title_of(app, name)) for name, app in apps.items()]

    def index() -> None:
        from webio.output import put_markdown

        lines = [f"- [{title}](?app={name})" for name, title in entries]
        put_markdown("## Apps\n\n" + "\n".join(lines))

    return index


def normalize_applications(applications: App | Sequence[App] | Mapping[str, App]) -> dict[str, App]:
    """``{name: app}`` from a function, a list of functions or a dict.

    A single function is served as ``index``. Functions in a list are named after
    themselves. When no app is called ``index``, an index page linking the others is
    added.
    """
    if callable(applications):
        apps = {"index": applications}
    elif isinstance(applications, Mapping):
        apps = dict(applications)
    elif isinstance(applications, Sequence) and not isinstance(applications, (str, bytes)):
        apps = {getattr(app, "__name__", f"app{i}"): app for i, app in enumerate(applications)}
    else:
        raise TypeError(f"applications must be a function, a list or a dict of functions, got {applications!r}")
    if not apps:
        raise ValueError("no application given")
    for name, app in apps.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"app names must be non-empty strings, got {name!r}")
        if not callable(app):
            raise TypeError(f"app {name!r} is not a function: {app!r}")
    if "index" not in apps:
        apps["index"] = make_index_app(apps)
    return apps
