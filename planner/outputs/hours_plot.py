"""`hours.png`: each worker's hours over the horizon, split into statutory visits,
optional visits, travel, appointments (and leave) and free time.

Drawn with matplotlib's Agg backend (no display needed). The same picture is embedded
in the rota page (base64) and in the workbook's summary sheet.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402  (after choosing the backend)

from planner.model.domain import Team  # noqa: E402
from planner.model.plan import Plan  # noqa: E402
from planner.outputs.views import HOUR_LABELS, HOUR_PARTS, horizon, hours_breakdown, short_day  # noqa: E402

COLOURS = {"statutory": "#1d4ed8", "optional": "#15803d", "travel": "#f59e0b",
           "appointments": "#6b7280", "free": "#e5e7eb"}


def hours_png(team: Team, plan: Plan, dpi: int = 110) -> bytes:
    """The PNG bytes of the hours chart."""
    hours = hours_breakdown(team, plan)
    workers = list(team.workers)
    height = 1.8 + 0.42 * len(workers)
    figure = Figure(figsize=(9.0, height), dpi=dpi, layout="constrained")
    axes = figure.add_subplot()
    labels = [f"{w.id} {w.name}"[:32] for w in workers]
    left = [0.0] * len(workers)
    for part in HOUR_PARTS:
        values = [hours[w.id][part] / 60 for w in workers]
        bars = axes.barh(labels, values, left=left, color=COLOURS[part], label=HOUR_LABELS[part],
                         edgecolor="white", linewidth=0.6, height=0.7)
        for bar, value in zip(bars, values):
            if value >= 3:
                axes.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2,
                          f"{value:.0f}", ha="center", va="center", fontsize=7.5,
                          color="#111827" if part in ("free", "travel") else "white")
        left = [a + b for a, b in zip(left, values)]
    first, last = horizon(team, plan)
    axes.set_title(f"Hours of each worker, {short_day(first)} to {short_day(last)} {last.year}",
                   fontsize=11, loc="left")
    axes.set_xlabel("hours")
    axes.invert_yaxis()
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="x", color="#d1d5db", linewidth=0.5)
    axes.set_axisbelow(True)
    axes.tick_params(axis="y", labelsize=8.5)
    figure.legend(loc="outside lower center", ncol=len(HOUR_PARTS), fontsize=8, frameon=False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": "planner"})
    return buffer.getvalue()


def write_hours_plot(team: Team, plan: Plan, path: Path) -> Path:
    """Write the chart to `path` and return it."""
    path = Path(path)
    path.write_bytes(hours_png(team, plan))
    return path
