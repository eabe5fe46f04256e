"""`planner record`: the visits of a plan go into the team's record (visits.csv)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click

from planner.cli.common import BadInput, load_team, parse_day, stdout_console, team_argument, with_plan_absences
from planner.io.plan_folder import read_plan
from planner.model.errors import InputError
from planner.model.plan import plan_id, supersedes
from planner.week.record import OUTCOME_WORDS, RecordError, parse_visit_name, record_plan


@click.command()
@team_argument
@click.option("--plan", "plan_folder", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The plan folder whose visits were made.")
@click.option("--until", help="Record the visits dated before this day (YYYY-MM-DD) "
              "[default: the day after the plan's committed week].")
@click.option("--not-made", multiple=True, metavar="CHILD[:TYPE]:DATE",
              help="A planned visit that did not happen (recorded as cancelled); corrects a visit "
                   "already recorded as made. TYPE is needed when the child has two visits that day.")
@click.option("--no-access", multiple=True, metavar="CHILD[:TYPE]:DATE",
              help="A visit attempted with no access (recorded as no_access); corrects a visit "
                   "already recorded as made.")
def record(team: Path, plan_folder: Path, until: str | None, not_made, no_access) -> None:
    """Add the plan's visits to TEAM/visits.csv, the record every due date runs from."""
    try:
        plan = read_plan(plan_folder)
    except InputError as error:
        raise BadInput(str(error).replace("team folder", "plan folder")) from None
    loaded = with_plan_absences(load_team(team, plan.week), plan_folder)
    try:
        missed = [parse_visit_name(t, "--not-made") for t in not_made]
        refused = [parse_visit_name(t, "--no-access") for t in no_access]
        done = record_plan(team, loaded, plan, parse_day(until, "--until"), missed, refused,
                           replans_beside(plan_folder, plan_id(plan)))
    except RecordError as error:
        raise BadInput(f"nothing recorded: {error}") from None
    except OSError as error:
        raise BadInput(f"cannot write {team / 'visits.csv'} ({error.strerror or error}); nothing was "
                       "changed") from None
    _print_recorded(done)


def replans_beside(plan_folder: Path, source: str) -> list[str]:
    """The plan folders beside `plan_folder` that replan it, as "NAME (plan ID)"."""
    found = []
    for summary in sorted(plan_folder.resolve().parent.glob("*/summary.json")):
        try:
            other = str(json.loads(summary.read_text(encoding="utf-8")).get("plan_id") or "")
        except (OSError, ValueError, AttributeError):
            continue
        if supersedes(other, source):
            found.append(f"{summary.parent.name} (plan {other})")
    return found


def _print_recorded(done) -> None:
    console = stdout_console()
    for change in done.corrected:
        before, after = change.before, change.after
        console.print(f"Corrected: {after.child_id} {after.visit_type} visit on {after.date:%a %d %b}: "
                      f"{OUTCOME_WORDS[before.outcome]} -> {OUTCOME_WORDS[after.outcome]}.")
    if not done.added:
        console.print(f"No visit to add: every visit of the plan is already in {done.path} "
                      f"({done.already} rows)" + ("; the corrections above are written." if done.corrected
                                                  else "."))
        return
    outcomes = Counter(v.outcome for v in done.added)
    console.print(f"Recorded {len(done.added)} visits of plan {done.plan} in {done.path}: "
                  + ", ".join(f"{outcomes[o]} {w}" for o, w in OUTCOME_WORDS.items() if outcomes[o]) + ".")
    for visit in done.added:
        if visit.outcome != "made":
            console.print(f"  {OUTCOME_WORDS[visit.outcome]}: {visit.child_id} {visit.visit_type} visit on "
                          f"{visit.date:%a %d %b} ({visit.worker_id})")
    by_worker = Counter(v.worker_id for v in done.added if v.made)
    console.print("  made, by worker: " + ", ".join(f"{w} {n}" for w, n in sorted(by_worker.items())))
    if done.backup is not None:
        console.print(f"{done.already} rows were there before; the previous file is kept as {done.backup}.")
