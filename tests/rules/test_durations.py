"""Rule 3: visit durations from the policy, extra_child per sibling, interpreter_factor when
no visiting worker speaks the child's language, rounded up to a whole minute."""

from __future__ import annotations

from datetime import date, timedelta

from factories import (HOME_FAR, WEEK, make_child, make_policy, make_school, make_team, make_worker,
                       solve_checked, visits)
from planner.model.domain import Durations

MON = WEEK
FRI = WEEK + timedelta(4)
CP_DUE_FRIDAY = date(2026, 11, 20)
RECENT = date(2026, 11, 27)


def one_visit(team, child_id="C1"):
    result = solve_checked(team)
    (visit,) = visits(result.plan, child_id)
    return visit


def test_plain_home_visit_is_sixty_minutes():
    """An English-speaking child seen alone: 60 min, no interpreter."""
    visit = one_visit(make_team([make_worker("W1")], [make_child("C1", last_seen=CP_DUE_FRIDAY)]))
    assert visit.end - visit.start == 60
    assert visit.interpreter is False


def test_interpreter_makes_the_visit_half_as_long_again():
    """A Bengali-speaking child and a worker who does not speak it: 90 min with an interpreter."""
    child = make_child("C1", last_seen=CP_DUE_FRIDAY, language="Bengali")
    visit = one_visit(make_team([make_worker("W1", languages=["English"])], [child]))
    assert visit.end - visit.start == 90
    assert visit.interpreter is True


def test_no_interpreter_when_the_worker_speaks_the_language():
    """The same child with a worker who lists Bengali: 60 min, no interpreter."""
    child = make_child("C1", last_seen=CP_DUE_FRIDAY, language="Bengali")
    visit = one_visit(make_team([make_worker("W1", languages=["English", "Bengali"])], [child]))
    assert visit.end - visit.start == 60
    assert visit.interpreter is False


def test_school_and_remote_durations():
    """A school visit is 45 min and a remote one 30 min (an interpreter: 68 and 45)."""
    near = make_child("C1", category="CIN", last_seen=date(2026, 11, 6), home=HOME_FAR, school="S1")
    remote = make_child("C2", last_seen=RECENT, priority={"remote": 2})
    polish = make_child("C3", category="CIN", last_seen=date(2026, 11, 6), home=HOME_FAR,
                        school="S1", language="Polish")
    polish_remote = make_child("C4", last_seen=RECENT, priority={"remote": 2}, language="Polish")
    team = make_team([make_worker("W1")], [near, remote, polish, polish_remote],
                     schools=[make_school("S1")])
    result = solve_checked(team)
    lengths = {(v.child_ids, v.visit_type): (v.end - v.start, v.interpreter) for v in result.plan.visits}
    assert lengths[(("C1",), "school")] == (45, False)
    assert lengths[(("C2",), "remote")] == (30, False)
    assert lengths[(("C3",), "school")] == (68, True)     # ceil(45 x 1.5) = ceil(67.5)
    assert lengths[(("C4",), "remote")] == (45, True)


def test_siblings_seen_together_with_extra_child_minutes():
    """Two siblings due at once with a cap of one: one 80-minute visit on Monday."""
    # Two CP siblings due at once and a cap of one visit a day: one home visit on Monday sees both,
    # lasting 60 + 20 = 80 min.
    children = [make_child("C1", household="H1"), make_child("C2", household="H1")]
    team = make_team([make_worker("W1", max_visits_per_day=1)], children)
    result = solve_checked(team)
    (visit,) = visits(result.plan)
    assert set(visit.child_ids) == {"C1", "C2"}
    assert visit.date == MON
    assert visit.end - visit.start == 80
    assert result.plan.unmet == ()


def test_three_siblings_with_an_interpreter():
    """Three Sylheti-speaking siblings in one visit: (60 + 2 x 20) x 1.5 = 150 min."""
    children = [make_child(f"C{n}", household="H1", language="Sylheti") for n in (1, 2, 3)]
    team = make_team([make_worker("W1", max_visits_per_day=1)], children)
    result = solve_checked(team)
    (visit,) = visits(result.plan)
    assert sorted(visit.child_ids) == ["C1", "C2", "C3"]
    assert visit.end - visit.start == 150
    assert visit.interpreter is True


def test_one_sibling_needing_an_interpreter_lengthens_the_whole_visit():
    """Siblings where only one speaks Tigrinya: the joint household visit is 80 x 1.5 = 120 min."""
    children = [make_child("C1", household="H1"), make_child("C2", household="H1", language="Tigrinya")]
    team = make_team([make_worker("W1", max_visits_per_day=1)], children)
    result = solve_checked(team)
    (visit,) = visits(result.plan)
    assert visit.end - visit.start == 120 and visit.interpreter is True


def test_policy_durations_round_up():
    """Policy durations with factor 1.25 round up: 45 -> 57 min, two siblings 60 -> 75 min."""
    # A policy with home 45, extra_child 15 and factor 1.25: a Somali-speaking child alone is
    # ceil(56.25) = 57 min; two siblings ceil(60 x 1.25) = 75 min.
    policy = make_policy(interpreter_factor=1.25,
                         durations=Durations(home=45, school=30, creative=50, remote=20, extra_child=15))
    alone = make_child("C1", last_seen=CP_DUE_FRIDAY, language="Somali")
    pair = [make_child("C2", household="H2", home=HOME_FAR, language="Somali"),
            make_child("C3", household="H2", home=HOME_FAR)]
    team = make_team([make_worker("W1", max_visits_per_day=1)], [alone, *pair], policy=policy)
    result = solve_checked(team)
    (single,) = visits(result.plan, "C1")
    assert single.end - single.start == 57
    (household,) = visits(result.plan, "C2")
    assert set(household.child_ids) == {"C2", "C3"}
    assert household.end - household.start == 75
    assert household.date == MON


def test_part_of_a_large_household_seen_together():
    """Four siblings, a 100-min window: three seen together Monday, lateness 1."""
    # Four siblings due at once, home window 15:30-17:10 (100 min): three of them fit in one visit
    # on Monday ((60 + 2 x 20) = 100 min) and the fourth on Tuesday, 1 working day late in all.
    # (Seeing them one or two at a time would make some later still.)
    kids = [make_child(f"C{n}", household="H1", home_window=("15:30", "17:10")) for n in range(1, 5)]
    team = make_team([make_worker("W1", end="18:00")], kids)
    result = solve_checked(team)
    monday = [v for v in result.plan.visits if v.date == MON]
    assert [len(v.child_ids) for v in monday] == [3]
    assert monday[0].end - monday[0].start == 100
    assert result.report.lateness_days == 1
