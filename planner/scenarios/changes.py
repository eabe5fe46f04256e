"""Scenarios for service leads: what-if changes to a team, and sweeps of them.

A `Scenario` is a named set of changes applied to a team before its weeks are
simulated (`planner.scenarios.simulate`):

- `caseload` (e.g. +0.2 for "+20%"): new children drawn like the existing caseload
  (each new child copies the category, age, home area, school, language, needs and
  priorities of one child of the team, and the last-visit dates of another child of
  the same category, so due dates spread as they do now) and allocated one by one to
  the least-loaded worker (fewest children per working day). A negative share removes
  children at random.
- `staff` (e.g. -2 or +1): workers removed at random, their households reallocated one
  by one to the least-loaded remaining worker; or new workers added, each with the
  hours, days, travel mode and languages of a random worker of the team and that
  worker's team meetings, supervision and training, who take households from the
  most-loaded workers until they carry an average load.
- `policy`: a built-in policy name (`london`, `london-flex`) or a policy TOML file.
- `travel_mode`: every worker travels this way (`walk`, `cycle`, `public_transport`, `car`).
- `absence`: the chance that a worker is off sick on a working day (drawn week by week
  in the simulation, not known when the week is planned).
- `no_access`: the chance that a visit planned for the week does not happen.

Every random choice comes from a `random.Random` seeded by `run_seed` (the sweep's
seed, the team, the scenario's name and the run number through a stable CRC-32 hash),
so a run gives the same result in any process on any machine.
"""

from __future__ import annotations

import itertools
import random
import re
import tomllib
import zlib
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterable

from planner.io.settings import BUILTIN_POLICIES, load_policy
from planner.model.domain import (LAST_DATE_COLUMN, TRAVEL_MODES, Appointment, Child, Location, Policy, Team,
                                  Worker)

DEFAULT_NO_ACCESS = 0.1  # share of planned visits that do not happen (no one home, cancelled)
RECURRING_KINDS = ("team_meeting", "supervision", "training")  # what a new worker's diary copies


class ScenarioError(ValueError):
    """A scenario option or sweep file that cannot be understood; the message says what to do."""


@dataclass(frozen=True)
class Scenario:
    """A named what-if: changes to a team and to the chances of the simulated weeks."""

    name: str = "baseline"
    caseload: float = 0.0  # +0.2 = 20% more children
    staff: int = 0  # workers added (+) or removed (-)
    policy: str | None = None  # built-in name or policy file; None = the team's own
    travel_mode: str | None = None  # every worker travels so; None = as in the team
    absence: float = 0.0  # chance a worker is off sick on a working day
    no_access: float = DEFAULT_NO_ACCESS  # chance a planned visit does not happen

    def describe(self) -> str:
        """The changes in words, e.g. "caseload +20%, 2 workers fewer"; "no change" when none."""
        parts = []
        if self.caseload:
            parts.append(f"caseload {format_share(self.caseload)}")
        if self.staff:
            n = abs(self.staff)
            parts.append(f"{n} worker{'s' if n != 1 else ''} {'more' if self.staff > 0 else 'fewer'}")
        if self.policy:
            parts.append(f"policy {Path(self.policy).name if _is_file_name(self.policy) else self.policy}")
        if self.travel_mode:
            parts.append(f"everyone travels by {self.travel_mode.replace('_', ' ')}")
        if self.absence:
            parts.append(f"sickness {self.absence:.0%} of working days")
        text = ", ".join(parts) or "no change"
        return f"{text}; {self.no_access:.0%} of visits do not happen"

    def auto_name(self) -> str:
        """A name from the changes, e.g. "caseload +20% & staff -2"; "baseline" for none."""
        parts = []
        if self.caseload:
            parts.append(f"caseload {format_share(self.caseload)}")
        if self.staff:
            parts.append(f"staff {self.staff:+d}")
        if self.policy:
            parts.append(Path(self.policy).stem if _is_file_name(self.policy) else self.policy)
        if self.travel_mode:
            parts.append(self.travel_mode.replace("_", " "))
        if self.absence:
            parts.append(f"absence {self.absence:.0%}")
        if self.no_access != DEFAULT_NO_ACCESS:
            parts.append(f"no-access {self.no_access:.0%}")
        return " & ".join(parts) or "baseline"


