"""Results of a sweep: CSV tables and a self-contained HTML report with charts.

Files written to the output folder:

- `results.csv`: one row per team, scenario, run and week (`planner.scenarios.simulate.COLUMNS`).
- `weekly.csv`: per scenario and week, the whole service (all teams added up), the mean,
  lowest and highest over the runs.
- `summary.csv`: per scenario, the whole simulated period, for the service and (with
  several teams) each team: mean, lowest and highest over the runs.
- `report.html`: the same for a reader who never saw the command: what was simulated,
  findings in words, tables and charts (inline SVG, no network, all text escaped).
"""

from __future__ import annotations

import csv
import html
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from statistics import mean
from typing import Callable, Iterable, Sequence

from planner.scenarios.simulate import COLUMNS
from planner.scenarios.sweep import SweepResult

SERVICE = "service"  # the team label of rows that add up every team

ADDED = ("due", "met_on_time", "missed", "lateness_days", "children_overdue", "visits_planned",
         "visits_made", "visits_no_access", "visits_lost_sickness", "home_visits", "school_visits",
         "creative_visits", "remote_visits", "travel_hours", "visit_hours", "working_hours",
         "appointment_hours", "spare_hours", "sick_days", "plan_violations", "workers", "children")


@dataclass(frozen=True)
class Measure:
    """A whole-period measure of one run: its column, label, how to compute and format it."""

    key: str
    label: str
    compute: Callable[[list[dict]], float | None]  # from one run's weekly (service) rows
    fmt: Callable[[float], str]
    explain: str
    higher_is_better: bool | None = None


def share_text(value: float) -> str:
    return f"{value:.1%}"


def count_text(value: float) -> str:
    return f"{value:,.0f}" if abs(value - round(value)) < 1e-9 or abs(value) >= 100 else f"{value:,.1f}"


def hours_text(value: float) -> str:
    return f"{value:,.0f} h" if abs(value) >= 100 else f"{value:,.1f} h"


def _ratio(numerator: str, denominator: str) -> Callable[[list[dict]], float | None]:
    def compute(weeks: list[dict]) -> float | None:
        below = sum(w[denominator] for w in weeks)
        return sum(w[numerator] for w in weeks) / below if below else None
    return compute


def _total(column: str) -> Callable[[list[dict]], float]:
    return lambda weeks: sum(w[column] for w in weeks)


def _per_week(column: str) -> Callable[[list[dict]], float]:
    return lambda weeks: sum(w[column] for w in weeks) / len(weeks)


def _utilisation(weeks: list[dict]) -> float | None:
    working = sum(w["working_hours"] for w in weeks)
    return sum(w["visit_hours"] + w["travel_hours"] for w in weeks) / working if working else None


MEASURES = (
    Measure("compliance", "Statutory compliance", _ratio("met_on_time", "due"), share_text,
            "Share of statutory visit requirements (due dates) met on or before the due date.", True),
    Measure("missed", "Requirements missed", _total("missed"), count_text,
            "Due dates not met on time (met late, or not met at all).", False),
    Measure("lateness_days", "Total lateness", _total("lateness_days"), count_text,
            "Working days that requirements were overdue, added up over all children.", False),
    Measure("worst_lateness_days", "Worst lateness", lambda weeks: max(w["worst_lateness_days"] for w in weeks),
            count_text, "The longest any one requirement was overdue, in working days.", False),
    Measure("children_overdue_end", "Children overdue at the end", lambda weeks: weeks[-1]["children_overdue"],
            count_text, "Children with a statutory visit overdue at the end of the last week.", False),
    Measure("children_overdue_mean", "Children overdue (weekly mean)", _per_week("children_overdue"),
            count_text, "Children with a statutory visit overdue at the end of a week, on average.", False),
    Measure("visits_made", "Visits made", _total("visits_made"), count_text,
            "Visits that took place (planned visits less no-access and sickness).", None),
    Measure("home_visits", "Home visits", _total("home_visits"), count_text,
            "Home visits made.", None),
    Measure("school_visits", "School visits", _total("school_visits"), count_text,
            "Visits to the child at school, in school hours.", True),
    Measure("creative_visits", "Creative visits", _total("creative_visits"), count_text,
            "Activity-based direct work with the child.", True),
    Measure("remote_visits", "Remote visits", _total("remote_visits"), count_text,
            "Video or phone contact.", True),
    Measure("visits_no_access", "No-access visits", _total("visits_no_access"), count_text,
            "Planned visits that did not happen (no one at home, cancelled).", None),
    Measure("visits_lost_sickness", "Visits lost to sickness", _total("visits_lost_sickness"), count_text,
            "Planned visits that did not happen because the worker was off sick.", None),
    Measure("travel_hours_per_week", "Travel per week", _per_week("travel_hours"), hours_text,
            "Hours spent travelling between the base and visits, per week.", False),
    Measure("utilisation", "Worker utilisation", _utilisation, share_text,
            "Visit and travel time as a share of the hours workers were at work.", None),
    Measure("spare_hours_per_week", "Spare capacity per week", _per_week("spare_hours"), hours_text,
            "Working hours left free of visits, travel and appointments, per week (whole team).", None),
)
MEASURE = {m.key: m for m in MEASURES}

