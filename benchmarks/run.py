"""Benchmark: planner vs PyVRP vs the status quo, every plan scored by `planner check`.

    python -m benchmarks.run                      # the full benchmark (about 30 min on 2 cores)
    python -m benchmarks.run --quick              # smoke test: 1x12, seed 0, 2 s (under a minute)
    python -m benchmarks.run --sizes 1x18 --seeds 0 --budgets 5 --no-full

See benchmarks/README.md for the instances, the columns and the targets.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import multiprocessing
import os
import platform
import resource
import shlex
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime
from importlib import metadata
from pathlib import Path

WEEK = date(2026, 11, 30)
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "tower-hamlets"
TARGETS = {"8x18": (3.0, 20.0), "20x18": (3.0, 60.0)}  # full-feature: first, final plan (s)
GAP_TARGETS = {"routing": 2.0, "8x18": 5.0}  # proven gap, %: routing instances at 10 s, the bundled example
MEMORY_TARGET_MB = 1024
# Stretched teams (issue 23): name -> (workers, children, seed, load as examples/make_team.py's options).
# The planner must be never later and never lower than the status quo on each, at default settings
# and at --time-limit 10.
STRETCHED = {
    "8x18-overdue": (8, 18, 11, dict(overdue=0.25)),
    "8x18-part-time": (8, 18, 12, dict(overdue=0.1, part_time=0.5)),
    "8x18-christmas": (8, 18, 13, dict(overdue=0.1, holiday=True)),
    "3x30-high-load": (3, 30, 16, dict(overdue=0.25, weekly_cp=0.4)),
    "20x18-all": (20, 18, 14, dict(overdue=0.1, part_time=0.3)),
    "20x18-high-load": (20, 18, 15, dict(overdue=0.2, weekly_cp=0.4, part_time=0.2)),
}
STRETCHED_BUDGETS = (None, 10.0)
COLUMNS = ("instance", "kind", "workers", "children", "seed", "solver", "budget_s", "objective",
           "optional_value", "travel_min", "lateness_days", "violations", "unmet", "home_visits",
           "school_visits", "creative_visits", "first_s", "final_s", "bound", "gap", "proven_gap_pct",
           "peak_mb", "note")


@dataclass(frozen=True)
class Job:
    """One solver run on one team folder, in its own process."""

    instance: str
    kind: str  # "routing" or "full"
    folder: str
    workers: int
    children: int
    seed: int
    solver: str  # planner, pyvrp, status_quo
    budget: float | None  # seconds; None = the planner's default (deterministic) limits
    plan_dir: str
    pyvrp_required_groups: bool = False
    week: date = WEEK


# ---------------------------------------------------------------- the child process

def run_job(job: Job) -> dict:
    """Run one solver on one team, write its plan folder; return timings and peak memory.

    Runs in a fresh (spawned) process, so ru_maxrss is the peak resident memory of this
    solve alone (with the Python interpreter and the imported libraries).
    """
    from planner.io import read_team
    from planner.outputs.plan_folder import write_plan

    team, _ = read_team(Path(job.folder))
    out = Path(job.plan_dir)
    out.mkdir(parents=True, exist_ok=True)
    result: dict = {"first_s": None, "final_s": None, "bound": None, "note": ""}
    started = time.monotonic()
    plan = None
    if job.solver == "planner":
        from planner.solve.solver import COMMAND_PROCESSES, SolveParams, solve
        solved = solve(team, job.week, SolveParams(time_limit=job.budget, seed=job.seed,
                                                   processes=COMMAND_PROCESSES))
        plan = solved.plan
        result.update(first_s=solved.first_solution_seconds, final_s=solved.solve_seconds,
                      bound=solved.plan.summary["bound"],
                      note=f"CP-SAT {solved.status}, {solved.route_count} routes{_proof_note(solved.stats)}"
                           f"{_floor_note(solved.plan.summary)}")
    elif job.solver == "pyvrp":
        from benchmarks.pyvrp_model import solve_pyvrp, translate
        translation = translate(team, WEEK, required_groups=job.pyvrp_required_groups)
        setup = time.monotonic() - started
        found = solve_pyvrp(translation, job.budget, seed=job.seed)
        result["final_s"] = time.monotonic() - started
        first = _pyvrp_first_feasible(found)
        result["first_s"] = None if first is None else setup + first
        if found.is_feasible():
            plan = translation.plan_of(found.best)
            result["note"] = (f"{found.num_iterations} iterations, translation {setup:.2f} s, "
                              f"PyVRP says objective {translation.objective(found.cost())}")
        else:
            result["note"] = f"no feasible solution ({found.num_iterations} iterations)"
    elif job.solver == "status_quo":
        from benchmarks.status_quo import status_quo_plan
        plan = status_quo_plan(team, job.week)
        result["final_s"] = time.monotonic() - started
    else:
        raise ValueError(job.solver)
    if plan is not None:
        write_plan(plan, out)
        result["plan_dir"] = str(out)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return result


def _proof_note(stats: dict) -> str:
    """What closing the gap did (`planner.solve.proof`), if it ran."""
    if "proof" not in stats:
        return ""
    if stats["proof"] == "optimal":
        routes = stats["proof_routes"]
        return f"; proven best ({f'over {routes:,} routes' if routes else 'by the complete LP'})"
    return f"; proof not closed: {stats['proof']}"


def _floor_note(summary: dict) -> str:
    """Which plan won against the statutory-first floor (`planner.solve.statutory_first`)."""
    if "plan_from" not in summary:
        return ""
    return f"; plan from the {summary['plan_from']} (floor {summary['statutory_first_objective']:,})"


def _pyvrp_first_feasible(found) -> float | None:
    """Seconds of PyVRP's search until its best solution was first feasible."""
    elapsed = 0.0
    for runtime, datum in zip(found.stats.runtimes, found.stats.data):
        elapsed += runtime
        if datum.best_feas:
            return elapsed
    return None


