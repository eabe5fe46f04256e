"""Rule 5: visits by the allocated worker; a joint_visit household's home visits by two
workers at the same date, start and end, each row naming the other."""

from __future__ import annotations

from datetime import date, timedelta

from factories import (HOME_A, HOME_B, HOME_FAR, HUB, OFFICE, WEEK, hm, make_appointment, make_child,
                       make_school, make_team, make_worker, solve_checked, travel, unmet_of, visits)

MON, TUE, WED, THU, FRI = (WEEK + timedelta(n) for n in range(5))
CP_DUE_FRIDAY = date(2026, 11, 20)


def test_children_are_seen_by_their_allocated_worker():
    """Two workers, two children each: every visit is made by the child's own worker."""
    kids = [make_child("C1", worker="W1", last_seen=CP_DUE_FRIDAY),
            make_child("C2", worker="W1", home=HOME_B, last_seen=CP_DUE_FRIDAY),
            make_child("C3", worker="W2", last_seen=CP_DUE_FRIDAY),
            make_child("C4", worker="W2", home=HOME_B, last_seen=CP_DUE_FRIDAY)]
    team = make_team([make_worker("W1"), make_worker("W2")], kids)
    result = solve_checked(team)
    seen_by = {v.child_ids: v.worker_id for v in result.plan.visits}
    assert seen_by == {("C1",): "W1", ("C2",): "W1", ("C3",): "W2", ("C4",): "W2"}
    assert all(v.joint_with is None for v in result.plan.visits)


def test_no_reallocation_when_the_worker_is_away():
    """W1 is on leave all week; W2 is free but never visits W1's child, which is reported."""
    leave = [make_appointment("W1", day, kind="leave") for day in (MON, TUE, WED, THU, FRI)]
    team = make_team([make_worker("W1"), make_worker("W2")],
                     [make_child("C1", worker="W1", last_seen=CP_DUE_FRIDAY)], appointments=leave)
    result = solve_checked(team)
    assert result.plan.visits == ()
    (unmet,) = unmet_of(result.plan, "C1")
    assert "W1" in unmet.reason and "leave" in unmet.reason


def test_joint_visit_has_two_rows_naming_each_other():
    """A joint visit is two home rows at the same date and times, naming each other."""
    # A joint_visit child: two home rows, W1 and W2, same date, start and end, joint_with naming
    # each other, both seeing C1 at C1's home.
    child = make_child("C1", worker="W1", joint=True, last_seen=CP_DUE_FRIDAY)
    team = make_team([make_worker("W1"), make_worker("W2")], [child])
    result = solve_checked(team)
    lead, partner = sorted(result.plan.visits, key=lambda v: v.worker_id)
    assert (lead.worker_id, lead.joint_with) == ("W1", "W2")
    assert (partner.worker_id, partner.joint_with) == ("W2", "W1")
    assert (lead.date, lead.start, lead.end) == (partner.date, partner.start, partner.end)
    assert lead.visit_type == partner.visit_type == "home"
    assert lead.child_ids == partner.child_ids == ("C1",)
    assert (lead.lat, lead.lon) == (partner.lat, partner.lon) == (HOME_A.lat, HOME_A.lon)
    assert lead.end - lead.start == 60
    assert result.plan.unmet == ()


def test_joint_partner_travels_from_their_own_base():
    """A cycling partner based at the hub travels hub -> home on their row."""
    # A partner based at the hub who cycles: their row's travel is hub -> home by cycle, and the
    # visit starts no earlier than either worker could arrive.
    child = make_child("C1", worker="W1", joint=True, last_seen=CP_DUE_FRIDAY)
    w2 = make_worker("W2", base=HUB, travel_mode="cycle")
    result = solve_checked(make_team([make_worker("W1"), w2], [child]))
    (partner,) = visits(result.plan, worker_id="W2")
    leg = travel(HUB, HOME_A, "cycle")
    assert partner.travel_minutes == leg
    assert partner.start >= hm("09:00") + max(leg, travel(OFFICE, HOME_A))


def test_joint_visit_waits_for_the_partners_hours():
    """A partner working 13:00-17:00: the joint visit starts after 13:00 plus their journey."""
    # The only other worker works 13:00-17:00: the joint visit starts at 13:00 plus their journey or
    # later.
    child = make_child("C1", worker="W1", joint=True, last_seen=CP_DUE_FRIDAY)
    team = make_team([make_worker("W1"), make_worker("W2", start="13:00")], [child])
    result = solve_checked(team)
    rows = visits(result.plan, "C1")
    assert len(rows) == 2
    assert all(v.start >= hm("13:00") + travel(OFFICE, HOME_A) for v in rows)


