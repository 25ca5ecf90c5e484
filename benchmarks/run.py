"""Run the scenarios against webio and PyWebIO 1.8.4 and print the table: ``python -m benchmarks``.

Each scenario × backend × session kind starts one server per framework (webio from
this checkout under this interpreter, PyWebIO from ``benchmarks/.venv-pywebio``) and,
for scenarios a, b and d, the bare server of ``apps/bare.py`` (the floor, under this
interpreter), measures each over the wire (a and b: all of them up at once, taking
turns), stops it, and adds a row per metric. The
table goes to stdout and, with the run's facts, to ``benchmarks/results.json``.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Coroutine
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.pyvenv import PYWEBIO_VERSION, ensure_pywebio
from benchmarks.results import (
    Figure,
    Metric,
    Row,
    Target,
    at_least,
    at_most,
    format_table,
    ratio_at_least,
    ratio_at_most,
    row_to_json,
)
from benchmarks.scenarios import (
    REPO_ROOT,
    Measure,
    MeasureTogether,
    Run,
    failure_reason,
    measure_burst,
    measure_click,
    measure_flask,
    measure_growth,
    measure_idle,
    measure_input,
    measure_isolation,
)
from benchmarks.servers import Server, ServerFailed, ServerSpec, webio_backend_available
from benchmarks.settings import DEFAULT, QUICK, Settings, raise_fd_limit

__all__ = ["SCENARIOS", "Scenario", "main"]

FRAMEWORKS = ("webio", "pywebio")
FLOOR = "bare"
"""The framework value of the bare server, measured after both frameworks in scenarios with a floor."""
WS_BACKENDS = ("tornado", "aiohttp")
MODES = ("thread", "coroutine")
RESULTS_PATH = Path(__file__).resolve().parent / "results.json"
NO_SPEEDUPS = {"WEBIO_EVENT_LOOP": "asyncio", "WEBIO_JSON": "stdlib"}
"""The environment of ``--no-speedups``: webio as without ``webio[speedups]``."""
GC_THRESHOLD_VAR = "WEBIO_BENCH_GC_THRESHOLD"
"""Read by ``apps/appkit.py``: ``--gc-threshold`` for every server."""


@dataclass(frozen=True)
class Scenario:
    """One scenario of the issue: its app, where it runs and what it reports.

    ``floor``: its app has a bare server, measured too for the "bare server" column.
    Either ``measure`` measures one server at a time, or ``together`` measures the
    servers of every framework side by side, all of them up at once.
    """

    key: str
    name: str
    app: str
    backends: tuple[str, ...]
    modes: tuple[str, ...]
    metrics: tuple[Metric, ...]
    measure: Measure | None = None
    together: MeasureTogether | None = None
    count: str = ""
    floor: bool = False

    @property
    def title(self) -> str:
        return f"{self.key}. {self.name}"


def _latency_metrics(what: str, p50_target: Target | None = None,
                     rate_targets: dict[str, Target] | None = None) -> tuple[Metric, ...]:
    return (
        Metric("p50", f"{what} p50", "ms", {"*": p50_target} if p50_target else {}),
        Metric("p99", f"{what} p99", "ms"),
        Metric("rate", f"{what}s/s", "/s", rate_targets or {}),
    )


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("a", "click", "app_click", WS_BACKENDS, MODES,
             _latency_metrics("click", p50_target=ratio_at_most(0.5)), together=measure_click, floor=True),
    Scenario("b", "input", "app_input", WS_BACKENDS, MODES,
             _latency_metrics("round", rate_targets={"tornado": at_least(2_000), "aiohttp": ratio_at_least(2.0)}),
             together=measure_input, floor=True),
    Scenario("c", "burst", "app_burst", WS_BACKENDS, MODES,
             (Metric("rate", "outputs/s", "/s", {"*": at_least(100_000)}),), measure=measure_burst, count="burst"),
    Scenario("d", "idle", "app_idle", WS_BACKENDS, MODES, (
        Metric("kib_per_session", "RSS per session", "KiB", {"thread": at_most(40), "coroutine": at_most(12)}),
        Metric("open_rate", "sessions opened/s", "/s", {"coroutine": ratio_at_least(2.0)}),
        Metric("open_cpu", "server CPU per session opened", "µs"),
        Metric("after_close", "RSS after all closed vs baseline", "%", {"*": at_most(10)}),
        Metric("kept_per_reopened", "RSS growth per session opened again", "KiB"),
    ), measure=measure_idle, floor=True),
    Scenario("e", "flask", "app_click", ("flask",), MODES, (
        Metric("p50", "click p50 (push)", "ms", {"*": at_most(5)}),
        Metric("p99", "click p99 (push)", "ms"),
        Metric("exchange_p50", "click p50 (PyWebIO's exchange)", "ms"),
        Metric("exchange_p99", "click p99 (PyWebIO's exchange)", "ms"),
    ), measure=measure_flask),
    Scenario("f", "growth", "app_click", WS_BACKENDS, ("thread",), (
        Metric("thread_growth", "threads added", "", {"*": at_most(0)}),
        Metric("kib_per_click", "RSS growth per click", "KiB", {"*": at_most(0.5)}),
    ), measure=measure_growth),
    Scenario("g", "isolation", "app_isolation", WS_BACKENDS, MODES, (
        Metric("click_p99", "other session's click p99", "ms", {"*": at_most(20)}),
        Metric("click_max", "other session's slowest click", "ms"),
        Metric("accept", "new session accepted in", "ms"),
    ), measure=measure_isolation, count="isolation_burst"),
)


def _select(only: list[str]) -> list[Scenario]:
    if not only:
        return list(SCENARIOS)
    wanted = {name.strip().lower() for item in only for name in item.split(",") if name.strip()}
    unknown = wanted - {s.key for s in SCENARIOS} - {s.name for s in SCENARIOS}
    if unknown:
        raise SystemExit(f"unknown scenario(s) {sorted(unknown)}; choose from "
                         + ", ".join(f"{s.key} ({s.name})" for s in SCENARIOS))
    return [s for s in SCENARIOS if s.key in wanted or s.name in wanted]


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _unavailable(spec: ServerSpec) -> bool:
    """A webio backend this checkout does not have yet ("not available" in its cells)."""
    return spec.framework == "webio" and not webio_backend_available(spec.backend)


def _missing(scenario: Scenario, note: str) -> dict[str, Figure]:
    return {metric.key: Figure.missing(note) for metric in scenario.metrics}


def _log_failure(framework: str, exc: BaseException, server: Server | None) -> str:
    reason = failure_reason(exc)
    _log(f"  {framework}: {reason}: {exc}")
    if not isinstance(exc, ServerFailed):
        _log("".join(traceback.format_exception(exc, limit=-3)).rstrip())
    if server is not None:
        _log(f"  server log ({server.log_path}):\n{server.log_tail()}")
    return reason


async def _measure_one(scenario: Scenario, spec: ServerSpec, settings: Settings, log_dir: Path) -> dict[str, Figure]:
    assert scenario.measure is not None
    if _unavailable(spec):
        return _missing(scenario, "not available")
    server: Server | None = None
    try:
        server = await Server.start(spec, log_dir)
        async with server:
            return await asyncio.wait_for(scenario.measure(Run(server, settings)), settings.run_limit)
    except Exception as exc:  # noqa: BLE001 - one failed measurement must not end the run
        return _missing(scenario, _log_failure(spec.framework, exc, server))


async def _measure_together(scenario: Scenario, specs: dict[str, ServerSpec], settings: Settings,
                            log_dir: Path) -> dict[str, dict[str, Figure]]:
    """Start every framework's server, measure them side by side, stop them all."""
    assert scenario.together is not None
    figures: dict[str, dict[str, Figure]] = {}
    servers: dict[str, Server] = {}
    try:
        for framework, spec in specs.items():
            if _unavailable(spec):
                figures[framework] = _missing(scenario, "not available")
                continue
            try:
                servers[framework] = await Server.start(spec, log_dir)
            except Exception as exc:  # noqa: BLE001 - the others are still measured
                figures[framework] = _missing(scenario, _log_failure(framework, exc, None))
        if servers:
            runs = {framework: Run(server, settings) for framework, server in servers.items()}
            try:
                figures.update(await asyncio.wait_for(scenario.together(runs), settings.run_limit))
            except Exception as exc:  # noqa: BLE001
                for framework, server in servers.items():
                    figures[framework] = _missing(scenario, _log_failure(framework, exc, server))
    finally:
        await asyncio.gather(*(asyncio.to_thread(server.stop) for server in servers.values()))
    return figures