def run_isolated(job: Job) -> dict:
    """`run_job` in a fresh spawned process (one at a time: the solvers never share cores)."""
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(run_job, job).result()


# ---------------------------------------------------------------- scoring

def score(job: Job, outcome: dict) -> dict:
    """The row of one run: the plan folder read back and scored as `planner check` does."""
    from planner.check import check_plan
    from planner.io import read_team
    from planner.io.plan_folder import read_plan

    row = {"instance": job.instance, "kind": job.kind, "workers": job.workers,
           "children": job.children, "seed": job.seed, "solver": job.solver,
           "budget_s": "default" if job.budget is None and job.solver == "planner"
           else ("" if job.budget is None else f"{job.budget:g}"),
           "first_s": _round(outcome.get("first_s"), 2), "final_s": _round(outcome.get("final_s"), 2),
           "bound": _round(outcome.get("bound"), 1), "peak_mb": _round(outcome.get("peak_mb"), 0),
           "note": outcome.get("note", "")}
    if "plan_dir" not in outcome:
        return row
    team, _ = read_team(Path(job.folder))
    plan = read_plan(Path(outcome["plan_dir"]))
    report = check_plan(team, plan)  # exactly what `planner check TEAM PLAN` computes
    counts = {t: len({(v.date, v.start, v.child_ids) for v in plan.visits if v.visit_type == t})
              for t in ("home", "school", "creative")}
    row.update(objective=report.objective, optional_value=report.optional_value,
               travel_min=report.travel_minutes, lateness_days=report.lateness_days,
               violations=len(report.violations), unmet=len(report.misses),
               home_visits=counts["home"], school_visits=counts["school"],
               creative_visits=counts["creative"])
    if outcome.get("bound") is not None:  # the planner's proven bound on every plan (summary.json)
        gap = outcome["bound"] - report.objective
        row["gap"] = _round(gap, 1)
        row["proven_gap_pct"] = _round(100 * gap / max(abs(report.objective), 1.0), 2)
    return row


def _round(value, digits):
    if value is None:
        return ""
    return round(value) if digits == 0 else round(value, digits)


# ---------------------------------------------------------------- the benchmark

def parse_size(text: str) -> tuple[int, int]:
    workers, children = text.lower().split("x")
    return int(workers), int(children)


