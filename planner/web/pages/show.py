"""What the pages show of a plan, read once through the bridge and drawn by planner.outputs.

A stored plan is immutable, so its library form (`bridge.library_plan`) is kept per plan id;
the team's library form (for names, schools, travel) per team, import and week. The plan page
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

from planner.io.team import read_team
from planner.model.domain import Team as LibraryTeam
from planner.model.plan import Plan as LibraryPlan
from planner.model.plan import ReplanNotes
from planner.outputs.rota import SCRIPT, STYLE, rota_sections
from planner.outputs.views import TYPE_LABELS, initials, place_of, summary_figures, week_headings
from planner.web import bridge


@lru_cache(maxsize=32)
def _plan(plan_id: int, data: bytes) -> LibraryPlan:
    class Stored:  # what bridge.library_plan reads of a Plan row
        folder_zip = data
    return bridge.library_plan(Stored)


def library_plan(plan) -> LibraryPlan:
    """The stored plan as the library reads it (kept per plan id: a plan never changes)."""
    return _plan(plan.id, bytes(plan.folder_zip))


@lru_cache(maxsize=16)
def _team(team_id: int, imported: str, week: date, team) -> LibraryTeam:
    with bridge.private_folder() as work:
        folder = bridge.write_team_folder(team, work / team.slug)
        loaded, _ = read_team(folder, week)
        return loaded


def library_team(team, week: date) -> LibraryTeam:
    """The team as `planner plan` reads it for `week` (kept until the team is imported again)."""
    return _team(team.id, team.imported.isoformat(), week, _Key(team))


class _Key:
    """A Team row hashed by its id, so the cache holds one entry per team and import."""

    def __init__(self, team):
        self.team = team

    def __hash__(self):
        return hash(self.team.id)

    def __eq__(self, other):
        return isinstance(other, _Key) and other.team.id == self.team.id

    def __getattr__(self, name):
        return getattr(self.team, name)


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
        names = [initials(team.child(c).name) if _known(team, c) else "?" for c in visit.child_ids]
        out.append(VisitLine(row, TYPE_LABELS.get(row.visit_type, row.visit_type), place, ", ".join(names)))
    return out


def _known(team: LibraryTeam, child_id: str) -> bool:
    try:
        team.child(child_id)
        return True
    except KeyError:
        return False


def child_choices(team: LibraryTeam) -> list[tuple[str, str]]:
    """(child id, 'C.D. (C0012), W01') for the forms: the manager picks, never types an id."""
    from planner.outputs.views import child_label
    return [(c.id, f"{child_label(c)}, {c.allocated_worker}") for c in sorted(team.children, key=lambda c: c.id)]


def worker_choices(team: LibraryTeam) -> list[tuple[str, str]]:
    from planner.outputs.views import worker_label
    return [(w.id, worker_label(team, w.id)) for w in team.workers]
