"""Worker calendars: calendars/<worker_id>.ics, one event per visit of that worker only."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from planner.model.plan import Plan, Visit
from planner.outputs.ics import visit_uids, worker_calendar, write_calendars
from planner.outputs.views import initials
from report_plans import reports_folder, small_plan

LONDON = ZoneInfo("Europe/London")


def _events(path: Path) -> list:
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def _local(value) -> tuple[date, int]:
    moment = value.dt.astimezone(LONDON)
    return moment.date(), moment.hour * 60 + moment.minute


def test_every_worker_has_a_file_that_icalendar_parses():
    """Each worker gets calendars/<id>.ics, a VCALENDAR 2.0 with a PRODID and a VTIMEZONE."""
    team, _ = small_plan()
    folder = reports_folder() / "calendars"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{w.id}.ics" for w in team.workers)
    for worker in team.workers:
        calendar = icalendar.Calendar.from_ical((folder / f"{worker.id}.ics").read_bytes())
        assert calendar["VERSION"] == "2.0"
        assert "PRODID" in calendar
        assert [z["TZID"] for z in calendar.walk("VTIMEZONE")] == ["Europe/London"]


def test_each_file_holds_exactly_its_workers_visits():
    """The events of W.ics are W's visits, one each, at their dates and times, and no other."""
    team, plan = small_plan()
    for worker in team.workers:
        events = _events(reports_folder() / "calendars" / f"{worker.id}.ics")
        got = sorted((*_local(e["DTSTART"]), _local(e["DTEND"])[1]) for e in events)
        want = sorted((v.date, v.start, v.end) for v in plan.visits_of(worker.id))
        assert got == want and want


def test_event_has_place_name_type_children_and_status():
    """An event names the place (the school's name), not its coordinates; the type, the child by
    initials and id."""
    team, plan = small_plan()
    visit = next(v for v in plan.visits if v.visit_type == "school")
    school = team.school(team.child(visit.child_ids[0]).school_id)
    events = _events(reports_folder() / "calendars" / f"{visit.worker_id}.ics")
    event = next(e for e in events if _local(e["DTSTART"]) == (visit.date, visit.start))
    assert str(event["LOCATION"]) == school.name
    assert "GEO" not in event
    child = team.child(visit.child_ids[0])
    assert f"{initials(child.name)} ({child.id})" in str(event["SUMMARY"])
    assert "School" in str(event["SUMMARY"])
    assert str(event["STATUS"]) == ("CONFIRMED" if visit.committed else "TENTATIVE")


def _coordinates(text: str) -> list[str]:
    """Numbers written like a latitude or longitude in the UK (51.52446, -0.03825, ...)."""
    return re.findall(r"-?\d{1,2}\.\d{3,}", text)


def test_no_coordinates_by_default():
    """No event carries GEO or a coordinate; home visits say "Child's home"."""
    team, plan = small_plan()
    folder = reports_folder() / "calendars"
    text = "".join(p.read_text(encoding="utf-8") for p in folder.iterdir()).replace("\r\n ", "")
    assert "GEO:" not in text and _coordinates(text) == []
    for visit in plan.visits:
        for number in (visit.lat, visit.lon):
            if number is not None:
                assert f"{number:.4f}" not in text
    homes = [e for p in folder.iterdir() for e in _events(p) if str(e["SUMMARY"]).startswith("Home")]
    assert homes and {str(e["LOCATION"]) for e in homes} == {"Child's home"}


def test_coordinates_only_with_locations(tmp_path):
    """with_locations puts 'lat,lon place' in LOCATION and a GEO on every located visit."""
    team, plan = small_plan()
    write_calendars(team, plan, tmp_path, with_locations=True)
    located = [v for v in plan.visits if v.lat is not None]
    assert located
    for visit in located:
        event = next(e for e in _events(tmp_path / f"{visit.worker_id}.ics")
                     if _local(e["DTSTART"]) == (visit.date, visit.start))
        assert str(event["LOCATION"]).startswith(f"{visit.lat:.6f},{visit.lon:.6f} ")
        assert event["GEO"].latitude == pytest.approx(visit.lat)
        assert event["GEO"].longitude == pytest.approx(visit.lon)


def test_no_category_in_any_event():
    """The child's category (CP, CIN, LAC, CL, PF) is in no event: a child line is initials and id only."""
    team, plan = small_plan()
    for path in (reports_folder() / "calendars").iterdir():
        for event in _events(path):
            lines = str(event["DESCRIPTION"]).splitlines()
            children = [line for line in lines if line.startswith("Child: ")]
            assert children
            for line in children:
                child_id = line.rsplit("(", 1)[1].rstrip(")")
                assert line == f"Child: {initials(team.child(child_id).name)} ({child_id})"
            words = set(re.findall(r"[A-Z]{2,3}\b", str(event["DESCRIPTION"]) + str(event["SUMMARY"])))
            initials_used = {initials(c.name) for c in team.children}
            assert not (words - initials_used) & {"CP", "CIN", "LAC", "CL", "PF"}


