"""The only place the service talks to the planner library.

A team's folder is written from the database (its files as imported, and `visits.csv`
built from the record) into a private temporary folder, and read, planned, replanned
and written with the very functions `planner validate`, `planner plan` and `planner
replan` call, with the same defaults and seed: the plan folder (zipped) is byte for byte
the one `planner plan` writes from `planner team export`'s folder. Nothing here computes
a rule, a due date or a figure; figures come from summary.json and the library.

Functions: `read_import(folder)`, `write_team_folder(team, folder)`, `export_team(team, out)`,
`private_folder()`, `make_plan(team, week, time_limit, seed, progress)`, `plan_folder(folder, week, ...)`,
`make_replan(plan, from_day, absent, add, cancel, time_limit, seed, progress)`,
`plan_visits(made)`, `library_plan(plan)`, `library_visit(plan, row)`, `loaded_team(team, week)`, `feed_calendar(team, plan, worker_id)`,
`history_without_outcome(plan, from_day)`.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
import time
import zipfile
from contextlib import contextmanager
from functools import lru_cache
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Callable, Iterator

from planner.io.plan_folder import read_plan
from planner.io.team import TeamRead, read_folder, read_team
from planner.model.errors import InputError, Problem
from planner.model.plan import Plan as LibraryPlan
from planner.model.plan import Visit, hhmm
from planner.outputs.atomic import write_plan_folder
from planner.outputs.ics import visit_uids, worker_calendar
from planner.week.record import RECORD_COLUMNS, with_warnings

RECORD_FILE = "visits.csv"
NOT_KEPT = (".bak", ".tmp", "~")  # leftovers of editing, never part of a team


# ---------------------------------------------------------------- the team folder

@dataclass(frozen=True)
class Import:
    """A team folder read and valid: its name, files (but the record) and record rows."""

    slug: str
    name: str
    files: dict[str, bytes]
    record: list  # RecordedVisit, from visits.csv
    read: TeamRead


def read_import(folder: Path) -> Import:
    """Read a team folder as `planner validate` does; raises InputError with the same problems.
    The team's slug is the folder's name in lower case (spaces and the like as hyphens)."""
    from django.utils.text import slugify
    folder = Path(folder)
    read = read_folder(folder)
    visits_from = [t.source for t in read.tables if t.stem == "visits"]
    if visits_from and not visits_from[0].lower().startswith(RECORD_FILE):
        raise InputError([Problem(visits_from[0], "the team's record of visits is kept in a workbook",
                                  hint="Save it as visits.csv (CSV UTF-8) in the folder, then import again")])
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir())
             if p.is_file() and not p.name.startswith(".") and not p.name.endswith(NOT_KEPT)
             and p.name.lower() != RECORD_FILE}
    slug = slugify(folder.name)
    if not slug:
        raise InputError([Problem(str(folder), "the folder's name gives no team name for the service",
                                  hint="Rename the folder, e.g. tower-hamlets, then import again")])
    return Import(slug, read.team.name, files, list(read.team.visits), read)


def write_team_folder(team, folder: Path) -> Path:
    """Write the team's folder as it stands (its files, and visits.csv from the record) into `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for stored in team.files.all():
        (folder / stored.name).write_bytes(bytes(stored.content))
    rows = list(team.record.select_related("plan").order_by("date", "child_id", "visit_type", "id"))
    if rows:
        (folder / RECORD_FILE).write_bytes(record_csv(rows).encode("utf-8"))
    return folder


