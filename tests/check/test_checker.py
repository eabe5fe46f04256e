"""Tests of the independent plan checker: a valid plan, then one broken rule at a time."""

from __future__ import annotations

from datetime import date

import pytest

from planner.check import Miss, check_plan
from planner.model.calendar import Calendar, due_dates
from planner.model.domain import (Appointment, CategoryPolicy, Child, Location, Policy, Requirement, School,
                                  Team, TermPeriod, TravelSettings, Worker)
from planner.model.plan import Plan, UnmetRequirement, Visit
from planner.model.travel import travel_minutes

# ---------------------------------------------------------------- places and factories

OFFICE = Location(lat=51.5185, lon=-0.0596, name="Town Hall")
W3_BASE = Location(lat=51.5400, lon=-0.0800, name="Hub North")
COURT = Location(lat=51.5155, lon=-0.0900, name="Family Court")
HOME = {
    "C1": Location(lat=51.5300, lon=-0.0400), "C5": Location(lat=51.5300, lon=-0.0400),
    "C2": Location(lat=51.5220, lon=-0.0750), "C3": Location(lat=51.5100, lon=-0.0450),
    "C4": Location(lat=51.5350, lon=-0.0550),
}
SCHOOL = Location(lat=51.5250, lon=-0.0700, name="Bow Primary")
WEEK = date(2026, 3, 9)  # Monday; two-week horizon 9-22 March 2026, no bank holiday
SETTINGS = TravelSettings()


def hm(text: str) -> int:
    """'10:30' -> minutes after midnight."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def t(a: Location, b: Location, mode: str = "public_transport") -> int:
    """Travel minutes under the default model."""
    return travel_minutes(a, b, mode, SETTINGS)


def make_policy(**changes) -> Policy:
    """The London policy's numbers, built in Python."""
    fields = dict(name="test", max_visits_per_day=3, interpreter_factor=1.5, categories={
        "CP": CategoryPolicy(requirements=(
            Requirement(name="seen", every="10 working days", by=("home",)),)),
        "CIN": CategoryPolicy(requirements=(
            Requirement(name="seen", every="20 working days", by=("home", "school")),)),
        "LAC": CategoryPolicy(requirements=(
            Requirement(name="seen", every="6 weeks", first="1 week", by=("home",)),)),
    })
    return Policy(**{**fields, **changes})


def make_worker(worker_id: str, **changes) -> Worker:
    fields = dict(id=worker_id, name=f"Worker {worker_id}", base=OFFICE,
                  travel_mode="public_transport")
    return Worker(**{**fields, **changes})


def make_child(child_id: str, **changes) -> Child:
    fields = dict(id=child_id, name=f"Child {child_id}", date_of_birth=date(2018, 5, 1),
                  allocated_worker="W1", category="CIN", home=HOME.get(child_id, OFFICE),
                  household_id=f"H-{child_id}", last={"seen": date(2026, 3, 5)})
    return Child(**{**fields, **changes})


def make_team(workers, children, **changes) -> Team:
    fields = dict(name="Test team", office=OFFICE, policy=make_policy(), horizon_weeks=2,
                  workers=tuple(workers), children=tuple(children))
    return Team(**{**fields, **changes})


def valid_workers(**changes_by_id) -> list[Worker]:
    workers = {
        "W1": dict(languages=frozenset({"bengali"})),
        "W2": dict(),
        "W3": dict(base=W3_BASE, travel_mode="cycle"),
    }
    return [make_worker(w, **{**fields, **changes_by_id.get(w, {})}) for w, fields in workers.items()]


def valid_children(**changes_by_id) -> list[Child]:
    children = {
        # CP, seen every 10 working days: last seen Fri 27 Feb, so due Fri 13 March.
        "C1": dict(category="CP", household_id="H1", last={"seen": date(2026, 2, 27)}),
        "C5": dict(household_id="H1", date_of_birth=date(2016, 1, 1), language="Bengali"),
        "C2": dict(household_id="H2", date_of_birth=date(2017, 1, 1), school_id="S1",
                   priority={"remote": 2}, last={"seen": date(2026, 3, 6)}),
        "C3": dict(allocated_worker="W2", date_of_birth=date(2020, 1, 1), language="Polish",
                   home_window=(hm("10:00"), hm("16:00"))),
        "C4": dict(allocated_worker="W2", date_of_birth=date(2019, 1, 1), joint_visit=True),
    }
    return [make_child(c, **{**fields, **changes_by_id.get(c, {})}) for c, fields in children.items()]