def make_jobs(args, workdir: Path) -> list[Job]:
    """Generate the team folders and list the runs."""
    from planner.synthetic import generate_team

    jobs = []
    for size in args.sizes:
        workers, children = parse_size(size)
        for seed in args.seeds:
            name = f"routing-{workers}x{children}-s{seed}"
            folder = generate_team(workdir / "teams" / name, workers, children, seed, WEEK,
                                   routing_subset=True)
            plans = workdir / "plans" / name
            jobs.append(Job(name, "routing", str(folder), workers, children, seed, "status_quo", None,
                            str(plans / "status_quo")))
            for budget in args.budgets:
                for solver in ("planner", "pyvrp"):
                    jobs.append(Job(name, "routing", str(folder), workers, children, seed, solver,
                                    budget, str(plans / f"{solver}-{budget:g}s"),
                                    args.pyvrp_groups == "required"))
    for size in args.full:
        workers, children = parse_size(size)
        if (workers, children) == (8, 18):
            name, folder = "tower-hamlets (bundled, 8x18)", EXAMPLE
        else:
            name = f"full-{workers}x{children}-s0"
            folder = generate_team(workdir / "teams" / name, workers, children, 0, WEEK)
        plans = workdir / "plans" / name.split(" ")[0]
        jobs.append(Job(name, "full", str(folder), workers, children, 0, "status_quo", None,
                        str(plans / "status_quo")))
        jobs.append(Job(name, "full", str(folder), workers, children, 0, "planner", args.full_budget,
                        str(plans / "planner")))
    jobs += stretched_jobs(args.stretched, workdir)
    return jobs


def stretched_jobs(names: list[str], workdir: Path) -> list[Job]:
    """The stretched teams (`STRETCHED`): the status quo, and the planner at each budget."""
    from planner.synthetic import generate_team
    from planner.synthetic.load import HOLIDAY_WEEK, Load, stretch_team

    jobs = []
    for name in names:
        workers, children, seed, load = STRETCHED[name]
        load = Load(**load)
        week = HOLIDAY_WEEK if load.holiday else WEEK
        folder = generate_team(workdir / "teams" / f"stretched-{name}", workers, children, seed, week)
        stretch_team(folder, load, week, seed)
        plans = workdir / "plans" / f"stretched-{name}"
        jobs.append(Job(f"stretched-{name}", "stretched", str(folder), workers, children, seed, "status_quo",
                        None, str(plans / "status_quo"), week=week))
        for budget in STRETCHED_BUDGETS:
            jobs.append(Job(f"stretched-{name}", "stretched", str(folder), workers, children, seed, "planner",
                            budget, str(plans / f"planner-{budget or 'default'}"), week=week))
    return jobs


def stretched_verdicts(rows: list[dict]) -> list[str]:
    """Planner against the status quo on each stretched team: never later, never lower."""
    lines, held, total = [], 0, 0
    for instance in sorted({r["instance"] for r in rows if r["kind"] == "stretched"}):
        quo = next((r for r in rows if r["instance"] == instance and r["solver"] == "status_quo"), None)
        for r in rows:
            if r["instance"] != instance or r["solver"] != "planner" or quo is None:
                continue
            total += 1
            ok = (r.get("objective") not in (None, "") and r["lateness_days"] <= quo["lateness_days"]
                  and r["objective"] >= quo["objective"])
            held += ok
            lines.append(f"{instance} at {r['budget_s']}: {r.get('lateness_days', '?')} working days late vs "
                         f"{quo['lateness_days']} by hand; objective {r.get('objective', '?'):,} vs "
                         f"{quo['objective']:,} {'PASS' if ok else 'FAIL'}")
    if total:
        lines.append(f"stretched teams: planner never later and never lower than the status quo on {held}/{total} "
                     f"runs [target: all] {'PASS' if held == total else 'FAIL'}")
    return lines


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    def version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "not installed"
    return {"date": datetime.now().strftime("%Y-%m-%d %H:%M"), "machine": platform.node(),
            "cpu": cpu, "cores": str(cores), "memory": memory, "os": platform.platform(),
            "python": platform.python_version(), "ortools": version("ortools"),
            "pyvrp": version("pyvrp")}


