"""Problems found in a team folder or plan folder, reported to people who are not programmers.

Every problem names the file, the row as a spreadsheet shows it (the header is row 1),
the column, what is wrong and what to do about it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in an input file."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    hint: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        text = f"{where}: {self.message}"
        return f"{text}. {self.hint}" if self.hint else text


@dataclass
class InputError(Exception):
    """The input cannot be planned; `problems` lists every reason at once."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        count = len(self.problems)
        lines = [f"{count} problem{'s' if count != 1 else ''} in the team folder:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class ProblemList:
    """Collects problems and warnings while reading, so all are reported at once.

    At most `limit` of each are kept (a wrong 50,000-row export would otherwise print
    50,000 lines); the rest are counted and reported as one line at the end.
    """

    def __init__(self, limit: int = 200) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.limit = limit
        self.more_errors = self.more_warnings = 0

    def error(self, file: str, message: str, row: int | None = None,
              column: str | None = None, hint: str = "") -> None:
        if len(self.errors) < self.limit:
            self.errors.append(Problem(file, message, row, column, hint))
        else:
            self.more_errors += 1

    def warn(self, file: str, message: str, row: int | None = None,
             column: str | None = None, hint: str = "") -> None:
        if len(self.warnings) < self.limit:
            self.warnings.append(Problem(file, message, row, column, hint))
        else:
            self.more_warnings += 1

    @property
    def error_count(self) -> int:
        """Errors recorded so far, kept or not."""
        return len(self.errors) + self.more_errors

    def raise_if_any(self) -> None:
        if self.errors:
            more = [Problem("(more)", f"{self.more_errors:,} more problems are not shown",
                            hint="Correct the ones above, which often fixes many of the rest, "
                                 "and run planner validate again")] if self.more_errors else []
            raise InputError(list(self.errors) + more)