def valid_team(workers=None, children=None, **changes) -> Team:
    """Three workers, five children, a school with spring-term dates and three appointments."""
    fields = dict(
        schools=(School(id="S1", name="Bow Primary", location=SCHOOL,
                        day_start=hm("08:50"), day_end=hm("15:20")),),
        terms=(TermPeriod(start=date(2026, 1, 5), end=date(2026, 3, 27)),),
        appointments=(
            Appointment(worker_id="W1", date=date(2026, 3, 10), start=hm("13:00"),
                        end=hm("15:00"), kind="court", location=COURT),
            Appointment(worker_id="W1", date=date(2026, 3, 11), start=hm("16:00"),
                        end=hm("16:30"), kind="supervision"),
            Appointment(worker_id="W2", date=date(2026, 3, 13), kind="leave"),
        ))
    return make_team(workers or valid_workers(), children or valid_children(), **{**fields, **changes})


def visit(worker, day, start, end, kind, children, where=None, **changes) -> Visit:
    """A visit row; `where` fills lat/lon."""
    place = dict(lat=where.lat, lon=where.lon) if where else {}
    return Visit(worker_id=worker, date=day, start=hm(start), end=hm(end), visit_type=kind,
                 child_ids=tuple(children), **place, **changes)


def valid_visits() -> list[Visit]:
    return [
        visit("W1", date(2026, 3, 10), "10:00", "11:00", "home", ["C1"], HOME["C1"]),      # 0
        visit("W1", date(2026, 3, 11), "13:00", "13:45", "school", ["C2"], SCHOOL),        # 1
        visit("W1", date(2026, 3, 16), "16:00", "16:30", "remote", ["C2"]),                # 2
        visit("W2", date(2026, 3, 9), "11:00", "12:30", "home", ["C3"], HOME["C3"],
              interpreter=True),                                                           # 3
        visit("W2", date(2026, 3, 12), "10:00", "11:00", "home", ["C4"], HOME["C4"],
              joint_with="W3"),                                                            # 4
        visit("W3", date(2026, 3, 12), "10:00", "11:00", "home", ["C4"], HOME["C4"],
              joint_with="W2"),                                                            # 5
    ]


def make_plan(visits, unmet=(), week=WEEK) -> Plan:
    return Plan(week=week, visits=tuple(visits), unmet=tuple(unmet))


def changed(index: int, **changes) -> Plan:
    """The valid plan with one visit changed (times given as 'HH:MM')."""
    visits = valid_visits()
    for key in ("start", "end"):
        if isinstance(changes.get(key), str):
            changes[key] = hm(changes[key])
    visits[index] = visits[index].model_copy(update=changes)
    return make_plan(visits)


def plus(*extra: Visit) -> Plan:
    return make_plan(valid_visits() + list(extra))


def without(*indexes: int, unmet=()) -> Plan:
    return make_plan([v for i, v in enumerate(valid_visits()) if i not in indexes], unmet)


def rules(report) -> set[str]:
    return {v.rule for v in report.violations}


def valid_travel() -> int:
    """Travel of the valid plan, leg by leg."""
    w1 = (t(OFFICE, HOME["C1"]) + t(HOME["C1"], COURT) + t(COURT, OFFICE)   # Tue: visit, court
          + t(OFFICE, SCHOOL) + t(SCHOOL, OFFICE) + 0)                       # Wed: school, supervision at base
    # Mon 16th: only a remote visit, so no travel.
    w2 = t(OFFICE, HOME["C3"]) + t(HOME["C3"], OFFICE) + t(OFFICE, HOME["C4"]) + t(HOME["C4"], OFFICE)
    w3 = t(W3_BASE, HOME["C4"], "cycle") + t(HOME["C4"], W3_BASE, "cycle")
    return w1 + w2 + w3


# ---------------------------------------------------------------- the valid plan

def test_valid_plan_passes_with_exact_objective():
    """The hand-made plan has no violation, no miss, and the objective computed by hand."""
    report = check_plan(valid_team(), make_plan(valid_visits()))
    assert report.violations == []
    assert report.ok
    assert report.misses == []
    assert report.optional_value == 60 * 1 + 20 * 2  # C2: school (week 11) + remote x priority 2 (week 12)
    assert report.travel_minutes == valid_travel()
    assert report.lateness_days == 0
    assert report.objective == 100 - valid_travel()


