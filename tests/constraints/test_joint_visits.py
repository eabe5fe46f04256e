"""constraints/joint_visits.py: a joint home visit is both workers' at one agreed time."""

from __future__ import annotations

from datetime import date

from constraints import joint_visits
from factories import WEEK, broken_rows, hm, make_child, make_team, make_worker, master_of, route_making


def test_agreed_starts_every_half_hour_with_the_window_ends_and_reach():
    """Window 15:20-16:00, both workers reachable from 15:27: 15:20, 15:27, 15:30, 16:00."""
    starts = joint_visits.agreed_starts(((hm("15:20"), hm("16:00")),), hm("15:27"))
    assert starts == [hm("15:20"), hm("15:27"), hm("15:30"), hm("16:00")]


def test_lead_and_partner_are_chosen_together():
    """Penalised: the lead's part without the partner's breaks the joint row; unpenalised: both."""
    team = make_team([make_worker("W1"), make_worker("W2")],
                     [make_child("C1", joint=True, last_seen=date(2026, 11, 20))])
    instance, mm = master_of(team)
    lead = next(t for t in instance.worker_day_index[("W1", WEEK)].tasks if t.joint_role == "lead")
    partner = next(t for t in instance.worker_day_index[("W2", WEEK)].tasks
                   if t.key == lead.key and t.joint_role == "partner")
    alone = route_making(instance, "W1", WEEK, lead.key)
    together = [alone, route_making(instance, "W2", WEEK, partner.key)]
    assert broken_rows(mm, [alone]) == [f"joint[{lead.key}]"]
    assert broken_rows(mm, together) == []
    assert together[0].stops[0].start == together[1].stops[0].start  # one agreed start
