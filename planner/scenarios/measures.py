"""What a sweep measures: per-week rows added up over teams, each measure of a run over the
whole period, and its mean, lowest and highest value over the runs (`Stat`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import mean
from typing import Callable, Iterable, Sequence

from planner.outputs.capacity import LIMITS

SERVICE = "service"  # the team label of rows that add up every team

ADDED = ("due", "met_on_time", "missed", "lateness_days", "children_overdue", "visits_planned",
         "visits_made", "visits_no_access", "visits_lost_sickness", "home_visits", "school_visits",
         "creative_visits", "remote_visits", "travel_hours", "visit_hours", "working_hours",
         "appointment_hours", "lunch_hours", "recording_hours", "spare_hours", "sick_days", "plan_violations",
         "workers", "children", "worker_days", *(f"days_{limit}" for limit in LIMITS))


@dataclass(frozen=True)
class Measure:
    """A whole-period measure of one run: its column, label, how to compute and format it."""

    key: str
    label: str
    compute: Callable[[list[dict]], float | None]  # from one run's weekly (service) rows
    fmt: Callable[[float], str]
    explain: str
    higher_is_better: bool | None = None
    unit: str = ""  # words after the figure in sentences, e.g. "working days"


def share_text(value: float) -> str:
    return f"{value:.1%}"


def count_text(value: float) -> str:
    return f"{value:,.0f}" if abs(value - round(value)) < 1e-9 or abs(value) >= 100 else f"{value:,.1f}"


def hours_text(value: float) -> str:
    return f"{value:,.0f} h" if abs(value) >= 100 else f"{value:,.1f} h"


def _ratio(numerator: str, denominator: str) -> Callable[[list[dict]], float | None]:
    def compute(weeks: list[dict]) -> float | None:
        below = sum(w[denominator] for w in weeks)
        return sum(w[numerator] for w in weeks) / below if below else None
    return compute


def _total(column: str) -> Callable[[list[dict]], float]:
    return lambda weeks: sum(w[column] for w in weeks)


def _per_week(column: str) -> Callable[[list[dict]], float]:
    return lambda weeks: sum(w[column] for w in weeks) / len(weeks)


def _casework_hours(week: dict) -> float:
    return week["working_hours"] - week["appointment_hours"] - week["lunch_hours"]


def utilisation(weeks: list[dict]) -> float | None:
    """Visits, travel and write-up over the hours left for casework (working hours less
    appointments and lunch): the day sheet's figures, so that write-up and lunch are never spare."""
    casework = sum(_casework_hours(w) for w in weeks)
    used = sum(w["visit_hours"] + w["travel_hours"] + w["recording_hours"] for w in weeks)
    return used / casework if casework > 0 else None


def _days_share(limit: str) -> Callable[[list[dict]], float | None]:
    return _ratio(f"days_{limit}", "worker_days")


