"""The travel model, with values worked out by hand, and the solver's use of it.

Hand arithmetic (Earth radius 6371 km, circuity 1.3):

- 51.50,-0.10 to 51.52,-0.10 (same meridian, 0.02 deg): d = 6371 x 0.02 x pi/180
  = 2.223899 km; d x 1.3 = 2.891068 km. walk 4.5 km/h: 38.55 min -> 39; cycle 12 km/h:
  14.46 -> 15 + 2 = 17; public transport 14 km/h: 12.39 -> 13 + 8 = 21; car 18 km/h:
  9.64 -> 10 + 10 = 20.
- 51.50,-0.10 to 51.50,-0.05 (same parallel, 0.05 deg): d = 2 x 6371 x
  asin(cos 51.5 x sin 0.025) = 3.461023 km; d x 1.3 = 4.499330 km. walk: 59.99 -> 60;
  cycle: 22.50 -> 23 + 2 = 25; public transport: 19.28 -> 20 + 8 = 28; car: 15.00
  (14.998) -> 15 + 10 = 25.
- 0.0004 deg of latitude = 0.0445 km < 0.05 km: 0 by every mode. 0.0005 deg = 0.0556 km:
  walk ceil(0.96) = 1; cycle ceil(0.36) + 2 = 3; public transport ceil(0.31) + 8 = 9;
  car ceil(0.24) + 10 = 11.
"""

from __future__ import annotations

from datetime import date

import pytest

from factories import (FAST, HUB, OFFICE, WEEK, hm, make_appointment, make_child, make_school, make_team,
                       make_worker, solve_checked, visits)
from planner.check import check_plan
from planner.model.domain import Location, TravelSettings, TravelSpeed
from planner.model.travel import haversine_km, places_without_times, team_places, travel_key, travel_minutes

A = Location(lat=51.50, lon=-0.10)
NORTH = Location(lat=51.52, lon=-0.10)
EAST = Location(lat=51.50, lon=-0.05)
DEFAULT = TravelSettings()


def test_haversine_by_hand():
    """Great-circle distances along a meridian and along a parallel."""
    assert haversine_km(A, NORTH) == pytest.approx(2.223899, abs=1e-6)
    assert haversine_km(A, EAST) == pytest.approx(3.461023, abs=1e-6)
    assert haversine_km(A, A) == 0.0
    assert haversine_km(NORTH, A) == haversine_km(A, NORTH)


@pytest.mark.parametrize("mode, minutes", [
    ("walk", 39), ("cycle", 17), ("public_transport", 21), ("car", 20)])
def test_minutes_along_a_meridian(mode, minutes):
    """2.22 km north: ceil(d x 1.3 / speed x 60) + overhead for each mode."""
    assert travel_minutes(A, NORTH, mode, DEFAULT) == minutes
    assert travel_minutes(NORTH, A, mode, DEFAULT) == minutes


@pytest.mark.parametrize("mode, minutes", [
    ("walk", 60), ("cycle", 25), ("public_transport", 28), ("car", 25)])
def test_minutes_along_a_parallel(mode, minutes):
    """3.46 km east: rounding up just below a whole minute (59.99 -> 60, 14.998 -> 15)."""
    assert travel_minutes(A, EAST, mode, DEFAULT) == minutes


@pytest.mark.parametrize("mode", ["walk", "cycle", "public_transport", "car"])
def test_same_place_is_free(mode):
    """Under 0.05 km there is no travel at all, not even the overhead."""
    near = Location(lat=51.5004, lon=-0.10)   # 44 m
    assert travel_minutes(A, near, mode, DEFAULT) == 0
    assert travel_minutes(A, A, mode, DEFAULT) == 0


@pytest.mark.parametrize("mode, minutes", [
    ("walk", 1), ("cycle", 3), ("public_transport", 9), ("car", 11)])
def test_just_over_the_same_place_rule(mode, minutes):
    """At 56 m the trip counts: at least one minute plus the mode's overhead."""
    assert travel_minutes(A, Location(lat=51.5005, lon=-0.10), mode, DEFAULT) == minutes


def test_team_overrides_of_the_model():
    """circuity 1.0, public transport 20 km/h + 5 min: 2.2239 km -> ceil(6.67) + 5 = 12."""
    settings = TravelSettings(circuity=1.0, modes={
        **DEFAULT.modes, "public_transport": TravelSpeed(speed_kmh=20, overhead_min=5)})
    assert travel_minutes(A, NORTH, "public_transport", settings) == 12
    assert travel_minutes(A, NORTH, "walk", settings) == 30  # 2.2239/4.5*60 = 29.65


