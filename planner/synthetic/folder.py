"""Synthetic team folders: a made-up children's social work team in Tower Hamlets.

`generate_team` writes a complete team folder in the format of the data contract
(team.toml, workers.csv, children.csv, schools.csv, term_dates.csv,
appointments.csv) for a team based at the Town Hall in Whitechapel. Every name,
date and place is invented: names are composed at random from short lists of common
first names and surnames, homes are random points around the borough's
neighbourhoods, schools and their names are made up.

The data is meant to look like a real caseload and still admit a plan that meets
every statutory visit of the two-week horizon that is not already overdue. The scarce
resource of a children's social worker is the hour after school: a child of school age
who must be seen at home can be seen, on a school day, only after school. So the
generator keeps a rough account, per worker and day, of after-school visits, visits in
school hours (between appointments) and whole-day trips (out-of-borough placements).
Households are drawn so that each of their visits fits into their worker's day (after
school, in a home window, with an interpreter...), and no worker gets more after-school
visits than 60% of their after-school hours. The last-visit dates are then spread,
earliest deadline first over the whole team (joint visits take a second worker), so
that every visit due by a day has room on or before that day.

The team's policy is the built-in "london" one with the optional working-time settings
turned on (`policy.toml` in the folder): a 30-minute lunch break between 12:00 and
14:00, 45 minutes of recording a visit and at most 4 hours of travel a day (the
out-of-borough placements are drawn within it). `policy-flex.toml` is "london-flex" with
the same settings, for scenarios. The routing subset keeps plain "london".

Only the standard library is used, and only `random.Random(seed)` draws numbers, so
the same arguments always give byte-identical files.
"""



import csv
import random
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path

from planner.synthetic.area import (DEFAULT_NAME, FLEX_POLICY_FILE, HORIZON_WEEKS, OFFICE, OFFICE_NAME,
                                    OWN_TERMS_SCHOOL, POLICY_FILE, TEAM_MODE, WORKING_TIME, clock_text,
                                    london_terms, wd_shift)
from planner.synthetic.builder import Builder

CHILD_COLUMNS = ("child_id", "name", "date_of_birth", "allocated_worker", "category", "lat",
                 "lon", "household_id", "plan_start", "last_seen", "last_home_visit",
                 "last_seen_alone", "visit_every", "school_id", "joint_visit", "language",
                 "home_window", "school_priority", "creative_priority", "remote_priority")
WORKER_COLUMNS = ("worker_id", "name", "working_days", "start", "end", "base_lat", "base_lon",
                  "travel_mode", "max_visits_per_day", "languages")
SCHOOL_COLUMNS = ("school_id", "name", "lat", "lon", "day_start", "day_end")
TERM_COLUMNS = ("start", "end", "school_id")
APPOINTMENT_COLUMNS = ("worker_id", "date", "start", "end", "kind", "lat", "lon", "child_id")



def child_rows(b: Builder) -> list[dict[str, str]]:
    """children.csv rows."""
    rows = []
    for h in b.households:
        for c in h.children:
            last = h.last_seen
            home = wd_shift(last, -c.last_home_offset) if last else None
            rows.append({
                "child_id": c.cid, "name": c.name, "date_of_birth": c.dob.isoformat(),
                "allocated_worker": h.worker.wid, "category": h.category,
                "lat": f"{h.lat:.5f}", "lon": f"{h.lon:.5f}",
                "household_id": h.hid, "plan_start": h.plan_start.isoformat() if h.plan_start else "",
                "last_seen": last.isoformat() if last else "",
                "last_home_visit": home.isoformat() if home else "",
                "last_seen_alone": last.isoformat() if last and c.last_alone else "",
                "visit_every": c.visit_every, "school_id": c.school.sid if c.school else "",
                "joint_visit": "yes" if h.role == "joint" else "", "language": h.language,
                "home_window": f"{clock_text(h.window[0])}-{clock_text(h.window[1])}" if h.window else "",
                "school_priority": c.priorities[0], "creative_priority": c.priorities[1],
                "remote_priority": c.priorities[2],
            })
    return rows

def worker_rows(b: Builder) -> list[dict[str, str]]:
    """workers.csv rows."""
    return [{"worker_id": w.wid, "name": w.name, "working_days": w.days_text, "start": clock_text(w.start),
             "end": clock_text(w.end), "base_lat": "", "base_lon": "", "travel_mode": w.mode_text,
             "max_visits_per_day": w.max_visits, "languages": ";".join(w.languages)}
            for w in b.workers]

def school_rows(b: Builder) -> list[dict[str, str]]:
    """schools.csv rows."""
    return [{"school_id": s.sid, "name": s.name, "lat": f"{s.lat:.5f}", "lon": f"{s.lon:.5f}",
             "day_start": clock_text(s.start), "day_end": clock_text(s.end)} for s in b.schools]

