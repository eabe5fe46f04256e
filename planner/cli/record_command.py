"""`planner record`: the visits of a plan go into the team's record (visits.csv)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from planner.cli.common import BadInput, load_team, parse_day, stdout_console, team_argument
from planner.io.plan_folder import read_plan
from planner.model.errors import InputError
from planner.week.record import RecordError, parse_child_day, record_plan


@click.command()
@team_argument
@click.option("--plan", "plan_folder", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The plan folder whose visits were made.")
@click.option("--until", help="Record the visits dated before this day (YYYY-MM-DD) "
              "[default: the day after the plan's committed week].")
@click.option("--not-made", multiple=True, metavar="CHILD:DATE",
              help="A planned visit that did not happen (recorded as cancelled).")
@click.option("--no-access", multiple=True, metavar="CHILD:DATE",
              help="A visit attempted with no access (recorded as no_access).")
def record(team: Path, plan_folder: Path, until: str | None, not_made, no_access) -> None:
    """Add the plan's visits to TEAM/visits.csv, the record every due date runs from."""
    try:
        plan = read_plan(plan_folder)
    except InputError as error:
        raise BadInput(str(error).replace("team folder", "plan folder")) from None
    loaded = load_team(team, plan.week)
    try:
        missed = {parse_child_day(t, "--not-made") for t in not_made}
        refused = {parse_child_day(t, "--no-access") for t in no_access}
        done = record_plan(team, loaded, plan, parse_day(until, "--until"), missed, refused)
    except RecordError as error:
        raise BadInput(str(error)) from None
    except OSError as error:
        raise BadInput(f"cannot write {team / 'visits.csv'} ({error.strerror or error}); nothing was "
                       "changed") from None
    _print_recorded(done)


def _print_recorded(done) -> None:
    console = stdout_console()
    if not done.added:
        console.print(f"Nothing to add: every visit of the plan is already in {done.path} "
                      f"({done.already} rows).")
        return
    outcomes = Counter(v.outcome for v in done.added)
    words = {"made": "made", "no_access": "no access", "cancelled": "not made"}
    console.print(f"Recorded {len(done.added)} visits in {done.path}: "
                  + ", ".join(f"{outcomes[o]} {words[o]}" for o in words if outcomes[o]) + ".")
    for visit in done.added:
        if visit.outcome != "made":
            console.print(f"  {words[visit.outcome]}: {visit.child_id} {visit.visit_type} visit on "
                          f"{visit.date:%a %d %b} ({visit.worker_id})")
    by_worker = Counter(v.worker_id for v in done.added if v.made)
    console.print("  made, by worker: " + ", ".join(f"{w} {n}" for w, n in sorted(by_worker.items())))
    if done.backup is not None:
        console.print(f"{done.already} rows were there before; the previous file is kept as {done.backup}.")