def _is_file_name(text: str) -> bool:
    return text.strip().lower() not in BUILTIN_POLICIES


# ---------------------------------------------------------------- parsing options

_SHARE = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*(%?)\s*$")


def format_share(share: float) -> str:
    """+0.2 as "+20%"."""
    return f"{share * 100:+.0f}%" if round(share * 100) == share * 100 else f"{share * 100:+.1f}%"


def parse_caseload(text: str | float) -> float:
    """`+20%`, `20%`, `-10%`, or a fraction such as 0.2, as a share (0.2)."""
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        match = _SHARE.match(str(text))
        if not match:
            raise ScenarioError(f"caseload '{text}' is not a change; write e.g. +20% or -10%")
        value = float(match.group(1)) / (100 if match.group(2) else 1)
        if not match.group(2) and abs(value) > 1:
            value /= 100  # "20" means 20%
    if value <= -1:
        raise ScenarioError(f"caseload '{text}' would remove every child; give a change above -100%")
    return value


def parse_staff(text: str | int) -> int:
    """`-2`, `+1`, `0` as a whole number of workers."""
    try:
        value = int(str(text).strip())
    except ValueError:
        raise ScenarioError(f"staff '{text}' is not a whole number; write e.g. -2 or +1") from None
    return value


def parse_rate(text: str | float, what: str) -> float:
    """`5%`, `0.05` as a probability 0..1."""
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        match = _SHARE.match(str(text))
        if not match:
            raise ScenarioError(f"{what} '{text}' is not a rate; write e.g. 5% or 0.05")
        value = float(match.group(1)) / (100 if match.group(2) else 1)
    if not 0 <= value < 1:
        raise ScenarioError(f"{what} '{text}' must be at least 0% and below 100%")
    return value


def parse_travel_mode(text: str) -> str:
    mode = re.sub(r"[\s-]+", "_", str(text).strip().lower())
    if mode not in TRAVEL_MODES:
        raise ScenarioError(f"travel mode '{text}' is not known; use one of {', '.join(TRAVEL_MODES)}")
    return mode


def resolve_policy(text: str, relative_to: Path | None = None) -> str:
    """A built-in policy name as is, or the absolute path of an existing policy file.

    The policy is loaded once here so that a bad file is reported before anything runs.
    """
    name = str(text).strip()
    if name.lower() in BUILTIN_POLICIES:
        return name.lower()
    path = Path(name).expanduser()
    if not path.is_absolute() and relative_to is not None:
        path = relative_to / path
    if not path.is_file():
        raise ScenarioError(f"policy '{text}' is neither a built-in policy "
                            f"({', '.join(BUILTIN_POLICIES)}) nor a policy file")
    try:
        load_policy(str(path.resolve()))
    except Exception as error:  # InputError: every problem of the file
        raise ScenarioError(f"policy file {path}: {error}") from None
    return str(path.resolve())


def _values(given: Iterable[str] | None) -> list[str]:
    """Option values, each possibly a comma-separated list."""
    out = []
    for value in given or ():
        out += [part.strip() for part in str(value).split(",") if part.strip()]
    return out


def scenarios_from_options(caseload=(), staff=(), policy=(), travel_mode=(), absence=(),
                           no_access=(), policy_base: Path | None = None) -> list[Scenario]:
    """Every combination of the options' values (each option may hold several), named by its changes."""
    axes = {
        "caseload": [parse_caseload(v) for v in _values(caseload)] or [0.0],
        "staff": [parse_staff(v) for v in _values(staff)] or [0],
        "policy": [resolve_policy(v, policy_base) for v in _values(policy)] or [None],
        "travel_mode": [parse_travel_mode(v) for v in _values(travel_mode)] or [None],
        "absence": [parse_rate(v, "absence") for v in _values(absence)] or [0.0],
        "no_access": [parse_rate(v, "no-access") for v in _values(no_access)] or [DEFAULT_NO_ACCESS],
    }
    scenarios = []
    for combination in itertools.product(*axes.values()):
        scenario = Scenario(**dict(zip(axes, combination)))
        scenarios.append(replace(scenario, name=scenario.auto_name()))
    return unique_names(scenarios)


