"""Located problems in an events file, and the errors that carry them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

# Columns a problem can name besides the schema's own: the header line, a whole row, the whole file.
STRUCTURAL_COLUMNS = ("header", "row", "file")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an events file, printed as ``FILE:LINE: COLUMN: message``."""

    line: int
    column: str
    message: str
    path: str = ""

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


class EventsError(Exception):
    """The file was read but its content is not a valid events table (exit code 1)."""

    def __init__(self, path: str | Path, problems: list[Problem]):
        self.path = str(path)
        # a problem in another file (a registry beside the events file) keeps its own path and comes after
        located = (Problem(p.line, p.column, p.message, p.path or self.path) for p in problems)
        self.problems = sorted(located, key=lambda p: (p.path != self.path, p.path, p))
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
