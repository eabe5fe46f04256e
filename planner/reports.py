"""Everything a plan folder holds beyond plan.csv, unmet.csv and summary.json:

- `calendars/<worker_id>.ics`: each worker's visits, for Outlook or Google Calendar;
- `plan.xlsx`: the workbook (a sheet per worker, team, due dates, unmet, summary);
- `rota.html`: the page a manager opens in a browser;
- `hours.png`: each worker's hours (also inside the page and the workbook).

`write_reports` is what `planner plan` passes to `write_plan_folder(extra=...)`, so the
reports are written with the plan, atomically and readable by their owner only.
"""

from __future__ import annotations

from pathlib import Path

from planner.calendars import write_calendars
from planner.domain import Team
from planner.hours_plot import hours_png
from planner.plan import Plan
from planner.rota import write_rota
from planner.workbook import write_workbook

REPORT_FILES = ("rota.html", "plan.xlsx", "hours.png", "calendars")


def write_reports(team: Team, plan: Plan, folder: Path, full_names: bool = False) -> list[Path]:
    """Write the calendars, workbook, rota page and hours chart into `folder`."""
    folder = Path(folder)
    png = hours_png(team, plan)
    chart = folder / "hours.png"
    chart.write_bytes(png)
    paths = [chart]
    paths += write_calendars(team, plan, folder / "calendars", full_names)
    paths.append(write_workbook(team, plan, folder / "plan.xlsx", full_names, png))
    paths.append(write_rota(team, plan, folder / "rota.html", full_names, png))
    return paths