def unique_names(scenarios: list[Scenario]) -> list[Scenario]:
    names = [s.name for s in scenarios]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ScenarioError(f"scenario name '{repeated[0]}' is used twice; give each scenario its own name")
    return scenarios


SWEEP_KEYS = {"weeks", "runs", "seed", "start", "scenario"}
SCENARIO_KEYS = {f.name for f in fields(Scenario)}


@dataclass
class SweepFile:
    """A sweep file: its scenarios and the settings it gives (None where it gives none)."""

    scenarios: list[Scenario]
    weeks: int | None = None
    runs: int | None = None
    seed: int | None = None
    start: date | None = None
    settings: dict[str, Any] = field(default_factory=dict)


def read_sweep(path: Path, base: Scenario = Scenario()) -> SweepFile:
    """Read a sweep TOML file: optional `weeks`, `runs`, `seed`, `start`, and `[[scenario]]` tables.

    Each scenario table has a `name` and any of `caseload`, `staff`, `policy` (relative
    to the sweep file's folder), `travel_mode`, `absence`, `no_access`; what it leaves
    out is taken from `base` (the command line's options).
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(f"sweep file {path} cannot be read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(f"sweep file {path} is not valid TOML: {error}") from None
    unknown = sorted(set(data) - SWEEP_KEYS)
    if unknown:
        raise ScenarioError(f"sweep file {path}: unknown key '{unknown[0]}'; "
                            f"use {', '.join(sorted(SWEEP_KEYS - {'scenario'}))} and [[scenario]] tables")
    tables = data.get("scenario")
    if not isinstance(tables, list) or not tables:
        raise ScenarioError(f"sweep file {path} lists no scenario; add [[scenario]] tables with a name")
    scenarios = []
    for number, table in enumerate(tables, start=1):
        where = f"sweep file {path}, scenario {number}"
        if not isinstance(table, dict):
            raise ScenarioError(f"{where} is not a table; write [[scenario]] followed by its keys")
        unknown = sorted(set(table) - SCENARIO_KEYS)
        if unknown:
            raise ScenarioError(f"{where}: unknown key '{unknown[0]}'; use {', '.join(sorted(SCENARIO_KEYS))}")
        try:
            changes: dict[str, Any] = {}
            if "caseload" in table:
                changes["caseload"] = parse_caseload(table["caseload"])
            if "staff" in table:
                changes["staff"] = parse_staff(table["staff"])
            if "policy" in table:
                changes["policy"] = resolve_policy(table["policy"], path.parent)
            if "travel_mode" in table:
                changes["travel_mode"] = parse_travel_mode(table["travel_mode"])
            if "absence" in table:
                changes["absence"] = parse_rate(table["absence"], "absence")
            if "no_access" in table:
                changes["no_access"] = parse_rate(table["no_access"], "no_access")
        except ScenarioError as error:
            raise ScenarioError(f"{where}: {error}") from None
        scenario = replace(base, **changes)
        name = str(table.get("name") or "").strip() or scenario.auto_name()
        scenarios.append(replace(scenario, name=name))
    sweep = SweepFile(unique_names(scenarios), settings={k: v for k, v in data.items() if k != "scenario"})
    for key in ("weeks", "runs", "seed"):
        if key in data:
            value = data[key]
            if not isinstance(value, int) or isinstance(value, bool) or (key != "seed" and value < 1):
                raise ScenarioError(f"sweep file {path}: {key} must be a whole number"
                                    f"{' of at least 1' if key != 'seed' else ''}")
            setattr(sweep, key, value)
    if "start" in data:
        start = data["start"]
        if isinstance(start, str):
            try:
                start = date.fromisoformat(start)
            except ValueError:
                start = None
        if not isinstance(start, date) or start.weekday() != 0:
            raise ScenarioError(f"sweep file {path}: start must be a Monday written YYYY-MM-DD")
        sweep.start = start
    return sweep


# ---------------------------------------------------------------- seeds

def run_seed(seed: int, team_key: str, scenario_name: str, run: int) -> int:
    """A seed for one run, stable across processes and machines (never Python's hash())."""
    text = f"{seed}\x1f{team_key}\x1f{scenario_name}\x1f{run}"
    return zlib.crc32(text.encode("utf-8"))


def run_rng(seed: int, team_key: str, scenario_name: str, run: int) -> random.Random:
    return random.Random(run_seed(seed, team_key, scenario_name, run))


# ---------------------------------------------------------------- team changes

def default_start(team: Team) -> date:
    """The Monday after the latest last-visit or plan-start date of the caseload (children.csv
    and the record of visits made), else the Monday of the first appointment; never the
    machine's clock: a team with no date at all needs --start."""
    dates = [d for c in team.children for d in (*c.last.values(), c.plan_start) if d is not None]
    dates += [v.date for v in team.visits if v.made]
    if dates:
        latest = max(dates)
        return latest + timedelta(days=7 - latest.weekday())
    if team.appointments:
        first = min(a.date for a in team.appointments)
        return first - timedelta(days=first.weekday())
    raise ScenarioError("no child has a last-visit or plan-start date and there is no appointment: "
                        "give the first Monday with --start")


def _days(worker: Worker) -> int:
    """Working days of the worker's week (at least 1)."""
    return max(1, len(worker.working_days & set(range(5))))


def _households(team: Team, worker_id: str) -> list[list[Child]]:
    """A worker's households (children in caseload order), in order of first appearance."""
    groups: dict[str, list[Child]] = {}
    for child in team.children:
        if child.allocated_worker == worker_id:
            groups.setdefault(child.household_id, []).append(child)
    return list(groups.values())


def _least_loaded(workers: Iterable[Worker], counts: dict[str, int]) -> Worker:
    """The worker with the fewest children per working day (ties: the first id)."""
    return min(workers, key=lambda w: (counts[w.id] / _days(w), w.id))


def _allocation_counts(team: Team) -> dict[str, int]:
    counts = {w.id: 0 for w in team.workers}
    for child in team.children:
        counts[child.allocated_worker] = counts.get(child.allocated_worker, 0) + 1
    return counts


def change_staff(team: Team, change: int, rng: random.Random) -> Team:
    """Remove `-change` random workers (reallocating their households) or add `change` workers."""
    if change < 0:
        return _remove_workers(team, -change, rng)
    if change > 0:
        return _add_workers(team, change, rng)
    return team


def _remove_workers(team: Team, count: int, rng: random.Random) -> Team:
    if count >= len(team.workers):
        raise ScenarioError(f"staff -{count} would leave no worker in {team.name} "
                            f"({len(team.workers)} workers)")
    leaving = set(rng.sample(sorted(w.id for w in team.workers), count))
    staying = [w for w in team.workers if w.id not in leaving]
    counts = _allocation_counts(team)
    new_worker: dict[str, str] = {}
    for worker_id in sorted(leaving):
        for household in _households(team, worker_id):
            target = _least_loaded(staying, counts)
            counts[target.id] += len(household)
            new_worker.update({c.id: target.id for c in household})
    children = tuple(c.model_copy(update={"allocated_worker": new_worker[c.id]}) if c.id in new_worker else c
                     for c in team.children)
    appointments = tuple(a for a in team.appointments if a.worker_id not in leaving)
    return team.model_copy(update={"workers": tuple(staying), "children": children,
                                   "appointments": appointments})


def _add_workers(team: Team, count: int, rng: random.Random) -> Team:
    workers, appointments = list(team.workers), list(team.appointments)
    taken = {w.id for w in workers}
    for number in range(1, count + 1):
        template = rng.choice(team.workers)
        worker_id = next(f"NEW{n:02d}" for n in itertools.count(number) if f"NEW{n:02d}" not in taken)
        taken.add(worker_id)
        workers.append(template.model_copy(update={"id": worker_id, "name": f"New worker {number}"}))
        appointments += [a.model_copy(update={"worker_id": worker_id, "child_id": None})
                         for a in team.appointments
                         if a.worker_id == template.id and a.kind in RECURRING_KINDS]
    team = team.model_copy(update={"workers": tuple(workers), "appointments": tuple(appointments)})
    return _rebalance(team, [w for w in workers if w.id.startswith("NEW")])


def _rebalance(team: Team, newcomers: list[Worker]) -> Team:
    """Newcomers take households (the smallest first) from the most-loaded workers until
    they carry the team's average load of children per working day."""
    counts = _allocation_counts(team)
    average = len(team.children) / sum(_days(w) for w in team.workers)
    allocation = {c.id: c.allocated_worker for c in team.children}
    others = [w for w in team.workers if w not in newcomers]
    for newcomer in newcomers:
        while counts[newcomer.id] / _days(newcomer) < average:
            donor = max(others, key=lambda w: (counts[w.id] / _days(w), w.id))
            households = _households_by(team, allocation, donor.id)
            if len(households) <= 1:
                break
            household = min(households, key=lambda h: (len(h), h[0].id))
            for child in household:
                allocation[child.id] = newcomer.id
            counts[donor.id] -= len(household)
            counts[newcomer.id] += len(household)
    children = tuple(c if allocation[c.id] == c.allocated_worker
                     else c.model_copy(update={"allocated_worker": allocation[c.id]}) for c in team.children)
    return team.model_copy(update={"children": children})


def _households_by(team: Team, allocation: dict[str, str], worker_id: str) -> list[list[Child]]:
    groups: dict[str, list[Child]] = {}
    for child in team.children:
        if allocation[child.id] == worker_id:
            groups.setdefault(child.household_id, []).append(child)
    return list(groups.values())


def change_caseload(team: Team, share: float, rng: random.Random, start: date) -> Team:
    """Add round(share x caseload) children drawn like the caseload (or remove, when share < 0)."""
    count = round(abs(share) * len(team.children))
    if count == 0:
        return team
    if share < 0:
        leaving = set(rng.sample(sorted(c.id for c in team.children), min(count, len(team.children) - 1)))
        children = tuple(c for c in team.children if c.id not in leaving)
        appointments = tuple(a.model_copy(update={"child_id": None}) if a.child_id in leaving else a
                             for a in team.appointments)
        return team.model_copy(update={"children": children, "appointments": appointments})
    counts = _allocation_counts(team)
    by_category: dict[str, list[Child]] = {}
    for child in team.children:
        by_category.setdefault(child.category, []).append(child)
    taken = {c.id for c in team.children}
    new = []
    for number in itertools.count(1):
        if len(new) == count:
            break
        child_id = f"N{number:04d}"
        if child_id in taken:
            continue
        template = rng.choice(team.children)
        donor = rng.choice(by_category[template.category])  # last-visit dates, so due dates spread alike
        worker = _least_loaded(team.workers, counts)
        counts[worker.id] += 1
        new.append(_new_child(child_id, template, donor, worker, rng, start))
    return team.model_copy(update={"children": team.children + tuple(new)})


def _new_child(child_id: str, template: Child, donor: Child, worker: Worker, rng: random.Random,
               start: date) -> Child:
    born = template.date_of_birth + timedelta(days=rng.randint(-180, 180))
    born = min(born, start - timedelta(days=14))
    home = Location(lat=round(template.home.lat + rng.gauss(0, 0.002), 5),
                    lon=round(template.home.lon + rng.gauss(0, 0.003), 5))
    return template.model_copy(update={
        "id": child_id, "name": f"New child {child_id[1:].lstrip('0')}", "date_of_birth": born,
        "allocated_worker": worker.id, "home": home, "household_id": child_id,
        "plan_start": donor.plan_start, "last": dict(donor.last)})


def change_travel_mode(team: Team, mode: str) -> Team:
    workers = tuple(w.model_copy(update={"travel_mode": mode}) for w in team.workers)
    return team.model_copy(update={"workers": workers, "travel_mode": mode})


def change_policy(team: Team, policy: Policy) -> Team:
    missing = sorted({c.category for c in team.children} - set(policy.categories))
    if missing:
        raise ScenarioError(f"policy '{policy.name}' has no requirements for category {missing[0]}, "
                            f"which {team.name} has on its caseload")
    return team.model_copy(update={"policy": policy})


def scenario_policy(scenario: Scenario, team: Team) -> Policy | None:
    """The scenario's policy, or None when it keeps the team's."""
    if not scenario.policy:
        return None
    return load_policy(scenario.policy, team.folder)


def apply_scenario(team: Team, scenario: Scenario, rng: random.Random, start: date,
                   policy: Policy | None = None) -> Team:
    """The team as the scenario changes it: policy, travel mode, staff, then caseload.

    `policy` is the scenario's policy already loaded (else it is loaded here); the random
    choices (who leaves, which children are added) come from `rng`.
    """
    if scenario.policy:
        team = change_policy(team, policy or scenario_policy(scenario, team))
    if scenario.travel_mode:
        team = change_travel_mode(team, scenario.travel_mode)
    team = change_staff(team, scenario.staff, rng)
    team = change_caseload(team, scenario.caseload, rng, start)
    return team


# ---------------------------------------------------------------- dates moved on

def last_dates_after(team: Team, child: Child, visits: list[tuple[date, str]]) -> dict[str, date | None]:
    """The child's last dates after the visits made to it (date, visit type).

    A requirement of the child's policy takes the latest visit of a type that meets it
    (exactly what the planner and checker count). A column no requirement uses is
    still kept up to date: `last_seen` by home, school and creative visits,
    `last_home_visit` by home visits, `last_seen_alone` by school and creative visits
    and by home visits of a child aged 5 or over (a younger child is seen with a carer).
    """
    by = {r.name: set(r.by) for r in team.requirements_of(child)}
    last = dict(child.last)
    for name in LAST_DATE_COLUMN:
        if name in by:
            kinds = by[name]
        elif name == "seen":
            kinds = {"home", "school", "creative"}
        elif name == "home":
            kinds = {"home"}
        else:
            kinds = {"school", "creative", "home"}
        dates = [day for day, kind in visits if kind in kinds
                 and (name != "alone" or name in by or kind != "home" or child.age_on(day) >= 5)]
        if dates and (last.get(name) is None or max(dates) > last[name]):
            last[name] = max(dates)
    return last


def diary_for(appointments: tuple[Appointment, ...], start: date, first: date, last: date) -> tuple[Appointment, ...]:
    """Appointments from `first` to `last`, repeating the diary that runs from `start`.

    The diary of appointments.csv from the simulation's first Monday spans P whole
    weeks; week k of the simulation gets the appointments of week k mod P, moved on by
    whole weeks (a fortnightly diary repeats every fortnight). Appointments before
    `start` are dropped.
    """
    diary = [a for a in appointments if a.date >= start]
    if not diary:
        return ()
    period = max(1, ((max(a.date for a in diary) - start).days // 7) + 1)
    out = []
    first_week, last_week = (first - start).days // 7, (last - start).days // 7
    for week in range(first_week, last_week + 1):
        shift = timedelta(days=7 * (week - week % period))
        for appointment in diary:
            if (appointment.date - start).days // 7 == week % period:
                day = appointment.date + shift
                if first <= day <= last:
                    out.append(appointment if day == appointment.date
                               else appointment.model_copy(update={"date": day}))
    return tuple(sorted(out, key=lambda a: (a.date, a.start or 0, a.worker_id)))
