"""constraints/RULES.md maps every rule to real places: each function, checker rule and test
it names exists, and every checker rule and rule module appears in it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).parents[1]
TABLE = (REPO / "constraints" / "RULES.md").read_text(encoding="utf-8")
ROWS = [line for line in TABLE.splitlines() if line.startswith("| ") and not line.startswith("| rule")]


def cells(column: int) -> list[str]:
    return [line.split("|")[column + 1] for line in ROWS]


def checker_rules() -> set[str]:
    """The rule names the checker reports, read from its source."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "planner" / "check").glob("*.py"))
    named = re.findall(r'(?:violation\([\w.]+, |Violation\([^,()]+, [^,()]+, |out\.append\(\()"([a-z-]+)"', source)
    return set(named)


def defined_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


def test_every_named_function_exists():
    """Each `file::name` of the optimiser column is defined in that file."""
    references = re.findall(r"`([\w/]+\.py)::(\w+)`", "".join(cells(2)))
    assert len(references) >= 15
    for file, name in references:
        assert name in defined_names(REPO / file), f"{file} defines no {name}"


def test_checker_rules_are_exactly_the_checkers():
    """The checker rules of the table are the rules the checker reports, all of them."""
    listed = set(re.findall(r"`([a-z-]+)`", "".join(cells(3))))
    listed -= {"optional_value", "travel_minutes"}  # objective terms, not rules
    assert listed == checker_rules()


def test_every_test_file_exists():
    """Each test file the table names is in tests/."""
    files = re.findall(r"`(tests/[\w/]+\.py)`", "".join(cells(4)))
    assert files and all((REPO / f).is_file() for f in files)


def test_every_rule_module_is_in_the_table():
    """Each module of constraints/ (but the contract, constraints/base.py) has a row."""
    modules = {p.name for p in (REPO / "constraints").glob("*.py")} - {"__init__.py", "base.py"}
    mentioned = set(re.findall(r"constraints/(\w+\.py)::", TABLE))
    assert modules == mentioned
