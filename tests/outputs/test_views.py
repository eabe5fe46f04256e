"""The words every report shares for the bound (`planner.outputs.views.bound_text`)."""

from planner.outputs.views import bound_text


def test_bound_text_gives_the_bound_and_the_proven_gap():
    assert bound_text({"bound": -1556, "objective": -2603, "proven_gap": 0.4022}) == (
        "at most -1,556 (proven gap 40.2%)")


def test_bound_text_says_when_the_plan_is_proven_best():
    assert bound_text({"bound": 38, "objective": 38, "proven_gap": 0.0}) == (
        "at most 38 (proven gap 0.0%), so this plan is the best there is")


def test_bound_text_is_left_out_without_a_valid_bound():
    assert bound_text({"bound": 30, "objective": 38, "proven_gap": 0.0}) is None
    assert bound_text({"objective": 38}) is None