def test_look_ahead_visits_are_tentative():
    """Visits of the committed week are CONFIRMED, those of the look-ahead week TENTATIVE."""
    _, plan = small_plan()
    statuses = {}
    for path in (reports_folder() / "calendars").iterdir():
        for event in _events(path):
            day, _ = _local(event["DTSTART"])
            statuses.setdefault(day < plan.week + timedelta(days=7), set()).add(str(event["STATUS"]))
    assert statuses == {True: {"CONFIRMED"}, False: {"TENTATIVE"}}


def test_children_by_initials_unless_full_names(tmp_path):
    """No child's name is in any calendar unless full_names is asked for."""
    team, plan = small_plan()
    text = "".join(p.read_text(encoding="utf-8") for p in (reports_folder() / "calendars").iterdir())
    unfolded = text.replace("\r\n ", "")
    visited = {c for v in plan.visits for c in v.child_ids}
    assert visited
    for child_id in visited:
        assert team.child(child_id).name not in unfolded
    write_calendars(team, plan, tmp_path, full_names=True)
    full = "".join(p.read_text(encoding="utf-8") for p in tmp_path.iterdir()).replace("\r\n ", "")
    assert all(team.child(c).name in full for c in visited)


def test_interpreter_and_joint_partner_in_description():
    """The description names the interpreter's language and the joint partner."""
    team, plan = small_plan()
    child = team.children[0]
    other = next(w for w in team.workers if w.id != child.allocated_worker)
    visit = Visit(worker_id=child.allocated_worker, date=date(2026, 12, 1), start=600, end=690,
                  visit_type="home", child_ids=(child.id,), lat=child.home.lat, lon=child.home.lon,
                  joint_with=other.id, interpreter=True, committed=True)
    team = team.model_copy(update={"children": tuple(
        c.model_copy(update={"language": "somali"}) if c.id == child.id else c for c in team.children)})
    calendar = worker_calendar(team, Plan(week=plan.week, visits=(visit,)), visit.worker_id)
    (event,) = calendar.walk("VEVENT")
    description = str(event["DESCRIPTION"])
    assert "Interpreter: book one (somali)" in description
    assert f"Joint visit with: {other.id} {other.name}" in description


def test_summer_times_are_london_local_time():
    """A 10:00 visit in July is 10:00 British Summer Time, 09:00 UTC."""
    team, _ = small_plan()
    child = team.children[0]
    visit = Visit(worker_id=child.allocated_worker, date=date(2027, 7, 6), start=600, end=660,
                  visit_type="remote", child_ids=(child.id,), committed=True)
    ics = worker_calendar(team, Plan(week=date(2027, 7, 5), visits=(visit,)), visit.worker_id).to_ical()
    assert b"DTSTART;TZID=Europe/London:20270706T100000" in ics
    (event,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert event["DTSTART"].dt.astimezone(timezone.utc) == datetime(2027, 7, 6, 9, 0, tzinfo=timezone.utc)
    assert "GEO" not in event  # remote: no place
    assert str(event["LOCATION"]) == "Remote (video or phone)"


def test_uids_are_unique_and_survive_a_replan_within_the_week():
    """UIDs are unique; a visit moved to another day of its week keeps its UID (an update)."""
    _, plan = small_plan()
    uids = visit_uids(list(plan.visits))
    assert len(set(uids.values())) == len(plan.visits)
    visit = plan.visits_of(plan.visits[0].worker_id)[0]
    moved = visit.model_copy(update={"date": date(2026, 12, 4), "start": 780, "end": 840})
    assert visit_uids([moved])[moved] == visit_uids([visit])[visit]
    next_week = visit.model_copy(update={"date": date(2026, 12, 14)})
    assert visit_uids([next_week])[next_week] != uids[visit]


def test_reimport_updates_with_a_higher_sequence():
    """Writing the calendar again keeps every UID and raises SEQUENCE, so clients update."""
    team, plan = small_plan()
    worker_id = plan.visits[0].worker_id
    first = worker_calendar(team, plan, worker_id, now=datetime(2026, 11, 26, 9, tzinfo=timezone.utc))
    second = worker_calendar(team, plan, worker_id, now=datetime(2026, 11, 27, 9, tzinfo=timezone.utc))
    before = {str(e["UID"]): int(e["SEQUENCE"]) for e in first.walk("VEVENT")}
    after = {str(e["UID"]): int(e["SEQUENCE"]) for e in second.walk("VEVENT")}
    assert before.keys() == after.keys()
    assert all(after[uid] > before[uid] for uid in before)
