"""planner/recommend.py: each worker weighed for a new referral by re-planning with the child
allocated to them; feasible workers first; the trade-offs in words; every plan checked."""

from __future__ import annotations

from datetime import date

from factories import HOME_A, HOME_B, HUB, WEEK, assert_plan_valid, make_child, make_team, make_worker, visits
from planner.model.domain import Location
from planner.recommend import csv_rows, reasons, recommend, trade_offs, with_referral

NEAR_HUB = Location(lat=HUB.lat + 0.001, lon=HUB.lon)  # 0.1 km from the hub
DUE_THURSDAY = date(2026, 11, 19)  # CP, seen then: due Thu 3 Dec (10 working days on)


def _team():
    """W1 speaks Somali (office), W2 is based at the hub, W3 works Mondays only and is full."""
    workers = [make_worker("W1", languages=("English", "Somali")),
               make_worker("W2", base=HUB),
               make_worker("W3", working_days={0}, max_visits_per_day=1)]
    children = [make_child("C1", worker="W1", last_seen=date(2026, 11, 20), home=HOME_A),
                make_child("C2", worker="W2", last_seen=date(2026, 11, 20), home=HOME_B),
                make_child("C3", worker="W3", last_seen=date(2026, 11, 16), home=HOME_B)]  # due Mon
    return make_team(workers, children)


def _referral():
    return (make_child("N1", worker="", last_seen=DUE_THURSDAY, home=NEAR_HUB, language="Somali"),)


def test_every_worker_weighed_feasible_first():
    """W1 and W2 can see the child by Thursday; W3 (Mondays, one visit, already due then) cannot
    and ranks last; each option's plan passes the checker and meets the child as it says."""
    team, referral = _team(), _referral()
    result = recommend(team, WEEK, referral)
    ranked = [o.worker.id for o in result.options]
    assert sorted(ranked) == ["W1", "W2", "W3"] and ranked[-1] == "W3"
    by_id = {o.worker.id: o for o in result.options}
    assert by_id["W1"].feasible and by_id["W2"].feasible
    assert not by_id["W3"].feasible or by_id["W3"].others_late == ("C3",)
    for option in result.options:
        extended = with_referral(team, referral, option.worker.id)
        report = assert_plan_valid(extended, option.plan, WEEK)
        met = [v for v in visits(option.plan, "N1") if v.date <= date(2026, 12, 3)]
        assert option.feasible == bool(met) and option.due == 1
        assert option.plan.summary["objective"] == report.objective


def test_language_and_distance_are_weighed_and_explained():
    """W1 speaks Somali, W2's base is 0.1 km from the home: both facts are in the reasons, and
    the trade-off between them is said in words."""
    result = recommend(_team(), WEEK, _referral())
    by_id = {o.worker.id: o for o in result.options}
    assert by_id["W1"].speaks is True and by_id["W2"].speaks is False
    assert by_id["W2"].distance_km == 0.1 and by_id["W1"].distance_km > 2
    assert "speaks Somali (no interpreter)" in reasons(by_id["W1"], result)
    assert "does not speak Somali" in reasons(by_id["W2"], result)
    text = "\n".join(trade_offs(result))
    top = result.options[0].worker.id
    assert text.startswith(f"Recommended: {top} ")
    if top == "W1":
        assert "W2 would cost the team's plan" in text and "its base 0.1 km from the home" in text
        assert "but does not speak Somali: an interpreter would be needed at every visit" in text
    else:
        assert "W1 speaks Somali, so no interpreter would be needed, but" in text
    assert "W3 cannot meet every statutory due date of N1 on time" in text or by_id["W3"].feasible


def test_language_outweighs_a_little_travel():
    """With the same base and plan value, the worker who speaks the family's language ranks first."""
    workers = [make_worker("W1"), make_worker("W2", languages=("Somali",))]
    team = make_team(workers, [])
    result = recommend(team, WEEK, _referral())
    assert [o.worker.id for o in result.options] == ["W2", "W1"]
    speaker, other = result.options
    assert speaker.objective_change == other.objective_change
    assert speaker.score - other.score == 60


def test_a_household_is_recommended_as_one():
    """Two siblings go to one worker: each option's plan sees both, by one visit where it can."""
    siblings = (make_child("N1", worker="", last_seen=DUE_THURSDAY, home=HOME_A, household="HN"),
                make_child("N2", worker="", last_seen=DUE_THURSDAY, home=HOME_A, household="HN"))
    team = make_team([make_worker("W1"), make_worker("W2", base=HUB)], [])
    result = recommend(team, WEEK, siblings)
    assert result.names == "N1+N2"
    for option in result.options:
        assert option.due == 2 and option.feasible
        seen = {c for v in option.plan.visits for c in v.child_ids}
        assert seen == {"N1", "N2"} and {v.worker_id for v in option.plan.visits} == {option.worker.id}


def test_csv_rows_one_per_worker_best_first():
    """recommend.csv's rows: rank 1.., a worker_id each, feasible yes/no, no child's name."""
    result = recommend(_team(), WEEK, _referral())
    rows = csv_rows(result)
    assert [r["worker_id"] for r in rows] == [o.worker.id for o in result.options]
    assert [r["rank"] for r in rows] == ["1", "2", "3"]
    assert rows[0]["feasible"] == "yes" and rows[0]["speaks_language"] in ("yes", "no")
    assert all("Child N1" not in value for row in rows for value in row.values())
