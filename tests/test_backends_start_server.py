"""Each backend's start_server, as a user runs it: a process that serves, then stops on SIGTERM."""
from __future__ import annotations

import signal
import textwrap

import pytest
from http_support import first_output, start_script, stop

from webio.testing.http_wire import request, run_sync

SCRIPT = textwrap.dedent(
    """
    import sys
    from webio.output import put_text

    def main():
        put_text("served by {module}")

    if "{module}" == "path_deploy":
        from webio.platform import path_deploy_http
        path_deploy_http(sys.argv[2], port=int(sys.argv[1]), host="127.0.0.1")
    else:
        from webio.platform.{module} import start_server
        start_server(main, port=int(sys.argv[1]), host="127.0.0.1", cdn=False, reconnect_timeout=10)
    """
)


@pytest.mark.parametrize("module", ["aiohttp", "tornado_http", "path_deploy"])
def test_start_server_serves_at_once_and_stops_on_sigterm(tmp_path, module):
    script = tmp_path / "serve.py"
    script.write_text(SCRIPT.replace("{module}", module))
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "index.py").write_text(SCRIPT.replace("{module}", "path_deploy").split("if ")[0])
    process, port = start_script(script, str(tmp_path / "apps"))
    try:
        page = run_sync(request("127.0.0.1", port, "GET", "/?app=index"))
        assert page.status == 200 and page.headers["content-type"].startswith("text/html")
        assert run_sync(first_output(port, "/")) == f"served by {module}"
        process.send_signal(signal.SIGTERM)
        assert process.wait(5) is not None
    finally:
        stop(process)
