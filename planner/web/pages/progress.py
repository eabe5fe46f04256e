"""A plan job's progress bar, read from the solver's own progress lines (what `planner plan`
prints on the terminal): each stage the solver reports moves the bar on.

The stages, in the order the solver goes through them: "Planning N workers ..." (the team
read), "first plan", column generation's "round N", "proof", the integer search's better
plans, and the "final" line. The bar has 11 steps (0 queued .. 10 done)."""

from __future__ import annotations

import re
from dataclasses import dataclass

ROUND = re.compile(r"round (\d+):")


@dataclass(frozen=True)
class Stage:
    step: int  # 0..10
    words: str  # what the solver is doing, in words
    last_line: str  # the solver's last progress line


def stage(job) -> Stage:
    """The job's step and words, from its status and progress text."""
    lines = [line.strip() for line in (job.progress or "").splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    if job.status == "done":
        return Stage(10, "The plan is ready.", last)
    if job.status == "failed":
        return Stage(10, "The plan could not be made.", last)
    if job.status == "queued":
        return Stage(0, "Waiting for the planner to start.", last)
    return _running(last)


def _running(line: str) -> Stage:
    if not line:
        return Stage(1, "Reading the team.", line)
    if "final" in line or "gap closed" in line or "gap not closed" in line:
        return Stage(9, "Checking and writing the plan.", line)
    if line.startswith("proof"):
        return Stage(7, "Proving how good the plan can be.", line)
    if match := ROUND.search(line):
        return Stage(min(6, 2 + int(match.group(1))), "Looking for better day routes.", line)
    if "first plan" in line:
        return Stage(2, "A first plan is made; improving it.", line)
    if line.startswith("Planning"):
        return Stage(1, "Making the first plan.", line)
    if "plan value" in line:
        return Stage(8, "Choosing the best combination of routes.", line)
    return Stage(1, "Planning.", line)
