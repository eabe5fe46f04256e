"""`planner plan TEAM TEAM ...`: the service folder, its figures against each team's
summary.json, and each team's plan folder against `planner plan TEAM` of that folder."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from plan_bytes import folder_bytes

from planner.cli import main
from planner.io import read_team
from planner.service.table import COLUMNS, OPTIONAL_TYPES, TOTAL

WEEK = "2026-11-30"  # the synthetic teams' first Monday


@pytest.fixture(scope="module")
def service(service_teams, tmp_path_factory):
    """The three teams planned as a service, in a pool of two local processes."""
    out = tmp_path_factory.mktemp("service") / "service"
    result = CliRunner().invoke(main, ["plan", *map(str, service_teams), "--week", WEEK, "--out", str(out),
                                       "--processes", "2"])
    return result, out


def _csv(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "service.csv", keep_default_na=False)


def test_service_folder_holds_a_plan_folder_per_team(service, service_teams):
    """A plan folder per team, named after its folder, and service.csv and service.html; all private."""
    result, out = service
    assert sorted(p.name for p in out.iterdir()) == sorted(["north", "south", "east", "service.csv", "service.html"])
    for name in ("north", "south", "east"):
        assert {"plan.csv", "unmet.csv", "summary.json", "days.csv", "rota.html", "plan.xlsx", "hours.png",
                "calendars"} <= {p.name for p in (out / name).iterdir()}
    assert all((p.stat().st_mode & 0o077) == 0 for p in [out, *out.rglob("*")])


def test_exit_code_is_1_when_a_team_has_unmet_requirements(service):
    """north has an overdue child: exit 1, every team still written; the others are ok."""
    result, out = service
    table = _csv(out)
    assert list(table["status"]) == ["unmet", "ok", "ok"]
    assert result.exit_code == 1, result.output


def test_every_team_plan_passes_the_independent_checker(service, service_teams):
    """`planner check TEAM DIR/<team>` finds no violation in any team's plan folder."""
    _, out = service
    for folder in service_teams:
        result = CliRunner().invoke(main, ["check", str(folder), str(out / folder.name)])
        assert result.exit_code == 0, result.output
        assert "No violations" in result.output


def test_service_csv_figures_are_each_teams_summary(service, service_teams):
    """Every figure of service.csv is the team's summary.json figure (travel hours: its minutes / 60)."""
    _, out = service
    table = _csv(out)
    assert list(table.columns) == list(COLUMNS)
    assert list(table["team"]) == [folder.name for folder in service_teams]  # in the order given
    for row, folder in zip(table.to_dict("records"), service_teams):
        summary = json.loads((out / row["plan_folder"] / "summary.json").read_text())
        team, _ = read_team(folder)
        optional = summary["optional_visits"]
        assert (row["workers"], row["children"]) == (len(team.workers), len(team.children))
        for column in ("statutory_due", "statutory_met", "statutory_late", "lateness_days", "visits",
                       "travel_minutes", "solve_seconds", "status"):
            assert row[column] == summary[column], column
        assert row["plan_value"] == summary["objective"]
        assert row["optional_visits"] == sum(optional.values())
        assert all(row[f"{kind}_visits"] == optional.get(kind, 0) for kind in OPTIONAL_TYPES)
        assert row["travel_hours"] == round(summary["travel_minutes"] / 60, 1)


def test_each_team_folder_is_what_planner_plan_team_writes(service, service_teams, tmp_path):
    """Each team's folder is the plan folder `planner plan TEAM` writes, byte for byte (the clock's
    traces aside: solve seconds, calendar stamps, the minute of writing)."""
    _, out = service
    for folder in service_teams:
        single = tmp_path / folder.name
        result = CliRunner().invoke(main, ["plan", str(folder), "--week", WEEK, "--out", str(single)])
        assert result.exit_code in (0, 1), result.output
        assert not (single / "service.csv").exists()
        mine, theirs = folder_bytes(out / folder.name), folder_bytes(single)
        assert sorted(mine) == sorted(theirs)
        assert [name for name in mine if mine[name] != theirs[name]] == []


class _Cells(HTMLParser):
    """The page's table: each row's cell texts, and the links."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.links: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self._cell = []
        elif tag == "a":
            self.links.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if tag == "td":
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_service_page_shows_the_csv_figures_and_links_each_rota(service):
    """service.html: a row per team with service.csv's figures, a link to each team's rota page
    (which exists), and a totals row adding the figures up."""
    _, out = service
    page = _Cells()
    page.feed((out / "service.html").read_text(encoding="utf-8"))
    table = _csv(out)
    body = [row for row in page.rows if row]
    assert len(body) == len(table) + 1
    for cells, row in zip(body, table.to_dict("records")):
        shown = dict(zip(COLUMNS, cells))
        assert shown["team"] == row["team"] and shown["status"] == row["status"]
        for column in ("statutory_due", "statutory_met", "statutory_late", "plan_value", "travel_minutes"):
            assert int(shown[column].replace(",", "")) == row[column], column
        assert float(shown["travel_hours"]) == row["travel_hours"]
    assert page.links == [f"{name}/rota.html" for name in table["plan_folder"]]
    assert all((out / link).is_file() for link in page.links)
    total = dict(zip(COLUMNS, body[-1]))
    assert total["team"] == TOTAL and total["status"] == "2 ok, 1 unmet"
    for column in ("workers", "children", "statutory_due", "statutory_met", "statutory_late", "visits",
                   "optional_visits", "travel_minutes", "plan_value"):
        assert int(total[column].replace(",", "")) == table[column].sum(), column
    assert float(total["travel_hours"]) == round(table["travel_minutes"].sum() / 60, 1)


def test_terminal_says_each_team_as_it_finishes_and_the_table(service):
    """A line per team as its plan comes back, with service.csv's figures; the table with the totals."""
    result, out = service
    for row in _csv(out).to_dict("records"):
        line = (f"{row['team']}: {row['status']}, {row['statutory_met']} of {row['statutory_due']} statutory "
                f"due dates met on time, {row['optional_visits']} optional visits, travel "
                f"{row['travel_hours']:.1f} h, plan value {row['plan_value']:,}")
        assert line in result.output
    assert re.search(r"(1|2|3) of 3 teams", result.output)
    assert "All teams" in result.output and "2 ok, 1" in result.output
    assert f"north: 1 statutory due date late or not met; the reasons are in {out / 'north' / 'unmet.csv'}" \
        in result.output.replace("\n", "")


def test_a_service_where_all_is_met_exits_0(service_teams, tmp_path):
    """Two teams with everything met, planned in this process (--processes 1): exit 0."""
    out = tmp_path / "ok"
    result = CliRunner().invoke(main, ["plan", *map(str, service_teams[1:]), "--week", WEEK, "--out", str(out),
                                       "--processes", "1"])
    assert result.exit_code == 0, result.output
    assert list(_csv(out)["status"]) == ["ok", "ok"]
