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
from datetime import date, timedelta
from pathlib import Path
from typing import Callable, Sequence

from planner.outputs.capacity import LIMIT_HEADINGS, LIMITS
from planner.scenarios.charts import bar_chart, line_chart
from planner.scenarios.findings import findings
from planner.scenarios.measures import (MEASURES, SERVICE, Measure, Stat, count_text, hours_text,
                                        scenario_stats, service_weeks, share_text, weekly_stats)
from planner.scenarios.simulate import COLUMNS
from planner.scenarios.sweep import SweepResult

__all__ = ["count_text", "hours_text", "share_text", "summary_tables", "write_report", "render_html"]

# Weekly charts: column, title, formatter of the y axis.
WEEKLY_CHARTS = (
    ("compliance", "Statutory compliance by week", share_text),
    ("children_overdue", "Children overdue at the end of the week", count_text),
    ("school_visits", "School visits made per week", count_text),
    ("lateness_days", "Working days of lateness accrued per week", count_text),
    ("utilisation", "Worker utilisation by week", share_text),
    ("travel_hours", "Travel hours per week", count_text),
)


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
                                                   "creative_visits", "remote_visits", "spare_hours",
                                                   "recording_hours", "school_days"]
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


# ---------------------------------------------------------------- HTML

def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def _stat_cell(stat: Stat, fmt: Callable[[float], str]) -> str:
    """The mean, and below it the range over runs (HTML, escaped)."""
    if stat.mean is None:
        return '<span class="range">no data</span>'
    cell = _esc(fmt(stat.mean))
    if stat.n > 1 and stat.low != stat.high:
        cell += f'<br><span class="range">{_esc(fmt(stat.low))} to {_esc(fmt(stat.high))}</span>'
    return cell


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0 auto;max-width:1100px;
padding:1.5rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;
text-align:right;vertical-align:top}th{background:#f3f3f3}td.name,th.name{text-align:left}
.muted{color:#555;font-size:.9rem}.chart{width:100%;max-width:760px;height:auto;display:block;margin:1rem 0}
.chart-title{font-size:15px;font-weight:600}.tick{font-size:11px;fill:#444}.axis{font-size:12px;fill:#333}
.legend{font-size:12px}.grid{stroke:#e5e5e5}.axisline{stroke:#777}.whisker{stroke:#222;stroke-width:1.5}
.findings li{margin-bottom:.4rem}.holiday{fill:#eee}.holiday-label{font-size:10px;fill:#777}dl dt{font-weight:600;margin-top:.5rem}dl dd{margin-left:1rem}
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


SHOWN_FINDINGS = 12  # clear differences listed before the rest is folded away


def team_names(result: SweepResult) -> dict[str, str]:
    """Each team's key (its folder, the `team` column of the CSVs) -> its name in team.toml."""
    return {spec.team_key: spec.team.name for spec in result.specs}


def _settings_text(result: SweepResult, settings: dict) -> str:
    """The command's settings in words (no raw data)."""
    solver = settings.get("solver") or {}
    first = settings.get("first_monday")
    day = date.fromisoformat(first) if first else None
    when = f" from Monday {day.day} {day:%B %Y}" if day else ""
    rounds = solver.get("max_rounds")
    return (f"{settings.get('weeks')} weeks{when}; {settings.get('runs')} runs of each scenario, random "
            f"draws seeded by {settings.get('seed')}; each weekly plan made with "
            f"{rounds} route-generation round{'s' if rounds != 1 else ''} and a work limit of "
            f"{solver.get('work_limit')} (deterministic time, never the clock).")


def _findings_html(baseline: str, names: list[str], stats: dict[str, dict[str, Stat]], runs: int) -> list[str]:
    found = findings(baseline, names, stats, runs)
    out = ["<h2>Findings</h2>"]
    if len(names) < 2:
        return out + [f"<p>Only one scenario was run ({_esc(names[0] if names else '')}); add scenarios "
                      "to compare.</p>"]
    out.append(f'<p class="muted">Each scenario against {_esc(baseline)}, the strongest differences first: '
               "those where every run of the scenario is beyond every run of the baseline (the ranges over "
               "the runs do not overlap), largest first; then what each scenario trades for what; then "
               "differences within the spread between runs, which chance may explain.</p>")
    out += [f"<p><b>{_esc(note)}</b></p>" for note in found["notes"]]
    out.append('<h3>Clear differences</h3><ol class="findings">')
    none = ("None can be told apart from chance with a single run." if runs < 2
            else "None: every difference is within the spread between runs.")
    clear = found["clear"]
    out += [f"<li>{_esc(text)}</li>" for text in clear[:SHOWN_FINDINGS]] or [f"<li>{none}</li>"]
    out.append("</ol>")
    if len(clear) > SHOWN_FINDINGS:
        out.append(f"<details><summary>{len(clear) - SHOWN_FINDINGS} smaller clear differences</summary>"
                   f'<ol class="findings" start="{SHOWN_FINDINGS + 1}">'
                   + "".join(f"<li>{_esc(text)}</li>" for text in clear[SHOWN_FINDINGS:]) + "</ol></details>")
    if found["trade_offs"]:
        out.append('<h3>Trade-offs: what falls when something rises</h3><ul class="findings">')
        out += [f"<li>{_esc(text)}</li>" for text in found["trade_offs"]]
        out.append("</ul>")
    if found["within_spread"]:
        out.append('<h3>Within the spread between runs (may be chance)</h3><ul class="findings muted">')
        out += [f"<li>{_esc(text)}</li>" for text in found["within_spread"]]
        out.append("</ul>")
    return out


def _limits_table(result: SweepResult, names: list[str]) -> str:
    """Per scenario, worker-days by what limits more visits (all runs and weeks together)."""
    rows = []
    head = "".join(f"<th>{_esc(LIMIT_HEADINGS[limit])}</th>" for limit in LIMITS)
    for name in names:
        mine = [r for r in result.rows if r["scenario"] == name]
        days = sum(r["worker_days"] for r in mine)
        cells = "".join(f"<td>{_esc(share_text(sum(r[f'days_{limit}'] for r in mine) / days) if days else '')}</td>"
                        for limit in LIMITS)
        rows.append(f'<tr><td class="name">{_esc(name)}</td>{cells}</tr>')
    return (f'<div style="overflow-x:auto"><table><tr><th class="name">Scenario</th>{head}</tr>'
            f"{''.join(rows)}</table></div>")


def render_html(result: SweepResult, settings: dict) -> str:
    """The report page: self-contained (no script, no network), every text escaped."""
    names = [s.name for s in result.scenarios]
    baseline = names[0] if names else ""
    by_run = service_weeks(result.rows)
    tables = summary_tables(result)
    stats = tables[0][1]
    weeks = max((r["week"] for r in result.rows), default=0)
    starts = sorted({r["week_start"] for r in result.rows})
    first = date.fromisoformat(starts[0]) if starts else None
    last = date.fromisoformat(starts[-1]) + timedelta(days=6) if starts else None
    runs = max((s.run for s in result.specs), default=0)
    labels = team_names(result)
    teams = [labels.get(key, key) for key in result.team_keys]
    workers = {key: next((r["workers"] for r in result.rows if r["team"] == key and r["week"] == 1), 0)
               for key in result.team_keys}
    holidays = frozenset(r["week"] for r in service_weeks(result.rows).get(
        next(iter(service_weeks(result.rows)), ("", 0)), []) if not r["school_days"])
    no_access = sorted({s.no_access for s in result.scenarios})
    period = f"{first.day} {first:%B %Y} to {last.day} {last:%B %Y}" if first else ""
    out = ["<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           f"<title>{_esc('Scenario report: ' + ', '.join(teams))}</title><style>{CSS}</style></head><body>",
           f"<h1>What would change? Scenarios for {_esc(', '.join(teams) if len(teams) <= 3 else f'{len(teams)} teams')}</h1>",
           f'<p class="muted">Simulated {weeks} week{"s" if weeks != 1 else ""}, {_esc(period)}; '
           f'{runs} run{"s" if runs != 1 else ""} of each scenario; compared with {_esc(baseline)}.</p>',
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
    out.append(f"<p class=\"muted\">Teams: {_esc('; '.join(f'{labels.get(k, k)} ({workers[k]} workers)' for k in result.team_keys))}. "
               "Figures are for the whole service (all teams added up).</p>")
    out += _findings_html(baseline, names, stats, runs)
    out.append("<h2>Over the whole period</h2><p class=\"muted\">Average over the runs, with the lowest and "
               "highest run below it. Visits and lateness are totals over the period. Spare capacity and "
               "utilisation come from each week's day sheet (as days.csv in a plan folder): the write-up "
               "of each visit and the lunch break are not spare.</p>")
    out.append(_tables(stats, names))
    out.append("<h2>What limits more visits</h2><p class=\"muted\">Worker-days of the committed weeks' plans "
               "by the first limit that keeps one more visit out (all runs and weeks together): the "
               "visits-a-day cap; no time for another visit once its write-up is reserved; no time at all "
               "(visits, travel, appointments and lunch fill the day); travel within 30 minutes of the daily "
               "cap; the time after school taken (home visits to schoolchildren fit only then); appointments "
               "taking half the day; else room for more, with no more visits due or worth making.</p>")
    out.append(_limits_table(result, names))
    out.append("<h2>Week by week</h2><p class=\"muted\">Lines: the average over the runs; shaded bands: from "
               "the lowest to the highest run. Weeks are labelled by their Monday; grey columns are school "
               "holidays (no school day, so no school visits). Hover over a point for its figures. Axes of "
               "shares (compliance, utilisation) start at a round tenth below the lowest value, not always "
               "at 0.</p><div class=\"charts\">")
    for column, title, fmt in WEEKLY_CHARTS:
        series = [(name, weekly_stats(by_run, name, column)) for name in names]
        out.append(line_chart(title, series, fmt, holidays=holidays))
    out.append("</div>")
    visit_groups = ("School visits", "Creative visits", "Remote visits")
    bars = [(name, [stats[name][k] for k in ("school_visits", "creative_visits", "remote_visits")]) for name in names]
    out.append(bar_chart(f"Optional visits made over the {weeks} weeks", list(visit_groups), bars, count_text))
    if len(tables) > 1:
        out.append("<h2>Team by team</h2>")
        for team, team_stats in tables[1:]:
            out.append(f"<h3>{_esc(labels.get(team, team))}</h3>"
                       f"{_table(team_stats, names, [m for m in MEASURES if m.key in STATUTORY_KEYS])}"
                       f"{_table(team_stats, names, [m for m in MEASURES if m.key not in STATUTORY_KEYS])}")
    out.append("<h2>What the figures mean</h2><dl>")
    for m in MEASURES:
        out.append(f"<dt>{_esc(m.label)}</dt><dd>{_esc(m.explain)}</dd>")
    out.append("</dl>")
    out.append(HOW_IT_WAS_WORKED_OUT)
    out.append(f'<p class="muted">Settings: {_esc(_settings_text(result, settings))}</p>')
    out.append("</body></html>")
    return "\n".join(out)


HOW_IT_WAS_WORKED_OUT = (
    "<h2>How it was worked out</h2><ul>"
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
    "<li>Each week's hours come from its day sheet: working hours less visits, travel, appointments, "
    "the lunch break and the write-up of each visit (the policy's recording minutes) is spare.</li>"
    "<li>Plans use a fast, repeatable planner setting: the same scenario, run and seed give the "
    "same figures on any machine.</li></ul>")


def write_report(result: SweepResult, folder: Path, settings: dict) -> list[Path]:
    """Write results.csv, weekly.csv, summary.csv and report.html into `folder` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "results.csv", folder / "weekly.csv", folder / "summary.csv", folder / "report.html"]
    write_results_csv(result.rows, paths[0])
    write_weekly_csv(result, paths[1])
    write_summary_csv(result, paths[2])
    paths[3].write_text(render_html(result, settings), encoding="utf-8")
    return paths