def verdicts(rows: list[dict]) -> list[str]:
    """The targets of the issue, checked on these rows."""
    lines = []
    routing = [r for r in rows if r["kind"] == "routing"]
    by_key = {(r["instance"], r["solver"], r["budget_s"]): r for r in routing}
    for budget in sorted({r["budget_s"] for r in routing if r["solver"] == "planner"}, key=float):
        wins, total, worst = 0, 0, None
        for (instance, solver, b), r in sorted(by_key.items()):
            if solver != "planner" or b != budget:
                continue
            other = by_key.get((instance, "pyvrp", b))
            total += 1
            if other is None or other.get("objective") in (None, ""):
                wins += r.get("objective") not in (None, "")  # PyVRP found no plan
                continue
            if r.get("objective") in (None, ""):
                continue
            margin = r["objective"] - other["objective"]
            wins += margin >= 0
            worst = margin if worst is None else min(worst, margin)
        lines.append(f"planner >= PyVRP at {budget} s: {wins}/{total} routing instances "
                     f"(smallest margin {worst if worst is not None else 'n/a'} points) "
                     f"[target: all] {'PASS' if wins == total else 'FAIL'}")
    for r in rows:
        if r["kind"] != "full" or r["solver"] != "planner":
            continue
        size = f"{r['workers']}x{r['children']}"
        first_target, final_target = TARGETS.get(size, (None, None))
        parts = [f"{r['instance']}: first plan {r['first_s']} s, final {r['final_s']} s, "
                 f"peak {r['peak_mb']} MB"]
        ok = True
        if first_target is not None and r["first_s"] != "":
            ok &= r["first_s"] <= first_target
            parts.append(f"first <= {first_target:g} s")
        if final_target is not None and r["final_s"] != "":
            ok &= r["final_s"] <= final_target
            parts.append(f"final <= {final_target:g} s")
        if r["peak_mb"] != "":
            ok &= r["peak_mb"] <= MEMORY_TARGET_MB
        parts.append(f"memory <= {MEMORY_TARGET_MB} MB")
        lines.append(f"{parts[0]} [target: {', '.join(parts[1:])}] {'PASS' if ok else 'FAIL'}")
    lines += bound_verdicts(rows)
    lines += stretched_verdicts(rows)
    peaks = [r["peak_mb"] for r in rows if r["solver"] == "planner" and r["peak_mb"] != ""]
    if peaks:
        lines.append(f"planner peak memory, all runs: at most {max(peaks)} MB "
                     f"[target: <= {MEMORY_TARGET_MB} MB] {'PASS' if max(peaks) <= MEMORY_TARGET_MB else 'FAIL'}")
    for instance in sorted({r["instance"] for r in rows if r["kind"] == "full"}):
        quo = next((r for r in rows if r["instance"] == instance and r["solver"] == "status_quo"), None)
        best = next((r for r in rows if r["instance"] == instance and r["solver"] == "planner"), None)
        if quo and best and quo.get("objective") != "" and best.get("objective") != "":
            visits = [sum(r[f"{t}_visits"] for t in ("home", "school", "creative")) for r in (quo, best)]
            per_visit = [r["travel_min"] / max(n, 1) for r, n in zip((quo, best), visits)]
            lines.append(
                f"{instance}: planner vs status quo: {best['school_visits'] - quo['school_visits']:+d} school "
                f"visits, {best['creative_visits'] - quo['creative_visits']:+d} creative visits; travel "
                f"{best['travel_min']:,} vs {quo['travel_min']:,} min ({best['travel_min'] - quo['travel_min']:+,}), "
                f"per visit {per_visit[1]:.1f} vs {per_visit[0]:.1f} min "
                f"({per_visit[1] - per_visit[0]:+.1f}); lateness days {best['lateness_days']} vs "
                f"{quo['lateness_days']}; objective {best['objective'] - quo['objective']:+,}")
    bad = [r for r in rows if r.get("violations") not in ("", 0, None)]
    lines.append(f"plans with rule violations: {len(bad)} "
                 + ("PASS" if not bad else "FAIL: " + ", ".join(f"{r['instance']}/{r['solver']}" for r in bad)))
    return lines


