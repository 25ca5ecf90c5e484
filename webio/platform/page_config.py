"""``config()``: what an app's page shows besides the app (title, theme, extra CSS/JS).

As in PyWebIO, ``config(...)`` works two ways::

    config(title="My tools", theme="dark")      # a global default for every app

    @config(title="Calculator", css_style="h1 { color: teal }")
    def calculator():                            # only this app
        ...

Without a title, an app's docstring names its page: the first paragraph is the
title, the rest the description. Precedence, per setting: the app's own ``config``,
then (title and description only) its docstring, then the global ``config``, then
the server's defaults.

This module imports no web framework; the adapters read the result through
:func:`page_config_for` when they render a page.
"""
from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from webio.platform.adaptor.page import PageConfig

__all__ = ["THEMES", "config", "page_config_for", "seo"]

F = TypeVar("F", bound=Callable[..., Any])

THEMES: Mapping[str, str] = {
    "auto": "auto",
    "light": "light",
    "dark": "dark",
    "default": "light",
    "sketchy": "light",
    "minty": "light",
    "yeti": "light",
}
"""Accepted theme names and the client theme each one gets. webio's client has a
light and a dark look; PyWebIO's Bootswatch themes (sketchy, minty, yeti) show the
light one. ``auto`` follows the visitor's system setting."""

_ATTR = "_webio_config"
_global: dict[str, Any] = {}


def _urls(value: str | Sequence[str], name: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else list(value)
    for item in items:
        if not isinstance(item, str) or not item:
            raise TypeError(f"{name} must be a URL or a list of URLs, got {value!r}")
    return tuple(items)


def _settings(**given: Any) -> dict[str, Any]:
    """The settings that were given, checked; unset ones are left out."""
    settings: dict[str, Any] = {}
    for key in ("title", "description", "js_code", "css_style"):
        value = given[key]
        if value is None:
            continue
        if not isinstance(value, str):
            raise TypeError(f"{key} must be a string, got {value!r}")
        settings[key] = value
    theme = given["theme"]
    if theme is not None:
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}; choose one of {', '.join(THEMES)}")
        settings["theme"] = THEMES[theme]
    for key in ("js_file", "css_file"):
        if given[key]:
            settings[key] = _urls(given[key], key)
    manifest = given["manifest"]
    if manifest is not True:
        if manifest is not False and not isinstance(manifest, Mapping):
            raise TypeError(f"manifest must be True, False or a dict of manifest fields, got {manifest!r}")
        settings["manifest"] = manifest if manifest is False else dict(manifest)
    return settings


class _Config:
    """The result of ``config(...)``: already the global default, or a decorator.

    Calling ``config()`` sets the global default at once; applying the result to an
    app undoes that and configures only the app. (PyWebIO decides this in a
    ``__del__``, which depends on when the object is collected; this does not.)
    """

    def __init__(self, settings: dict[str, Any]) -> None:
        global _global
        self.settings = settings
        self._previous = _global
        _global = settings

    def __call__(self, app: F) -> F:
        global _global
        if not callable(app):
            raise TypeError(f"config(...) decorates an app function, got {app!r}")
        if _global is self.settings:
            _global = self._previous
        # A copy, so that one function can be served with two configurations.
        configured: Any = functools.partial(app)
        for name in ("__name__", "__qualname__", "__doc__", "__module__"):
            if hasattr(app, name):
                setattr(configured, name, getattr(app, name))
        setattr(configured, _ATTR, {**getattr(app, _ATTR, {}), **self.settings})
        return configured  # type: ignore[no-any-return]


def config(
    *,
    title: str | None = None,
    description: str | None = None,
    theme: str | None = None,
    js_code: str | None = None,
    js_file: str | Sequence[str] = (),
    css_style: str | None = None,
    css_file: str | Sequence[str] = (),
    manifest: bool | Mapping[str, Any] = True,
) -> Any:
    """Configure the page of one app (as a decorator) or of every app (called alone).

    :param title: the page's ``<title>`` (also the installed app's name)
    :param description: the page's ``<meta name="description">``, for search engines
    :param theme: ``"auto"`` (follow the visitor's system), ``"light"`` or ``"dark"``;
        PyWebIO's ``"default"``, ``"sketchy"``, ``"minty"``, ``"yeti"`` are accepted
        and shown light
    :param js_code: JavaScript run in the page
    :param js_file: URL or list of URLs of scripts to load
    :param css_style: CSS added to the page
    :param css_file: URL or list of URLs of stylesheets to load
    :param manifest: the web app manifest that lets visitors install the app on a
        phone's home screen: True (a default one from title and description), a dict
        of manifest fields to use instead, or False (none)

    .. warning:: ``js_code``, ``js_file``, ``css_style`` and ``css_file`` go into the
       page as they are; never build them from what a visitor typed.
    """
    return _Config(_settings(title=title, description=description, theme=theme, js_code=js_code,
                             js_file=js_file, css_style=css_style, css_file=css_file, manifest=manifest))


def seo(title: str, description: str | None = None, app: Callable[..., Any] | None = None) -> Any:
    """Set an app's title and description for search engines.

    .. deprecated:: kept for PyWebIO code; use :func:`config` instead.
    """
    warnings.warn("webio.platform.seo() is deprecated, use webio.config(title=..., description=...) instead",
                  DeprecationWarning, stacklevel=2)
    configured = config(title=title, description=description)
    return configured if app is None else configured(app)


def _doc_parts(app: Callable[..., Any]) -> tuple[str, str]:
    doc = inspect.getdoc(app) or ""
    title, _, description = doc.strip().partition("\n\n")
    return title.strip(), description.strip()


def page_config_for(app: Callable[..., Any], base: PageConfig) -> PageConfig:
    """The page settings of ``app``: its own config, its docstring, the global config, ``base``."""
    own: dict[str, Any] = getattr(app, _ATTR, {})
    merged = {**_global, **own}
    doc_title, doc_description = ("", "") if "title" in own else _doc_parts(app)
    return PageConfig(
        title=own.get("title") or doc_title or _global.get("title") or base.title,
        description=own.get("description") or doc_description or _global.get("description") or base.description,
        theme=merged.get("theme", base.theme),
        head_html=base.head_html,
        js_code=merged.get("js_code", base.js_code),
        js_file=merged.get("js_file", base.js_file),
        css_style=merged.get("css_style", base.css_style),
        css_file=merged.get("css_file", base.css_file),
        manifest=merged.get("manifest", base.manifest),
    )
