"""Testing webio apps without a browser.

:class:`TestClient` runs an app in a real session and lets a plain pytest test read
the page and act on it. For pytest, enable the fixture ``webio_client`` with
``pytest_plugins = ["webio.testing.pytest_plugin"]`` in your ``conftest.py``.
"""
from __future__ import annotations

from webio.testing.client import TestClient
from webio.testing.inputs import UploadFile
from webio.testing.page import Button

__all__ = ["Button", "TestClient", "UploadFile"]
