"""The scenario report: findings strongest first (clear differences, trade-offs, the rest), a
baseline always compared with, dated charts with school holidays, the team's own name."""

from __future__ import annotations

import csv
import re
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from planner.cli import main
from planner.scenarios.changes import Scenario, scenarios_from_options
from planner.scenarios.charts import line_chart
from planner.scenarios.cli import with_baseline
from planner.scenarios.findings import COMPARED, findings
from planner.scenarios.measures import Stat, count_text
from planner.synthetic import generate_team

ROOT = Path(__file__).resolve().parents[2]
NONE = Stat(None, None, None, 0)


def _stats(**given) -> dict[str, Stat]:
    return {key: given.get(key, NONE) for key in COMPARED}


def test_clear_differences_first_with_their_ranges_then_trade_offs_then_the_rest():
    """Non-overlapping ranges come first, named with both ranges; a trade-off names what falls."""
    stats = {"baseline": _stats(worst_lateness_days=Stat(9.2, 8, 11, 5), compliance=Stat(0.94, 0.93, 0.95, 5),
                                home_visits=Stat(399, 395, 404, 5), school_visits=Stat(425, 404, 444, 5)),
             "two workers leave": _stats(worst_lateness_days=Stat(31.4, 12, 58, 5),
                                         compliance=Stat(0.914, 0.90, 0.925, 5),
                                         home_visits=Stat(394, 390, 399, 5), school_visits=Stat(262, 250, 270, 5)),
             "london-flex": _stats(worst_lateness_days=Stat(9.6, 8, 12, 5), compliance=Stat(0.956, 0.951, 0.96, 5),
                                   home_visits=Stat(362, 355, 370, 5), school_visits=Stat(437, 429, 446, 5))}
    found = findings("baseline", list(stats), stats, runs=5)
    clear = found["clear"]
    assert clear[0].startswith("Worst lateness: higher under two workers leave (worse): "
                               "31.4 working days (12 to 58) against 9.2 (8 to 11) in baseline")
    assert "do not overlap" in clear[0]
    assert any(text.startswith("Home visits: lower under london-flex") for text in clear)
    assert not any("School visits: higher under london-flex" in text for text in clear)
    assert any(text.startswith("School visits: higher under london-flex") and "may be chance" in text
               for text in found["within_spread"])
    trade = next(t for t in found["trade_offs"] if t.startswith("london-flex"))
    assert "up, statutory compliance (better) from 94.0% to 95.6%" in trade
    assert "down, home visits from 399 to 362" in trade


def test_a_single_run_finds_nothing_clear():
    """With one run, no difference is called clear, and the findings say why."""
    stats = {"baseline": _stats(missed=Stat(2, 2, 2, 1)), "other": _stats(missed=Stat(9, 9, 9, 1))}
    found = findings("baseline", ["baseline", "other"], stats, runs=1)
    assert found["clear"] == [] and "run once" in found["notes"][0]
    assert "single run" in found["within_spread"][0]


def test_a_baseline_is_always_there_and_first():
    """A caseload change alone gets a baseline before it; a no-change scenario is moved first."""
    alone = with_baseline(scenarios_from_options(caseload=["+20%"]))
    assert [s.name for s in alone] == ["baseline", "caseload +20%"]
    assert alone[0] == Scenario()
    sick = with_baseline(scenarios_from_options(caseload=["+20%"], absence=["4%"]))
    assert sick[0].absence == pytest.approx(0.04) and sick[0].caseload == 0
    moved = with_baseline([Scenario(name="flex", policy="london-flex"), Scenario(name="as is")])
    assert [s.name for s in moved] == ["as is", "flex"]


def test_charts_are_dated_with_holidays_marked():
    """Weeks are labelled by their Monday; a school-holiday week is shaded and says so."""
    series = [("baseline", [(1, "2026-12-14", Stat(3, 2, 4, 2)), (2, "2026-12-21", Stat(1, 1, 1, 2)),
                            (3, "2026-12-28", Stat(2, 1, 3, 2))])]
    svg = line_chart("School visits made per week", series, count_text, holidays=frozenset({2, 3}))
    assert "14 Dec" in svg and "21 Dec" in svg and "week beginning (Monday)" in svg
    assert svg.count('class="holiday"') == 2 and "school holiday" in svg


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_command_adds_a_baseline_names_the_team_and_prints_no_json(tmp_path):
    """`--caseload +20%` alone also runs the baseline; --no-baseline does not; the report names
    the team as team.toml does and gives its settings in words."""
    folder = generate_team(tmp_path / "folder-name", n_workers=2, children_per_worker=5, seed=2, name="Team Ark")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["scenario", str(folder), "--weeks", "1", "--runs", "1", "--caseload",
                                       "+20%", "--jobs", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert [r["scenario"] for r in _rows(out / "results.csv")] == ["baseline", "caseload +20%"]
    page = unescape((out / "report.html").read_text(encoding="utf-8"))
    assert "Scenarios for Team Ark" in page and "folder-name" not in page
    assert not re.search(r"Settings: \{", page) and "Settings: 1 weeks from Monday" in page
    assert "What limits more visits" in page
    again = CliRunner().invoke(main, ["scenario", str(folder), "--weeks", "1", "--runs", "1", "--caseload",
                                      "+20%", "--jobs", "1", "--no-baseline", "--force", "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert [r["scenario"] for r in _rows(out / "results.csv")] == ["caseload +20%"]


def test_the_13_week_sweep_names_the_lateness_ranges_that_do_not_overlap():
    """benchmarks/scenario-sweep: every lateness measure whose range over the runs does not overlap
    the baseline's (summary.csv) is a clear finding of report.html, with both ranges; every one
    whose range overlaps is not, and is listed among what chance may explain."""
    folder = ROOT / "benchmarks" / "scenario-sweep"
    page = unescape((folder / "report.html").read_text(encoding="utf-8"))
    clear = page[page.index("<h3>Clear differences"):page.index("<h3>Trade-offs")]
    chance = page[page.index("<h3>Within the spread"):]
    chance = chance[:chance.index("</ul>")]
    rows = {r["scenario"]: r for r in _rows(folder / "summary.csv") if r["team"] == "service"}
    base = rows["baseline"]
    checked = 0
    for key, label in (("lateness_days", "Total lateness"), ("worst_lateness_days", "Worst lateness")):
        low, high = float(base[f"{key}_min"]), float(base[f"{key}_max"])
        for name, row in rows.items():
            this_low, this_high = float(row[f"{key}_min"]), float(row[f"{key}_max"])
            if name == "baseline" or float(row[f"{key}_mean"]) == float(base[f"{key}_mean"]):
                continue
            finding = (rf"<li>{label}: (higher|lower) under {re.escape(name)} \((better|worse)\): [\d.,]+ working "
                       rf"days \({this_low:,.0f} to {this_high:,.0f}\) against [\d.,]+ \({low:,.0f} to "
                       rf"{high:,.0f}\) in baseline; [^<]*")
            if this_low > high or this_high < low:
                assert re.search(finding + r"the ranges over the runs do not overlap\.</li>", clear), (label, name)
            else:
                assert not re.search(finding, clear), (label, name)
                assert re.search(finding + r"the ranges over the runs overlap, so this may be chance\.</li>",
                                 chance), (label, name)
            checked += 1
    assert checked == 6  # three scenarios, two lateness measures