def test_joint_visit_waits_for_the_partners_leave_to_end():
    """The only possible partner is on leave Mon-Thu: the joint visit is on Friday."""
    child = make_child("C1", worker="W1", joint=True, last_seen=CP_DUE_FRIDAY)
    leave = [make_appointment("W2", day, kind="leave") for day in (MON, TUE, WED, THU)]
    team = make_team([make_worker("W1"), make_worker("W2")], [child], appointments=leave)
    result = solve_checked(team)
    rows = visits(result.plan, "C1")
    assert [(v.worker_id, v.date) for v in rows] == [("W1", FRI), ("W2", FRI)]


def test_joint_partner_who_speaks_the_language_avoids_an_interpreter():
    """A Bengali-speaking family: the Bengali-speaking worker joins, so no interpreter and 60 min."""
    child = make_child("C1", worker="W1", joint=True, language="Bengali", last_seen=CP_DUE_FRIDAY)
    team = make_team([make_worker("W1"), make_worker("W2"), make_worker("W3", languages=["Bengali"])],
                     [child])
    result = solve_checked(team)
    rows = visits(result.plan, "C1")
    assert {v.worker_id for v in rows} == {"W1", "W3"}
    assert all(v.end - v.start == 60 and not v.interpreter for v in rows)


def test_joint_household_with_no_second_worker_is_reported():
    """A one-worker team cannot make a joint visit: no home visit, unmet with the reason."""
    child = make_child("C1", worker="W1", joint=True, last_seen=CP_DUE_FRIDAY)
    result = solve_checked(make_team([make_worker("W1")], [child]))
    assert result.plan.visits == ()
    (unmet,) = unmet_of(result.plan, "C1")
    assert "second worker" in unmet.reason


def test_joint_flag_applies_to_home_visits_only():
    """A joint_visit CIN child seen at school needs no second worker: one school row, no joint_with."""
    child = make_child("C1", category="CIN", joint=True, last_seen=date(2026, 11, 6),
                       home=HOME_FAR, school="S1")
    team = make_team([make_worker("W1"), make_worker("W2")], [child], schools=[make_school("S1")])
    result = solve_checked(team)
    (visit,) = visits(result.plan, "C1")
    assert visit.visit_type == "school" and visit.worker_id == "W1" and visit.joint_with is None


def test_joint_visit_found_between_whole_hours():
    """A joint visit that fits only at 09:19-09:25 is still found and meets the due date."""
    # Both workers 09:00-17:00 at the office, home 19 min away, home_window 09:00-10:25: a joint
    # visit fits at 09:19-09:25 on any day, so the requirement due Friday must be met.
    child = make_child("C1", worker="W1", joint=True, last_seen=CP_DUE_FRIDAY,
                       home_window=("09:00", "10:25"))
    team = make_team([make_worker("W1"), make_worker("W2")], [child])
    result = solve_checked(team)
    rows = visits(result.plan, "C1")
    assert [v.worker_id for v in rows] == ["W1", "W2"]
    assert all(hm("09:19") <= v.start <= hm("09:25") for v in rows)
    assert result.plan.unmet == ()


def test_joint_partner_is_any_free_worker():
    """With the two nearest workers on duty all week, a third free worker joins the visit."""
    # W2 and W3 (nearest to the home) are on duty 09:00-17:00 all week; W4 at the hub is free: W4
    # joins W1, and the requirement due Friday is met.
    child = make_child("C1", worker="W1", joint=True, last_seen=CP_DUE_FRIDAY)
    duty = [make_appointment(w, day, "09:00", "17:00", kind="duty")
            for w in ("W2", "W3") for day in (MON, TUE, WED, THU, FRI)]
    team = make_team([make_worker("W1"), make_worker("W2"), make_worker("W3"),
                      make_worker("W4", base=HUB)], [child], appointments=duty)
    result = solve_checked(team)
    rows = visits(result.plan, "C1")
    assert sorted((v.worker_id, v.joint_with) for v in rows) == [("W1", "W4"), ("W4", "W1")]
    assert result.plan.unmet == ()
