"""The measurements of issue 7, a to g.

Each ``measure_*`` coroutine drives the server of a :class:`Run` over the wire and
returns its figures by metric key; a and b take the runs of every framework at once
and measure them in turns (:func:`_interleaved`), returning figures by framework. Latencies run from just before the event is
written to the arrival of the frame that completes the answer.
"""
from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.httpclient import ExchangeSession
from benchmarks.page import Button, Command, PageClient, collect_until, find_button, find_form, is_text
from benchmarks.results import Figure, percentile
from benchmarks.servers import Server
from benchmarks.settings import Settings, idle_ceiling
from benchmarks.sse import SseSession, offered_transports

__all__ = ["Run", "Measure", "MeasureTogether", "failure_reason", "measure_click", "measure_input", "measure_burst", "measure_idle", "measure_flask",
           "measure_growth", "measure_isolation", "REPO_ROOT"]

REPO_ROOT = Path(__file__).resolve().parent.parent
SETTLE_STEP = 0.5
IDLE_STEPS = 3
IDLE_CPU_SHARE = 0.05
THREAD_SAMPLE_EVERY = 500


@dataclass(frozen=True)
class Run:
    """One server under test and the settings to drive it with."""

    server: Server
    settings: Settings

    @property
    def framework(self) -> str:
        return self.server.spec.framework

    @property
    def port(self) -> int:
        return self.server.port


Measure = Callable[[Run], Awaitable[dict[str, Figure]]]


def _has_text(commands: list[Command]) -> bool:
    return any(is_text(command) for command in commands)


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def _latency_figures(latencies: list[float], elapsed: float, what: str) -> dict[str, Figure]:
    count = f"n={len(latencies):,}"
    return {
        "p50": Figure(_ms(percentile(latencies, 0.50)), count),
        "p99": Figure(_ms(percentile(latencies, 0.99)), count),
        "rate": Figure(len(latencies) / elapsed, count, {what: len(latencies), "seconds": round(elapsed, 3)}),
    }


async def _open_button(run: Run) -> tuple[PageClient, Button]:
    page = await PageClient.open(run.port, run.framework, timeout=run.settings.timeout)
    seen, _ = await collect_until(page, lambda commands: find_button(commands) is not None, run.settings.timeout)
    button = find_button(seen)
    assert button is not None
    return page, button


async def _click_once(page: PageClient, button: Button, timeout: float) -> float:
    sent = time.perf_counter()
    page.click(button)
    _, arrived = await collect_until(page, _has_text, timeout)
    return arrived - sent


async def _rounds(round_trip: Callable[[], Awaitable[float]], count: int,
                  settings: Settings) -> tuple[list[float], float]:
    """``settings.warmup`` unmeasured round trips, then up to ``count`` measured ones for at most
    ``settings.loop_seconds``; their latencies and the time they took."""
    for _ in range(settings.warmup):
        await round_trip()
    return await _measured_rounds(round_trip, count, settings.loop_seconds)


async def _measured_rounds(round_trip: RoundTrip, count: int, seconds: float) -> tuple[list[float], float]:
    """Up to ``count`` round trips for at most ``seconds``: their latencies and the time they took."""
    latencies: list[float] = []
    started = time.perf_counter()
    stop_at = started + seconds
    for _ in range(count):
        latencies.append(await round_trip())
        if time.perf_counter() > stop_at:
            break
    return latencies, time.perf_counter() - started


# --- a and b: round trips, the frameworks interleaved ------------------------------

RoundTrip = Callable[[], Awaitable[float]]
"""One round trip on an open page; returns its latency in seconds."""

Opener = Callable[[Run], Awaitable[tuple[PageClient, RoundTrip]]]
"""Opens a page on a run's server and returns it with its round trip."""

MeasureTogether = Callable[[dict[str, Run]], Awaitable[dict[str, dict[str, Figure]]]]
"""Measures several servers (by framework) side by side; their figures by framework."""


@dataclass
class _Contestant:
    """One framework's page in an interleaved measurement, and what it measured so far."""

    page: PageClient
    round_trip: RoundTrip
    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    pass_p50s: list[float] = field(default_factory=list)
    failure: str = ""


def failure_reason(exc: BaseException) -> str:
    """How a measurement that raised ``exc`` shows in its cells."""
    return "timed out" if isinstance(exc, asyncio.TimeoutError) else f"failed: {type(exc).__name__}"


