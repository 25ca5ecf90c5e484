"""path_deploy / path_deploy_http: every app of a folder, found by URL path."""
from __future__ import annotations

import json

import pytest
import tornado.websocket
from http_support import first_output

from webio.platform.adaptor.http import ALL_TRANSPORTS, HTTP_TRANSPORTS
from webio.platform.adaptor.serving import bind_socket
from webio.platform.path_deploy import AppFolder, folder_application
from webio.platform.tornado import listen
from webio.testing.http_wire import request, run_sync

APP = 'from webio.output import put_text\n\ndef main():\n    """{title}"""\n    put_text("{text}")\n'


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "hello.py").write_text(APP.format(title="Hello", text="hello from the root"))
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "index.py").write_text(APP.format(title="Tools", text="the tools index"))
    (tmp_path / "tools" / "calc.py").write_text(APP.format(title="Calc", text="calc v1"))
    (tmp_path / "_secret.py").write_text(APP.format(title="Secret", text="secret"))
    (tmp_path / "helpers.py").write_text("VALUE = 1\n")
    (tmp_path / "broken.py").write_text("def main(:\n")
    return tmp_path


def serve(folder: AppFolder, *, websocket: bool, scenario):
    """Run ``await scenario(port)`` against a Tornado server of ``folder``."""

    async def run():
        sock = bind_socket("127.0.0.1", 0)
        shutdown = await listen(folder_application(folder, websocket=websocket), sock)
        try:
            await scenario(sock.getsockname()[1])
        finally:
            await folder.shutdown()
            await shutdown()

    run_sync(run())


def test_paths_map_to_files_folders_and_indexes(folder):
    apps = AppFolder(str(folder), index=True, transports=HTTP_TRANSPORTS)

    async def scenario(port):
        async def get(path):
            return await request("127.0.0.1", port, "GET", path)

        index = await get("/")
        assert index.status == 200
        listing = index.body.decode()
        assert "hello" in listing and "tools/" in listing and "_secret" not in listing
        assert "<title>Index of /</title>" in listing
        page = await get("/hello")
        assert page.status == 200 and "<title>Hello</title>" in page.body.decode()
        moved = await get("/tools?x=1")
        assert moved.status == 301 and moved.headers["location"] == "/tools/?x=1"
        assert "<title>Tools</title>" in (await get("/tools/")).body.decode()
        assert (await get("/_secret")).status == 403
        assert (await get("/../etc/passwd")).status in (403, 404)
        assert (await get("/nothing")).status == 404
        assert (await get("/helpers")).status == 404
        assert (await get("/broken")).status == 500
        assert await first_output(port, "/hello") == "hello from the root"
        assert await first_output(port, "/tools/") == "the tools index"

    serve(apps, websocket=False, scenario=scenario)


def test_reload_imports_an_edited_file_again(folder):
    apps = AppFolder(str(folder), index=False, transports=HTTP_TRANSPORTS)

    async def scenario(port):
        assert await first_output(port, "/tools/calc") == "calc v1"
        (folder / "tools" / "calc.py").write_text(APP.format(title="Calc", text="calc v2"))
        assert await first_output(port, "/tools/calc") == "calc v1"
        await request("127.0.0.1", port, "GET", "/tools/calc?reload")
        assert await first_output(port, "/tools/calc") == "calc v2"
        assert (await request("127.0.0.1", port, "GET", "/")).status == 404

    serve(apps, websocket=False, scenario=scenario)


def test_path_deploy_serves_websockets_and_a_custom_index(folder):
    apps = AppFolder(str(folder), index=lambda path: f"<p>custom index of {path.rsplit('/', 1)[-1]}</p>",
                     transports=ALL_TRANSPORTS)

    async def scenario(port):
        page = await request("127.0.0.1", port, "GET", "/")
        assert page.body.decode() == f"<p>custom index of {folder.name}</p>"
        ws = await tornado.websocket.websocket_connect(f"ws://127.0.0.1:{port}/hello?app=index&session=NEW")
        try:
            frame = json.loads(await ws.read_message())
            commands = frame if isinstance(frame, list) else [frame]
            assert commands[0]["spec"]["content"] == "hello from the root"
        finally:
            ws.close()

    serve(apps, websocket=True, scenario=scenario)


def test_a_folder_is_required(tmp_path):
    with pytest.raises(ValueError, match="folder"):
        AppFolder(str(tmp_path / "missing"), index=True, transports=HTTP_TRANSPORTS)
    with pytest.raises(TypeError, match="index"):
        AppFolder(str(tmp_path), index="yes", transports=HTTP_TRANSPORTS)  # type: ignore[arg-type]


def test_the_platform_names_path_deploy_functions():
    import sys

    import webio.platform

    module = sys.modules["webio.platform.path_deploy"]
    assert webio.platform.path_deploy is module.path_deploy
    assert webio.platform.path_deploy_http is module.path_deploy_http