def test_travel_legs_are_not_trivial():
    """The hand-computed legs are real journeys, so the margins in the plan matter."""
    assert 10 < t(OFFICE, HOME["C1"]) < 60
    assert 10 < t(HOME["C1"], COURT) < 120
    assert t(OFFICE, OFFICE) == 0


def test_horizon_start_defaults_to_plan_week():
    """An explicit horizon_start equal to the plan's week gives the same report."""
    team, plan = valid_team(), make_plan(valid_visits())
    assert check_plan(team, plan, WEEK) == check_plan(team, plan)


# ---------------------------------------------------------------- rule 1: working time

def test_visit_outside_horizon():
    """A visit after the horizon end is rule `horizon`."""
    report = check_plan(valid_team(), changed(3, date=date(2026, 3, 23)))
    assert rules(report) == {"horizon"}


def test_visit_on_weekend():
    """A visit on a Saturday is rule `working-day`."""
    report = check_plan(valid_team(), changed(3, date=date(2026, 3, 14)))
    assert rules(report) == {"working-day"}
    assert "weekend" in report.violations[0].detail


@pytest.mark.parametrize("holiday", [date(2026, 12, 25), date(2026, 12, 28)])
def test_visit_on_bank_holiday(holiday):
    """Christmas Day and the Boxing Day substitute (Mon 28 Dec 2026) are not working days."""
    team = make_team([make_worker("W1")], [make_child("K1", last={"seen": date(2026, 12, 18)})])
    ok_plan = make_plan([visit("W1", date(2026, 12, 24), "10:00", "11:00", "home", ["K1"])],
                        week=date(2026, 12, 21))
    assert check_plan(team, ok_plan).ok
    plan = make_plan([visit("W1", holiday, "10:00", "11:00", "home", ["K1"])], week=date(2026, 12, 21))
    report = check_plan(team, plan)
    assert rules(report) == {"working-day"}
    assert "bank holiday" in report.violations[0].detail


def test_visit_on_day_worker_does_not_work():
    """A Friday visit by a Mon-Thu worker is rule `working-day`."""
    team = valid_team(valid_workers(W1=dict(working_days=frozenset({0, 1, 2, 3}))))
    assert check_plan(team, make_plan(valid_visits())).ok
    report = check_plan(team, changed(0, date=date(2026, 3, 13)))
    assert rules(report) == {"working-day"}


def test_visit_on_whole_day_appointment():
    """A visit on a day of whole-day leave is rule `working-day`."""
    report = check_plan(valid_team(), changed(3, date=date(2026, 3, 13)))
    assert rules(report) == {"working-day"}
    assert "leave" in report.violations[0].detail


def test_visit_before_working_hours():
    """A visit starting before the worker's start is rule `working-hours` only."""
    report = check_plan(valid_team(), changed(0, start="08:00", end="09:00"))
    assert rules(report) == {"working-hours"}


def test_visit_after_working_hours():
    """A remote visit ending after 17:00 is rule `working-hours`."""
    report = check_plan(valid_team(), changed(2, start="16:45", end="17:15"))
    assert rules(report) == {"working-hours"}


def test_visit_ending_before_it_starts():
    """End not after start is rule `working-hours` (and too short)."""
    report = check_plan(valid_team(), changed(2, start="16:30", end="16:00"))
    assert "working-hours" in rules(report)


def test_unknown_worker():
    """A row naming a worker not in the team is rule `worker`."""
    report = check_plan(valid_team(), changed(3, worker_id="W9"))
    assert "worker" in rules(report)


# ---------------------------------------------------------------- rule 1: routes

def test_visit_overlapping_appointment():
    """A visit running into the court hearing is rule `overlap`."""
    report = check_plan(valid_team(), changed(0, start="12:30", end="13:30"))
    assert rules(report) == {"overlap"}
    assert "court" in report.violations[0].detail


def test_two_visits_overlapping():
    """Two remote visits at once is rule `overlap`."""
    extra = visit("W1", date(2026, 3, 16), "16:15", "16:45", "remote", ["C1"])
    assert rules(check_plan(valid_team(), plus(extra))) == {"overlap"}


