"""constraints/allocation.py: the allocated worker visits; cover only on an absence day, at a cost."""

from __future__ import annotations

from constraints import allocation
from factories import WEEK, make_child, make_worker

AWAY = {("W1", WEEK)}


def test_only_the_allocated_worker_may_visit():
    """W1's child is W1's to visit, not W2's."""
    child = make_child("C1", worker="W1")
    assert allocation.may_visit(child, make_worker("W1"))
    assert not allocation.may_visit(child, make_worker("W2"))


def test_no_cover_while_the_allocated_worker_is_in():
    """Unpenalised: on a day W1 works, nobody covers W1's child."""
    child = make_child("C1", worker="W1", cover_worker="W2")
    assert allocation.cover_penalty(child, make_worker("W2"), WEEK, set(), cover_any=True) is None


def test_named_cover_worker_covers_at_the_cover_penalty():
    """On W1's absence day the child's cover_worker covers for 1,000."""
    child = make_child("C1", worker="W1", cover_worker="W2")
    assert allocation.cover_penalty(child, make_worker("W2"), WEEK, AWAY, cover_any=False) == 1_000


def test_any_colleague_covers_only_in_a_replan_and_costs_more():
    """Another colleague: not allowed in a plan; 2,000 in a replan (cover_any)."""
    child = make_child("C1", worker="W1", cover_worker="W2")
    w3 = make_worker("W3")
    assert allocation.cover_penalty(child, w3, WEEK, AWAY, cover_any=False) is None
    assert allocation.cover_penalty(child, w3, WEEK, AWAY, cover_any=True) == 2_000
    assert allocation.COVER_PENALTY < allocation.COVER_ANY_PENALTY < 10_000  # below a day of lateness
