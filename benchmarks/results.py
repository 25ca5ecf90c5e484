"""Figures, targets and the printed table (also written as JSON).

Rows of scenarios with a floor also carry the bare server's figure (``apps/bare.py``:
the web server alone, measured by the same client in the same run) and whether the
target asks webio for better than that floor.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Figure", "Target", "Metric", "Row", "percentile", "format_table", "row_to_json", "at_most", "at_least",
           "ratio_at_most", "ratio_at_least"]


@dataclass(frozen=True)
class Figure:
    """One measured value, or why there is none (``note``: "not available", "> 20 s" …)."""

    value: float | None
    note: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def missing(cls, note: str) -> Figure:
        """No value: the note says why."""
        return cls(None, note)


def percentile(samples: list[float], fraction: float) -> float:
    """The ``fraction`` quantile of ``samples`` (nearest rank)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Target:
    """A goal from issue 7: on webio's value (``absolute``) or on webio ÷ PyWebIO."""

    limit: float
    at_most: bool
    absolute: bool

    @property
    def sign(self) -> str:
        """``≤`` or ``≥``."""
        return "≤" if self.at_most else "≥"

    def describe(self, unit: str) -> str:
        """``≤ 0.5×`` or ``≥ 2,000 /s``."""
        if self.absolute:
            return f"{self.sign} {_number(self.limit)} {unit}".rstrip()
        return f"{self.sign} {_number(self.limit)}×"

    def _reaches(self, value: float, bound: float) -> bool:
        return value <= bound if self.at_most else value >= bound

    def met(self, webio: float | None, ratio: float | None) -> bool | None:
        """Whether the goal is met; None when the figure it needs is missing."""
        value = webio if self.absolute else ratio
        return None if value is None else self._reaches(value, self.limit)

    def asks(self, pywebio: float | None) -> float | None:
        """The figure the goal asks of webio: the limit, or the limit × PyWebIO's figure (None if missing)."""
        if self.absolute:
            return self.limit
        return None if pywebio is None else self.limit * pywebio

    def beyond(self, floor: float | None, pywebio: float | None) -> bool | None:
        """Whether the goal asks webio for better than ``floor``, the bare server's figure: the floor misses it.

        None when a figure it needs is missing.
        """
        asked = self.asks(pywebio)
        if floor is None or asked is None:
            return None
        return not self._reaches(floor, asked)


def at_most(limit: float) -> Target:
    """webio's figure must be ≤ ``limit``."""
    return Target(limit, at_most=True, absolute=True)


def at_least(limit: float) -> Target:
    """webio's figure must be ≥ ``limit``."""
    return Target(limit, at_most=False, absolute=True)


def ratio_at_most(limit: float) -> Target:
    """webio ÷ PyWebIO must be ≤ ``limit``."""
    return Target(limit, at_most=True, absolute=False)


def ratio_at_least(limit: float) -> Target:
    """webio ÷ PyWebIO must be ≥ ``limit``."""
    return Target(limit, at_most=False, absolute=False)


@dataclass(frozen=True)
class Metric:
    """One figure a scenario reports: its key in the measurements, label, unit and goals.

    ``targets`` maps ``backend/mode``, a backend, a session kind or ``*`` (all) to a goal;
    the most specific key that matches wins.
    """

    key: str
    label: str
    unit: str
    targets: dict[str, Target] = field(default_factory=dict)

    def target_for(self, backend: str, mode: str) -> Target | None:
        """The goal on ``backend`` with ``mode`` sessions, if the issue sets one."""
        for key in (f"{backend}/{mode}", backend, mode, "*"):
            if key in self.targets:
                return self.targets[key]
        return None