# Weekly charts: column, title, formatter of the y axis, y range from 0.
WEEKLY_CHARTS = (
    ("compliance", "Statutory compliance by week", share_text),
    ("children_overdue", "Children overdue at the end of the week", count_text),
    ("school_visits", "School visits made per week", count_text),
    ("lateness_days", "Working days of lateness accrued per week", count_text),
    ("utilisation", "Worker utilisation by week", share_text),
    ("travel_hours", "Travel hours per week", count_text),
)

# Okabe-Ito colours (distinguishable with colour blindness), and dash patterns as a second cue.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", "10 4", "3 6")


# ---------------------------------------------------------------- aggregation

def service_weeks(rows: Iterable[dict], team: str | None = None) -> dict[tuple[str, int], list[dict]]:
    """(scenario, run) -> one row per week adding up the teams (or one `team`), in week order."""
    added: dict[tuple[str, int, int], dict] = {}
    for row in rows:
        if team is not None and row["team"] != team:
            continue
        key = (row["scenario"], row["run"], row["week"])
        total = added.setdefault(key, {"scenario": row["scenario"], "run": row["run"], "week": row["week"],
                                       "week_start": row["week_start"], "worst_lateness_days": 0,
                                       **{c: 0 for c in ADDED}})
        for column in ADDED:
            total[column] += row[column] or 0
        total["worst_lateness_days"] = max(total["worst_lateness_days"], row["worst_lateness_days"])
    by_run: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for (scenario, run, _), total in sorted(added.items(), key=lambda item: item[0][2]):
        total["compliance"] = total["met_on_time"] / total["due"] if total["due"] else None
        total["utilisation"] = ((total["visit_hours"] + total["travel_hours"]) / total["working_hours"]
                                if total["working_hours"] else None)
        by_run[(scenario, run)].append(total)
    return dict(by_run)


@dataclass(frozen=True)
class Stat:
    mean: float | None
    low: float | None
    high: float | None
    n: int

    @classmethod
    def of(cls, values: Iterable[float | None]) -> "Stat":
        known = [v for v in values if v is not None]
        if not known:
            return cls(None, None, None, 0)
        return cls(mean(known), min(known), max(known), len(known))


def scenario_stats(by_run: dict[tuple[str, int], list[dict]], scenarios: Sequence[str]) -> dict[str, dict[str, Stat]]:
    """scenario -> measure key -> Stat over runs."""
    out = {}
    for scenario in scenarios:
        runs = [weeks for (name, _), weeks in sorted(by_run.items()) if name == scenario]
        out[scenario] = {m.key: Stat.of(m.compute(weeks) for weeks in runs) for m in MEASURES}
    return out


def weekly_stats(by_run: dict[tuple[str, int], list[dict]], scenario: str,
                 column: str) -> list[tuple[int, str, Stat]]:
    """(week, week_start, Stat over runs) of one column, for one scenario."""
    values: dict[int, list] = defaultdict(list)
    starts: dict[int, str] = {}
    for (name, _), weeks in by_run.items():
        if name != scenario:
            continue
        for week in weeks:
            values[week["week"]].append(week[column])
            starts[week["week"]] = week["week_start"]
    return [(week, starts[week], Stat.of(values[week])) for week in sorted(values)]


# ---------------------------------------------------------------- CSV

def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
    return str(value)


