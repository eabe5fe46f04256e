"""Hypothesis strategies for small teams of every kind: 1-2 workers, 1-5 children, schools,
terms and appointments, drawn from the synthetic places of `factories`."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from factories import (COURT, HOME_A, HOME_B, HOME_C, HOME_D, HOME_FAR, HUB, OFFICE, WEEK, make_appointment,
                       make_child, make_school, make_team, make_term, make_worker)
from planner.model.domain import CATEGORIES, TRAVEL_MODES
from planner.solve.routes import day_routes

HOMES = [HOME_A, HOME_B, HOME_C, HOME_D, HOME_FAR]
LANGUAGES = ["Bengali", "Somali", "Polish"]
SCHOOLS = [make_school("S1"), make_school("S2", location=HOME_D, day_start="09:00", day_end="15:00")]
TERMS = [
    None,
    [make_term(date(2026, 11, 2), date(2026, 12, 18))],
    [make_term(date(2026, 11, 2), date(2026, 12, 2)),
     make_term(date(2026, 11, 2), date(2026, 12, 9), school_id="S2")],
]
WINDOWS = [None, None, ("15:30", "18:00"), ("10:00", "14:00"), ("16:00", "19:00")]
PROPERTY = settings(max_examples=15, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


def maybe(strategy):
    return st.none() | strategy


@st.composite
def workers(draw, worker_id: str):
    return make_worker(
        worker_id,
        start=draw(st.sampled_from(["08:30", "09:00", "10:00"])),
        end=draw(st.sampled_from(["15:00", "16:30", "17:00", "18:00"])),
        working_days=draw(st.sets(st.integers(0, 4), min_size=2, max_size=5)),
        base=draw(st.sampled_from([OFFICE, HUB])),
        travel_mode=draw(st.sampled_from(TRAVEL_MODES)),
        max_visits_per_day=draw(maybe(st.integers(1, 3))),
        languages=draw(st.sets(st.sampled_from(LANGUAGES), max_size=2)))


@st.composite
def children(draw, worker_ids: list[str]):
    kids = []
    for n in range(draw(st.integers(1, 5))):
        worker = draw(st.sampled_from(worker_ids))
        previous = kids[-1] if kids else None
        sibling = (previous is not None and previous.allocated_worker == worker
                   and draw(st.integers(0, 3)) == 0)
        kids.append(make_child(
            f"C{n + 1}", worker=worker, category=draw(st.sampled_from(CATEGORIES)),
            last_seen=draw(maybe(st.dates(date(2026, 10, 1), date(2026, 11, 29)))),
            last_home_visit=draw(maybe(st.dates(date(2026, 10, 1), date(2026, 11, 29)))),
            plan_start=draw(maybe(st.dates(date(2026, 10, 15), date(2026, 11, 29)))),
            home=previous.home if sibling else draw(st.sampled_from(HOMES)),
            household=previous.household_id if sibling else None,
            dob=draw(st.dates(date(2009, 1, 1), date(2024, 1, 1))),
            school=draw(st.sampled_from([None, None, "S1", "S2"])),
            language=draw(st.sampled_from([None, None, *LANGUAGES])),
            joint=draw(st.integers(0, 4)) == 0,
            home_window=draw(st.sampled_from(WINDOWS)),
            visit_every=draw(st.sampled_from([None, None, "5 working days", "2 weeks", "8 days"])),
            priority={kind: draw(maybe(st.integers(0, 3))) for kind in ("school", "creative", "remote")}))
    return kids


@st.composite
def appointments(draw, worker_ids: list[str], horizon_weeks: int):
    result = []
    for _ in range(draw(st.integers(0, 3))):
        day = WEEK + timedelta(draw(st.integers(0, 7 * horizon_weeks - 1)))
        worker = draw(st.sampled_from(worker_ids))
        if draw(st.booleans()):
            result.append(make_appointment(worker, day, kind=draw(st.sampled_from(["leave", "sick"]))))
        else:
            start = draw(st.sampled_from(["09:30", "11:00", "13:00", "15:30"]))
            end = {"09:30": "10:30", "11:00": "12:30", "13:00": "15:00", "15:30": "16:00"}[start]
            result.append(make_appointment(worker, day, start, end,
                                           kind=draw(st.sampled_from(["court", "supervision"])),
                                           location=draw(st.sampled_from([None, COURT]))))
    return result


@st.composite
def teams(draw):
    """1-2 workers, 1-5 children of random kinds, schools, terms and appointments."""
    worker_ids = ["W1", "W2"][: draw(st.integers(1, 2))]
    horizon_weeks = draw(st.integers(1, 2))
    return make_team([draw(workers(w)) for w in worker_ids], draw(children(worker_ids)),
                     schools=SCHOOLS, terms=draw(st.sampled_from(TERMS)),
                     appointments=draw(appointments(worker_ids, horizon_weeks)),
                     horizon_weeks=horizon_weeks,
                     policy=draw(st.sampled_from(["london", "london-flex"])))


def draw_plan(data, instance) -> list:
    """A random plan: one route or none a worker-day, among its routes without a joint visit
    (a joint visit needs its partner's route too)."""
    chosen = []
    for worker_day in instance.worker_days:
        options = [r for r in day_routes(instance, worker_day) if not any(s.task.joint_role for s in r.stops)]
        pick = data.draw(st.integers(-1, len(options) - 1), label=f"plan {worker_day.key}")
        if pick >= 0:
            chosen.append(options[pick])
    return chosen


def draw_routes(data, instance, most: int) -> list:
    """Up to `most` routes of each worker-day, drawn among its feasible routes (a pool of columns,
    not a plan: two of one day may both be drawn)."""
    routes = []
    for worker_day in instance.worker_days:
        options = day_routes(instance, worker_day)
        routes += data.draw(st.lists(st.sampled_from(options), max_size=most), label=worker_day.key) if options else []
    return routes