def bound_verdicts(rows: list[dict]) -> list[str]:
    """The planner's bound is a true bound: on every routing instance at or above the best
    value any solver found (the planner at any budget, PyVRP, the status quo); and the proven
    gap against its targets (routing instances at 10 s, the bundled example)."""
    lines, held, total = [], 0, 0
    for instance in sorted({r["instance"] for r in rows if r["kind"] == "routing"}):
        found = [r["objective"] for r in rows if r["instance"] == instance and r.get("objective") not in (None, "")]
        bounds = [r["bound"] for r in rows if r["instance"] == instance and r.get("bound") not in (None, "")]
        if not found or not bounds:
            continue
        total += 1
        if min(bounds) >= max(found):
            held += 1
        else:
            lines.append(f"{instance}: bound {min(bounds):,} below a plan of value {max(found):,} FAIL")
    if total:
        lines.append(f"planner's bound >= the best value any solver found: {held}/{total} routing instances "
                     f"[target: all] {'PASS' if held == total else 'FAIL'}")
    def at_10_s(r: dict) -> bool:
        return r["kind"] == "routing" and r["budget_s"] == "10"
    for label, chosen, target in (
            ("routing instances 1x12-1x25 and 4x18 at 10 s", lambda r: at_10_s(r) and r["workers"] <= 4,
             GAP_TARGETS["routing"]),
            ("routing instances 8x18 at 10 s (no target)", lambda r: at_10_s(r) and r["workers"] > 4, None),
            ("the bundled example", lambda r: r["kind"] == "full" and r["workers"] == 8, GAP_TARGETS["8x18"])):
        gaps = [float(r["proven_gap_pct"]) for r in rows
                if r["solver"] == "planner" and chosen(r) and r.get("proven_gap_pct") not in (None, "")]
        if not gaps:
            continue
        line = f"proven gap on {label}: at most {max(gaps):g}%"
        if len(gaps) > 1:
            line += f", 0% (proven best) on {sum(g == 0 for g in gaps)} of {len(gaps)}"
        if target is not None:
            met = sum(g <= target for g in gaps)
            line += f", <= {target:g}% on {met} of {len(gaps)} [target: <= {target:g}%] {'PASS' if met == len(gaps) else 'FAIL'}"
        lines.append(line)
    return lines