def write_results_csv(rows: list[dict], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([_cell(row[c]) for c in COLUMNS])


def write_weekly_csv(result: SweepResult, path: Path) -> None:
    by_run = service_weeks(result.rows)
    columns = [c for c, _, _ in WEEKLY_CHARTS] + ["due", "met_on_time", "visits_made", "home_visits",
                                                   "creative_visits", "remote_visits", "spare_hours"]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["scenario", "week", "week_start", "runs"]
                        + [f"{c}_{s}" for c in columns for s in ("mean", "min", "max")])
        for scenario in result.scenarios:
            series = {c: weekly_stats(by_run, scenario.name, c) for c in columns}
            for index, (week, start, stat) in enumerate(series[columns[0]]):
                cells = []
                for c in columns:
                    s = series[c][index][2]
                    cells += [_cell(_round(s.mean)), _cell(_round(s.low)), _cell(_round(s.high))]
                writer.writerow([scenario.name, week, start, stat.n] + cells)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def summary_tables(result: SweepResult) -> list[tuple[str, dict[str, dict[str, Stat]]]]:
    """(team label, scenario stats): the service first, then each team when there are several."""
    names = [s.name for s in result.scenarios]
    tables = [(SERVICE, scenario_stats(service_weeks(result.rows), names))]
    if len(result.team_keys) > 1:
        tables += [(team, scenario_stats(service_weeks(result.rows, team), names)) for team in result.team_keys]
    return tables


def write_summary_csv(result: SweepResult, path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["team", "scenario", "changes", "runs", "weeks"]
                        + [f"{m.key}_{s}" for m in MEASURES for s in ("mean", "min", "max")])
        weeks = max((r["week"] for r in result.rows), default=0)
        for team, stats in summary_tables(result):
            for scenario in result.scenarios:
                cells = []
                for m in MEASURES:
                    s = stats[scenario.name][m.key]
                    cells += [_cell(_round(s.mean)), _cell(_round(s.low)), _cell(_round(s.high))]
                runs = stats[scenario.name]["compliance"].n or stats[scenario.name]["missed"].n
                writer.writerow([team, scenario.name, scenario.describe(), runs, weeks] + cells)


# ---------------------------------------------------------------- SVG charts