def term_rows(b: Builder) -> list[dict[str, str]]:
    """term_dates.csv rows: the London year of the horizon, and one school's own dates."""
    year = b.week.year if b.week.month >= 8 else b.week.year - 1
    terms = london_terms(year)
    rows = [{"start": s.isoformat(), "end": e.isoformat(), "school_id": ""} for s, e in terms]
    inset = b.week + timedelta(days=4)  # the academy's INSET day: Friday of the first week
    academy = b.schools[OWN_TERMS_SCHOOL].sid
    for s, e in terms:
        parts = [(s, e)]
        if s <= inset <= e:
            parts = [(s, inset - timedelta(days=1)), (inset + timedelta(days=1), e)]
        rows += [{"start": a.isoformat(), "end": b.isoformat(), "school_id": academy}
                 for a, b in parts if a <= b]
    return rows

def appointment_rows(b: Builder) -> list[dict[str, str]]:
    """appointments.csv rows, by date, start and worker."""
    rows = [{"worker_id": a.worker.wid, "date": b.days[a.day].isoformat(), "start": a.start,
             "end": a.end, "kind": a.kind, "lat": f"{a.loc[0]:.5f}" if a.loc else "",
             "lon": f"{a.loc[1]:.5f}" if a.loc else "",
             "child_id": a.child} for a in b.appointments]
    return sorted(rows, key=lambda r: (r["date"], r["start"], r["worker_id"]))


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    """Write a UTF-8 CSV with a header row and Unix line endings."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _toml_string(text: str) -> str:
    """A TOML basic string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _working_time_policy(base: str) -> str:
    """The built-in policy `base` ("london", "london-flex") with the working-time settings on."""
    text = (files("planner.model") / "policies" / f"{base}.toml").read_text(encoding="utf-8")
    anchor = f'name = "{base}"\n'
    if not text.startswith("#") or anchor not in text:
        raise RuntimeError(f"planner/model/policies/{base}.toml changed shape: update _working_time_policy")
    return (f"# The built-in {base} policy with the optional working-time settings turned on.\n"
            "# Synthetic example: each authority sets its own.\n"
            f'name = "{base}, working time"\n' + WORKING_TIME + text[text.index(anchor) + len(anchor):])


def generate_team(out_dir: Path, n_workers: int = 8, children_per_worker: int = 18, seed: int = 0,
                  week: date = date(2026, 11, 30), routing_subset: bool = False,
                  name: str | None = None) -> Path:
    """Write a synthetic Tower Hamlets team folder to `out_dir` and return it.

    The team has `n_workers` workers with `children_per_worker` children each, planned
    from `week` (a Monday) over a two-week horizon with the built-in "london" policy and
    its working-time settings turned on (`policy.toml`).
    With `routing_subset`, the team is stripped to what a pure routing solver can
    plan: plain "london" (no working-time settings), no joint visits, appointments, home
    windows, languages, sibling households, visit_every overrides or plan_start dates,
    and no child overdue; only CP, LAC and PF children, whose requirement only a home
    visit meets (school and creative visits are then purely optional), each due at most
    once in the horizon. The same arguments always give byte-identical files.
    """
    if week.weekday() != 0:
        raise ValueError(f"week {week} not understood: it must be a Monday.")
    if n_workers < 1 or children_per_worker < 1:
        raise ValueError("n_workers and children_per_worker must be at least 1.")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    builder = Builder(random.Random(seed), week, routing_subset)
    builder.make_workers(n_workers)
    builder.make_schools()
    builder.make_appointments()
    plans = builder.plan_households(children_per_worker)
    builder.households = [builder.make_household(i + 1, *plan) for i, plan in enumerate(plans)]
    builder.spread_due_dates()
    builder.name_children()
    builder.attach_children()

    team_name = name or DEFAULT_NAME + (" - routing subset" if routing_subset else "")
    subset = ", routing_subset=True" if routing_subset else ""
    (out_dir / "team.toml").write_text(
        "# Synthetic team: every name, date and place is made up.\n"
        f"# Written by planner.synthetic.generate_team(n_workers={n_workers}, "
        f"children_per_worker={children_per_worker}, seed={seed}, week={week}{subset}).\n"
        f"name = {_toml_string(team_name)}\n"
        'region = "ENG"\n\n'
        "[office]\n"
        f"name = {_toml_string(OFFICE_NAME)}\n"
        f"lat = {OFFICE[0]}\n"
        f"lon = {OFFICE[1]}\n\n"
        "[planning]\n"
        f'policy = "{"london" if routing_subset else POLICY_FILE}"\n'
        f"horizon_weeks = {HORIZON_WEEKS}\n"
        f'travel_mode = "{TEAM_MODE}"\n', encoding="utf-8", newline="\n")
    if not routing_subset:
        for file, base in ((POLICY_FILE, "london"), (FLEX_POLICY_FILE, "london-flex")):
            (out_dir / file).write_text(_working_time_policy(base), encoding="utf-8", newline="\n")
    _write_csv(out_dir / "workers.csv", WORKER_COLUMNS, worker_rows(builder))
    _write_csv(out_dir / "children.csv", CHILD_COLUMNS, child_rows(builder))
    _write_csv(out_dir / "schools.csv", SCHOOL_COLUMNS, school_rows(builder))
    _write_csv(out_dir / "term_dates.csv", TERM_COLUMNS, term_rows(builder))
    _write_csv(out_dir / "appointments.csv", APPOINTMENT_COLUMNS, appointment_rows(builder))
    return out_dir