@dataclass(frozen=True)
class Row:
    """One line of the table: a metric of a scenario on a backend and session kind, both frameworks.

    ``bare`` is the bare server's figure (the floor), None for a scenario without one.
    """

    scenario: str
    backend: str
    mode: str
    metric: Metric
    webio: Figure
    pywebio: Figure
    bare: Figure | None = None

    @property
    def ratio(self) -> float | None:
        """webio ÷ PyWebIO, when both figures exist and PyWebIO's is not zero."""
        if self.webio.value is None or self.pywebio.value is None or self.pywebio.value == 0:
            return None
        return self.webio.value / self.pywebio.value

    @property
    def target(self) -> Target | None:
        return self.metric.target_for(self.backend, self.mode)

    @property
    def met(self) -> bool | None:
        target = self.target
        return None if target is None else target.met(self.webio.value, self.ratio)

    @property
    def target_value(self) -> float | None:
        """The figure the target asks of webio, in the metric's unit (None without a target or PyWebIO's figure)."""
        target = self.target
        return None if target is None else target.asks(self.pywebio.value)

    @property
    def beyond_floor(self) -> bool | None:
        """Whether the target asks for better than the bare server did; None without a target, floor or figure."""
        target = self.target
        if target is None or self.bare is None:
            return None
        return target.beyond(self.bare.value, self.pywebio.value)


def _number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return f"{value:,.0f}"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _figure(figure: Figure, unit: str) -> str:
    if figure.value is None:
        return figure.note or "—"
    text = f"{_number(figure.value)} {unit}".rstrip()
    return f"{text} ({figure.note})" if figure.note else text


def _versus_floor(row: Row) -> str:
    """``≤ 0.164 ms: beyond floor``: the figure the target asks and where it lies against the floor."""
    target, beyond, asked = row.target, row.beyond_floor, row.target_value
    if target is None or row.bare is None:
        return ""
    if beyond is None or asked is None:
        return "?"
    return f"{target.sign} {_number(asked)} {row.metric.unit}".rstrip() + (
        ": beyond floor" if beyond else ": within floor")


def _cells(row: Row) -> list[str]:
    target = row.target
    met = row.met
    return [
        row.scenario,
        row.backend,
        row.mode,
        row.metric.label,
        _figure(row.webio, row.metric.unit),
        _figure(row.pywebio, row.metric.unit),
        "—" if row.bare is None else _figure(row.bare, row.metric.unit),
        "—" if row.ratio is None else f"{row.ratio + 0.0:.3g}×",
        "" if target is None else target.describe(row.metric.unit),
        "" if target is None else ("?" if met is None else ("yes" if met else "NO")),
        _versus_floor(row),
    ]


HEADER = ["scenario", "backend", "session", "metric", "webio", "PyWebIO 1.8.4", "bare server", "webio÷PyWebIO",
          "target", "met?", "target vs floor"]


def format_table(rows: list[Row], *, markdown: bool = False) -> str:
    """The table as aligned text, or as a Markdown table for the README."""
    lines = [HEADER, *(_cells(row) for row in rows)]
    if markdown:
        out = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
        out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |" for cells in lines[1:]]
        return "\n".join(out)
    widths = [max(len(cells[i]) for cells in lines) for i in range(len(HEADER))]
    rendered = ["  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip() for cells in lines]
    rendered.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(rendered)


def _figure_json(figure: Figure) -> dict[str, Any]:
    return {"value": figure.value, "note": figure.note, **({"detail": figure.detail} if figure.detail else {})}


def row_to_json(row: Row) -> dict[str, Any]:
    """One row as a JSON object; ``bare`` (the floor's figure) is null for a scenario without one."""
    target = row.target
    return {
        "scenario": row.scenario,
        "backend": row.backend,
        "session": row.mode,
        "metric": row.metric.key,
        "label": row.metric.label,
        "unit": row.metric.unit,
        "webio": _figure_json(row.webio),
        "pywebio": _figure_json(row.pywebio),
        "bare": None if row.bare is None else _figure_json(row.bare),
        "ratio": row.ratio,
        "target": None if target is None else target.describe(row.metric.unit),
        "met": row.met,
        "target_value": row.target_value,
        "beyond_floor": row.beyond_floor,
    }