def _summary(figures: dict[str, Figure], metrics: tuple[Metric, ...]) -> str:
    parts = []
    for metric in metrics:
        figure = figures[metric.key]
        value = figure.note if figure.value is None else f"{figure.value:,.3g} {metric.unit}".rstrip()
        parts.append(f"{metric.label} {value}")
    return "; ".join(parts)


async def run_all(scenarios: list[Scenario], settings: Settings, backends: set[str] | None,
                  modes: set[str] | None, pywebio_python: Path, log_dir: Path) -> list[Row]:
    """Measure every selected combination and return the table's rows.

    webio, then PyWebIO, then the bare server where the scenario has a floor, one
    after another, or (a and b) all three side by side. The bare server is the same
    for both session kinds but is measured for each, next to the figures it is set
    against and with that kind's counts (scenario d's differ).
    """
    rows: list[Row] = []
    for scenario in scenarios:
        for backend in scenario.backends:
            if backends and backend not in backends:
                continue
            for mode in scenario.modes:
                if modes and mode not in modes:
                    continue
                count = getattr(settings, scenario.count) if scenario.count else 0
                specs = {framework: ServerSpec(scenario.app, framework, backend, mode,
                                               str(pywebio_python) if framework == "pywebio" else sys.executable,
                                               count)
                         for framework in FRAMEWORKS + ((FLOOR,) if scenario.floor else ())}
                figures = await _measure_row(scenario, specs, settings, log_dir)
                rows += [Row(scenario.title, backend, mode, metric, figures["webio"][metric.key],
                             figures["pywebio"][metric.key], figures[FLOOR][metric.key] if scenario.floor else None)
                         for metric in scenario.metrics]
    return rows