def test_not_enough_travel_from_base():
    """A first visit starting before the worker can get there from base is rule `travel`."""
    need = t(OFFICE, HOME["C1"])
    start = 9 * 60 + need - 5
    report = check_plan(valid_team(), changed(0, start=start, end=start + 60))
    assert rules(report) == {"travel"}
    assert f"needs {need} min travel from base (5 min short)" in report.violations[0].detail


def test_not_enough_travel_before_appointment():
    """A visit ending too close to the court hearing elsewhere is rule `travel`."""
    need = t(HOME["C1"], COURT)
    end = hm("13:00") - need + 5
    report = check_plan(valid_team(), changed(0, start=end - 60, end=end))
    assert rules(report) == {"travel"}
    assert f"needs {need} min travel to get there (5 min short)" in report.violations[0].detail


def test_not_enough_travel_between_visits():
    """A home visit 5 minutes after a school visit across town is rule `travel`."""
    extra = visit("W1", date(2026, 3, 11), "13:50", "14:50", "home", ["C1"], HOME["C1"])
    assert t(SCHOOL, HOME["C1"]) > 5
    report = check_plan(valid_team(), plus(extra))
    assert rules(report) == {"travel"}
    detail = report.violations[0].detail
    assert "starts 5 min after the school visit to C2 at 13:00-13:45 ends" in detail
    assert f"needs {t(SCHOOL, HOME['C1'])} min travel" in detail


def test_back_at_base_too_late():
    """A visit after court ending too late to get back to base by 17:00 is rule `travel`."""
    need = t(HOME["C1"], OFFICE)
    end = hm("17:00") - need + 5
    assert end - 60 >= hm("15:00") + t(COURT, HOME["C1"])
    report = check_plan(valid_team(), changed(0, start=end - 60, end=end))
    assert rules(report) == {"travel"}
    assert "back at base" in report.violations[0].detail


def test_appointments_first_and_back_to_back_need_no_gap():
    """The diary is a fact: no travel check before a first appointment or between two."""
    team = valid_team()
    appointments = team.appointments + (
        Appointment(worker_id="W1", date=date(2026, 3, 16), start=hm("09:00"), end=hm("10:00"),
                    kind="conference", location=COURT),
        Appointment(worker_id="W1", date=date(2026, 3, 16), start=hm("10:00"), end=hm("11:00"),
                    kind="team_meeting"))
    team = valid_team(appointments=appointments)
    report = check_plan(team, make_plan(valid_visits()))
    assert report.ok
    # Mon 16th now holds located appointments: base -> court -> base (meeting) -> base.
    assert report.travel_minutes == valid_travel() + t(OFFICE, COURT) + t(COURT, OFFICE)


def test_remote_visit_needs_no_travel_and_does_not_move_worker():
    """A remote visit right after a home visit is fine; the route returns from the home."""
    extra = [visit("W1", date(2026, 3, 17), "10:00", "11:00", "home", ["C1"], HOME["C1"]),
             visit("W1", date(2026, 3, 17), "11:00", "11:30", "remote", ["C5"])]
    report = check_plan(valid_team(), plus(*extra))
    assert report.ok
    assert report.travel_minutes == valid_travel() + t(OFFICE, HOME["C1"]) + t(HOME["C1"], OFFICE)


# ---------------------------------------------------------------- location

def test_wrong_location():
    """A home visit whose lat/lon is the office is rule `location`."""
    report = check_plan(valid_team(), changed(0, lat=OFFICE.lat, lon=OFFICE.lon))
    assert rules(report) == {"location"}


def test_remote_visit_with_location():
    """A remote visit must not carry lat/lon: rule `location`."""
    report = check_plan(valid_team(), changed(2, lat=OFFICE.lat, lon=OFFICE.lon))
    assert rules(report) == {"location"}


# ---------------------------------------------------------------- rule 2: school and home window

def test_school_visit_outside_school_hours():
    """A school visit running past 15:20 is rule `school`."""
    report = check_plan(valid_team(), changed(1, start="15:00", end="15:45"))
    assert rules(report) == {"school"}


def test_school_visit_on_non_school_day():
    """A school visit after the school's own term has ended is rule `school`."""
    terms = (TermPeriod(start=date(2026, 1, 5), end=date(2026, 3, 27)),
             TermPeriod(start=date(2026, 1, 5), end=date(2026, 3, 10), school_id="S1"))
    report = check_plan(valid_team(terms=terms), make_plan(valid_visits()))
    assert rules(report) == {"school"}
    assert "not a school day" in report.violations[0].detail


