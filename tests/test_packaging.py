"""The wheel ships the browser client, and a non-editable install serves it."""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

from test_protocol_compat import free_port

ROOT = Path(__file__).resolve().parent.parent


def test_a_wheel_install_serves_the_client(tmp_path):
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    wheel = next((tmp_path / "dist").glob("webio-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ("webio/html/index.html", "webio/html/js/main.js", "webio/html/css/webio.css"):
        assert expected in names
    assert not any(name.startswith("html/") for name in names), "the client lives inside the package"

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                   check=True, timeout=300)
    port = free_port()
    app = "from webio import start_server\nfrom webio.output import put_text\n" \
          f"start_server(lambda: put_text('hi'), port={port}, host='127.0.0.1')\n"
    server = subprocess.Popen([str(python), "-c", app], cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        assert server.stdout.readline().startswith("webio is serving on")
        location = subprocess.run([str(python), "-c", "import webio; print(webio.STATIC_PATH)"], cwd=tmp_path,
                                  check=True, capture_output=True, text=True).stdout.strip()
        assert location.startswith(str(venv)), f"webio was imported from {location}, not the wheel"
        page = _get(f"http://127.0.0.1:{port}/")
        assert "webio-config" in page
        assert "import" in _get(f"http://127.0.0.1:{port}/?_webio_static=js/main.js")
    finally:
        server.terminate()
        server.wait(10)
        server.stdout.close()


def _get(url: str) -> str:
    deadline = time.monotonic() + 10
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
