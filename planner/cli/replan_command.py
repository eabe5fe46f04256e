"""`planner replan`: repair a published plan mid-week."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from planner.cli.common import (EXIT_OK, EXIT_PROBLEMS, BadInput, load_team, parse_day, stderr_console,
                                stdout_console, team_argument)
from planner.io.plan_folder import read_done, read_plan
from planner.model.errors import InputError
from planner.outputs.atomic import OutputExists, check_output
from planner.outputs.views import bound_line, value_sentence
from planner.solve.solver import COMMAND_PROCESSES, SolveParams
from planner.week.replan import OptionError


@click.command()
@team_argument
@click.option("--plan", "plan_folder", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The published plan folder to repair.")
@click.option("--from", "from_day", required=True, help="First day to replan (YYYY-MM-DD); "
              "visits before it are history and stay.")
@click.option("--absent", multiple=True, metavar="W[:DATE..DATE]",
              help="A worker absent from --from (or on these dates).")
@click.option("--add", "add", multiple=True, metavar="CHILD:TYPE[:DATE]",
              help="An extra required visit, by DATE (default: as soon as possible).")
@click.option("--cancel", multiple=True, metavar="CHILD[:TYPE]:DATE",
              help="No visit to this child (or a visit's children C1;C2) on DATE; with TYPE, "
                   "no visit of that type (home, school, creative, remote).")
@click.option("--done", "done_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV of the visits actually made before --from (plan.csv's columns).")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Plan folder to write.")
@click.option("--keep-bonus", type=click.IntRange(min=0), default=120, show_default=True,
              help="Gain (travel-minute units) a move must beat before a published visit moves.")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=None,
              help="Finish within about this many seconds, reading the plan and writing the new one "
                   "included (the plan may then differ run to run).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the search.")
@click.option("--force", is_flag=True, help="Replace the output folder if it exists.")
def replan(team: Path, plan_folder: Path, from_day: str, absent, add, cancel, done_file, out: Path,
           keep_bonus: int, time_limit: float | None, seed: int, force: bool) -> None:
    """Repair a published plan from --from: keep history, move as little as possible."""
    started = time.monotonic()  # --time-limit bounds the whole command
    from planner import week as repair
    first_day = parse_day(from_day, "--from")
    try:
        published = read_plan(plan_folder)
    except InputError as error:
        raise BadInput(str(error).replace("team folder", "plan folder")) from None
    loaded = load_team(team, published.week)
    try:
        absences = [repair.parse_absence(t) for t in absent]
        added = [repair.parse_added(t) for t in add]
        cancelled = [repair.parse_cancel(t) for t in cancel]
        done = read_done(done_file) if done_file else None
    except ValueError as error:
        raise BadInput(str(error)) from None
    except InputError as error:
        raise BadInput(str(error).replace("team folder", "plan folder")) from None
    try:
        check_output(out, force)
    except OutputExists as error:
        raise BadInput(str(error)) from None
    err = stderr_console()
    params = SolveParams(time_limit=time_limit, seed=seed, processes=COMMAND_PROCESSES)
    try:
        result = repair.replan(loaded, published, first_day, absences, added, cancelled, done,
                               params, keep_bonus, progress=lambda line: err.print(line), started=started)
    except OptionError as error:
        raise BadInput(str(error)) from None
    except InputError as error:
        raise BadInput(str(error)) from None
    try:
        repair.write_replan_folder(result, published, out, force=force)
    except (OutputExists, OSError) as error:
        raise BadInput(f"cannot write the plan folder {out} ({error})") from None
    console = stdout_console()
    for line in result.what_changed():
        console.print(line)
    console.print(f"Written to {out}: changes.csv says why each visit changed; the rota page lists them.")
    s = result.plan.summary
    console.print(value_sentence(s))
    console.print(bound_line(s))
    for item in result.plan.unmet:
        console.print(f"Unmet: {item.child_id} {item.requirement} due {item.due_date}: {item.reason}")
    sys.exit(EXIT_OK if s["status"] == "ok" else EXIT_PROBLEMS)