def print_table(rows: list[dict], title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    shown = ("instance", "solver", "budget_s", "objective", "optional_value", "travel_min",
             "lateness_days", "violations", "unmet", "school_visits", "creative_visits", "first_s",
             "final_s", "bound", "gap", "proven_gap_pct", "peak_mb")
    table = Table(title=title)
    for column in shown:
        table.add_column(column, justify="left" if column in ("instance", "solver") else "right")
    for row in rows:
        table.add_row(*(str(row.get(c, "")) for c in shown))
    Console(width=250, highlight=False).print(table)


def write_outputs(rows: list[dict], lines: list[str], out: Path, info: dict, command: str) -> None:
    """The CSV table, and beside it a Markdown copy with the date, machine and verdicts."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: row.get(c, "") for c in COLUMNS} for row in rows)
    shown = [c for c in COLUMNS if c not in ("kind", "workers", "children")]
    md = [f"# Benchmark results ({info['date']})", "",
          f"Command: `{command}`", "",
          "| machine | cpu | cores | memory | os | python | ortools | pyvrp |",
          "|---|---|---|---|---|---|---|---|",
          f"| {info['machine']} | {info['cpu']} | {info['cores']} | {info['memory']} | {info['os']} | "
          f"{info['python']} | {info['ortools']} | {info['pyvrp']} |", "",
          "## Targets", ""] + [f"- {line}" for line in lines] + [
          "", "## Runs (scored by `planner check`)", "",
          "| " + " | ".join(shown) + " |", "|" + "---|" * len(shown)]
    md += ["| " + " | ".join(str(row.get(c, "")).replace("|", "/") for c in shown) + " |" for row in rows]
    out.with_suffix(".md").write_text("\n".join(md) + "\n", encoding="utf-8")


def service_lines(teams: int, workdir: Path) -> list[str]:
    """The service run (benchmarks/service.py) as a line of the targets, when asked for."""
    if not teams:
        return []
    from benchmarks.service import service_line, service_run
    print(f"service: {teams} teams on a 2-process LocalCluster", file=sys.stderr, flush=True)
    return [service_line(service_run(workdir / "service", teams))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: size 1x12, seed 0, budget 2 s, no full-feature teams")
    parser.add_argument("--sizes", default="1x12,1x18,1x25,4x18,8x18",
                        help="routing-subset sizes, workers x children per worker")
    parser.add_argument("--seeds", default="0,1,2", help="seeds of the routing-subset teams")
    parser.add_argument("--budgets", default="5,10,30", help="time budgets in seconds, each solver")
    parser.add_argument("--full", default="8x18,20x18",
                        help="full-feature team sizes (8x18 is the bundled example)")
    parser.add_argument("--no-full", action="store_true", help="skip the full-feature teams")
    parser.add_argument("--stretched", default=",".join(STRETCHED),
                        help="stretched teams (issue 23): " + ", ".join(STRETCHED) + "; empty skips them")
    parser.add_argument("--full-budget", type=float, default=None,
                        help="planner time limit on full-feature teams (default: none, "
                             "the planner's deterministic limits, as `planner plan` runs)")
    parser.add_argument("--pyvrp-groups", choices=("optional", "required"), default="optional",
                        help="PyVRP's requirement groups: optional with lateness prizes (exact, "
                             "the default) or required (PyVRP's 'must visit')")
    parser.add_argument("--out", type=Path, default=None,
                        help="CSV to write; a Markdown copy is written beside it (.md) [default: "
                             "benchmarks/results.csv, or with --quick a temporary file, so a smoke test never "
                             "overwrites the committed results]")
    parser.add_argument("--service", type=int, default=10,
                        help="teams of 8 workers x 17 children planned as a service on a 2-process "
                             "LocalCluster (benchmarks/service.py); 0 skips it")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where team folders and plan folders go (default: a temporary folder)")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.seeds, args.budgets, args.no_full, args.service = "1x12", "0", "2", True, 0
        args.stretched = ""
    if args.out is None:
        args.out = (Path(tempfile.mkdtemp(prefix="planner-bench-quick-")) / "results.csv" if args.quick
                    else Path("benchmarks/results.csv"))
    args.sizes = [s for s in args.sizes.split(",") if s]
    args.seeds = [int(s) for s in args.seeds.split(",") if s]
    args.budgets = [float(b) for b in args.budgets.split(",") if b]
    args.full = [] if args.no_full else [s for s in args.full.split(",") if s]
    args.stretched = [s for s in args.stretched.split(",") if s]
    unknown = sorted(set(args.stretched) - set(STRETCHED))
    if unknown:
        parser.error(f"--stretched {','.join(unknown)} not understood: choose from {', '.join(STRETCHED)}")
    import pyvrp  # noqa: F401  (fail now, not after an hour, when the bench extra is missing)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="planner-bench-"))
    jobs = make_jobs(args, workdir)
    print(f"{len(jobs)} runs; team and plan folders in {workdir}", file=sys.stderr)
    rows = []
    for n, job in enumerate(jobs, 1):
        budget = "" if job.budget is None else f" {job.budget:g} s"
        print(f"[{n}/{len(jobs)}] {job.instance} {job.solver}{budget}", file=sys.stderr, flush=True)
        try:
            outcome = run_isolated(job)
        except Exception as error:  # a crash is a result too: reported, not fatal
            outcome = {"note": f"failed: {type(error).__name__}: {error}"}
        rows.append(score(job, outcome))
    info = machine()
    lines = verdicts(rows) + service_lines(args.service, workdir)
    title = (f"planner benchmark, {info['date']}, {info['cpu']}, {info['cores']} cores "
             f"(ortools {info['ortools']}, pyvrp {info['pyvrp']})")
    print_table(rows, title)
    for line in lines:
        print(line)
    command = "python -m benchmarks.run " + " ".join(shlex.quote(a) for a in (argv if argv is not None
                                                                               else sys.argv[1:]))
    write_outputs(rows, lines, args.out, info, command.strip())
    print(f"Wrote {args.out} and {args.out.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