def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = min((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), default=raw)
    ticks = [round(math.floor(low / step) * step, 10)]
    while ticks[-1] < high - step * 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def line_chart(title: str, series: list[tuple[str, list[tuple[int, str, Stat]]]],
               fmt: Callable[[float], str], width: int = 720, height: int = 300) -> str:
    """An SVG line chart: the mean of each series, with a band from the lowest to the highest run."""
    left, right, top, bottom = 64, 16, 34, 44
    points = [(x, s) for _, data in series for x, _, s in data if s.mean is not None]
    if not points:
        return f'<p class="nodata">{_esc(title)}: no data.</p>'
    xs = [x for x, _ in points]
    x_low, x_high = min(xs), max(xs)
    y_high = max(s.high for _, s in points)
    y_low = min(0.0, min(s.low for _, s in points))
    ceiling = y_high * 1.05 if y_high > 0 else 1
    if fmt is share_text:  # shares: at most 100%, and from a round tenth when all are high
        lowest = math.floor(min(s.low for _, s in points) * 10) / 10
        y_low = lowest if lowest >= 0.5 else 0.0
        ceiling = min(ceiling, 1.0) if y_high <= 1 else ceiling
    ticks = _nice_ticks(y_low, max(ceiling, y_low + 0.01))
    y_low, y_top = ticks[0], ticks[-1]
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(x: float) -> float:
        return left + (plot_w / 2 if x_high == x_low else (x - x_low) / (x_high - x_low) * plot_w)

    def py(y: float) -> float:
        return top + plot_h - (y - y_low) / (y_top - y_low) * plot_h

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height + 8 + 22 * math.ceil(len(series) / 3)}" '
             f'role="img" aria-label="{_esc(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{_esc(title)}</title>",
             f'<text x="{left}" y="20" class="chart-title">{_esc(title)}</text>']
    for tick in ticks:
        y = py(tick)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" class="tick" text-anchor="end">{_esc(fmt(tick))}</text>')
    labels = {x: start for _, data in series for x, start, _ in data}
    step = max(1, math.ceil(len(labels) / 10))
    for index, x in enumerate(sorted(labels)):
        if index % step == 0 or x == x_high:
            parts.append(f'<text x="{px(x):.1f}" y="{top + plot_h + 16}" class="tick" text-anchor="middle">'
                         f'{_esc(x)}</text>')
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h + 34}" class="axis" '
                 f'text-anchor="middle">week of the simulation</text>')
    parts.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" class="axisline"/>'
                 f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" class="axisline"/>')
    for number, (name, data) in enumerate(series):
        colour, dash = COLOURS[number % len(COLOURS)], DASHES[number % len(DASHES)]
        known = [(x, s) for x, _, s in data if s.mean is not None]
        if not known:
            continue
        band = [f"{px(x):.1f},{py(s.high):.1f}" for x, s in known]
        band += [f"{px(x):.1f},{py(s.low):.1f}" for x, s in reversed(known)]
        if len(known) > 1:
            parts.append(f'<polygon points="{" ".join(band)}" fill="{colour}" fill-opacity="0.13" stroke="none"/>')
        line = " ".join(f"{px(x):.1f},{py(s.mean):.1f}" for x, s in known)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        for x, s in known:
            parts.append(f'<circle cx="{px(x):.1f}" cy="{py(s.mean):.1f}" r="2.5" fill="{colour}">'
                         f'<title>{_esc(name)}, week {x}: {_esc(fmt(s.mean))} '
                         f'(runs {_esc(fmt(s.low))} to {_esc(fmt(s.high))})</title></circle>')
    for number, (name, _) in enumerate(series):
        colour, dash = COLOURS[number % len(COLOURS)], DASHES[number % len(DASHES)]
        x = left + (number % 3) * (plot_w / 3)
        y = height + 22 * (number // 3) + 8
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<line x1="{x:.1f}" x2="{x + 26:.1f}" y1="{y - 4}" y2="{y - 4}" stroke="{colour}" '
                     f'stroke-width="3"{dash_attr}/><text x="{x + 32:.1f}" y="{y}" class="legend">{_esc(name)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def bar_chart(title: str, groups: list[str], bars: list[tuple[str, list[Stat]]],
              fmt: Callable[[float], str], width: int = 720, height: int = 300) -> str:
    """Grouped bars (one group per measure, one bar per scenario): the mean, a whisker from lowest to highest."""
    left, right, top, bottom = 64, 16, 34, 40
    highs = [s.high for _, stats in bars for s in stats if s.high is not None]
    if not highs:
        return f'<p class="nodata">{_esc(title)}: no data.</p>'
    ticks = _nice_ticks(0, max(highs) * 1.05 or 1)
    y_top = ticks[-1]
    plot_w, plot_h = width - left - right, height - top - bottom
    group_w = plot_w / len(groups)
    bar_w = group_w * 0.8 / len(bars)

    def py(y: float) -> float:
        return top + plot_h - y / y_top * plot_h

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height + 22 * math.ceil(len(bars) / 3)}" role="img" '
             f'aria-label="{_esc(title)}" xmlns="http://www.w3.org/2000/svg"><title>{_esc(title)}</title>',
             f'<text x="{left}" y="20" class="chart-title">{_esc(title)}</text>']
    for tick in ticks:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{py(tick):.1f}" y2="{py(tick):.1f}" class="grid"/>'
                     f'<text x="{left - 6}" y="{py(tick) + 4:.1f}" class="tick" text-anchor="end">{_esc(fmt(tick))}</text>')
    for g, group in enumerate(groups):
        parts.append(f'<text x="{left + group_w * (g + 0.5):.1f}" y="{top + plot_h + 18}" class="axis" '
                     f'text-anchor="middle">{_esc(group)}</text>')
        for b, (name, stats) in enumerate(bars):
            stat = stats[g]
            if stat.mean is None:
                continue
            colour = COLOURS[b % len(COLOURS)]
            x = left + group_w * g + group_w * 0.1 + bar_w * b
            parts.append(f'<rect x="{x:.1f}" y="{py(stat.mean):.1f}" width="{bar_w * 0.9:.1f}" '
                         f'height="{py(0) - py(stat.mean):.1f}" fill="{colour}"><title>{_esc(name)}, '
                         f'{_esc(group)}: {_esc(fmt(stat.mean))} (runs {_esc(fmt(stat.low))} to '
                         f'{_esc(fmt(stat.high))})</title></rect>')
            middle = x + bar_w * 0.45
            parts.append(f'<line x1="{middle:.1f}" x2="{middle:.1f}" y1="{py(stat.low):.1f}" '
                         f'y2="{py(stat.high):.1f}" class="whisker"/>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{py(0):.1f}" y2="{py(0):.1f}" class="axisline"/>')
    for b, (name, _) in enumerate(bars):
        x = left + (b % 3) * (plot_w / 3)
        y = height + 22 * (b // 3) + 2
        parts.append(f'<rect x="{x:.1f}" y="{y - 10}" width="14" height="12" fill="{COLOURS[b % len(COLOURS)]}"/>'
                     f'<text x="{x + 20:.1f}" y="{y}" class="legend">{_esc(name)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


# ---------------------------------------------------------------- findings in words

def _stat_text(stat: Stat, fmt: Callable[[float], str]) -> str:
    if stat.mean is None:
        return "no data"
    if stat.n > 1 and stat.low != stat.high:
        return f"{fmt(stat.mean)} ({fmt(stat.low)} to {fmt(stat.high)})"
    return fmt(stat.mean)


def _stat_cell(stat: Stat, fmt: Callable[[float], str]) -> str:
    """The mean, and below it the range over runs (HTML, escaped)."""
    if stat.mean is None:
        return '<span class="range">no data</span>'
    cell = _esc(fmt(stat.mean))
    if stat.n > 1 and stat.low != stat.high:
        cell += f'<br><span class="range">{_esc(fmt(stat.low))} to {_esc(fmt(stat.high))}</span>'
    return cell


def _overlap(a: Stat, b: Stat) -> bool:
    return a.low <= b.high and b.low <= a.high


def compare(baseline: str, other: str, stats: dict[str, dict[str, Stat]]) -> str:
    """One paragraph comparing a scenario with the baseline, honest about the spread over runs."""
    base, this = stats[baseline], stats[other]
    c0, c1 = base["compliance"], this["compliance"]
    s0, s1 = base["school_visits"], this["school_visits"]
    if c0.mean is None or c1.mean is None:
        return f"{other}: no statutory visit fell due, so compliance cannot be compared."
    points = (c1.mean - c0.mean) * 100
    if abs(points) < 1.0 or (_overlap(c0, c1) and abs(points) < 2.0):
        compliance = (f"compliance is about the same ({share_text(c1.mean)} against {share_text(c0.mean)}, "
                      f"{points:+.1f} points{', within the spread between runs' if _overlap(c0, c1) else ''})")
        equal = True
    else:
        compliance = (f"compliance is {'higher' if points > 0 else 'lower'} ({share_text(c1.mean)} against "
                      f"{share_text(c0.mean)}, {points:+.1f} points"
                      f"{'; the runs overlap, so this may be chance' if _overlap(c0, c1) else ''})")
        equal = False
    change = (s1.mean - s0.mean) / s0.mean if s0.mean else None
    if s1.mean > s0.mean and not _overlap(s0, s1):
        school = f"more school visits are made ({count_text(s1.mean)} against {count_text(s0.mean)}"
    elif s1.mean < s0.mean and not _overlap(s0, s1):
        school = f"fewer school visits are made ({count_text(s1.mean)} against {count_text(s0.mean)}"
    else:
        school = (f"school visits are about the same or within the spread between runs "
                  f"({count_text(s1.mean)} against {count_text(s0.mean)}")
    school += f", {change:+.0%})" if change is not None else ")"
    o0, o1 = base["children_overdue_end"], this["children_overdue_end"]
    overdue = (f"children overdue at the end: {count_text(o1.mean)} against {count_text(o0.mean)}"
               if o0.mean is not None and o1.mean is not None else "")
    more_school = s1.mean > s0.mean and not _overlap(s0, s1)
    verdict = ""
    if equal and more_school:
        verdict = " In short: more school visits at equal compliance."
    elif equal:
        verdict = " In short: equal compliance, and no clearly higher number of school visits."
    elif points < 0 and more_school:
        verdict = " In short: more school visits, but at lower compliance."
    return (f"Compared with {baseline}, under {other} {compliance}; {school}"
            f"{'; ' + overdue if overdue else ''}.{verdict}")


# ---------------------------------------------------------------- HTML

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0 auto;max-width:1100px;
padding:1.5rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;
text-align:right;vertical-align:top}th{background:#f3f3f3}td.name,th.name{text-align:left}
.muted{color:#555;font-size:.9rem}.chart{width:100%;max-width:760px;height:auto;display:block;margin:1rem 0}
.chart-title{font-size:15px;font-weight:600}.tick{font-size:11px;fill:#444}.axis{font-size:12px;fill:#333}
.legend{font-size:12px}.grid{stroke:#e5e5e5}.axisline{stroke:#777}.whisker{stroke:#222;stroke-width:1.5}
.findings li{margin-bottom:.4rem}dl dt{font-weight:600;margin-top:.5rem}dl dd{margin-left:1rem}
.range{color:#666;font-size:.8rem;white-space:nowrap}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:0 1.5rem}
"""


STATUTORY_KEYS = ("compliance", "missed", "lateness_days", "worst_lateness_days", "children_overdue_end",
                  "children_overdue_mean")


def _tables(stats: dict[str, dict[str, Stat]], scenarios: list[str]) -> str:
    """Two tables: statutory visits, then visits made and time."""
    statutory = [m for m in MEASURES if m.key in STATUTORY_KEYS]
    rest = [m for m in MEASURES if m.key not in STATUTORY_KEYS]
    return (f"<h3>Statutory visits</h3>{_table(stats, scenarios, statutory)}"
            f"<h3>Visits made and workers' time</h3>{_table(stats, scenarios, rest)}")


def _table(stats: dict[str, dict[str, Stat]], scenarios: list[str], measures: Sequence[Measure]) -> str:
    head = "".join(f"<th>{_esc(m.label)}</th>" for m in measures)
    rows = []
    for name in scenarios:
        cells = "".join(f"<td>{_stat_cell(stats[name][m.key], m.fmt)}</td>" for m in measures)
        rows.append(f'<tr><td class="name">{_esc(name)}</td>{cells}</tr>')
    return (f'<div style="overflow-x:auto"><table><tr><th class="name">Scenario</th>{head}</tr>'
            f'{"".join(rows)}</table></div>')


def render_html(result: SweepResult, settings: dict) -> str:
    """The report page: self-contained (no script, no network), every text escaped."""
    names = [s.name for s in result.scenarios]
    by_run = service_weeks(result.rows)
    tables = summary_tables(result)
    stats = tables[0][1]
    weeks = max((r["week"] for r in result.rows), default=0)
    starts = sorted({r["week_start"] for r in result.rows})
    first = starts[0] if starts else ""
    last = (date.fromisoformat(starts[-1]) + timedelta(days=6)).isoformat() if starts else ""
    runs = max((s.run for s in result.specs), default=0)
    teams = result.team_keys
    workers = {t: next((r["workers"] for r in result.rows if r["team"] == t and r["week"] == 1), 0) for t in teams}
    no_access = sorted({s.no_access for s in result.scenarios})
    out = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
           f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           f"<title>{_esc('Scenario report: ' + ', '.join(teams))}</title><style>{CSS}</style></head><body>",
           f"<h1>What would change? Scenarios for {_esc(', '.join(teams) if len(teams) <= 3 else f'{len(teams)} teams')}</h1>",
           f'<p class="muted">Simulated {weeks} week{"s" if weeks != 1 else ""}, {_esc(first)} to {_esc(last)}; '
           f'{runs} run{"s" if runs != 1 else ""} of each scenario.</p>',
           "<h2>What was simulated</h2>",
           f"<p>Each scenario changes the team{'s' if len(teams) > 1 else ''} in one way (below) and then "
           f"lives through {weeks} weeks, one week at a time, as the team would: every Monday the planner "
           "plans the next fortnight from the dates each child was last seen, the first week's visits are "
           "made, and the following Monday the plan is made again from the new dates. Not every planned "
           f"visit happens: {', '.join(f'{n:.0%}' for n in no_access)} of visits are no-access (no one at home, "
           "cancelled), and in scenarios with sickness a sick worker's visits that day are lost too. These "
           "chances are drawn at random, so each scenario is run several times with different random "
           "draws (runs); the figures show the average of the runs, and the range from the lowest to the "
           "highest run shows how much is down to chance. Runs of different scenarios with the same run "
           "number are not paired: compare averages and ranges.</p>",
           "<table><tr><th class=\"name\">Scenario</th><th class=\"name\">What changes</th></tr>"]
    for scenario in result.scenarios:
        out.append(f'<tr><td class="name">{_esc(scenario.name)}</td>'
                   f'<td class="name">{_esc(scenario.describe())}</td></tr>')
    out.append("</table>")
    out.append(f"<p class=\"muted\">Teams: {_esc('; '.join(f'{t} ({workers[t]} workers)' for t in teams))}. "
               "Figures are for the whole service (all teams added up).</p>")
    out.append("<h2>Findings</h2><ul class=\"findings\">")
    if runs < 2 and len(names) > 1:
        out.append("<li>Each scenario was run once, so chance cannot be told apart from a real difference: "
                   "run several (--runs 5) before drawing conclusions.</li>")
    if len(names) > 1:
        for name in names[1:]:
            out.append(f"<li>{_esc(compare(names[0], name, stats))}</li>")
    else:
        out.append(f"<li>Only one scenario was run ({_esc(names[0] if names else '')}); add scenarios to compare.</li>")
    out.append("</ul>")
    out.append("<h2>Over the whole period</h2><p class=\"muted\">Average over the runs, with the lowest and "
               "highest run in brackets. Visits and lateness are totals over the period.</p>")
    out.append(_tables(stats, names))
    out.append("<h2>Week by week</h2><p class=\"muted\">Lines: the average over the runs; shaded bands: from "
               "the lowest to the highest run. Hover over a point for its figures. Axes of shares (compliance, "
               "utilisation) start at a round tenth below the lowest value, not always at 0.</p>"
               "<div class=\"charts\">")
    for column, title, fmt in WEEKLY_CHARTS:
        series = [(name, weekly_stats(by_run, name, column)) for name in names]
        out.append(line_chart(title, series, fmt))
    out.append("</div>")
    visit_groups = ("School visits", "Creative visits", "Remote visits")
    bars = [(name, [stats[name][k] for k in ("school_visits", "creative_visits", "remote_visits")]) for name in names]
    out.append(bar_chart(f"Optional visits made over the {weeks} weeks", list(visit_groups), bars, count_text))
    if len(tables) > 1:
        out.append("<h2>Team by team</h2>")
        for team, team_stats in tables[1:]:
            out.append(f"<h3>{_esc(team)}</h3>"
                       f"{_table(team_stats, names, [m for m in MEASURES if m.key in STATUTORY_KEYS])}"
                       f"{_table(team_stats, names, [m for m in MEASURES if m.key not in STATUTORY_KEYS])}")
    out.append("<h2>What the figures mean</h2><dl>")
    for m in MEASURES:
        out.append(f"<dt>{_esc(m.label)}</dt><dd>{_esc(m.explain)}</dd>")
    out.append("</dl>")
    out.append("<h2>How it was worked out</h2><ul>"
               "<li>A statutory requirement (e.g. a child on a child protection plan seen at home every 10 "
               "working days) falls due on a date; it counts once: as met on time in the week of the visit "
               "that meets it, or as missed in the week of its due date. A child already overdue at the "
               "start counts as missed in week 1.</li>"
               "<li>Visits made move the child's last-seen dates on, by the policy's rules of which visit "
               "types meet which requirement. Where no requirement uses a date, a school or creative visit, "
               "or a home visit to a child aged 5 or over, counts as seen alone.</li>"
               "<li>The team's diary (appointments) repeats: a diary of two weeks repeats every fortnight. "
               "Bank holidays and school terms come from the calendar.</li>"
               "<li>Extra children (caseload scenarios) are drawn like the current caseload and allocated to "
               "the least-loaded workers; workers who leave have their children reallocated to the "
               "least-loaded remaining workers. New workers take children from the most-loaded workers.</li>"
               "<li>Plans use a fast, repeatable planner setting: the same scenario, run and seed give the "
               "same figures on any machine.</li></ul>")
    out.append(f'<p class="muted">Settings: {_esc(json.dumps(settings, sort_keys=True, default=str))}</p>')
    out.append("</body></html>")
    return "\n".join(out)


def write_report(result: SweepResult, folder: Path, settings: dict) -> list[Path]:
    """Write results.csv, weekly.csv, summary.csv and report.html into `folder` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "results.csv", folder / "weekly.csv", folder / "summary.csv", folder / "report.html"]
    write_results_csv(result.rows, paths[0])
    write_weekly_csv(result, paths[1])
    write_summary_csv(result, paths[2])
    paths[3].write_text(render_html(result, settings), encoding="utf-8")
    return paths
