"""`planner recommend`: a ranked table, the reasons in words, and DIR/recommend.csv (private,
atomic); bad referrals refused with file, row and column; on the bundled example, the top
worker's plan meets the new child's visits and passes `planner check`."""

from __future__ import annotations

import csv
import shutil
import stat
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main

REPO = Path(__file__).parents[2]
TINY_WEEK = "2025-10-06"
HEADER = ("child_id,name,date_of_birth,allocated_worker,category,lat,lon,household_id,plan_start,"
          "last_seen,school_id,language\n")


def referral(folder: Path, *rows: str, name: str = "new.csv") -> Path:
    path = folder / name
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_recommend_writes_a_ranked_private_csv(data_dir, tmp_path):
    """Exit 0; the table and a 'Recommended:' line; recommend.csv has a row per worker, best first,
    and is readable by its owner only."""
    new = referral(tmp_path, "C9,Nia Example,2014-02-02,,CP,51.5200,-0.0500,,,2025-09-29,,")
    out = tmp_path / "rec"
    result = CliRunner().invoke(main, ["recommend", str(data_dir / "tiny"), "--week", TINY_WEEK,
                                       "--child", str(new), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Who could take C9" in result.output and "Recommended: W" in result.output
    rows = _csv(out / "recommend.csv")
    assert sorted(r["worker_id"] for r in rows) == ["W1", "W2"]
    assert [r["rank"] for r in rows] == ["1", "2"] and rows[0]["feasible"] == "yes"
    assert rows[0]["reasons"].startswith("meets C9's 1 statutory due date on time")
    assert stat.S_IMODE((out / "recommend.csv").stat().st_mode) == 0o600
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert "Nia Example" not in (out / "recommend.csv").read_text(encoding="utf-8")


def test_top_limits_the_table_not_the_csv(data_dir, tmp_path):
    """--top 1 shows one worker in the table; recommend.csv still lists both."""
    new = referral(tmp_path, "C9,Nia Example,2014-02-02,,CP,51.5200,-0.0500,,,2025-09-29,,")
    out = tmp_path / "rec"
    result = CliRunner().invoke(main, ["recommend", str(data_dir / "tiny"), "--week", TINY_WEEK,
                                       "--child", str(new), "--out", str(out), "--top", "1"])
    assert result.exit_code == 0, result.output
    table_rows = [line for line in result.output.splitlines() if line.startswith("│ ")]
    assert len(table_rows) == 1
    assert len(_csv(out / "recommend.csv")) == 2


@pytest.mark.parametrize("row, column, words", [
    ("C9,Nia Example,2014-02-02,,CP,51.5200,-0.0500,,,2025-09-29,S9,", "school_id", "not in schools.csv"),
    ("C1,Nia Example,2014-02-02,,CP,51.5200,-0.0500,,,2025-09-29,,", "child_id", "already on the team's caseload"),
    ("C9,Nia Example,2030-02-02,,CP,51.5200,-0.0500,,,2025-09-29,,", "date_of_birth", "more than 280 days"),
])
def test_bad_referral_exits_2_naming_row_and_column(data_dir, tmp_path, row, column, words):
    """A referral row that cannot be planned: exit 2, new.csv with row and column, nothing written."""
    new = referral(tmp_path, row)
    out = tmp_path / "rec"
    result = CliRunner().invoke(main, ["recommend", str(data_dir / "tiny"), "--week", TINY_WEEK,
                                       "--child", str(new), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert f"new.csv, row 2, column '{column}'" in result.output and words in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_two_households_are_refused(data_dir, tmp_path):
    """Rows of two households: recommend one at a time (exit 2, the row and column named)."""
    new = referral(tmp_path, "C8,Ola Example,2014-02-02,,CP,51.5200,-0.0500,HA,,2025-09-29,,",
                   "C9,Nia Example,2016-02-02,,CP,51.5300,-0.0400,HB,,2025-09-29,,")
    result = CliRunner().invoke(main, ["recommend", str(data_dir / "tiny"), "--week", TINY_WEEK,
                                       "--child", str(new), "--out", str(tmp_path / "rec")])
    assert result.exit_code == 2
    assert "new.csv, row 3, column 'household_id'" in result.output and "one household" in result.output


def test_existing_folder_needs_force_and_must_be_a_recommendation(data_dir, tmp_path):
    """An existing --out is kept without --force; a folder that is not planner's is never replaced."""
    new = referral(tmp_path, "C9,Nia Example,2014-02-02,,CP,51.5200,-0.0500,,,2025-09-29,,")
    out = tmp_path / "documents"
    out.mkdir()
    (out / "letter.txt").write_text("keep me")
    runner = CliRunner()
    for extra in ([], ["--force"]):
        result = runner.invoke(main, ["recommend", str(data_dir / "tiny"), "--week", TINY_WEEK,
                                      "--child", str(new), "--out", str(out), *extra])
        assert result.exit_code == 2
    assert (out / "letter.txt").read_text() == "keep me"


@pytest.mark.slow
def test_bundled_example_new_cp_child_language_and_distance(tmp_path):
    """The bundled example, W02 based at a hub, a new CP child who speaks Somali (only W05 does)
    living 0.2 km from that hub: feasible workers first, the trade-off in words, and the child
    allocated to the top worker is planned on time and passes `planner check`."""
    team = Path(shutil.copytree(REPO / "examples" / "tower-hamlets", tmp_path / "team"))
    workers = (team / "workers.csv").read_text(encoding="utf-8")
    assert "W02,Rayan Sheikh,Mon-Fri,10:00,18:00,,,car" in workers
    (team / "workers.csv").write_text(workers.replace(
        "W02,Rayan Sheikh,Mon-Fri,10:00,18:00,,,car", "W02,Rayan Sheikh,Mon-Fri,10:00,18:00,51.5080,-0.0170,car"),
        encoding="utf-8")
    row = "C9001,Hodan Example,2017-05-04,,CP,51.5098,-0.0170,,2026-11-27,,,Somali"
    new = referral(tmp_path, row)
    out = tmp_path / "rec"
    runner = CliRunner()
    started = time.monotonic()
    result = runner.invoke(main, ["recommend", str(team), "--week", "2026-11-30", "--child", str(new),
                                  "--out", str(out), "--top", "5"])
    seconds = time.monotonic() - started
    print(f"recommend on the bundled example: {seconds:.1f} s (shared machine)")
    assert result.exit_code == 0, result.output
    rows = _csv(out / "recommend.csv")
    assert len(rows) == 8
    feasible = [r["feasible"] for r in rows]
    assert feasible == sorted(feasible, key=lambda f: f != "yes") and feasible[0] == "yes"
    by_id = {r["worker_id"]: r for r in rows}
    assert by_id["W05"]["speaks_language"] == "yes"
    assert {r["speaks_language"] for r in rows if r["worker_id"] != "W05"} == {"no"}
    assert float(by_id["W02"]["distance_km"]) == min(float(r["distance_km"]) for r in rows) == 0.2
    top = rows[0]["worker_id"]
    assert f"Recommended: {top} " in result.output
    if top != "W05":
        assert "W05 speaks Somali, so no interpreter would be needed, but" in result.output
    elif top == "W05":
        assert ("W02's base is nearest (0.2 km" in result.output
                or "W02 would cost the team's plan" in result.output)
    # allocate the child to the top worker and plan the team as usual
    children = team / "children.csv"
    fields = HEADER.strip().split(",")
    values = dict(zip(fields, row.split(",")), allocated_worker=top)
    with open(children, newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    with open(children, "a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow([values.get(column, "") for column in header])
    plan = tmp_path / "plan"
    planned = runner.invoke(main, ["plan", str(team), "--week", "2026-11-30", "--out", str(plan)])
    assert planned.exit_code in (0, 1), planned.output
    assert "C9001" not in (plan / "unmet.csv").read_text(encoding="utf-8")
    visits = [v for v in _csv(plan / "plan.csv") if "C9001" in v["child_ids"].split(";")]
    assert any(v["visit_type"] == "home" and v["worker_id"] == top and v["date"] <= "2026-12-11"
               for v in visits)
    checked = runner.invoke(main, ["check", str(team), str(plan)])
    assert checked.exit_code == 0, checked.output
