"""A record you can trust: `planner record` corrects, refuses what cannot have happened, and
names each row's plan; a stale record is warned about; mistaken options are named."""

from __future__ import annotations

import csv
import html
import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner

from factories import FAST, make_child, make_team
from planner.cli import main
from planner.io import read_team
from planner.io.plan_folder import read_plan
from planner.model.plan import Plan, Visit, content_id, plan_id
from planner.outputs.atomic import write_plan_folder
from planner.solve.solver import solve
from planner.synthetic import generate_team
from planner.week import replan
from planner.week.record import (Correction, RecordError, VisitName, apply_corrections, record_plan,
                                 resolve_names, stale_record, visits_to_record)

REPO = Path(__file__).parents[2]
EXAMPLE = REPO / "examples" / "tower-hamlets"
PINNED = REPO / "tests" / "data" / "bundled"
WEEK1, WEEK2 = date(2026, 11, 30), date(2026, 12, 7)
FRIDAY = date(2026, 12, 4)


@pytest.fixture(autouse=True)
def after_the_week():
    """Record on Friday evening of week 1 unless a test travels elsewhere."""
    with time_machine.travel(date(2026, 12, 4), tick=False):
        yield


def bundled(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the bundled team and its pinned week-1 plan as a plan folder beside it."""
    team = Path(shutil.copytree(EXAMPLE, tmp_path / "team"))
    folder = tmp_path / "plan"
    folder.mkdir()
    for name in ("plan.csv", "unmet.csv"):
        shutil.copy(PINNED / name, folder / name)
    (folder / "summary.json").write_text(json.dumps({"week": WEEK1.isoformat()}))
    return team, folder


def record(*args: str):
    return CliRunner().invoke(main, ["record", *args])


def rows_of(team: Path) -> list[dict[str, str]]:
    with open(team / "visits.csv", newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def single_home_visit(folder: Path) -> Visit:
    """A week-1 home visit to one child by one worker, on a day that child has no other visit."""
    plan = read_plan(folder)
    week1 = [v for v in plan.visits if v.date < WEEK2]
    for visit in sorted(week1, key=lambda v: (v.date, v.start, v.child_ids)):
        same_day = [v for v in week1 if visit.child_ids[0] in v.child_ids and v.date == visit.date]
        if visit.visit_type == "home" and len(visit.child_ids) == 1 and not visit.joint_with and len(same_day) == 1:
            return visit
    raise AssertionError("the pinned plan has no single home visit")


# ---------------------------------------------------------------- the plan column and corrections

def test_each_row_names_the_plan_it_came_from(tmp_path):
    """Bundled example: every row written carries the plan's id, the one summary.json of a written plan holds."""
    team, folder = bundled(tmp_path)
    assert record(str(team), "--plan", str(folder)).exit_code == 0
    expected = plan_id(read_plan(folder))
    assert {r["plan"] for r in rows_of(team)} == {expected}
    assert expected == content_id(read_plan(folder)) and len(expected) == 10


def test_written_plans_carry_a_stable_id(tmp_path):
    """The same plan written twice gives the same plan_id in summary.json; another plan another id."""
    team_folder = generate_team(tmp_path / "team", n_workers=1, children_per_worker=4, seed=2)
    team, _ = read_team(team_folder)
    plan = solve(team, WEEK1, FAST).plan
    ids = []
    for name in ("a", "b"):
        write_plan_folder(plan, tmp_path / name)
        ids.append(json.loads((tmp_path / name / "summary.json").read_text())["plan_id"])
    assert ids[0] == ids[1] == plan_id(plan)
    fewer = plan.model_copy(update={"visits": plan.visits[1:]})
    assert content_id(fewer) != ids[0]


def test_not_made_after_a_first_record_corrects_the_made_row(tmp_path):
    """Bundled example: record, then record --not-made a visit: its row becomes cancelled, and the command says so."""
    team, folder = bundled(tmp_path)
    visit = single_home_visit(folder)
    child, day = visit.child_ids[0], visit.date.isoformat()
    assert record(str(team), "--plan", str(folder)).exit_code == 0
    before = len(rows_of(team))
    result = record(str(team), "--plan", str(folder), "--not-made", f"{child}:{day}")
    assert result.exit_code == 0, result.output
    assert f"Corrected: {child} home visit" in result.output and "made -> not made" in result.output
    rows = [r for r in rows_of(team) if r["child_id"] == child and r["date"] == day]
    assert [r["outcome"] for r in rows] == ["cancelled"] and len(rows_of(team)) == before
    again = record(str(team), "--plan", str(folder), "--no-access", f"{child}:home:{day}")
    assert again.exit_code == 0 and "not made -> no access" in again.output
    assert [r["outcome"] for r in rows_of(team) if r["child_id"] == child and r["date"] == day] == ["no_access"]
    assert (team / "visits.csv.bak").is_file()


def test_a_correction_on_a_generated_team_moves_the_due_date_back(tmp_path):
    """Generated team: a home visit recorded made, then corrected: the record no longer counts it."""
    folder = generate_team(tmp_path / "team", n_workers=1, children_per_worker=5, seed=3)
    team, _ = read_team(folder)
    plan = solve(team, WEEK1, FAST).plan
    record_plan(folder, team, plan)
    home = next(v for v in sorted(plan.visits, key=lambda v: v.date) if v.date < WEEK2 and v.visit_type == "home")
    child = home.child_ids[0]
    done = record_plan(folder, read_team(folder)[0], plan, not_made=[VisitName(child, home.date, "home")])
    assert [(c.before.outcome, c.after.outcome) for c in done.corrected] == [("made", "cancelled")]
    recorded, _ = read_team(folder)
    assert not [v for v in recorded.visits if v.child_id == child and v.date == home.date
                and v.visit_type == "home" and v.made]


def test_apply_corrections_returns_the_rows_and_what_changed():
    """The library call: a correction changes the rows of that visit only, with seen_alone when it says."""
    from planner.model.domain import RecordedVisit
    rows = [RecordedVisit(child_id="C1", date=WEEK1, visit_type="home"),
            RecordedVisit(child_id="C1", date=WEEK1, visit_type="school", seen_alone=True),
            RecordedVisit(child_id="C2", date=WEEK1, visit_type="home")]
    new, changed = apply_corrections(rows, [Correction("C1", WEEK1, "home", "made", seen_alone=True),
                                            Correction("C2", WEEK1, "home", "no_access")])
    assert [c.index for c in changed] == [0, 2]
    assert new[0].seen_alone and new[1] == rows[1] and new[2].outcome == "no_access"


def test_two_visits_of_a_child_on_one_day_need_the_type():
    """CHILD:DATE naming a child with a home and a school visit that day is refused, saying to add the type."""
    team = make_team(children=[make_child("C1")])
    visits = tuple(Visit(worker_id="W1", date=WEEK1, start=s, end=s + 45, visit_type=t, child_ids=("C1",))
                   for s, t in ((540, "school"), (960, "home")))
    rows = visits_to_record(team, Plan(week=WEEK1, visits=visits), WEEK2)
    with pytest.raises(RecordError, match=r"C1 has 2 visits on Mon 30 Nov \(home, school\): name one as "
                                          r"C1:home:2026-11-30"):
        resolve_names(team, rows, [VisitName("C1", WEEK1)], "cancelled", "--not-made")
    [only] = resolve_names(team, rows, [VisitName("C1", WEEK1, "school")], "cancelled", "--not-made")
    assert only.key() == ("C1", WEEK1, "school")


def test_a_misnamed_child_gets_the_folders_suggestion(tmp_path):
    """--not-made c0001:DATE (wrong case): exit 2, the option named and "did you mean 'C0001'?"."""
    team, folder = bundled(tmp_path)
    result = record(str(team), "--plan", str(folder), "--not-made", "c0001:2026-12-01")
    assert result.exit_code == 2
    assert "--not-made c0001:2026-12-01: c0001 is not on the caseload" in result.output
    assert "did you mean 'C0001'?" in result.output and "team folder" not in result.output


# ---------------------------------------------------------------- refusals

def test_a_plan_with_visits_after_today_is_refused(tmp_path):
    """Clock frozen on Wed 2 Dec: recording week 1 whole is refused (visits still to come); --until Thu works."""
    team, folder = bundled(tmp_path)
    with time_machine.travel(date(2026, 12, 2), tick=False):
        result = record(str(team), "--plan", str(folder))
        assert result.exit_code == 2
        assert "dated after today (Wed 2 Dec), from Thu 3 Dec: nobody has made a visit still to come" in result.output
        assert not (team / "visits.csv").exists()
        assert record(str(team), "--plan", str(folder), "--until", "2026-12-03").exit_code == 0
    assert max(r["date"] for r in rows_of(team)) == "2026-12-02"


def test_next_weeks_plan_cannot_be_recorded_as_made(tmp_path):
    """Recording the look-ahead week (--until its end) on Friday of week 1 is refused: those visits are to come."""
    team, folder = bundled(tmp_path)
    result = record(str(team), "--plan", str(folder), "--until", "2026-12-12")
    assert result.exit_code == 2 and "nobody has made a visit still to come" in result.output


def test_visits_on_an_absence_day_are_refused(tmp_path):
    """Bundled example: a plan folder whose absences.csv marks W01 away on a day of their visits is refused."""
    team, folder = bundled(tmp_path)
    day = next(v.date for v in read_plan(folder).visits if v.worker_id == "W01" and v.date < WEEK2)
    (folder / "absences.csv").write_text(f"worker_id,date,kind\nW01,{day},\n")
    result = record(str(team), "--plan", str(folder))
    assert result.exit_code == 2 and f"W01 (absent) on {day:%a} {day.day} {day:%b}" in result.output
    assert not (team / "visits.csv").exists()


def replanned(tmp_path: Path):
    """A generated team, its week-1 plan and a replan from Wednesday with W01 absent, as folders side by side."""
    folder = generate_team(tmp_path / "team", n_workers=2, children_per_worker=5, seed=4)
    team, _ = read_team(folder)
    first = solve(team, WEEK1, FAST).plan
    write_plan_folder(first, tmp_path / "p1")
    from planner.model.changes import Absence
    result = replan(team, read_plan(tmp_path / "p1"), date(2026, 12, 2), absences=[Absence("W01")], params=FAST)
    from planner.week import write_absences
    write_plan_folder(result.plan, tmp_path / "p1-r1", extra=lambda f: write_absences(result.absences, f))
    return folder, tmp_path / "p1", tmp_path / "p1-r1"


def test_a_superseded_plan_is_refused_naming_the_replan(tmp_path):
    """Generated team: the replan's id starts with the plan's; recording the plan is refused, naming the replan."""
    team, first, second = replanned(tmp_path)
    old, new = plan_id(read_plan(first)), plan_id(read_plan(second))
    assert new.startswith(old + ".")
    result = record(str(team), "--plan", str(first))
    assert result.exit_code == 2 and "replaced by the replan p1-r1" in result.output
    assert record(str(team), "--plan", str(second)).exit_code == 0
    (tmp_path / "away").mkdir()
    shutil.move(str(second), tmp_path / "away")  # not beside it: the record itself names the replan
    result = record(str(team), "--plan", str(first))
    assert result.exit_code == 2 and f"replaced by the replan {new}, already recorded" in result.output


def test_a_replan_over_visits_recorded_made_is_refused(tmp_path):
    """Recording week 1 and then replanning it from Wednesday: exit 2, the record already holds those days."""
    team, first, _ = replanned(tmp_path)
    assert record(str(team), "--plan", str(first / ".." / "p1-r1")).exit_code == 0
    result = CliRunner().invoke(main, ["replan", str(team), "--plan", str(first.parent / "p1-r1"),
                                       "--from", "2026-12-02", "--out", str(first.parent / "p1-r2")])
    assert result.exit_code == 2 and "already holds" in result.output and "made on or after it" in result.output
    assert not (first.parent / "p1-r2").exists()


# ---------------------------------------------------------------- replan's options

@pytest.mark.parametrize("option, expected", [
    (["--absent", "w01"], "--absent w01: w01 is not a worker of the team (workers.csv) (did you mean 'W01'?)"),
    (["--add", "c0120:home"], "--add c0120: c0120 is not on the caseload (children.csv) (did you mean 'C0120'?)"),
    (["--cancel", "C012:2026-12-03"], "--cancel C012: C012 is not on the caseload"),
    (["--add", "C0120:home:2026-12-01"], "--add C0120:home:2026-12-01: due Tue 1 Dec, before --from 2026-12-02"),
])
def test_replan_options_are_named_like_file_mistakes(tmp_path, option, expected):
    """Bundled example: a wrong --absent/--add/--cancel exits 2 naming the option (not the folder), with a suggestion."""
    team, folder = bundled(tmp_path)
    result = CliRunner().invoke(main, ["replan", str(team), "--plan", str(folder), "--from", "2026-12-02",
                                       *option, "--out", str(tmp_path / "r1")])
    assert result.exit_code == 2, result.output
    assert expected in result.output and "team folder" not in result.output


def test_the_folder_reader_suggests_an_id_in_another_case(tiny_team_dir):
    """children.csv naming worker 'w1' for 'W1': the reader's hint is "did you mean 'W1'?"."""
    path = tiny_team_dir / "children.csv"
    text = path.read_text(encoding="utf-8")
    rows = text.splitlines()
    header = rows[0].split(",")
    cells = rows[1].split(",")
    column = header.index("allocated_worker")
    worker = cells[column]
    cells[column] = worker.lower()
    path.write_text("\n".join([rows[0], ",".join(cells), *rows[2:]]) + "\n", encoding="utf-8")
    from planner.model.errors import InputError
    with pytest.raises(InputError, match=f"did you mean '{worker}'"):
        read_team(tiny_team_dir)


# ---------------------------------------------------------------- a stale record

def test_a_stale_record_is_warned_about(tmp_path):
    """Bundled example with a record ending before week 1: validate --week of week 2 warns; recording week 1 ends it."""
    team, folder = bundled(tmp_path)
    (team / "visits.csv").write_text("child_id,date,visit_type\nC0001,2026-11-20,home\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(team), "--week", "2026-12-07"])
    assert result.exit_code == 0
    warning = "the record holds nothing after Fri 27 Nov: run `planner record` with last week's plan first"
    assert warning in result.stderr
    assert record(str(team), "--plan", str(folder)).exit_code == 0
    again = CliRunner().invoke(main, ["validate", str(team), "--week", "2026-12-07"])
    assert "record holds nothing" not in again.stderr


def test_no_record_and_no_earlier_plan_is_no_warning(tmp_path):
    """A first plan of a team without visits.csv and no plan beside it: no warning; with an earlier plan beside, one."""
    team, _ = read_team(EXAMPLE)
    assert stale_record(team, WEEK2, [tmp_path]) is None
    earlier = tmp_path / "plan-2026-11-30"
    earlier.mkdir()
    (earlier / "summary.json").write_text(json.dumps({"week": "2026-11-30"}))
    assert "nothing after Fri 27 Nov" in stale_record(team, WEEK2, [tmp_path])
    assert stale_record(team, WEEK1, [tmp_path]) is None  # the plan beside is not earlier


def test_plan_puts_the_warning_in_summary_and_on_the_rota(tmp_path):
    """A generated team with an old record: planner plan warns on the terminal, in summary.json and on the rota."""
    folder = generate_team(tmp_path / "team", n_workers=1, children_per_worker=4, seed=5)
    (folder / "visits.csv").write_text("child_id,date,visit_type\nC0001,2026-11-02,home\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["plan", str(folder), "--week", "2026-11-30",
                                                       "--out", str(tmp_path / "p"), "--time-limit", "5"])
    assert result.exit_code in (0, 1), result.output
    warning = "the record holds nothing after Fri 20 Nov: run `planner record` with last week's plan first"
    assert warning in result.stderr and warning in result.stdout
    assert json.loads((tmp_path / "p" / "summary.json").read_text())["warnings"] == [warning]
    assert f"Warning: {html.escape(warning)}" in (tmp_path / "p" / "rota.html").read_text()


def test_record_outcome_gives_one_row_per_child_corrects_and_refuses_the_future():
    """The web service's call: a household visit's outcome is a row per child; a later outcome corrects
    them; a visit after today is refused."""
    team = make_team(children=[make_child("C1"), make_child("C2")])
    visit = Visit(worker_id="W1", date=WEEK1, start=600, end=680, visit_type="home", child_ids=("C1", "C2"))
    plan = Plan(week=WEEK1, visits=(visit,))
    from planner.week.record import record_outcome
    rows, corrected, added = record_outcome([], team, plan, visit, "made", on=WEEK1)
    assert [(r.child_id, r.outcome, r.plan) for r in rows] == [("C1", "made", plan_id(plan)), ("C2", "made", plan_id(plan))]
    assert record_outcome(rows, team, plan, visit, "made", on=WEEK1)[0] == rows  # the same twice: no change
    again, corrected, added = record_outcome(rows, team, plan, visit, "no_access", on=WEEK1)
    assert [r.outcome for r in again] == ["no_access", "no_access"] and len(corrected) == 2 and not added
    with pytest.raises(RecordError, match="nobody has made a visit still to come"):
        record_outcome([], team, plan, visit, "made", on=WEEK1 - timedelta(days=1))


def test_bundled_plan_superseded_by_a_replan_beside_it_is_refused(tmp_path):
    """Bundled example: with a replan of the week-1 plan beside it, recording the week-1 plan is refused, naming it."""
    team, folder = bundled(tmp_path)
    source = plan_id(read_plan(folder))
    replan_folder = Path(shutil.copytree(folder, tmp_path / "plan-r1"))
    (replan_folder / "summary.json").write_text(json.dumps(
        {"week": WEEK1.isoformat(), "replanned_from": "2026-12-02", "plan_id": f"{source}.0123456789"}))
    result = record(str(team), "--plan", str(folder))
    assert result.exit_code == 2 and f"plan {source} was replaced by the replan plan-r1" in result.output
    assert not (team / "visits.csv").exists()


def test_generated_team_refusals_after_today_and_on_leave(tmp_path):
    """Generated team: its plan recorded before its last visit is refused (visits to come); a day of leave in
    appointments.csv on a day of W01's visits is refused too; nothing is written either way."""
    folder = generate_team(tmp_path / "team", n_workers=1, children_per_worker=4, seed=6)
    team, _ = read_team(folder)
    plan = solve(team, WEEK1, FAST).plan
    write_plan_folder(plan, tmp_path / "p1")
    on = max(v.date for v in plan.visits if v.date < WEEK2) - timedelta(days=1)  # the day before its last visit
    with time_machine.travel(on, tick=False):
        result = record(str(folder), "--plan", str(tmp_path / "p1"))
    assert result.exit_code == 2 and f"dated after today ({on:%a} {on.day} {on:%b})" in result.output
    day = min(v.date for v in plan.visits if v.worker_id == "W01")
    with open(folder / "appointments.csv", "a", encoding="utf-8") as handle:
        handle.write(f"W01,{day},,,leave\n")
    result = record(str(folder), "--plan", str(tmp_path / "p1"))
    assert result.exit_code == 2 and f"W01 (leave) on {day:%a} {day.day} {day:%b}" in result.output
    assert not (folder / "visits.csv").exists()