def record_csv(rows) -> str:
    """The record rows as visits.csv (the library's RECORD_COLUMNS; `plan`, where the library
    writes it, is the plan's summary.json `plan_id`)."""
    text = io.StringIO()
    writer = csv.DictWriter(text, list(RECORD_COLUMNS), extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({"child_id": row.child_id, "date": row.date.isoformat(), "visit_type": row.visit_type,
                         "worker_id": row.worker_id, "outcome": row.outcome,
                         "seen_alone": "yes" if row.seen_alone else "no",
                         "plan": (row.plan.summary.get("plan_id") or "") if row.plan_id else ""})
    return text.getvalue()


def export_team(team, out: Path) -> Path:
    """`planner team export`: the folder as it stands, in `out` (which must not hold another team)."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty: choose a new folder")
    return write_team_folder(team, out)


@contextmanager
def private_folder() -> Iterator[Path]:
    """A temporary folder only this user can read (0700), removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix="planner-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------- plans

@dataclass(frozen=True)
class Made:
    """A plan made: the plan folder zipped, its summary and its plan (as read back from the folder)."""

    zip: bytes
    summary: dict
    plan: LibraryPlan


Progress = Callable[[str], None]


def make_plan(team, week: date, time_limit: float | None = None, seed: int = 0,
              progress: Progress | None = None, scheduler: str | None = None) -> Made:
    """`planner plan TEAM --week WEEK [--time-limit] [--seed]`, from the team as it stands;
    with `scheduler`, on that Dask cluster (planner.service.pool, as `planner plan --scheduler`)."""
    started = time.monotonic()
    with private_folder() as work:
        folder = write_team_folder(team, work / team.slug)
        if scheduler:
            from planner.service.pool import run_dask
            request = PlanRequest(team.slug, {p.name: p.read_bytes() for p in sorted(folder.iterdir())},
                                  week, time_limit, seed, earlier_week(team, week))
            if progress:
                progress(f"planning on the Dask cluster at {scheduler}")
            return run_dask(plan_request, [request], scheduler, name="planner-serve")[0]
        return plan_folder(folder, week, time_limit, seed, progress, started, earlier=earlier_week(team, week))


def earlier_week(team, week: date) -> date | None:
    """The week of the team's latest plan before `week` in the service, if any."""
    return team.plans.filter(week__lt=week).order_by("-week").values_list("week", flat=True).first()


@dataclass(frozen=True)
class PlanRequest:
    """What a cluster's worker needs to make a plan: the team folder's files, week and settings."""

    slug: str
    files: dict[str, bytes]
    week: date
    time_limit: float | None
    seed: int
    earlier: date | None = None


def plan_request(request: PlanRequest) -> Made:
    """Run on a Dask worker: the folder written to a private folder there, planned as `planner plan` plans."""
    with private_folder() as work:
        folder = work / request.slug
        folder.mkdir(mode=0o700)
        for name, content in request.files.items():
            (folder / name).write_bytes(content)
        return plan_folder(folder, request.week, request.time_limit, request.seed, processes=1,
                           earlier=request.earlier)


def plan_folder(folder: Path, week: date, time_limit: float | None = None, seed: int = 0,
                progress: Progress | None = None, started: float | None = None,
                processes: int | None = None, earlier: date | None = None) -> Made:
    """`planner plan FOLDER --week WEEK`: the same reading, size limits, solve and writing
    (`processes` pricing in parallel: the command's by default; 1 on a cluster's worker, as
    `planner plan --scheduler` plans; the plan does not depend on it). The stale-record
    warning (summary.json `warnings`) is the command's: `earlier` is the week of the team's
    latest earlier plan in the service, as the command finds plan folders beside the team's.)"""
    from planner.outputs.plan_folder import write_reports
    from planner.solve.limits import plan_size, refusal
    from planner.solve.solver import COMMAND_PROCESSES, SolveParams, solve
    loaded, _ = read_team(folder, week)
    if reason := refusal(plan_size(loaded, week), time_limit):
        raise InputError([Problem("team", reason)])
    params = SolveParams(time_limit=time_limit, seed=seed, processes=processes or COMMAND_PROCESSES)
    result = solve(loaded, week, params, progress=progress, started=started or time.monotonic())
    with private_folder() as beside:
        result = replace(result, plan=with_warnings(result.plan, loaded, week, _earlier_plans(earlier, beside)))
    with private_folder() as work:
        out = write_plan_folder(result.plan, work / "plan", extra=lambda f: write_reports(loaded, result.plan, f))
        return _made(out)


def make_replan(plan, from_day: date, absent=(), add=(), cancel=(), time_limit: float | None = None,
                seed: int = 0, progress: Progress | None = None, done: list[Visit] | None = None,
                pinned: list[Visit] = ()) -> Made:
    """`planner replan TEAM --plan PUBLISHED --from DAY [--absent] [--add] [--cancel] [--done]`,
    with the pinned visits kept as they are (pinned.csv)."""
    from planner import week as repair
    from planner.solve.solver import COMMAND_PROCESSES, SolveParams
    started = time.monotonic()
    with private_folder() as work:
        folder = write_team_folder(plan.team, work / plan.team.slug)
        published = read_plan(_unzip(plan.folder_zip, work / "published"))
        loaded, _ = read_team(folder, published.week)
        try:
            absences = [repair.parse_absence(t) for t in absent]
            added = [repair.parse_added(t) for t in add]
            cancelled = [repair.parse_cancel(t) for t in cancel]
        except ValueError as error:
            raise InputError([Problem("replan", str(error))]) from None
        params = SolveParams(time_limit=time_limit, seed=seed, processes=COMMAND_PROCESSES)
        result = repair.replan(loaded, published, from_day, absences, added, cancelled, done, params,
                               repair.DEFAULT_KEEP_BONUS, progress=progress, started=started, pinned=pinned)
        out = repair.write_replan_folder(result, published, work / "plan")
        return _made(out)


def _earlier_plans(week: date | None, beside: Path) -> list[Path]:
    """Where `stale_record` finds an earlier plan: `beside` holding a plan folder of `week`
    (its summary.json), standing for the service's earlier plans; none without one."""
    if week is None:
        return []
    (beside / "earlier").mkdir()
    (beside / "earlier" / "summary.json").write_text(json.dumps({"week": week.isoformat()}))
    return [beside]


def _made(out: Path) -> Made:
    plan = read_plan(out)
    return Made(zip_folder(out), plan.summary, plan)


def plan_visits(made: Made) -> list[dict]:
    """The plan's rows as PlanVisit fields (in plan.csv's order; row = its row number)."""
    uids = visit_uids(list(made.plan.visits))
    pinned = {pin_key(v) for v in made.plan.pinned}
    return [{"row": number, "uid": uids[v], "worker_id": v.worker_id, "date": v.date, "start": hhmm(v.start),
             "end": hhmm(v.end), "visit_type": v.visit_type, "child_ids": list(v.child_ids),
             "joint_with": v.joint_with or "", "lat": v.lat, "lon": v.lon, "pinned": pin_key(v) in pinned}
            for number, v in enumerate(made.plan.visits, start=2)]


def library_visit(plan: LibraryPlan, row) -> Visit:
    """The library's Visit of a stored PlanVisit `row` (same worker, day, start, type, children)."""
    for visit in plan.visits:
        if (visit.worker_id, visit.date, hhmm(visit.start), visit.visit_type, list(visit.child_ids)) == (
                row.worker_id, row.date, row.start, row.visit_type, list(row.child_ids)):
            return visit
    raise LookupError(f"visit {row.pk} is not in its plan's plan.csv")


def pin_key(visit: Visit) -> tuple:
    """What a pinned visit keeps: worker, day, times, type, children, partner."""
    return (visit.worker_id, visit.date, visit.start, visit.end, visit.visit_type, visit.child_ids,
            visit.joint_with)


def library_plan(plan) -> LibraryPlan:
    """A stored plan as the library reads it (from its own folder; a plan never changes, so
    it is read once per process)."""
    return _stored_plan(plan.pk, plan.created.isoformat())


@lru_cache(maxsize=16)
def _stored_plan(plan_pk: int, created: str) -> LibraryPlan:
    from planner.web.models import Plan
    with private_folder() as work:
        return read_plan(_unzip(Plan.objects.get(pk=plan_pk).folder_zip, work / "plan"))


def loaded_team(team, week: date | None = None):
    """The team's folder as the library reads it (travel.csv aside), read once per import and
    week in each process (the feed and the team's counts read it often)."""
    return _loaded_team(team.pk, team.slug, team.imported.isoformat(), week)


@lru_cache(maxsize=32)
def _loaded_team(team_pk: int, slug: str, imported: str, week: date | None):
    from planner.web.models import Team
    team = Team.objects.get(pk=team_pk)
    with private_folder() as work:
        return read_team(write_team_folder(team, work / team.slug), week, travel_times=False)[0]


def zip_folder(folder: Path) -> bytes:
    """The folder's files, sorted, in a zip (the files' bytes exactly as written)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=(2000, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16
                archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def _unzip(data: bytes, folder: Path) -> Path:
    folder.mkdir(parents=True, mode=0o700)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        archive.extractall(folder)
    return folder


# ---------------------------------------------------------------- the feed

def feed_calendar(team, plan, worker_id: str) -> bytes:
    """The worker's published visits as planner.outputs.ics makes them (same UIDs and content)."""
    published = library_plan(plan)
    return worker_calendar(loaded_team(team, published.week), published, worker_id).to_ical()


def empty_calendar(team, worker_id: str) -> bytes:
    """The worker's feed before any plan is published: no events."""
    return worker_calendar(loaded_team(team), LibraryPlan(week=date(2000, 1, 3), visits=()), worker_id).to_ical()
