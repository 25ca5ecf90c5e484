"""PyWebIO 1.8.4 in its own virtual environment (``benchmarks/.venv-pywebio``), made on first use."""
from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

__all__ = ["PYWEBIO_VERSION", "VENV_DIR", "ensure_pywebio"]

PYWEBIO_VERSION = "1.8.4"
VENV_DIR = Path(__file__).resolve().parent / ".venv-pywebio"
REQUIREMENTS = [f"pywebio=={PYWEBIO_VERSION}", "tornado", "aiohttp", "flask"]


def _installed_version(python: Path) -> str | None:
    result = subprocess.run([str(python), "-c", "import pywebio; print(pywebio.__version__)"],
                            capture_output=True, text=True, timeout=60)
    return result.stdout.strip() if result.returncode == 0 else None


def ensure_pywebio() -> Path:
    """The interpreter of the environment that has PyWebIO, creating it when needed."""
    python = VENV_DIR / "bin" / "python"
    if python.exists() and _installed_version(python) == PYWEBIO_VERSION:
        return python
    print(f"benchmarks: installing PyWebIO {PYWEBIO_VERSION} into {VENV_DIR} …", file=sys.stderr, flush=True)
    if not python.exists():
        venv.create(VENV_DIR, with_pip=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *REQUIREMENTS],
                   check=True, timeout=900)
    version = _installed_version(python)
    if version != PYWEBIO_VERSION:
        raise RuntimeError(f"PyWebIO {PYWEBIO_VERSION} did not install into {VENV_DIR} (found {version})")
    return python
