"""The service's figures: a row per team from its plan's summary.json figures, and the totals.

Computed once (`service_rows`), then written as service.csv, shown on the service page
and printed on the terminal, so the three always agree with each other and with each
team's summary.json. The figures are the whole plan's (the committed week and the
look-ahead), as summary.json's top level holds them.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, fields
from pathlib import Path

from planner.io.cells import neutralise_formula
from planner.model.domain import Team

COLUMNS = ("team", "workers", "children", "statutory_due", "statutory_met", "statutory_late", "lateness_days",
           "visits", "optional_visits", "school_visits", "creative_visits", "remote_visits", "travel_minutes",
           "travel_hours", "plan_value", "solve_seconds", "status", "plan_folder")
OPTIONAL_TYPES = ("school", "creative", "remote")
TOTAL = "All teams"


@dataclass(frozen=True)
class ServiceRow:
    """One team's figures (or the totals): service.csv's columns, None where not known."""

    team: str
    workers: int
    children: int
    statutory_due: int | None
    statutory_met: int | None
    statutory_late: int | None
    lateness_days: int | None
    visits: int | None
    optional_visits: int | None
    school_visits: int | None
    creative_visits: int | None
    remote_visits: int | None
    travel_minutes: int | None
    travel_hours: float | None  # travel_minutes / 60, to one decimal
    plan_value: int | None  # summary.json's objective
    solve_seconds: float | None
    status: str  # summary.json's status (ok, unmet, violations), "failed", or the totals' count
    plan_folder: str  # the team's plan folder inside the service folder ("" when not written)

    def cells(self) -> dict[str, str]:
        """The row as service.csv writes it: numbers plain, nothing Excel could run."""
        out = {}
        for name in COLUMNS:
            value = getattr(self, name)
            if value is None:
                out[name] = ""
            elif name == "travel_hours":
                out[name] = f"{value:.1f}"
            elif isinstance(value, str):
                out[name] = neutralise_formula(value)
            else:
                out[name] = str(value)
        return out

    def shown(self) -> dict[str, str]:
        """The row as people read it (page and terminal): the same figures, '1,234'."""
        out = self.cells()
        for name in COLUMNS:
            value = getattr(self, name)
            if isinstance(value, int) and not isinstance(value, bool):
                out[name] = f"{value:,}"
            elif name == "solve_seconds" and value is not None:
                out[name] = f"{value:.1f}"
        out["team"], out["status"], out["plan_folder"] = self.team, self.status, self.plan_folder
        return out


def team_row(name: str, team: Team, summary: dict | None, folder: str = "") -> ServiceRow:
    """A team's row from its plan's summary.json figures; None (planning failed): counts only."""
    if summary is None:
        return ServiceRow(name, len(team.workers), len(team.children), *([None] * 13), "failed", "")
    optional = summary.get("optional_visits") or {}
    minutes = summary["travel_minutes"]
    return ServiceRow(
        name, len(team.workers), len(team.children), summary["statutory_due"], summary["statutory_met"],
        summary["statutory_late"], summary["lateness_days"], summary["visits"], sum(optional.values()),
        *(optional.get(kind, 0) for kind in OPTIONAL_TYPES), minutes, hours(minutes), summary["objective"],
        summary["solve_seconds"], summary["status"], folder)


def total_row(rows: list[ServiceRow]) -> ServiceRow:
    """The whole service: every figure added up over the teams planned (travel hours from the
    minutes added up), and the teams counted by status."""
    planned = [row for row in rows if row.status != "failed"]

    def add(name: str):
        return sum(getattr(row, name) for row in planned) if planned else None
    counts = Counter(row.status for row in rows)
    status = ", ".join(f"{counts[s]} {s}" for s in ("ok", "unmet", "violations", "failed") if counts[s])
    numbers = {f.name: add(f.name) for f in fields(ServiceRow)
               if f.name not in ("team", "workers", "children", "travel_hours", "solve_seconds", "status",
                                 "plan_folder")}
    seconds = round(add("solve_seconds"), 2) if planned else None
    minutes = numbers["travel_minutes"]
    return ServiceRow(team=TOTAL, workers=sum(r.workers for r in rows), children=sum(r.children for r in rows),
                      **numbers, travel_hours=None if minutes is None else hours(minutes),
                      solve_seconds=seconds, status=status, plan_folder="")


def hours(minutes: int) -> float:
    return round(minutes / 60, 1)


def write_service_csv(rows: list[ServiceRow], path: Path) -> Path:
    """service.csv: a row per team (no totals row, so that adding a column up in a spreadsheet is right)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(row.cells() for row in rows)
    return Path(path)


def finished_line(row: ServiceRow, done: int, total: int) -> str:
    """'team-a: ok, 34 of 34 statutory due dates met on time, 12 optional visits, travel 10.5 h,
    plan value -1,234, 12.3 s (1 of 3 teams)'."""
    shown = row.shown()
    if row.status == "failed":
        return f"{row.team}: failed ({done} of {total} teams)"
    return (f"{row.team}: {row.status}, {shown['statutory_met']} of {shown['statutory_due']} statutory due dates "
            f"met on time, {shown['optional_visits']} optional visits, travel {shown['travel_hours']} h, "
            f"plan value {shown['plan_value']}, {shown['solve_seconds']} s ({done} of {total} teams)")
