"""Optional accelerators, the ``webio[speedups]`` extra: uvloop and orjson.

Each one replaces a standard-library part with a faster one that does the same job:
uvloop the asyncio event loop (``webio.platform.adaptor.event_loop``), orjson the
JSON encoder of outgoing frames (``webio.protocol``). webio works the same without
them. When one is installed it is used, unless its environment variable says
otherwise:

* ``WEBIO_EVENT_LOOP``: ``auto`` (default), ``asyncio`` or ``uvloop``;
* ``WEBIO_JSON``: ``auto`` (default), ``stdlib`` or ``orjson``.

``auto`` takes the accelerator when it can be imported; the standard name
(``asyncio``, ``stdlib``) never does; the accelerator's name insists on it and
fails when it is missing, so a deployment that counts on it finds out at start.
"""
from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from types import ModuleType

__all__ = ["optional_module"]


def optional_module(env_var: str, name: str, standard: str, environ: Mapping[str, str] | None = None) -> ModuleType | None:
    """The accelerator module ``name`` if ``env_var`` lets webio use it, else None.

    :param env_var: the environment variable that decides (``auto``, ``standard`` or ``name``)
    :param name: the accelerator's module, e.g. ``"uvloop"``
    :param standard: the value that turns it off, e.g. ``"asyncio"``
    :param environ: where to read ``env_var`` (``os.environ`` by default)
    :raises ValueError: for any other value of ``env_var``
    :raises RuntimeError: when ``env_var`` names the accelerator and it cannot be imported
    """
    env = os.environ if environ is None else environ
    raw = env.get(env_var, "")
    asked = raw.strip().lower() or "auto"
    if asked not in ("auto", standard, name):
        raise ValueError(f"{env_var} must be auto, {standard} or {name}, got {raw!r}")
    if asked == standard:
        return None
    try:
        return importlib.import_module(name)
    except ImportError:
        if asked == name:
            raise RuntimeError(f"{env_var}={name}, but {name} cannot be imported: "
                               "pip install 'webio[speedups]'") from None
        return None
