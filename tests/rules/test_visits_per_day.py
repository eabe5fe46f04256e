"""Rule 4: at most max_visits_per_day visits a worker a day (worker's cap, else the policy's;
a joint visit counts for both workers)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from factories import (HOME_A, HOME_B, HOME_C, HOME_D, WEEK, make_child, make_policy, make_team, make_worker,
                       solve_checked, visits)

MON, TUE, WED, THU, FRI = (WEEK + timedelta(n) for n in range(5))
HOMES = [HOME_A, HOME_B, HOME_C, HOME_D, HOME_A, HOME_B]
DUE_WEDNESDAY = date(2026, 11, 18)  # CP: 10 working days -> Wed 2 Dec


def children(n: int, **changes):
    return [make_child(f"C{i + 1}", home=HOMES[i], **changes) for i in range(n)]


def per_day(plan, worker_id="W1") -> Counter:
    return Counter(v.date for v in plan.visits if v.worker_id == worker_id)


def test_three_a_day_is_enough():
    """Three children due Wednesday with the policy cap of 3: all met, never more than 3 a day."""
    result = solve_checked(make_team([make_worker("W1")], children(3, last_seen=DUE_WEDNESDAY)))
    assert len(result.plan.visits) == 3
    assert max(per_day(result.plan).values()) <= 3
    assert all(v.date <= WED for v in result.plan.visits)
    assert result.plan.unmet == ()


def test_cap_of_one_spreads_visits_over_days():
    """A cap of one visit a day spreads three visits due Wednesday over Mon, Tue and Wed."""
    # A worker capped at one visit a day: three children due Wednesday are seen Mon, Tue and Wed,
    # one a day.
    worker = make_worker("W1", max_visits_per_day=1)
    result = solve_checked(make_team([worker], children(3, last_seen=DUE_WEDNESDAY)))
    assert sorted(v.date for v in result.plan.visits) == [MON, TUE, WED]
    assert result.plan.unmet == ()


def test_policy_cap_applies_when_the_worker_has_none():
    """The policy cap of 2 splits four visits due Tuesday two and two."""
    # The policy's max_visits_per_day = 2 caps a worker without their own: four children due Tuesday
    # are seen two on Monday and two on Tuesday.
    team = make_team([make_worker("W1")], children(4, last_seen=date(2026, 11, 17)),
                     policy=make_policy(max_visits_per_day=2))
    result = solve_checked(team)
    assert per_day(result.plan) == Counter({MON: 2, TUE: 2})
    assert result.plan.unmet == ()


def test_worker_cap_overrides_the_policy():
    """A worker's cap of 4 beats the policy's 1: four visits on Monday."""
    # A worker's own cap of 4 beats the policy's 1: four children due at once are all seen on
    # Monday.
    team = make_team([make_worker("W1", max_visits_per_day=4, end="18:00")],
                     children(4), policy=make_policy(max_visits_per_day=1))
    result = solve_checked(team)
    assert per_day(result.plan) == Counter({MON: 4})
    assert result.plan.unmet == ()


def test_too_many_due_at_once_are_late_by_exact_days():
    """Cap 1, six children due Monday: one a day, lateness 0+1+2+3+4+5 = 15."""
    # Cap 1 and six children due at once on Monday: one a day on time or late; lateness 0 + 1 + 2 +
    # 3 + 4 for those seen, 5 (to Mon 7 Dec) for the one not seen.
    worker = make_worker("W1", max_visits_per_day=1)
    result = solve_checked(make_team([worker], children(6)))
    assert sorted(v.date for v in result.plan.visits) == [MON, TUE, WED, THU, FRI]
    assert len(result.plan.unmet) == 5
    assert {u.due_date for u in result.plan.unmet} == {MON}
    assert result.report.lateness_days == 15
    assert result.plan.summary["lateness_days"] == 15


def test_joint_visit_counts_for_both_workers():
    """A joint visit counts towards the partner's cap of one a day."""
    # W2 may make one visit a day. On Monday W2 must both join W1's joint visit and see their own
    # child, both due at once: only one fits, so exactly one is a day late.
    w1, w2 = make_worker("W1"), make_worker("W2", max_visits_per_day=1)
    joint = make_child("C1", worker="W1", joint=True)
    own = make_child("C2", worker="W2", home=HOME_B)
    result = solve_checked(make_team([w1, w2], [joint, own]))
    assert max(per_day(result.plan, "W2").values()) == 1
    assert len(result.plan.unmet) == 1
    (unmet,) = result.plan.unmet
    assert unmet.due_date == MON
    assert result.report.lateness_days == 1
    pair = visits(result.plan, "C1")
    assert [v.worker_id for v in pair] == ["W1", "W2"] and pair[0].date == pair[1].date