def _rotated(items: list[str], by: int) -> list[str]:
    """``items`` started at index ``by`` (modulo their number) and wrapped around."""
    if not items:
        return []
    by %= len(items)
    return items[by:] + items[:by]


def _pass_sizes(count: int, passes: int) -> list[int]:
    """``count`` split into ``passes`` near-equal parts (the first ones one larger)."""
    passes = max(1, min(passes, count))
    return [count // passes + (1 if index < count % passes else 0) for index in range(passes)]


def _reason_logged(framework: str, exc: BaseException) -> str:
    reason = failure_reason(exc)
    print(f"  {framework}: {reason}: {exc}", file=sys.stderr, flush=True)
    return reason


async def _open_contestants(runs: dict[str, Run], opener: Opener) -> dict[str, _Contestant | str]:
    """Each framework's open and warmed-up page, or why it could not be opened."""
    opened: dict[str, _Contestant | str] = {}
    for framework, run in runs.items():
        try:
            page, round_trip = await opener(run)
        except Exception as exc:  # noqa: BLE001 - one framework's failure must not stop the others
            opened[framework] = _reason_logged(framework, exc)
            continue
        contestant = opened[framework] = _Contestant(page, round_trip)
        try:
            for _ in range(run.settings.warmup):
                await round_trip()
        except Exception as exc:  # noqa: BLE001
            contestant.failure = _reason_logged(framework, exc)
    return opened


async def _interleaved(runs: dict[str, Run], opener: Opener, count: int, what: str) -> dict[str, dict[str, Figure]]:
    """``count`` round trips on each server, in ``settings.passes`` passes that take turns.

    Every server is up and has its page open for the whole measurement; each pass
    does its share of the round trips on each framework in turn (the order rotates
    by one each pass), so a slow spell of a shared machine falls on all of them
    alike instead of on whichever ran in those seconds. A framework that fails is
    dropped from the later passes and reported as failed; the others go on.
    """
    settings = next(iter(runs.values())).settings
    opened = await _open_contestants(runs, opener)
    contestants = {framework: c for framework, c in opened.items() if isinstance(c, _Contestant)}
    try:
        sizes = _pass_sizes(count, settings.passes)
        for index, size in enumerate(sizes):
            for framework in _rotated(list(contestants), index):
                contestant = contestants[framework]
                if contestant.failure:
                    continue
                try:
                    latencies, elapsed = await _measured_rounds(contestant.round_trip, size,
                                                                settings.loop_seconds / len(sizes))
                except Exception as exc:  # noqa: BLE001
                    contestant.failure = _reason_logged(framework, exc)
                    continue
                contestant.latencies += latencies
                contestant.elapsed += elapsed
                contestant.pass_p50s.append(round(_ms(percentile(latencies, 0.50)), 4))
    finally:
        for contestant in contestants.values():
            contestant.page.close()
    return {framework: _contestant_figures(opened[framework], what) for framework in runs}


def _contestant_figures(contestant: _Contestant | str, what: str) -> dict[str, Figure]:
    """The p50, p99 and rate of one framework, or its failure in every cell."""
    if isinstance(contestant, str) or contestant.failure or not contestant.latencies:
        reason = contestant if isinstance(contestant, str) else contestant.failure or "failed"
        return {key: Figure.missing(reason) for key in ("p50", "p99", "rate")}
    figures = _latency_figures(contestant.latencies, contestant.elapsed, what)
    figures["p50"].detail["pass_p50_ms"] = contestant.pass_p50s
    return figures


# --- a. click round trip ------------------------------------------------------


async def _clicker(run: Run) -> tuple[PageClient, RoundTrip]:
    page, button = await _open_button(run)
    return page, lambda: _click_once(page, button, run.settings.timeout)


async def measure_click(runs: dict[str, Run]) -> dict[str, dict[str, Figure]]:
    """One click in flight at a time; the callback shows one text. The servers take turns."""
    return await _interleaved(runs, _clicker, next(iter(runs.values())).settings.clicks, "clicks")


# --- b. input round trip --------------------------------------------------------


async def _submitter(run: Run) -> tuple[PageClient, RoundTrip]:
    settings = run.settings
    page = await PageClient.open(run.port, run.framework, timeout=settings.timeout)
    try:
        seen, _ = await collect_until(page, lambda commands: find_form(commands) is not None, settings.timeout)
    except BaseException:
        page.close()
        raise
    form = find_form(seen)
    submitted = 0

    async def round_trip() -> float:
        nonlocal form, submitted
        value = f"round {submitted}"
        submitted += 1

        def answered(commands: list[Command]) -> bool:
            shown = any(is_text(command) and command["spec"].get("content") == value for command in commands)
            return shown and find_form(commands) is not None

        assert form is not None
        sent = time.perf_counter()
        page.submit(form, value)
        seen, arrived = await collect_until(page, answered, settings.timeout)
        form = find_form(seen)
        return arrived - sent

    return page, round_trip


async def measure_input(runs: dict[str, Run]) -> dict[str, dict[str, Figure]]:
    """Submit a value, wait for its text and the next form; repeat. The servers take turns."""
    return await _interleaved(runs, _submitter, next(iter(runs.values())).settings.rounds, "rounds")


# --- c. output burst --------------------------------------------------------------


async def _burst_once(run: Run) -> tuple[int, int, float]:
    """One session's burst: texts and frames received, seconds from the handshake to the last text."""
    expected = run.settings.burst
    received = 0
    frames = 0
    done: asyncio.Future[float] = asyncio.get_running_loop().create_future()

    def on_commands(commands: list[Command], arrived: float) -> None:
        nonlocal received, frames
        frames += 1
        received += sum(1 for command in commands if is_text(command))
        if received >= expected and not done.done():
            done.set_result(arrived)

    page = await PageClient.open(run.port, run.framework, timeout=run.settings.timeout, on_commands=on_commands)
    try:
        last = await asyncio.wait_for(done, run.settings.timeout + expected / 1_000)
    finally:
        page.close()
    return received, frames, last - page.socket.opened_at


async def measure_burst(run: Run) -> dict[str, Figure]:
    """``settings.burst`` texts right after connecting, counted as commands, not frames.

    One burst's rate moves by ±20% from run to run on a shared machine, so
    ``settings.burst_repeats`` sessions burst one after another and the median
    rate is reported, the slowest and fastest in the detail.
    """
    bursts = [await _burst_once(run) for _ in range(run.settings.burst_repeats)]
    rates = sorted(received / seconds for received, _, seconds in bursts)
    frames = bursts[0][1]
    note = f"median of {len(rates)}, {frames:,} frame" + ("" if frames == 1 else "s")
    return {"rate": Figure(percentile(rates, 0.50), note,
                           {"rates": [round(rate) for rate in rates], "outputs": bursts[0][0], "frames": frames})}


# --- d. idle sessions ---------------------------------------------------------------


async def _settle(server: Server, limit: float, threads_at_most: int | None = None) -> tuple[int, int]:
    """Threads and RSS once the server is idle, or after ``limit`` seconds.

    Idle: it used under :data:`IDLE_CPU_SHARE` of a core for :data:`IDLE_STEPS`
    steps in a row, its thread count did not change (and is down to
    ``threads_at_most``), so it has finished closing what was closed.
    """
    deadline = time.monotonic() + limit
    quiet = 0
    previous = (server.threads(), server.cpu_seconds())
    while time.monotonic() < deadline and quiet < IDLE_STEPS:
        await asyncio.sleep(SETTLE_STEP)
        current = (server.threads(), server.cpu_seconds())
        idle = current[0] == previous[0] and current[1] - previous[1] < IDLE_CPU_SHARE * SETTLE_STEP
        quiet = quiet + 1 if idle and (threads_at_most is None or current[0] <= threads_at_most) else 0
        previous = current
    return server.threads(), server.rss_kib()


async def _open_waiting(run: Run, pages: list[PageClient], count: int) -> None:
    """Open ``count`` more sessions, ``idle_concurrency`` at a time, each until its form shows."""
    settings = run.settings
    remaining = count

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            page = await PageClient.open(run.port, run.framework, timeout=settings.timeout)
            pages.append(page)
            await collect_until(page, lambda commands: find_form(commands) is not None, settings.timeout)

    await asyncio.gather(*(worker() for _ in range(min(settings.idle_concurrency, count))))


async def _open_and_close(run: Run, count: int) -> None:
    pages: list[PageClient] = []
    try:
        await _open_waiting(run, pages, count)
    finally:
        for page in pages:
            page.close()


async def measure_idle(run: Run) -> dict[str, Figure]:
    """Sessions waiting in ``input()``: RSS per session, open rate and the server's CPU
    per session opened, RSS after all closed.

    The server first opens and closes a few sessions (so that everything a session
    needs is loaded), then the baseline is taken. Sessions are opened up to each
    count of the settings (RSS read at each), then all close. To tell a leak from
    memory the allocator keeps for reuse, a quarter of them is opened and closed
    once more: a leak grows RSS again, kept memory is reused.
    """
    settings, server = run.settings, run.server
    wanted = settings.idle_thread if server.spec.mode == "thread" else settings.idle_coroutine
    ceiling = idle_ceiling()
    counts = sorted({min(count, ceiling) for count in wanted})
    capped = max(wanted) > ceiling
    await _open_and_close(run, settings.idle_concurrency)
    threads_before, baseline = await _settle(server, 20.0)
    pages: list[PageClient] = []
    checkpoints: dict[int, int] = {}
    opening = opening_cpu = 0.0
    try:
        for count in counts:
            started, cpu_before = time.perf_counter(), server.cpu_seconds()
            await _open_waiting(run, pages, count - len(pages))
            opening += time.perf_counter() - started
            opening_cpu += server.cpu_seconds() - cpu_before
            await asyncio.sleep(1.0)
            checkpoints[count] = server.rss_kib()
    finally:
        for page in pages:
            page.close()
    held = len(pages)
    _, after = await _settle(server, 30.0, threads_at_most=threads_before)
    again = max(1, held // 4)
    await _open_and_close(run, again)
    _, after_again = await _settle(server, 30.0, threads_at_most=threads_before)
    note = f"{held:,} held" + (" (fd limit)" if capped else "")
    detail = {"baseline_kib": baseline, "rss_kib_at": checkpoints, "after_close_kib": after,
              "after_reopening_kib": after_again, "reopened": again, "threads_before": threads_before,
              "threads_after": server.threads()}
    return {
        "kib_per_session": Figure((checkpoints[held] - baseline) / held, note, detail),
        "open_rate": Figure(held / opening, note),
        "open_cpu": Figure(1e6 * opening_cpu / held, note),
        "after_close": Figure(100.0 * (after - baseline) / baseline,
                              f"{after / 1024:,.0f} MiB vs {baseline / 1024:,.0f}"),
        "kept_per_reopened": Figure((after_again - after) / again, f"{again:,} reopened"),
    }


# --- e. HTTP push on Flask ------------------------------------------------------------


async def _http_clicks(session: ExchangeSession | SseSession, settings: Settings) -> tuple[list[float], float]:
    """Clicks over an HTTP transport: push the event, wait until the text arrived."""
    try:
        seen, _ = await collect_until(session, lambda commands: find_button(commands) is not None, settings.timeout)
        button = find_button(seen)
        assert button is not None
        event = {"event": "callback", "task_id": button.callback_id, "data": button.value}

        async def round_trip() -> float:
            sent = time.perf_counter()
            await session.push(event, settings.timeout)
            _, arrived = await collect_until(session, _has_text, settings.timeout)
            return arrived - sent

        return await _rounds(round_trip, settings.flask_clicks, settings)
    finally:
        session.close()


async def measure_flask(run: Run) -> dict[str, Figure]:
    """Click → output on Flask: over the push transport the page offers, and over PyWebIO's exchange.

    PyWebIO's page offers no transport list: its only one is the HTTP exchange, so
    both of its figures come from that.
    """
    settings = run.settings
    exchange, exchange_elapsed = await _http_clicks(await ExchangeSession.open(run.port, settings.timeout), settings)
    figures = _latency_figures(exchange, exchange_elapsed, "clicks")
    result = {"exchange_p50": figures["p50"], "exchange_p99": figures["p99"]}
    note = "HTTP exchange"
    if "sse" in await offered_transports(run.port, settings.timeout):
        pushed, pushed_elapsed = await _http_clicks(await SseSession.open(run.port, settings.timeout), settings)
        figures = _latency_figures(pushed, pushed_elapsed, "clicks")
        note = "SSE + POST"
    result["p50"] = Figure(figures["p50"].value, f"{note}, {figures['p50'].note}")
    result["p99"] = Figure(figures["p99"].value, f"{note}, {figures['p99'].note}")
    return result


# --- f. growth ---------------------------------------------------------------------------


async def measure_growth(run: Run) -> dict[str, Figure]:
    """``growth_clicks`` clicks on one session: threads and RSS before and after (session still open)."""
    settings, server = run.settings, run.server
    page, button = await _open_button(run)
    try:
        for _ in range(10 * settings.warmup):
            await _click_once(page, button, settings.timeout)
        await asyncio.sleep(1.0)
        threads_before, rss_before = server.threads(), server.rss_kib()
        peak_threads = threads_before
        clicks = 0
        stop_at = time.perf_counter() + settings.growth_seconds
        while clicks < settings.growth_clicks and time.perf_counter() < stop_at:
            await _click_once(page, button, settings.timeout)
            clicks += 1
            if clicks % THREAD_SAMPLE_EVERY == 0:
                peak_threads = max(peak_threads, server.threads())
        await asyncio.sleep(1.0)
        threads_after, rss_after = server.threads(), server.rss_kib()
    finally:
        page.close()
    note = f"{clicks:,} clicks"
    detail = {"threads_before": threads_before, "threads_after": threads_after, "peak_threads": peak_threads,
              "rss_before_kib": rss_before, "rss_after_kib": rss_after, "clicks": clicks}
    return {
        "thread_growth": Figure(threads_after - threads_before, f"{threads_before}→{threads_after}, peak {peak_threads}",
                                detail),
        "kib_per_click": Figure((rss_after - rss_before) / clicks, note, detail),
    }


# --- g. isolation ------------------------------------------------------------------------


async def _read_line(stream: asyncio.StreamReader, timeout: float) -> str:
    line = await asyncio.wait_for(stream.readline(), timeout)
    if not line:
        raise RuntimeError("the vanishing client exited early")
    return line.decode().strip()


async def _accept_time(run: Run) -> float | None:
    """Seconds until a new session shows its button, or None after ``give_up``."""
    started = time.perf_counter()
    try:
        newcomer, _ = await asyncio.wait_for(_open_button(run), run.settings.give_up)
    except (asyncio.TimeoutError, OSError):
        return None
    newcomer.close()
    return time.perf_counter() - started


async def measure_isolation(run: Run) -> dict[str, Figure]:
    """A client vanishes mid-way through a burst while another session clicks.

    The vanishing client is a separate process (``benchmarks.vanish``), so reading
    its burst does not slow the clicker's loop. Clicks run from the start of the
    burst until ``isolation_window`` seconds after the vanish (a click that takes
    ``give_up`` seconds ends them). At the vanish a new session is opened too, to
    see whether the server still accepts visitors.
    """
    settings = run.settings
    give_up = settings.give_up
    page, button = await _open_button(run)
    vanisher = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "benchmarks.vanish", str(run.port), run.framework,
        str(settings.isolation_burst // 2), str(settings.run_limit),
        cwd=REPO_ROOT, stdout=asyncio.subprocess.PIPE, stdin=asyncio.subprocess.DEVNULL)
    assert vanisher.stdout is not None
    latencies: list[float] = []
    stop = asyncio.Event()
    stalled = False

    async def clicker() -> None:
        nonlocal stalled
        while not stop.is_set():
            try:
                latencies.append(await _click_once(page, button, give_up))
            except asyncio.TimeoutError:
                latencies.append(give_up)
                stalled = True
                return

    try:
        await _read_line(vanisher.stdout, settings.timeout)
        clicking = asyncio.create_task(clicker())
        vanished = await _read_line(vanisher.stdout, settings.run_limit / 2)
        accepting = asyncio.create_task(_accept_time(run))
        await asyncio.wait([clicking], timeout=settings.isolation_window)
        stop.set()
        await asyncio.wait_for(clicking, give_up + 1)
        accepted_in = await accepting
    finally:
        page.close()
        if vanisher.returncode is None:
            vanisher.kill()
        await vanisher.wait()
    note = f"n={len(latencies):,}" + (f", a click took > {give_up:.0f} s" if stalled else "")
    return {
        "click_p99": Figure(_ms(percentile(latencies, 0.99)), note,
                            {"vanished_after": vanished, "clicks": len(latencies)}),
        "click_max": Figure(_ms(max(latencies)), note),
        "accept": (Figure(_ms(accepted_in)) if accepted_in is not None
                   else Figure.missing(f"> {give_up:.0f} s")),
    }
