"""The scenario report's findings in words, the strongest first.

Each scenario is compared with the baseline, measure by measure, on the runs' means and
their ranges (lowest to highest run):

1. *Clear differences*: the ranges do not overlap (every run of the scenario is above,
   or below, every run of the baseline), largest relative change first;
2. *Trade-offs*: for each scenario, what clearly rises and what clearly falls, together
   (e.g. "london-flex: up, compliance ...; down, home visits from 399 to 362");
3. *Within the spread between runs*: differences of the means whose ranges overlap, so
   that chance may explain them.

With a single run of a scenario nothing is clear: chance cannot be told apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.scenarios.measures import MEASURE, Measure, Stat, share_text

COMPARED = ("compliance", "missed", "lateness_days", "worst_lateness_days", "children_overdue_end",
            "children_overdue_mean", "visits_made", "home_visits", "school_visits", "creative_visits",
            "remote_visits", "travel_hours_per_week", "utilisation", "spare_hours_per_week", "days_cap",
            "days_room")
NOTICEABLE = 0.02  # relative change of the means below which an overlapping difference is not listed


@dataclass(frozen=True)
class Difference:
    """One measure of one scenario against the baseline."""

    scenario: str
    measure: Measure
    base: Stat
    this: Stat

    @property
    def clear(self) -> bool:
        """Every run of the scenario beyond every run of the baseline (and both run more than once)."""
        if self.base.n < 2 or self.this.n < 2:
            return False
        return self.this.low > self.base.high or self.this.high < self.base.low

    @property
    def change(self) -> float:
        return self.this.mean - self.base.mean

    @property
    def relative(self) -> float:
        """The change over the baseline's mean; for a share, over the smaller of the share and
        its complement (95% to 90% compliance doubles the share missed)."""
        base = abs(self.base.mean)
        if self.measure.fmt is share_text:
            base = max(min(base, 1 - base), 0.01)
        return abs(self.change) / max(base, 1e-9)

    @property
    def rises(self) -> bool:
        return self.change > 0

    def figures(self, baseline: str) -> str:
        """'31.4 working days (12 to 58) against 9.2 (8 to 11) at baseline'."""
        return (f"{_stat(self.this, self.measure, self.measure.unit)} against {_stat(self.base, self.measure)} "
                f"in {baseline}")

    def verdict(self) -> str:
        better = self.measure.higher_is_better
        if better is None:
            return ""
        return " (better)" if better == self.rises else " (worse)"

    def sentence(self, baseline: str) -> str:
        """'Worst lateness: higher under two workers leave (worse): 31.4 working days (12 to 58) against ...'."""
        how = "higher" if self.rises else "lower"
        return (f"{self.measure.label}: {how} under {self.scenario}{self.verdict()}: "
                f"{self.figures(baseline)}; {_size(self)}"
                + ("; the ranges over the runs do not overlap." if self.clear else
                   "; a single run cannot tell this from chance." if min(self.base.n, self.this.n) < 2 else
                   "; the ranges over the runs overlap, so this may be chance."))


def _stat(stat: Stat, measure: Measure, unit: str = "") -> str:
    """'31.4 working days (12 to 58)': the mean, its unit, the range over the runs."""
    text = measure.fmt(stat.mean) + (f" {unit}" if unit else "")
    if stat.n > 1 and stat.low != stat.high:
        text += f" ({measure.fmt(stat.low)} to {measure.fmt(stat.high)})"
    return text


def _size(difference: Difference) -> str:
    if difference.measure.fmt is share_text:
        return f"{difference.change * 100:+.1f} points"
    base = difference.base.mean
    if base and difference.this.mean / base >= 2:
        return f"{difference.this.mean / base:.1f} times as much"
    return f"{difference.change / base:+.0%}" if base else "from none"


def differences(baseline: str, scenarios: list[str], stats: dict[str, dict[str, Stat]]) -> list[Difference]:
    """Every measure of every other scenario that differs from the baseline, strongest first:
    clear differences by relative size, then the others by relative size."""
    out = []
    for name in scenarios:
        if name == baseline:
            continue
        for key in COMPARED:
            base, this = stats[baseline][key], stats[name][key]
            if base.mean is None or this.mean is None or this.mean == base.mean:
                continue
            out.append(Difference(name, MEASURE[key], base, this))
    return sorted(out, key=lambda d: (not d.clear, -d.relative, d.scenario, COMPARED.index(d.measure.key)))


def trade_off(scenario: str, found: list[Difference], most: int = 3) -> str | None:
    """'london-flex: up, school visits (better) from 425 to 437 ...; down, home visits from 399 to 362 ...':
    the scenario's `most` largest clear rises and falls, when it has both."""
    clear = [d for d in found if d.scenario == scenario and d.clear]  # `found` is strongest first
    rises = [d for d in clear if d.rises][:most]
    falls = [d for d in clear if not d.rises][:most]
    if not rises or not falls:
        return None

    def named(ds: list[Difference]) -> str:
        return ", ".join(f"{d.measure.label.lower()}{d.verdict()} from {d.measure.fmt(d.base.mean)} to "
                         f"{d.measure.fmt(d.this.mean)}" for d in ds)
    return f"{scenario}: up, {named(rises)}; down, {named(falls)}."


def findings(baseline: str, scenarios: list[str], stats: dict[str, dict[str, Stat]],
             runs: int) -> dict[str, list[str]]:
    """The report's findings: 'clear' and 'trade_offs' and 'within_spread' sentences, strongest first."""
    found = differences(baseline, scenarios, stats)
    clear = [d.sentence(baseline) for d in found if d.clear]
    trades = [t for name in scenarios if name != baseline and (t := trade_off(name, found))]
    spread = [d.sentence(baseline) for d in found if not d.clear and d.relative >= NOTICEABLE]
    notes = []
    if runs < 2:
        notes.append("Each scenario was run once, so chance cannot be told apart from a real difference: "
                     "run several (--runs 5) before drawing conclusions.")
    return {"notes": notes, "clear": clear, "trade_offs": trades, "within_spread": spread}