def test_school_visit_of_child_without_school():
    """A school visit listing a child with no school is rule `school`."""
    report = check_plan(valid_team(), changed(1, child_ids=("C1",)))
    assert "school" in rules(report)


def test_home_visit_during_school_hours():
    """A home visit to a school child at 11:00 on a school day is rule `school`."""
    extra = visit("W1", date(2026, 3, 16), "11:00", "12:00", "home", ["C2"], HOME["C2"])
    assert rules(check_plan(valid_team(), plus(extra))) == {"school"}


def test_home_visit_during_school_hours_in_holidays_is_fine():
    """Outside term time the school hours do not bind home visits."""
    team = valid_team(terms=(TermPeriod(start=date(2026, 1, 5), end=date(2026, 3, 13)),))
    extra = visit("W1", date(2026, 3, 16), "11:00", "12:00", "home", ["C2"], HOME["C2"])
    assert check_plan(team, plus(extra)).ok


def test_remote_visit_during_school_hours():
    """A remote visit to a school child in school hours is rule `school`."""
    assert rules(check_plan(valid_team(), changed(2, start="14:00", end="14:30"))) == {"school"}


def test_visit_outside_home_window():
    """A home visit starting before the child's home window is rule `home-window`."""
    report = check_plan(valid_team(), changed(3, start="09:30", end="11:00"))
    assert rules(report) == {"home-window"}


# ---------------------------------------------------------------- rule 3: duration and interpreter

def test_visit_too_short():
    """A 50-minute home visit is rule `duration`."""
    report = check_plan(valid_team(), changed(0, start="10:00", end="10:50"))
    assert rules(report) == {"duration"}
    assert "lasts 50 min but needs at least 60 min" in report.violations[0].detail


def test_visit_too_short_with_interpreter():
    """With an interpreter a home visit needs 90 minutes: 75 is rule `duration`."""
    report = check_plan(valid_team(), changed(3, start="11:00", end="12:15"))
    assert rules(report) == {"duration"}
    assert "needs at least 90 min with a Polish interpreter" in report.violations[0].detail


def test_interpreter_missing():
    """A Polish-speaking child visited by a worker without Polish and no interpreter: `interpreter`."""
    assert rules(check_plan(valid_team(), changed(3, interpreter=False))) == {"interpreter"}


def test_interpreter_booked_when_not_needed_is_allowed():
    """Booking an interpreter that is not needed is not a violation."""
    assert check_plan(valid_team(), changed(0, interpreter=True)).ok


def test_household_visit_extra_child_and_worker_language():
    """Two siblings need 60 + 20 min; the worker speaks Bengali, so no interpreter."""
    ok = check_plan(valid_team(), changed(0, child_ids=("C1", "C5"), start="10:00", end="11:20"))
    assert ok.ok
    short = check_plan(valid_team(), changed(0, child_ids=("C1", "C5")))
    assert rules(short) == {"duration"}
    assert "needs at least 80 min" in short.violations[0].detail


def test_interpreter_factor_rounds_up():
    """ceil((45 + 20) x 1.5) = 98 minutes for a two-child school visit with an interpreter."""
    team = valid_team(children=valid_children(
        C5=dict(school_id="S1", language="Tigrinya", household_id="H9")))
    base = visit("W1", date(2026, 3, 17), "10:00", "11:37", "school", ["C2", "C5"], SCHOOL,
                 interpreter=True)
    report = check_plan(team, plus(base))
    assert rules(report) == {"duration"}
    assert "needs at least 98 min" in report.violations[0].detail
    assert check_plan(team, plus(base.model_copy(update={"end": hm("11:38")}))).ok


# ---------------------------------------------------------------- children, allocation, joint

def test_unknown_child():
    """A visit listing a child not on the caseload is rule `children`."""
    assert "children" in rules(check_plan(valid_team(), changed(2, child_ids=("C2", "C99"))))


def test_children_of_two_households():
    """A home visit listing children of two households is rule `children`."""
    report = check_plan(valid_team(), changed(0, child_ids=("C1", "C3"), end="11:20"))
    assert "children" in rules(report)


def test_unknown_visit_type():
    """A visit type outside home/school/creative/remote is rule `children`."""
    assert "children" in rules(check_plan(valid_team(), changed(2, visit_type="phone")))