async def _measure_row(scenario: Scenario, specs: dict[str, ServerSpec], settings: Settings,
                       log_dir: Path) -> dict[str, dict[str, Figure]]:
    """The figures of one backend × session kind, by framework, logged as they come."""
    where = f"{scenario.title} · {next(iter(specs.values())).backend} · {next(iter(specs.values())).mode}"
    figures: dict[str, dict[str, Figure]] = {}
    if scenario.together is not None:
        _log(f"{where} · {', '.join(specs)} side by side, {settings.passes} passes …")
        started = time.monotonic()
        figures = await _measure_together(scenario, specs, settings, log_dir)
        for framework in specs:
            _log(f"  {framework}: {_summary(figures[framework], scenario.metrics)}")
        _log(f"  ({time.monotonic() - started:.0f} s, load {os.getloadavg()[0]:.2f})")
        return figures
    for framework, spec in specs.items():
        _log(f"{where} · {framework} …")
        started = time.monotonic()
        figures[framework] = await _measure_one(scenario, spec, settings, log_dir)
        _log(f"  {_summary(figures[framework], scenario.metrics)}  "
             f"({time.monotonic() - started:.0f} s, load {os.getloadavg()[0]:.2f})")
    return figures


def _git_revision() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=30).stdout.strip()

    revision = git("rev-parse", "--short", "HEAD") or "unknown"
    return revision + (" + uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def _versions(pywebio_python: Path) -> dict[str, str]:
    import webio

    def installed(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    peer = subprocess.run([str(pywebio_python), "-c", "import tornado, aiohttp, flask, importlib.metadata as m; "
                           "print(tornado.version, aiohttp.__version__, m.version('flask'))"],
                          capture_output=True, text=True, timeout=60).stdout.split()
    return {
        "webio": f"{webio.__version__} ({_git_revision()})",
        "webio_speedups": _speedups(installed),
        "pywebio": PYWEBIO_VERSION,
        "python": platform.python_version(),
        "webio_side": f"tornado {installed('tornado')}, aiohttp {installed('aiohttp')}, flask {installed('flask')}",
        "pywebio_side": f"tornado {peer[0]}, aiohttp {peer[1]}, flask {peer[2]}" if len(peer) == 3 else "unknown",
    }


def _speedups(installed: Callable[[str], str]) -> str:
    """What webio's servers (and the bare server) run on in this run: loop and JSON encoder."""
    from webio.platform.adaptor.event_loop import loop_choice
    from webio.protocol import select_json_encoder

    loop, encoder = loop_choice(), select_json_encoder()
    return ", ".join(name if name in ("asyncio", "stdlib") else f"{name} {installed(name)}" for name in (loop, encoder))


def _parse_counts(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    return tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small counts: a smoke run of a few minutes")
    parser.add_argument("--only", action="append", default=[], metavar="SCENARIO",
                        help="run only these scenarios, by letter or name (a,click,…); repeatable")
    parser.add_argument("--backend", action="append", default=[], help="only this backend (repeatable)")
    parser.add_argument("--mode", action="append", default=[], choices=MODES, help="only this session kind")
    parser.add_argument("--idle-thread", metavar="N,N,…", help="idle thread session counts (checkpoints)")
    parser.add_argument("--idle-coroutine", metavar="N,N,…", help="idle coroutine session counts (checkpoints)")
    parser.add_argument("--output", type=Path, default=RESULTS_PATH, help="where the JSON goes (%(default)s)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--no-speedups", action="store_true",
                        help="run webio (and the bare server) without uvloop and orjson, as without webio[speedups]")
    parser.add_argument("--gc-threshold", type=int, metavar="N",
                        help="every server (webio, PyWebIO, bare) runs with gc.set_threshold(N, …) instead of "
                             "CPython's default of 700")
    return parser.parse_args(argv)


async def _stoppable(run: Coroutine[Any, Any, list[Row]]) -> list[Row]:
    """Run ``run``; SIGTERM cancels it as Ctrl-C does, and the server being measured is stopped."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None
    loop.add_signal_handler(signal.SIGTERM, task.cancel)
    try:
        return await run
    finally:
        loop.remove_signal_handler(signal.SIGTERM)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; returns the exit status (130 when interrupted)."""
    try:
        return _main(argv)
    except (KeyboardInterrupt, asyncio.CancelledError):
        _log("benchmarks: interrupted")
        return 130


def _main(argv: list[str] | None) -> int:
    args = _arguments(argv)
    if args.no_speedups:
        os.environ.update(NO_SPEEDUPS)
    if args.gc_threshold is not None:
        if args.gc_threshold < 1:
            raise SystemExit("--gc-threshold must be at least 1")
        os.environ[GC_THRESHOLD_VAR] = str(args.gc_threshold)
    scenarios = _select(args.only)
    settings = (QUICK if args.quick else DEFAULT).with_idle(_parse_counts(args.idle_thread),
                                                            _parse_counts(args.idle_coroutine))
    raise_fd_limit()
    pywebio_python = ensure_pywebio()
    started = datetime.datetime.now().astimezone()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="webio-bench-") as log_dir:
        rows = asyncio.run(_stoppable(run_all(scenarios, settings, set(args.backend), set(args.mode),
                                              pywebio_python, Path(log_dir))))
    load_after = os.getloadavg()
    table = format_table(rows, markdown=args.markdown)
    print(table)
    command = "python -m benchmarks" + ("" if argv is None and len(sys.argv) <= 1 else " " + " ".join(
        sys.argv[1:] if argv is None else argv))
    report: dict[str, Any] = {
        "date": started.isoformat(timespec="seconds"),
        "seconds": round((datetime.datetime.now().astimezone() - started).total_seconds()),
        "command": command,
        "versions": _versions(pywebio_python),
        "machine": {"cpus": os.cpu_count(), "load_before": load_before, "load_after": load_after,
                    "platform": platform.platform()},
        "settings": asdict(settings),
        "gc_threshold": args.gc_threshold,
        "rows": [row_to_json(row) for row in rows],
    }
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    _log(f"wrote {args.output}")
    return 0
