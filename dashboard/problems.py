"""Located problems in an events file, and the errors that carry them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an events file, printed as ``FILE:LINE: COLUMN: message``."""

    line: int
    column: str
    message: str
    path: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.column}: {self.message}"


class EventsError(Exception):
    """The file was read but its content is not a valid events table (exit code 1)."""

    def __init__(self, path: str | Path, problems: list[Problem]):
        self.path = str(path)
        self.problems = sorted(Problem(p.line, p.column, p.message, self.path) for p in problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnreadableFile(Exception):
    """The file could not be opened or read at all (exit code 2)."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")