MEASURES = (
    Measure("compliance", "Statutory compliance", _ratio("met_on_time", "due"), share_text,
            "Share of statutory visit requirements (due dates) met on or before the due date.", True),
    Measure("missed", "Requirements missed", _total("missed"), count_text,
            "Due dates not met on time (met late, or not met at all).", False),
    Measure("lateness_days", "Total lateness", _total("lateness_days"), count_text,
            "Working days that requirements were overdue, added up over all children.", False, "working days"),
    Measure("worst_lateness_days", "Worst lateness", lambda weeks: max(w["worst_lateness_days"] for w in weeks),
            count_text, "The longest any one requirement was overdue, in working days.", False, "working days"),
    Measure("children_overdue_end", "Children overdue at the end", lambda weeks: weeks[-1]["children_overdue"],
            count_text, "Children with a statutory visit overdue at the end of the last week.", False),
    Measure("children_overdue_mean", "Children overdue (weekly mean)", _per_week("children_overdue"),
            count_text, "Children with a statutory visit overdue at the end of a week, on average.", False),
    Measure("visits_made", "Visits made", _total("visits_made"), count_text,
            "Visits that took place (planned visits less no-access and sickness).", None),
    Measure("home_visits", "Home visits", _total("home_visits"), count_text,
            "Home visits made.", None),
    Measure("school_visits", "School visits", _total("school_visits"), count_text,
            "Visits to the child at school, in school hours.", True),
    Measure("creative_visits", "Creative visits", _total("creative_visits"), count_text,
            "Activity-based direct work with the child.", True),
    Measure("remote_visits", "Remote visits", _total("remote_visits"), count_text,
            "Video or phone contact.", True),
    Measure("visits_no_access", "No-access visits", _total("visits_no_access"), count_text,
            "Planned visits that did not happen (no one at home, cancelled).", None),
    Measure("visits_lost_sickness", "Visits lost to sickness", _total("visits_lost_sickness"), count_text,
            "Planned visits that did not happen because the worker was off sick.", None),
    Measure("travel_hours_per_week", "Travel per week", _per_week("travel_hours"), hours_text,
            "Hours spent travelling between the base and visits, per week.", False),
    Measure("utilisation", "Worker utilisation", utilisation, share_text,
            "Visits, travel and the write-up of each visit as a share of the hours left for casework "
            "(the hours workers were at work, less appointments and the lunch break), from the day sheet.", None),
    Measure("spare_hours_per_week", "Spare capacity per week", _per_week("spare_hours"), hours_text,
            "Working hours left free of visits, travel, appointments, lunch and write-up, per week (whole "
            "team): the free time of the day sheet (days.csv).", None),
    Measure("recording_hours_per_week", "Write-up per week", _per_week("recording_hours"), hours_text,
            "Hours the policy reserves for writing up visits (recording minutes a visit), per week.", None),
    Measure("days_cap", "Days at the visits-a-day cap", _days_share("cap"), share_text,
            "Share of worker-days whose plan is at the visits-a-day cap: the cap is what keeps more visits out.",
            None),
    Measure("days_room", "Days with room for more", _days_share("room"), share_text,
            "Share of worker-days whose plan had time for another visit but no visit due or worth making.", None),
)
MEASURE = {m.key: m for m in MEASURES}


def service_weeks(rows: Iterable[dict], team: str | None = None) -> dict[tuple[str, int], list[dict]]:
    """(scenario, run) -> one row per week adding up the teams (or one `team`), in week order."""
    added: dict[tuple[str, int, int], dict] = {}
    for row in rows:
        if team is not None and row["team"] != team:
            continue
        key = (row["scenario"], row["run"], row["week"])
        total = added.setdefault(key, {"scenario": row["scenario"], "run": row["run"], "week": row["week"],
                                       "week_start": row["week_start"], "worst_lateness_days": 0,
                                       "school_days": 0, **{c: 0 for c in ADDED}})
        for column in ADDED:
            total[column] += row[column] or 0
        for column in ("worst_lateness_days", "school_days"):
            total[column] = max(total[column], row[column] or 0)
    by_run: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for (scenario, run, _), total in sorted(added.items(), key=lambda item: item[0][2]):
        total["compliance"] = total["met_on_time"] / total["due"] if total["due"] else None
        total["utilisation"] = utilisation([total])
        by_run[(scenario, run)].append(total)
    return dict(by_run)


@dataclass(frozen=True)
class Stat:
    mean: float | None
    low: float | None
    high: float | None
    n: int

    @classmethod
    def of(cls, values: Iterable[float | None]) -> "Stat":
        known = [v for v in values if v is not None]
        if not known:
            return cls(None, None, None, 0)
        return cls(mean(known), min(known), max(known), len(known))


def scenario_stats(by_run: dict[tuple[str, int], list[dict]], scenarios: Sequence[str]) -> dict[str, dict[str, Stat]]:
    """scenario -> measure key -> Stat over runs."""
    out = {}
    for scenario in scenarios:
        runs = [weeks for (name, _), weeks in sorted(by_run.items()) if name == scenario]
        out[scenario] = {m.key: Stat.of(m.compute(weeks) for weeks in runs) for m in MEASURES}
    return out


def weekly_stats(by_run: dict[tuple[str, int], list[dict]], scenario: str,
                 column: str) -> list[tuple[int, str, Stat]]:
    """(week, week_start, Stat over runs) of one column, for one scenario."""
    values: dict[int, list] = defaultdict(list)
    starts: dict[int, str] = {}
    for (name, _), weeks in by_run.items():
        if name != scenario:
            continue
        for week in weeks:
            values[week["week"]].append(week[column])
            starts[week["week"]] = week["week_start"]
    return [(week, starts[week], Stat.of(values[week])) for week in sorted(values)]