def test_visit_without_children_or_with_repeats():
    """No child, or a child listed twice, is rule `children`."""
    assert "children" in rules(check_plan(valid_team(), changed(2, child_ids=())))
    assert "children" in rules(check_plan(valid_team(), changed(2, child_ids=("C2", "C2"))))


def test_school_visit_children_of_different_schools():
    """A school visit listing children of two schools is rule `school`."""
    schools = valid_team().schools + (School(id="S2", name="Mile End Academy", location=OFFICE,
                                             day_start=hm("08:30"), day_end=hm("15:00")),)
    team = valid_team(children=valid_children(C1=dict(school_id="S2")), schools=schools)
    report = check_plan(team, changed(1, child_ids=("C2", "C1"), end="14:05"))
    assert rules(report) == {"school"}  # also C1's 10:00 home visit, now in its school hours
    assert any("different schools" in v.detail for v in report.violations)


def test_wrong_worker():
    """A child visited by a worker other than the allocated one is rule `allocation`."""
    report = check_plan(valid_team(), changed(3, worker_id="W3"))
    assert rules(report) == {"allocation"}


def test_joint_visit_missing_partner_row():
    """A joint row without the partner's matching row is rule `joint`."""
    report = check_plan(valid_team(), without(5))
    assert rules(report) == {"joint"}
    assert "W3 has no matching row" in report.violations[0].detail


def test_joint_visit_partner_row_mismatched():
    """A partner row at another time does not match: rule `joint` for both rows."""
    report = check_plan(valid_team(), changed(5, start="10:05", end="11:05"))
    assert rules(report) == {"joint"}
    assert len(report.violations) == 2


def test_joint_visit_child_seen_alone():
    """A home visit to a joint_visit child by one worker is rule `joint`."""
    plan = make_plan([v.model_copy(update={"joint_with": None}) if i == 4 else v
                      for i, v in enumerate(valid_visits()) if i != 5])
    assert rules(check_plan(valid_team(), plan)) == {"joint"}


def test_joint_with_oneself():
    """A row naming its own worker in joint_with is rule `joint`."""
    assert "joint" in rules(check_plan(valid_team(), changed(3, joint_with="W2")))


def test_joint_school_visit():
    """Joint visits are for home visits only: rule `joint`."""
    plan = plus(visit("W2", date(2026, 3, 11), "13:00", "13:45", "school", ["C2"], SCHOOL,
                      joint_with="W1"))
    plan = make_plan([v.model_copy(update={"joint_with": "W2"}) if i == 1 else v
                      for i, v in enumerate(plan.visits)])
    report = check_plan(valid_team(), plan)
    assert rules(report) == {"joint"}


# ---------------------------------------------------------------- rule 4: visits per day

def test_over_visits_per_day_cap():
    """Four visits in a day against the policy's 3 is rule `visits-per-day`."""
    extra = [visit("W1", date(2026, 3, 16), f"{h}:00", f"{h}:30", "remote", ["C1"])
             for h in ("09", "10", "11")]
    report = check_plan(valid_team(), plus(*extra))
    assert rules(report) == {"visits-per-day"}
    assert "4 visits" in report.violations[0].detail


def test_worker_cap_overrides_policy():
    """A worker's own cap of 1 makes a second visit that day rule `visits-per-day`."""
    team = valid_team(valid_workers(W1=dict(max_visits_per_day=1)))
    extra = visit("W1", date(2026, 3, 16), "10:00", "10:30", "remote", ["C1"])
    assert check_plan(team, make_plan(valid_visits())).ok
    assert rules(check_plan(team, plus(extra))) == {"visits-per-day"}


def test_joint_visit_counts_for_both_workers():
    """W3 with a cap of 1 and a joint visit plus one more visit exceeds the cap."""
    team = valid_team(valid_workers(W3=dict(max_visits_per_day=1)),
                      valid_children(C3=dict(allocated_worker="W3")))
    plan = changed(3, worker_id="W3", date=date(2026, 3, 12), start="12:30", end="14:00")
    assert rules(check_plan(team, plan)) == {"visits-per-day"}


# ---------------------------------------------------------------- rule 6: requirements

def test_requirement_missed_and_not_reported():
    """Dropping C1's visit leaves 'seen' due 13 March unmet: rule `requirement`."""
    report = check_plan(valid_team(), without(0))
    assert rules(report) == {"requirement"}
    # Working days after Fri 13 March up to the first working day after Sun 22 March: 16-20, 23.
    assert report.misses == [Miss("C1", "seen", date(2026, 3, 13), None, 6)]
    assert "not reported in unmet.csv" in report.violations[0].detail


