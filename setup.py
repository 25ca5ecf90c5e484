"""Build script: everything is declared in setup.cfg except one mapping.

The browser client lives in the repository's top-level ``html/`` folder; here it is
mapped into the package as ``webio.html`` so that wheels and editable installs
both ship it and the servers can find it with ``importlib.resources``.
"""
from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["webio", "webio.*"]) + ["webio.html", "webio.html.js", "webio.html.css"],
    package_dir={"webio.html": "html"},
)
