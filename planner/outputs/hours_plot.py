"""`hours.png`: each worker's working hours over the horizon, from the day sheet
(`days.csv`): statutory visits, optional visits, travel, appointments, lunch, write-up
and free time. Leave and days off are not working hours; the worker's label counts them.

Drawn with matplotlib's Agg backend (no display needed). The same picture is embedded
in the rota page (base64) and in the workbook's summary sheet. Its figures, in minutes,
are also in the PNG's `Description` text (for screen readers and for checking).
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402  (after choosing the backend)

from planner.model.domain import Team  # noqa: E402
from planner.model.plan import Plan  # noqa: E402
from planner.outputs.days import (HOUR_LABELS, HOUR_PARTS, DayRow, day_sheet, days_away,  # noqa: E402
                                  hours_breakdown)
from planner.outputs.views import horizon, short_day  # noqa: E402

COLOURS = {"statutory": "#1d4ed8", "optional": "#15803d", "travel": "#f59e0b",
           "appointments": "#6b7280", "lunch": "#a78bfa", "recording": "#f472b6", "free": "#e5e7eb"}
DARK_TEXT = ("free", "travel", "lunch", "recording")


def hours_description(team: Team, hours: dict[str, dict[str, int]]) -> str:
    """The chart's figures in words: 'W01: statutory visits 1234 min, ...; W02: ...'."""
    return "; ".join(f"{w.id}: " + ", ".join(f"{HOUR_LABELS[p].lower()} {hours[w.id][p]} min"
                                             for p in HOUR_PARTS) for w in team.workers)


def _label(team: Team, rows: list[DayRow], worker) -> str:
    away = days_away(rows, worker.id)
    return f"{worker.id} {worker.name}"[:28] + (f" ({away} d off)" if away else "")


def hours_png(team: Team, plan: Plan, rows: list[DayRow] | None = None, dpi: int = 110) -> bytes:
    """The PNG bytes of the hours chart (`rows`: the plan's day sheet, computed if None)."""
    rows = rows if rows is not None else day_sheet(team, plan)
    hours = hours_breakdown(team, plan, rows)
    workers = list(team.workers)
    height = 1.9 + 0.42 * len(workers)
    figure = Figure(figsize=(9.5, height), dpi=dpi, layout="constrained")
    axes = figure.add_subplot()
    labels = [_label(team, rows, w) for w in workers]
    left = [0.0] * len(workers)
    for part in HOUR_PARTS:
        values = [max(0, hours[w.id][part]) / 60 for w in workers]
        bars = axes.barh(labels, values, left=left, color=COLOURS[part], label=HOUR_LABELS[part],
                         edgecolor="white", linewidth=0.6, height=0.7)
        for bar, value in zip(bars, values):
            if value >= 3:
                axes.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2,
                          f"{value:.0f}", ha="center", va="center", fontsize=7.5,
                          color="#111827" if part in DARK_TEXT else "white")
        left = [a + b for a, b in zip(left, values)]
    first, last = horizon(team, plan)
    axes.set_title(f"Working hours of each worker, {short_day(first)} to {short_day(last)} {last.year} "
                   "(write-up and lunch are not free time)", fontsize=10.5, loc="left")
    axes.set_xlabel("hours")
    axes.invert_yaxis()
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="x", color="#d1d5db", linewidth=0.5)
    axes.set_axisbelow(True)
    axes.tick_params(axis="y", labelsize=8.5)
    figure.legend(loc="outside lower center", ncol=len(HOUR_PARTS), fontsize=8, frameon=False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": "planner",
                                                   "Description": hours_description(team, hours)})
    return buffer.getvalue()


def write_hours_plot(team: Team, plan: Plan, path: Path) -> Path:
    """Write the chart to `path` and return it."""
    path = Path(path)
    path.write_bytes(hours_png(team, plan))
    return path
