"""Server processes: started on 127.0.0.1 from an app file, watched through /proc, stopped by pid."""
from __future__ import annotations

import asyncio
import importlib.util
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["APPS_DIR", "ServerSpec", "Server", "ServerFailed", "webio_backend_available", "free_port"]

APPS_DIR = Path(__file__).resolve().parent / "apps"
STOP_GRACE_SECONDS = 5.0


class ServerFailed(Exception):
    """The server did not come up (its log's tail is in the message)."""


def webio_backend_available(backend: str) -> bool:
    """Whether this checkout has ``webio.platform.BACKEND`` (checked when a scenario starts)."""
    return importlib.util.find_spec(f"webio.platform.{backend}") is not None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class ServerSpec:
    """Which app to serve, how: ``python APP FRAMEWORK BACKEND MODE PORT COUNT``."""

    app: str
    framework: str
    backend: str
    mode: str
    python: str
    count: int = 0


class Server:
    """A running server subprocess; use ``async with Server.start(...)``."""

    def __init__(self, spec: ServerSpec, port: int, process: subprocess.Popen[bytes], log_path: Path) -> None:
        self.spec = spec
        self.port = port
        self.process = process
        self.log_path = log_path

    @classmethod
    async def start(cls, spec: ServerSpec, log_dir: Path, timeout: float = 30.0) -> Server:
        """Start the server and wait until its port accepts TCP connections."""
        port = free_port()
        log_path = log_dir / f"{spec.app}-{spec.framework}-{spec.backend}-{spec.mode}-{port}.log"
        command = [spec.python, str(APPS_DIR / f"{spec.app}.py"), spec.framework, spec.backend, spec.mode,
                   str(port), str(spec.count)]
        env = {**os.environ, "WEBIO_NO_BROWSER": "1", "PYTHONUNBUFFERED": "1"}
        with open(log_path, "wb") as log:
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       env=env, cwd=APPS_DIR)
        server = cls(spec, port, process, log_path)
        try:
            await server._wait_listening(timeout)
        except BaseException:
            server.stop()
            raise
        return server

    async def _wait_listening(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(f"server exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                _, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", self.port), 1.0)
            except (OSError, asyncio.TimeoutError):
                await asyncio.sleep(0.05)
                continue
            writer.close()
            return
        raise ServerFailed(f"server did not listen within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 15) -> str:
        """The last lines the server printed."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _status(self, field: str) -> int:
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        raise ServerFailed(f"no {field} in /proc/{self.process.pid}/status")

    def rss_kib(self) -> int:
        """Resident memory of the server process (VmRSS), KiB."""
        return self._status("VmRSS")

    def threads(self) -> int:
        """Threads of the server process."""
        return self._status("Threads")

    def cpu_seconds(self) -> float:
        """User plus system CPU time the server process has used."""
        with open(f"/proc/{self.process.pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """SIGTERM; SIGKILL if it has not exited after the grace period."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_GRACE_SECONDS)

    async def __aenter__(self) -> Server:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.to_thread(self.stop)