# ---------------------------------------------------------------- in a plan

def test_plan_uses_the_workers_mode_and_base():
    """A walking worker 60 min from the home on a 09:00-12:00 day visits 10:00-11:00."""
    # A walking worker based 3.46 km west of the home: 60 min each way, so 10:00-11:00 at the
    # earliest on a 09:00-12:00 day, back exactly at 12:00; travel is 120 min in total.
    worker = make_worker("W1", base=A, travel_mode="walk", start="09:00", end="12:00")
    child = make_child("C1", home=EAST, last_seen=date(2026, 11, 20))
    result = solve_checked(make_team([worker], [child]))
    (visit,) = visits(result.plan, "C1")
    assert (visit.start, visit.end) == (hm("10:00"), hm("11:00"))
    assert visit.travel_minutes == 60
    assert (visit.lat, visit.lon) == (EAST.lat, EAST.lon)
    assert result.report.travel_minutes == 120
    assert result.plan.summary["travel_minutes"] == 120


def test_plan_travel_from_another_base_by_cycle():
    """A worker based at the hub who cycles: the row's travel is hub -> home by cycle."""
    worker = make_worker("W1", base=HUB, travel_mode="cycle")
    child = make_child("C1", home=NORTH, last_seen=date(2026, 11, 20))
    result = solve_checked(make_team([worker], [child]))
    (visit,) = visits(result.plan, "C1")
    leg = travel_minutes(HUB, NORTH, "cycle", DEFAULT)
    assert visit.travel_minutes == leg
    assert visit.start >= hm("09:00") + leg
    assert result.report.travel_minutes == 2 * leg


def test_plan_uses_the_teams_travel_settings():
    """A team-level override (public transport 20 km/h + 5 min, circuity 1.0) sets the times."""
    settings = TravelSettings(circuity=1.0, modes={
        **DEFAULT.modes, "public_transport": TravelSpeed(speed_kmh=20, overhead_min=5)})
    worker = make_worker("W1", base=A, start="09:00", end="10:30")
    child = make_child("C1", home=NORTH, last_seen=date(2026, 11, 20))
    result = solve_checked(make_team([worker], [child], travel=settings))
    (visit,) = visits(result.plan, "C1")
    # 12 min there, 60 min visit, 12 min back: only starts 09:12-09:18 fit a 90-minute day.
    assert visit.travel_minutes == 12
    assert hm("09:12") <= visit.start <= hm("09:18")
    assert result.report.travel_minutes == 24


def test_same_place_visit_has_no_travel():
    """A home within 50 m of the worker's base costs no travel and may start at 09:00."""
    worker = make_worker("W1", base=A, start="09:00", end="10:00")
    child = make_child("C1", home=Location(lat=51.5004, lon=-0.10), last_seen=date(2026, 11, 20))
    result = solve_checked(make_team([worker], [child]))
    (visit,) = visits(result.plan, "C1")
    assert (visit.start, visit.end, visit.travel_minutes) == (hm("09:00"), hm("10:00"), 0)
    assert result.report.travel_minutes == 0
    assert result.report.objective == 0


def test_two_visits_in_a_day_travel_between_homes():
    """Two homes visited on one day: the second row's travel is home-to-home, with that gap."""
    worker = make_worker("W1", base=A, max_visits_per_day=2, start="09:00", end="13:00")
    children = [make_child("C1", home=NORTH), make_child("C2", home=EAST)]  # both due at once
    result = solve_checked(make_team([worker], children), WEEK, FAST)
    rows = visits(result.plan)
    assert [v.date for v in rows] == [WEEK, WEEK]
    first, second = rows
    leg = travel_minutes(Location(lat=first.lat, lon=first.lon),
                         Location(lat=second.lat, lon=second.lon), "public_transport", DEFAULT)
    assert second.travel_minutes == leg
    assert second.start >= first.end + leg
    assert result.plan.unmet == ()


# ---------------------------------------------------------------- listed times (travel.csv)

def listed(*entries: tuple[str, Location, Location, int]) -> TravelSettings:
    """Default model settings with travel.csv-style listed times."""
    return TravelSettings(times={travel_key(mode, a, b): minutes for mode, a, b, minutes in entries})


