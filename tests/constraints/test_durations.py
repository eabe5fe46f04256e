"""constraints/durations.py: visit durations, siblings and interpreters."""

from __future__ import annotations

from constraints import durations
from factories import make_child, make_policy, make_worker


def test_duration_adds_extra_children_and_rounds_up_the_interpreter_factor():
    """Home 60 + 20 for a sibling = 80; with an interpreter x1.5 = 120; school 45 x1.5 = 67.5 -> 68."""
    policy = make_policy()
    one, two = make_child("C1"), make_child("C2")
    assert durations.visit_duration(policy, "home", [one], False) == 60
    assert durations.visit_duration(policy, "home", [one, two], False) == 80
    assert durations.visit_duration(policy, "home", [one, two], True) == 120
    assert durations.visit_duration(policy, "school", [one], True) == 68


def test_interpreter_needed_only_when_no_visiting_worker_speaks_the_language():
    """Penalised: a Bengali speaker with an English-only worker; unpenalised: a Bengali-speaking partner."""
    child = make_child("C1", language="Bengali")
    english, bengali = make_worker("W1"), make_worker("W2", languages=["Bengali"])
    assert durations.interpreter_needed([child], [english])
    assert not durations.interpreter_needed([child], [english, bengali])
    assert not durations.interpreter_needed([make_child("C2")], [english])  # English (no language given)