def test_requirement_missed_and_reported():
    """The same miss listed in unmet.csv is not a violation, but costs 10,000 a day."""
    unmet = [UnmetRequirement(child_id="C1", requirement="seen", due_date=date(2026, 3, 13),
                              reason="court all week")]
    report = check_plan(valid_team(), without(0, unmet=unmet))
    assert report.ok
    assert report.lateness_days == 6
    travel = valid_travel() - t(OFFICE, HOME["C1"]) - t(HOME["C1"], COURT) - t(COURT, OFFICE)
    assert report.travel_minutes == travel
    assert report.objective == 100 - travel - 60_000


def test_requirement_reported_without_reason():
    """An unmet.csv row with an empty reason is still rule `requirement`."""
    unmet = [UnmetRequirement(child_id="C1", requirement="seen", due_date=date(2026, 3, 13),
                              reason=" ")]
    assert rules(check_plan(valid_team(), without(0, unmet=unmet))) == {"requirement"}


def test_requirement_met_late():
    """A visit on Mon 16 March for a due date of Fri 13 March is 1 working day late."""
    report = check_plan(valid_team(), changed(0, date=date(2026, 3, 16)))
    assert rules(report) == {"requirement"}
    assert report.misses == [Miss("C1", "seen", date(2026, 3, 13), date(2026, 3, 16), 1)]
    assert report.lateness_days == 1


def test_unmet_row_actually_met():
    """An unmet.csv row for a requirement the plan meets is rule `unmet`."""
    unmet = [UnmetRequirement(child_id="C1", requirement="seen", due_date=date(2026, 3, 13),
                              reason="no slot")]
    report = check_plan(valid_team(), make_plan(valid_visits(), unmet))
    assert rules(report) == {"unmet"}
    assert report.objective == 100 - valid_travel()


def test_school_visit_does_not_meet_cp_requirement():
    """CP 'seen' is by home only: a school visit leaves it unmet."""
    team = valid_team(children=valid_children(C1=dict(school_id="S1")))
    plan = changed(0, visit_type="school", start="10:00", end="10:45",
                   lat=SCHOOL.lat, lon=SCHOOL.lon)
    assert rules(check_plan(team, plan)) == {"requirement"}


def christmas_team(last_seen: date) -> Team:
    """One worker, one CP child seen every 5 working days; horizon 21 Dec 2026 - 3 Jan 2027."""
    child = make_child("K1", category="CP", visit_every="5 working days",
                       last={"seen": last_seen})
    return make_team([make_worker("W1")], [child])


def test_requirement_chain_over_christmas():
    """Due 22 Dec, met 21 Dec; next due 30 Dec (25 and 28 Dec are bank holidays), unmet: 2 days late."""
    team = christmas_team(date(2026, 12, 15))
    week = date(2026, 12, 21)
    plan = make_plan([visit("W1", week, "10:00", "11:00", "home", ["K1"], HOME.get("K1", OFFICE))],
                     week=week)
    calendar = Calendar(team)
    requirement = team.requirements_of(team.children[0])[0]
    chain = due_dates(calendar, team.children[0], requirement, [week], week,
                              date(2027, 1, 3))
    # 16, 17, 18, 21, 22 Dec -> 22 Dec; then 22, 23, 24, 29, 30 Dec -> 30 Dec.
    assert chain == [(date(2026, 12, 22), week, 0), (date(2026, 12, 30), None, 2)]
    report = check_plan(team, plan)
    # Working days after 30 Dec up to Mon 4 Jan (first working day after the horizon): 31 Dec, 4 Jan.
    assert report.misses == [Miss("K1", "seen", date(2026, 12, 30), None, 2)]
    assert rules(report) == {"requirement"}
    unmet = [UnmetRequirement(child_id="K1", requirement="seen", due_date=date(2026, 12, 30),
                              reason="office closed")]
    reported = check_plan(team, make_plan(plan.visits, unmet, week=week))
    assert reported.ok
    assert reported.lateness_days == 2
    assert reported.travel_minutes == 0  # the child lives at the office in this test
    assert reported.objective == -20_000


