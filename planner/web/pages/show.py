"""What the pages show of a plan, read once through the bridge and drawn by planner.outputs.

A stored plan is immutable, so its library form (`bridge.library_plan`) is read once; the
team's library form (for names, schools, travel) once per team, import and week. The plan page
is the rota page's own body (`planner.outputs.rota.rota_sections`), the worker's visits carry
the calendar's place name (`planner.outputs.views.place_of`) and the children's initials
(`views.initials`): nothing here computes a figure, a due date or a rule.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db.models import Max

from planner.io.team import read_team
from planner.model.domain import Team as LibraryTeam
from planner.model.plan import Plan as LibraryPlan
from planner.model.plan import ReplanNotes
from planner.outputs.rota import SCRIPT, STYLE, rota_sections
from planner.outputs.views import TYPE_LABELS, initials, known_child, place_of, summary_figures, week_headings
from planner.web import bridge


def library_plan(plan) -> LibraryPlan:
    """The stored plan as the library reads it (bridge.library_plan: read once per process)."""
    return bridge.library_plan(plan)


def library_team(team, week: date) -> LibraryTeam:
    """The team as `planner plan` reads it for `week`, travel.csv included (the timeline draws
    the travel between visits); read once per import (the import's newest file row) and week."""
    newest = team.files.aggregate(newest=Max("id"))["newest"]
    return _team(team.pk, team.imported.isoformat(), newest, week)


@lru_cache(maxsize=16)
def _team(team_pk: int, imported: str, newest_file: int | None, week: date) -> LibraryTeam:
    from planner.web.models import Team
    team = Team.objects.get(pk=team_pk)
    with bridge.private_folder() as work:
        loaded, _ = read_team(bridge.write_team_folder(team, work / team.slug), week)
        return loaded


def folder_file(plan, name: str) -> bytes | None:
    """One file of the plan's folder (its zip), or None."""
    with zipfile.ZipFile(io.BytesIO(bytes(plan.folder_zip))) as archive:
        try:
            return archive.read(name)
        except KeyError:
            return None


def csv_rows(plan, name: str) -> list[dict[str, str]]:
    """The rows of a CSV of the plan's folder (changes.csv, cover.csv, ...), [] when absent."""
    data = folder_file(plan, name)
    if data is None:
        return []
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# ---------------------------------------------------------------- the plan page

@dataclass(frozen=True)
class RotaBody:
    style: str
    script: str
    html: str


def rota_body(plan, replanned: ReplanNotes | None = None) -> RotaBody:
    """The rota page's sections for a stored plan, with its hours chart from the folder."""
    library = library_plan(plan)
    team = library_team(plan.team, library.week)
    sections = rota_sections(team, library, hours_png=folder_file(plan, "hours.png"), replanned=replanned)
    return RotaBody(STYLE, SCRIPT, "\n".join(sections))


@dataclass(frozen=True)
class FigureRow:
    label: str
    sub: bool
    values: list[str]


def figures(summary: dict) -> tuple[list[str], list[FigureRow]]:
    """summary.json's figures as the rota page's table gives them: headings and rows."""
    from planner.outputs.views import figure_text
    headings = week_headings(summary) + ["Whole plan"]
    rows = [FigureRow(f.label.strip(), f.label.startswith("  "),
                      [figure_text(v, f.unit) for v in list(f.weeks) + [f.whole]])
            for f in summary_figures(summary)]
    return headings, rows


# ---------------------------------------------------------------- a worker's visits

@dataclass(frozen=True)
class VisitLine:
    """One of a worker's published visits as their page shows it."""

    visit: object  # the PlanVisit row
    type_label: str
    place: str
    children: str  # initials only, e.g. "C.D., A.D."


def visit_lines(plan, visits) -> list[VisitLine]:
    """Each PlanVisit with its place's name and the children's initials (no names, no addresses)."""
    library = library_plan(plan)
    team = library_team(plan.team, library.week)
    out = []
    for row in visits:
        visit = library.visits[row.row - 2]
        _, place = place_of(team, visit)
        names = [initials(team.child(c).name) if known_child(team, c) else "?" for c in visit.child_ids]
        out.append(VisitLine(row, TYPE_LABELS.get(row.visit_type, row.visit_type), place, ", ".join(names)))
    return out


def child_choices(team: LibraryTeam) -> list[tuple[str, str]]:
    """(child id, 'C.D. (C0012), W01') for the forms: the manager picks, never types an id."""
    from planner.outputs.views import child_label
    return [(c.id, f"{child_label(c)}, {c.allocated_worker}") for c in sorted(team.children, key=lambda c: c.id)]


def worker_choices(team: LibraryTeam) -> list[tuple[str, str]]:
    from planner.outputs.views import worker_label
    return [(w.id, worker_label(team, w.id)) for w in team.workers]
