"""rota.html without a browser: the timeline leaves white exactly the day sheet's free time, the
rows and figures say what days.csv and summary.json say, and what limits more visits is there."""

from __future__ import annotations

import re
from html import unescape

from planner.outputs.capacity import day_limits, worker_limit_sentences
from planner.outputs.days import day_row, read_days, reserved_blocks, working_days
from planner.outputs.views import week_views
from report_plans import reports_folder, small_plan


def _page() -> str:
    return (reports_folder() / "rota.html").read_text(encoding="utf-8")


def test_white_on_the_timeline_is_the_free_time():
    """Drawn items (visits, travel, appointments, lunch, write-up) never overlap, and what they
    leave of the working hours is the day's free_minutes."""
    team, plan = small_plan()
    views = week_views(team, plan, working_days(team, plan))
    checked = 0
    for worker in team.workers:
        for view in views[worker.id]:
            row = day_row(team, view)
            if not row.available:
                continue
            items = sorted(reserved_blocks(team, view), key=lambda i: (i.start, i.end))
            for before, after in zip(items, items[1:]):
                assert before.end <= after.start, (worker.id, view.day, before, after)
            drawn = sum(min(i.end, worker.end) - max(i.start, worker.start) for i in items)
            assert worker.end - worker.start - drawn == max(0, row.free_minutes), (worker.id, view.day)
            assert sum(i.minutes for i in items if i.kind == "lunch") == row.lunch_minutes
            checked += 1
    assert checked > 10


def test_each_row_says_the_day_sheets_figures():
    """A worker-day's label gives its visits, travel and free minutes as days.csv has them."""
    html = unescape(_page())
    for row in read_days(reports_folder()):
        if not row.available:
            continue
        section = html[html.index(f'data-date="{row.date.isoformat()}"'):]
        section = section[:section.index("</section>")]
        label = re.search(rf'data-worker="{row.worker_id}"><div class="who">.*?<small>(.*?)</small>', section)
        assert label, (row.worker_id, row.date)
        visits = f"{row.visits} visit{'s' if row.visits != 1 else ''}"
        assert label.group(1) == (f"{visits}, {row.travel_minutes} min travel, {row.free_minutes} min free")


def test_figures_are_summary_json():
    """The plan-in-figures table gives summary.json's counts, each week and the whole plan."""
    _, plan = small_plan()
    s = plan.summary
    html = _page()
    table = html[html.index('<section id="figures">'):]
    table = table[:table.index("</section>")]
    cells = {}
    for row in re.findall(r"<tr><td[^>]*>(.*?)</td>(.*?)</tr>", table):
        cells[unescape(row[0])] = [unescape(c) for c in re.findall(r'<td class="num">(.*?)</td>', row[1])]
    weeks = s["weeks"]
    assert cells["Statutory due dates"] == [str(w["statutory_due"]) for w in weeks] + [str(s["statutory_due"])]
    assert cells["met on time"] == [str(w["statutory_met"]) for w in weeks] + [str(s["statutory_met"])]
    assert cells["Visits"] == [str(w["visits"]) for w in weeks] + [str(s["visits"])]
    for visit_type, count in s["optional_visits"].items():
        assert cells[f"{visit_type.capitalize()} visits"][-1] == str(count)
    assert f"Plan value {s['objective']:,} = " in unescape(table)


def test_what_limits_more_visits_is_said_for_each_worker():
    """The page names, for each worker, what keeps more visits out, with numbers."""
    team, plan = small_plan()
    html = unescape(_page())
    sentences = worker_limit_sentences(team, day_limits(team, plan))
    for worker in team.workers:
        assert sentences[worker.id] in html
        assert re.match(rf"{worker.id}: \d+ of \d+ working days ", sentences[worker.id])
    assert "Team: " in html and "worker-days" in html