def test_requirement_overdue_met_late_over_christmas():
    """Due 18 Dec (already overdue), met 29 Dec: 5 working days late (21-24, 29 Dec)."""
    team = christmas_team(date(2026, 12, 11))
    plan = make_plan([visit("W1", date(2026, 12, 29), "10:00", "11:00", "home", ["K1"])],
                     week=date(2026, 12, 21))
    report = check_plan(team, plan)
    # Next due after 29 Dec: 30, 31 Dec, 4, 5, 6 Jan -> outside the horizon.
    assert report.misses == [Miss("K1", "seen", date(2026, 12, 18), date(2026, 12, 29), 5)]
    assert report.lateness_days == 5


def test_requirement_without_any_date_is_due_at_once():
    """With no last date and no plan start the requirement is due on the first working day."""
    team = make_team([make_worker("W1")], [make_child("K1", category="CP", last={})])
    plan = make_plan([visit("W1", date(2026, 3, 10), "10:00", "11:00", "home", ["K1"])])
    report = check_plan(team, plan)
    assert report.misses == [Miss("K1", "seen", date(2026, 3, 9), date(2026, 3, 10), 1)]


def test_new_placement_uses_first_interval():
    """A looked-after child placed on 5 March must be seen by 12 March (first = 1 week)."""
    team = make_team([make_worker("W1")], [make_child("K1", category="LAC", last={},
                                                      plan_start=date(2026, 3, 5))])
    on_time = make_plan([visit("W1", date(2026, 3, 12), "10:00", "11:00", "home", ["K1"])])
    assert check_plan(team, on_time).ok
    late = make_plan([visit("W1", date(2026, 3, 13), "10:00", "11:00", "home", ["K1"])])
    assert check_plan(team, late).misses == [Miss("K1", "seen", date(2026, 3, 12), date(2026, 3, 13), 1)]


def test_joint_rows_count_once_for_requirements():
    """Both rows of a joint visit are one visit date for the requirement chain."""
    team = valid_team(children=valid_children(C4=dict(category="CP", last={"seen": date(2026, 2, 27)})))
    report = check_plan(team, make_plan(valid_visits()))
    # Due 13 March, met 12 March; next due 26 March is after the horizon.
    assert report.ok and report.misses == []


# ---------------------------------------------------------------- objective: optional value

def test_two_school_visits_same_week_earn_once():
    """School visits on Wed 11 and Thu 12 March (one ISO week) earn the school value once."""
    extra = visit("W1", date(2026, 3, 12), "13:00", "13:45", "school", ["C2"], SCHOOL)
    report = check_plan(valid_team(), plus(extra))
    assert report.ok
    assert report.optional_value == 100
    travel = valid_travel() + t(OFFICE, SCHOOL) + t(SCHOOL, OFFICE)
    assert report.objective == 100 - travel


def test_two_school_visits_different_weeks_earn_twice():
    """School visits on 11 and 18 March (two ISO weeks) earn the school value twice."""
    extra = visit("W1", date(2026, 3, 18), "13:00", "13:45", "school", ["C2"], SCHOOL)
    report = check_plan(valid_team(), plus(extra))
    assert report.ok
    assert report.optional_value == 160


def test_priority_scales_value_and_home_visits_earn_nothing():
    """A creative visit earns 45 x priority; a home visit earns no value of its own."""
    team = valid_team(children=valid_children(C1=dict(priority={"creative": 3})))
    plan = changed(0, visit_type="creative")
    report = check_plan(team, plan)
    assert rules(report) == {"requirement"}  # CP 'seen' is by home only
    assert report.optional_value == 100 + 45 * 3


def test_row_order_does_not_matter():
    """The report is the same whatever the order of the plan's rows."""
    team, visits = valid_team(), valid_visits() + [
        visit("W1", date(2026, 3, 11), "13:50", "14:50", "home", ["C1"], HOME["C1"])]
    assert check_plan(team, make_plan(visits)) == check_plan(team, make_plan(visits[::-1]))


def test_violations_name_worker_and_date():
    """Violations carry the worker and date so a manager can find the visit."""
    report = check_plan(valid_team(), changed(0, start="10:00", end="10:50"))
    violation = report.violations[0]
    assert (violation.worker_id, violation.date) == ("W1", date(2026, 3, 10))
    assert violation.detail.startswith("W1's home visit to C1 at 10:00-10:50")
    assert str(violation).startswith("[duration] W1 2026-03-10: W1's home visit")
