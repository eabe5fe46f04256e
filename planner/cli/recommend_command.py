"""`planner recommend`: which worker should take a new referral, ranked, with the reasons."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click
from rich.table import Table

from planner.cli.common import (EXIT_OK, EXIT_PROBLEMS, BadInput, load_team, parse_week, show_warnings,
                                stderr_console, stdout_console, team_argument)
from planner.io.cells import neutralise_formula
from planner.model.errors import InputError
from planner.outputs.atomic import OutputExists, check_output, write_private_folder

RECOMMEND_FILE = "recommend.csv"


@click.command()
@team_argument
@click.option("--week", required=True, help="Monday the plan starts on (YYYY-MM-DD).")
@click.option("--child", "child_file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV (or .xlsx) of the new child: children.csv's columns with allocated_worker "
                   "empty; several rows are one household (siblings), recommended as one.")
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="Folder to write recommend.csv to.")
@click.option("--top", type=click.IntRange(min=1), default=None,
              help="Show only the N best workers (recommend.csv lists every worker).")
@click.option("--force", is_flag=True, help="Replace the output folder if it exists.")
def recommend(team: Path, week: str, child_file: Path, out: Path, top: int | None, force: bool) -> None:
    """Rank the workers of TEAM to take the child of --child, re-planning with each in turn."""
    from planner.io.team import read_referral
    from planner.recommend import recommend as rank_workers
    from planner.solve.solver import COMMAND_PROCESSES
    monday = parse_week(week)
    loaded = load_team(team, monday)
    try:
        children, warnings = read_referral(child_file, loaded, monday)
    except InputError as error:
        raise BadInput(str(error).replace("in the team folder", f"in {child_file.name}")) from None
    show_warnings(warnings)
    try:
        check_output(out, force, RECOMMEND_FILE)
    except OutputExists as error:
        raise BadInput(str(error)) from None
    err = stderr_console()
    err.print(f"Weighing {len(loaded.workers)} workers for {'+'.join(c.id for c in children)}: the team's "
              "plan, then each worker's days planned again with the referral")
    ranked = rank_workers(loaded, monday, children, processes=COMMAND_PROCESSES,
                          progress=lambda line: err.print(line))
    try:
        write_private_folder(out, lambda folder: write_recommendation(ranked, folder), force, RECOMMEND_FILE)
    except (OutputExists, OSError) as error:
        raise BadInput(f"cannot write {out} ({error}); nothing was written") from None
    _print(ranked, top, out)
    sys.exit(EXIT_OK if ranked.options[0].feasible else EXIT_PROBLEMS)


def write_recommendation(ranked, folder: Path) -> Path:
    """recommend.csv in `folder`: a row per worker, best first."""
    from planner.recommend import CSV_COLUMNS, csv_rows
    path = folder / RECOMMEND_FILE
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        for row in csv_rows(ranked):
            writer.writerow({k: v if k != "reasons" else neutralise_formula(v) for k, v in row.items()})
    return path


def _print(ranked, top: int | None, out: Path) -> None:
    from planner.recommend import trade_offs
    table = Table(title=f"Who could take {ranked.names} (plan from {ranked.week:%a %d %b %Y})")
    for heading, justify in (("#", "right"), ("worker", "left"), ("due dates met", "right"),
                             ("others late", "left"), ("plan value", "right"), ("travel", "right"),
                             ("optional value", "right"), ("language", "left"), ("from base", "right"),
                             ("children a day", "right")):
        table.add_column(heading, justify=justify)
    for rank, option in enumerate(ranked.options[:top] if top else ranked.options, start=1):
        language = {None: "-", True: "speaks", False: "interpreter"}[option.speaks]
        table.add_row(str(rank), f"{option.worker.id} {option.worker.name}",
                      f"{option.met}/{option.due}" + ("" if option.feasible else " (no)"),
                      ", ".join(option.others_late) or "none", f"{option.objective_change:+,}",
                      f"{option.travel_change:+,} min", f"{option.value_change:+,}", language,
                      f"{option.distance_km:.1f} km", f"{option.load:.1f}")
    console = stdout_console()
    if not console.is_terminal:
        console.width = max(console.width, 140)
    console.print(table)
    for line in trade_offs(ranked):
        console.print(line)
    for option in ranked.options:
        for reason in option.unmet[:1]:
            console.print(f"{option.worker.id}: {reason}")
    console.print(f"Written to {out / RECOMMEND_FILE} (every worker, best first)")
