"""Located problems in an events file, and the errors that carry them."""

from __future__ import annotations

import shlex
import unicodedata
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path

# Columns a problem can name besides the schema's own: the header line, a whole row, the whole file.
STRUCTURAL_COLUMNS = ("header", "row", "file")
# Of each kind of problem (one rule in one column) the first this many are listed; the rest are counted
# in one line. A file where every row repeats one mistake then gives a short, readable report (and bounded
# memory) instead of one line per row; as with Frictionless's limit on errors, but no problem goes uncounted.
SHOWN_PER_KIND = 20


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an events file, printed as ``FILE:LINE: COLUMN: message``.

    ``hidden`` > 0 marks the line that stands for that many further problems of one kind, not listed.
    """

    line: int
    column: str
    message: str
    path: str = ""
    hidden: int = field(default=0, compare=False)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.column}: {self.message}"


def shown(value: str, limit: int = 60) -> str:
    """A cell's text quoted for an error message: invisible characters escaped, long text cut.

    Control, format (bidi overrides, zero-width) and line/paragraph separator characters are
    written as \\uXXXX so a message can never be reordered or hidden by the text it quotes.
    """
    out = []
    for ch in value[:limit]:
        if ch == "\n":
            out.append("\\n")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    if len(value) > limit:
        return "'" + "".join(out) + f"...' ({len(value):,} characters)"
    return "'" + "".join(out) + "'"


def count(problems: list[Problem]) -> int:
    """How many problems a list stands for, the ones not shown included."""
    return sum(p.hidden or 1 for p in problems)


class ProblemLog:
    """Collects problems, keeping the first SHOWN_PER_KIND of each kind and counting the others.

    ``line`` and ``message`` may be functions, called only for a problem that is kept: a problem
    past the limit costs a count, not a message.
    """

    def __init__(self, shown_per_kind: int = SHOWN_PER_KIND):
        self.limit = shown_per_kind
        self._kept: list[Problem] = []
        self._seen: dict[Hashable, int] = {}
        self._first_hidden: dict[Hashable, tuple[int, str]] = {}
        self._first_line: dict[Hashable, int] = {}

    def add(self, kind: Hashable, line: int | Callable[[], int], column: str, message: str | Callable[[], str]) -> None:
        seen = self._seen.get(kind, 0)
        self._seen[kind] = seen + 1
        if seen < self.limit:
            problem = Problem(line() if callable(line) else line, column, message() if callable(message) else message)
            self._kept.append(problem)
            self._first_line.setdefault(kind, problem.line)
        elif seen == self.limit:
            self._first_hidden[kind] = (line() if callable(line) else line, column)

    def add_rows(self, kind: Hashable, rows: list[int], line: Callable[[int], int], column: str, message: Callable[[int], str]) -> None:
        """One problem per row (in order): only the first rows' lines and messages are worked out."""
        for row in rows[:self.limit + 1]:
            self.add(kind, lambda: line(row), column, lambda: message(row))
        if len(rows) > self.limit + 1:
            self._seen[kind] += len(rows) - self.limit - 1

    def __bool__(self) -> bool:
        return bool(self._seen)

    def problems(self) -> list[Problem]:
        """The kept problems, and for each kind past the limit one line counting the rest (at the first not shown)."""
        out = list(self._kept)
        for kind, (line, column) in self._first_hidden.items():
            n = self._seen[kind] - self.limit
            first = self._first_line.get(kind, line)
            out.append(Problem(line, column, f"{n:,} more problem{'s' if n != 1 else ''} of the same kind as on line {first:,}, from this line on (not shown)", hidden=n))
        return out


class EventsError(Exception):
    """The file was read but its content is not a valid events table (exit code 1)."""

    def __init__(self, path: str | Path, problems: list[Problem]):
        self.path = str(path)
        # a problem in another file (a registry beside the events file) keeps its own path and comes after
        located = (Problem(p.line, p.column, p.message, p.path or self.path, p.hidden) for p in problems)
        self.problems = sorted(located, key=lambda p: (p.path != self.path, p.path, p))
        self.count = count(self.problems)  # problems found, including those not listed
        super().__init__("\n".join(str(p) for p in self.problems))


class UnreadableFile(Exception):
    """The file could not be opened or read at all (exit code 2)."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    @property
    def problems(self) -> list[Problem]:
        """The reason as one located problem, so callers can treat both errors alike."""
        return [Problem(1, "file", self.reason, self.path)]


def error_lines(err: UnreadableFile | EventsError) -> list[str]:
    """What to print for an unreadable or invalid events file (the CLI and the WSGI entry point alike):
    every located problem, then how many there are and the command that checks the file again."""
    if isinstance(err, UnreadableFile):
        return [f"error: {err}"]
    lines = [str(problem) for problem in err.problems]
    again = f"dprk-timeline validate {shlex.quote(str(err.path))}"  # the command that checks this very file
    hidden = " (not all listed)" if err.count > len(err.problems) - sum(1 for p in err.problems if p.hidden) else ""
    if err.count == 1:
        lines.append(f"{err.path}: 1 problem; fix it and run '{again}' again")
    else:
        lines.append(f"{err.path}: {err.count:,} problems{hidden}; fix them and run '{again}' again")
    return lines
