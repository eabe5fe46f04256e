"""The house keeps its shape: the model and the checker stand on their own, the rule modules
depend on the model only, no two modules import each other in a loop, no module is huge."""

from __future__ import annotations

import ast
import functools
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).parents[1]
PACKAGES = ("planner", "constraints", "benchmarks")
MAX_LINES = 650


@functools.cache
def modules() -> dict[str, Path]:
    """Every module of the project by dotted name (a package by its own name)."""
    found = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            name = ".".join(path.relative_to(REPO).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


@functools.cache
def imports_of(path: Path) -> frozenset[str]:
    """The project modules a file imports, anywhere in it."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    known = modules()
    return frozenset(name for name in names if name in known)


def project_imports(prefix: str) -> dict[str, set[str]]:
    return {name: imports_of(path) for name, path in modules().items()
            if name == prefix or name.startswith(prefix + ".")}


def test_model_imports_no_other_planner_code():
    """planner.model: the contract's nouns, importing nothing else of the project."""
    for name, imported in project_imports("planner.model").items():
        assert all(i.startswith("planner.model") for i in imported), (name, imported)


def test_checker_imports_the_model_only():
    """planner.check imports planner.model and itself, nothing of the optimiser."""
    for name, imported in project_imports("planner.check").items():
        assert all(i.startswith(("planner.model", "planner.check")) for i in imported), (name, imported)


def test_checker_loads_no_solver_and_no_or_tools():
    """Importing and running the checker leaves OR-Tools and planner.solve unloaded."""
    code = ("import sys\nimport planner.check\nfrom planner.io import read_team\n"
            "loaded = [m for m in sys.modules if m.startswith(('ortools', 'planner.solve'))]\n"
            "print(loaded)\nsys.exit(1 if loaded else 0)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr


def test_rule_modules_import_the_model_only():
    """constraints/ states rules over the model's nouns; the optimiser imports it, not the reverse."""
    for name, imported in project_imports("constraints").items():
        assert all(i.startswith(("planner.model", "constraints")) for i in imported), (name, imported)


def test_no_import_cycle():
    """No module imports itself through others (package faces excepted: they only hand names on)."""
    graph = {name: {i for i in imported if i != name and not modules()[i].name == "__init__.py"}
             for name, imported in ((n, imports_of(p)) for n, p in modules().items())}
    seen, stack = set(), []

    def visit(name: str) -> None:
        if name in stack:
            raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(name):] + [name]))
        if name in seen:
            return
        stack.append(name)
        for other in sorted(graph.get(name, ())):
            visit(other)
        stack.pop()
        seen.add(name)

    for name in sorted(graph):
        visit(name)


def test_no_module_is_huge():
    """Every module stays under about 600 lines (650 at most)."""
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
