"""hours.png: each worker's working hours from the day sheet, split into statutory and optional
visits, travel, appointments, lunch, write-up and free time."""

from __future__ import annotations

import io

import matplotlib
from PIL import Image

from planner.outputs.days import HOUR_LABELS, HOUR_PARTS, hours_breakdown, read_days
from planner.outputs.hours_plot import hours_png
from planner.outputs.views import statutory_visits, week_views
from report_plans import LEAVE_DAYS, LEAVE_WORKER, overloaded, reports_folder, small_plan

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_plan_folder_has_a_png_chart():
    """hours.png is a PNG of a readable size, drawn with the Agg backend."""
    data = (reports_folder() / "hours.png").read_bytes()
    assert data.startswith(PNG_MAGIC)
    width, height = Image.open(io.BytesIO(data)).size
    assert width >= 800 and height >= 200
    assert matplotlib.get_backend().lower() == "agg"


def test_chart_grows_with_the_number_of_workers():
    """More workers make a taller chart (one bar each)."""
    team, plan = small_plan()
    one = team.model_copy(update={"workers": team.workers[:1], "children": team.children_of(team.workers[0].id),
                                  "appointments": ()})
    short = Image.open(io.BytesIO(hours_png(one, plan.model_copy(update={"visits": tuple(
        plan.visits_of(team.workers[0].id))})))).size[1]
    tall = Image.open(io.BytesIO(hours_png(team, plan))).size[1]
    assert tall > short


def test_parts_add_up_to_the_working_hours():
    """For each worker the parts add up to their working hours over the horizon (days they work)."""
    team, plan = small_plan()
    hours = hours_breakdown(team, plan)
    for worker in team.workers:
        days = sum(1 for view in week_views(team, plan)[worker.id] if view.available)
        assert sum(hours[worker.id][p] for p in HOUR_PARTS) == days * (worker.end - worker.start)


def test_chart_figures_are_the_day_sheet_summed():
    """The chart's figures (its PNG Description) are days.csv's columns summed per worker."""
    team, _ = small_plan()
    folder = reports_folder()
    described = Image.open(folder / "hours.png").text["Description"]
    rows = read_days(folder)
    for worker in team.workers:
        own = [r for r in rows if r.worker_id == worker.id]
        segment = next(part for part in described.split("; ") if part.startswith(f"{worker.id}: "))
        figures = dict(item.rsplit(" ", 2)[:2] for item in segment.split(": ", 1)[1].split(", "))
        figures = {label: int(value) for label, value in figures.items()}
        label = {p: HOUR_LABELS[p].lower() for p in HOUR_PARTS}
        assert figures[label["statutory"]] + figures[label["optional"]] == sum(r.visit_minutes for r in own)
        assert figures[label["travel"]] == sum(r.travel_minutes for r in own)
        assert figures[label["appointments"]] == sum(r.appointment_minutes for r in own)
        assert figures[label["lunch"]] == sum(r.lunch_minutes for r in own)
        assert figures[label["recording"]] == sum(r.recording_minutes for r in own)
        assert figures[label["free"]] == sum(r.free_minutes for r in own)


def test_visit_minutes_and_travel_match_the_plan():
    """Statutory plus optional minutes are the visits' minutes; travel is the plan's travel."""
    team, plan = small_plan()
    hours = hours_breakdown(team, plan)
    for worker in team.workers:
        visits = sum(v.end - v.start for v in plan.visits_of(worker.id))
        assert hours[worker.id]["statutory"] + hours[worker.id]["optional"] == visits
    assert sum(h["travel"] for h in hours.values()) == plan.summary["travel_minutes"]


def test_home_visits_and_visits_meeting_a_due_date_are_statutory():
    """Every home visit is statutory; a school visit of a child with nothing due is optional."""
    team, plan = small_plan()
    statutory = statutory_visits(team, plan)
    for visit in plan.visits:
        key = (visit.worker_id, visit.date, visit.start, visit.child_ids)
        if visit.visit_type == "home":
            assert key in statutory
    assert any((v.worker_id, v.date, v.start, v.child_ids) not in statutory for v in plan.visits)


def test_leave_is_not_working_time():
    """A worker on leave 9 of 10 days has one day's working hours, and the chart says so."""
    team, result, _ = overloaded()
    worker = team.worker(LEAVE_WORKER)
    parts = hours_breakdown(team, result.plan)[LEAVE_WORKER]
    assert sum(parts.values()) == (10 - len(LEAVE_DAYS)) * (worker.end - worker.start)
    assert parts["appointments"] < worker.end - worker.start
