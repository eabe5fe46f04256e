"""`service.html`: the service's teams side by side, each linked to its own rota page.

One self-contained page (inline CSS, no script, nothing loaded), its figures the rows of
`planner.service.table` as service.csv holds them. Team names are folder names, escaped.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import quote

from planner.outputs.rota_timeline import e
from planner.outputs.views import long_day
from planner.service.table import COLUMNS, ServiceRow

HEADINGS = {
    "team": "Team", "workers": "Workers", "children": "Children", "statutory_due": "due",
    "statutory_met": "met on time", "statutory_late": "late or not met", "lateness_days": "Working days late",
    "visits": "Visits", "optional_visits": "all", "school_visits": "school", "creative_visits": "creative",
    "remote_visits": "remote", "travel_minutes": "minutes", "travel_hours": "hours", "plan_value": "Plan value",
    "solve_seconds": "Solve time (s)", "status": "Status", "plan_folder": "Rota page"}
GROUPS = {"statutory_due": "Statutory due dates", "statutory_met": "Statutory due dates",
          "statutory_late": "Statutory due dates", "optional_visits": "Optional visits",
          "school_visits": "Optional visits", "creative_visits": "Optional visits",
          "remote_visits": "Optional visits", "travel_minutes": "Travel", "travel_hours": "Travel"}
TEXT_COLUMNS = ("team", "status", "plan_folder")

STYLE = """
body { margin: 0; font: 14px/1.4 "Segoe UI", "Helvetica Neue", Arial, "DejaVu Sans", sans-serif;
  color: #111827; background: #f9fafb; }
header { background: #111827; color: #fff; padding: 18px 28px 14px; }
header h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
header p { margin: 2px 0; color: #d1d5db; }
.privacy { display: inline-block; margin-top: 6px; padding: 2px 8px; border-radius: 4px;
  background: #7f1d1d; color: #fee2e2; font-size: 12px; }
main { padding: 16px 28px 40px; }
table { border-collapse: collapse; background: #fff; border: 1px solid #e5e7eb; }
th, td { padding: 6px 10px; border-bottom: 1px solid #e5e7eb; text-align: right; white-space: nowrap; }
th { background: #f3f4f6; font-weight: 600; vertical-align: bottom; white-space: normal; max-width: 7em; }
th.group { text-align: center; border-bottom: 1px solid #d1d5db; max-width: none; }
th.text, td.text { text-align: left; }
tr.total td { font-weight: 650; border-top: 2px solid #111827; }
td.unmet, td.violations, td.failed { color: #b91c1c; font-weight: 600; }
td.ok { color: #15803d; font-weight: 600; }
p.note { color: #6b7280; max-width: 60em; }
@media print { @page { size: A4 landscape; margin: 10mm; } body { background: #fff; }
  header { background: #fff; color: #111827; padding: 0 0 8px; } header p { color: #111827; } }
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def render_service(rows: list[ServiceRow], total: ServiceRow, week: date) -> str:
    """The page's HTML: a row per team (its rota page linked), then the totals."""
    head = _head()
    body = "\n".join(_row(row) for row in rows)
    parts = [
        "<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">', '<meta name="robots" content="noindex">',
        f"<title>Service plan, week of {e(long_day(week))}</title>", f"<style>{STYLE}</style>", "</head>",
        "<body>", f"<header><h1>Service plan: {len(rows)} team{'s' if len(rows) != 1 else ''}</h1>",
        f"<p>Week of {e(long_day(week))} (committed) and the look-ahead. Each team's rota page holds its "
        "visits, reasons for anything not met and each worker's day.</p>",
        '<span class="privacy">The rota pages this page links to hold children\'s details: keep this '
        "folder secure</span></header>", "<main>",
        f'<table><thead>{head}</thead><tbody>\n{body}\n</tbody>'
        f'<tfoot>{_row(total, "total")}</tfoot></table>',
        '<p class="note">Figures for the whole plan (the committed week and the look-ahead), as each '
        "team's summary.json holds them, and as service.csv in this folder. Statutory due dates: the "
        "requirements falling due, met on time or late; plan value: optional visits' worth less travel "
        "minutes less 10,000 for each working day late (higher is better). Solve time is the wall clock "
        "of each team's plan, planned side by side.</p>",
        "</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _head() -> str:
    """Two header rows: a group's name over its columns (statutory due dates, optional visits,
    travel), each column's own name below; a column outside a group spans both rows."""
    top, below = [], []
    for index, name in enumerate(COLUMNS):
        group = GROUPS.get(name)
        if group is None:
            top.append(f'<th class="{_kind(name)}" scope="col" rowspan="2">{e(HEADINGS[name])}</th>')
            continue
        below.append(f'<th class="{_kind(name)}" scope="col">{e(HEADINGS[name])}</th>')
        if index == 0 or GROUPS.get(COLUMNS[index - 1]) != group:
            span = sum(1 for other in COLUMNS if GROUPS.get(other) == group)
            top.append(f'<th class="group" scope="colgroup" colspan="{span}">{e(group)}</th>')
    return f"<tr>{''.join(top)}</tr><tr>{''.join(below)}</tr>"


def _kind(name: str) -> str:
    return "text" if name in TEXT_COLUMNS else "number"


def _row(row: ServiceRow, css: str = "") -> str:
    shown = row.shown()
    cells = []
    for name in COLUMNS:
        text = e(shown[name])
        if name == "plan_folder" and row.plan_folder:
            text = f'<a href="{e(quote(row.plan_folder))}/rota.html">{e(row.plan_folder)}/rota.html</a>'
        status = f" {row.status}" if name == "status" and css != "total" else ""
        cells.append(f'<td class="{_kind(name)} {name}{status}">{text}</td>')
    return f'<tr class="{css}">' + "".join(cells) + "</tr>" if css else "<tr>" + "".join(cells) + "</tr>"


def write_service_page(rows: list[ServiceRow], total: ServiceRow, week: date, path: Path) -> Path:
    path = Path(path)
    path.write_text(render_service(rows, total, week), encoding="utf-8")
    return path