def test_a_listed_time_comes_before_the_model():
    """A listed time is used as it is, for its mode and direction only; the rest is the model."""
    settings = listed(("walk", A, NORTH, 55))
    assert travel_minutes(A, NORTH, "walk", settings) == 55
    assert travel_minutes(NORTH, A, "walk", settings) == 39  # the other direction: the model
    assert travel_minutes(A, NORTH, "car", settings) == 20  # another mode: the model


def test_listed_times_are_directional():
    """A to B may differ from B to A (a one-way street)."""
    settings = listed(("car", A, EAST, 12), ("car", EAST, A, 19))
    assert (travel_minutes(A, EAST, "car", settings), travel_minutes(EAST, A, "car", settings)) == (12, 19)


def test_coordinates_match_after_rounding_to_5_decimals():
    """51.500004 is 51.50000 (rounded to 5 decimals), 51.50004 is not."""
    settings = listed(("walk", A, NORTH, 55))
    assert travel_minutes(Location(lat=51.500004, lon=-0.100003), NORTH, "walk", settings) == 55
    assert travel_minutes(Location(lat=51.50004, lon=-0.10), NORTH, "walk", settings) == 39


def test_under_50_m_is_0_even_when_listed():
    """Two places under 0.05 km apart are 0 minutes apart, whatever the file says."""
    near = Location(lat=51.5004, lon=-0.10)
    assert travel_minutes(A, near, "walk", listed(("walk", A, near, 7))) == 0


def test_places_without_times_counts_places_with_an_unlisted_trip():
    """A team with office, one worker (car) and two homes: listing every trip between the office
    and home 1 leaves home 2 and (through it) the office and home 1 lacking; then all listed."""
    worker = make_worker("W1", travel_mode="car")
    children = [make_child("C1", home=NORTH), make_child("C2", home=EAST)]
    team = make_team([worker], children)
    office = team.office
    some = listed(("car", office, NORTH, 9), ("car", NORTH, office, 9))
    assert places_without_times(team.model_copy(update={"travel": some})) == 3
    every = listed(*[("car", a, b, 9) for a in (office, NORTH, EAST) for b in (office, NORTH, EAST) if a != b])
    assert places_without_times(team.model_copy(update={"travel": every})) == 0
    walking_times = listed(*[("walk", a, b, 9) for a in (office, NORTH, EAST) for b in (office, NORTH, EAST)])
    assert places_without_times(team.model_copy(update={"travel": walking_times})) == 3  # nobody walks


def test_team_places_lists_each_place_once_saying_where_it_comes_from():
    """The office, bases, schools, homes and located appointments, once each (siblings share a home)."""
    worker = make_worker("W1", base=HUB)
    children = [make_child("C1", home=NORTH, school="S1"), make_child("C2", home=NORTH), make_child("C3", home=EAST)]
    court = Location(lat=51.5155, lon=-0.0900)
    team = make_team([worker], children, schools=[make_school("S1")],
                     appointments=[make_appointment("W1", WEEK, "10:00", "11:00", "court", court)])
    places = team_places(team)
    assert len(places) == 6  # office, hub, school, two homes, court
    what = [description for _, description in places.values()]
    assert what[:3] == ["the office (team.toml)", "W1's base (workers.csv)", "school S1 (schools.csv)"]
    assert "C1's home (children.csv)" in what and "C2's home (children.csv)" not in what
    assert what[-1] == "W1's court on 2026-11-30 (appointments.csv)"


def test_plan_and_check_use_the_listed_times():
    """A listed 45 min from the office to the home (the model says 21) moves the visit to 09:45,
    and the checker holds the plan to the same 45 min."""
    worker = make_worker("W1", start="09:00", end="12:00")
    child = make_child("C1", home=NORTH, last_seen=date(2026, 11, 20))
    settings = listed(("public_transport", OFFICE, NORTH, 45), ("public_transport", NORTH, OFFICE, 40))
    result = solve_checked(make_team([worker], [child], travel=settings))
    (visit,) = visits(result.plan, "C1")
    assert (visit.start, visit.travel_minutes) == (hm("09:45"), 45)
    assert result.report.travel_minutes == 85
    early = result.plan.model_copy(update={"visits": (visit.model_copy(update={"start": hm("09:30"),
                                                                                "end": hm("10:30")}),)})
    rules = {v.rule for v in check_plan(make_team([worker], [child], travel=settings), early, WEEK).violations}
    assert "travel" in rules
