"""Retired event ids: a link to an id that was retired leads to the event that replaces it.

An id, once published, is never reused or silently dropped: when an event is merged into another
(a duplicate) or renamed, its id gets a row in retired.csv beside the events file, with the id that
replaces it, the date and why (Table Schema: dashboard/data/schema/retired.schema.json). The file is checked
against its events file where the events are loaded: every replacement is an event, no event uses a
retired id. No retired.csv means no retired ids.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .. import paths
from .csvfile import RawTable, read_table
from .dates import date_hint, is_partial_date
from .problems import EventsError, Problem, shown
from .schema import load_fields


def load_retired(events_path: Path | str | None, events: pd.DataFrame) -> dict[str, str]:
    """Retired id -> the id that replaces it, from the retired.csv beside ``events_path`` (default: the bundled one).

    Raises UnreadableFile or EventsError (every problem, located in retired.csv) like ``load_events``.
    """
    path = paths.retired_csv(Path(events_path) if events_path is not None else None)
    if not path.exists():
        return {}
    raw = read_table(path)
    problems = check_retired(raw, events)
    if problems:
        raise EventsError(path, problems)
    at = {name: raw.header.index(name) for name in ("id", "replaced_by")}
    return {row[at["id"]].strip(): row[at["replaced_by"]].strip() for row in raw.rows}


def check_retired(raw: RawTable, events: pd.DataFrame) -> list[Problem]:
    """Every problem of a retired-ids table: its columns, each cell, and its agreement with the events."""
    fields = {f.name: f for f in load_fields(paths.retired_schema_json())}
    problems = []
    for name in fields:
        if name not in raw.header:
            problems.append(Problem(raw.header_line, "header", f"missing column '{name}'; the columns are: {', '.join(fields)}"))
    for name in raw.header:
        if name not in fields:
            problems.append(Problem(raw.header_line, "header", f"unknown column {shown(name)}; the columns are: {', '.join(fields)}"))
    if problems:
        return problems
    event_lines = dict(zip(events["id"].tolist(), events["line"].tolist())) if "line" in events else dict.fromkeys(events["id"], 0)
    seen: dict[str, int] = {}
    for i, record in enumerate(raw.rows):
        line = raw.starts[i]
        if len(record) != len(raw.header):
            problems.append(Problem(line, "row", f"this row has {len(record)} cells but the header has {len(raw.header)}; "
                                                 "a cell that contains a comma must be wrapped in double quotes"))
            continue
        cells = {name: record[raw.header.index(name)].strip() for name in fields}
        at = {name: raw.line_of(i, raw.header.index(name)) for name in fields}  # (a quoted cell may span lines)
        for name, field in fields.items():
            value = cells[name]
            if field.required and not value:
                problems.append(Problem(at[name], name, f"is empty; every retired id needs {field.title.lower()} (e.g. {field.example!r})"))
            elif value and field.pattern and name != "date" and not re.fullmatch(field.pattern, value):
                problems.append(Problem(at[name], name, f"{shown(value)} is not a valid id; use lower-case letters, digits and hyphens"))
        old, new, date = cells["id"], cells["replaced_by"], cells["date"]
        if old in event_lines:
            problems.append(Problem(line, "id", f"{shown(old)} is still the id of an event (events file line {event_lines[old]}); "
                                                "a retired id must not be used by any event"))
        if old and old in seen:
            problems.append(Problem(line, "id", f"{shown(old)} is retired twice (first on line {seen[old]}); keep one row"))
        seen.setdefault(old, line)
        if new and new not in event_lines:
            close = difflib.get_close_matches(new[:100], list(event_lines), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            problems.append(Problem(at["replaced_by"], "replaced_by", f"{shown(new)} is not an event id; {hint}a retired id must lead to an event of the events file"))
        if date and not (len(date) == 10 and is_partial_date(date)):
            problems.append(Problem(at["date"], "date", date_hint(date) if not is_partial_date(date) else f"{shown(date)} is not a day; write YYYY-MM-DD"))
    return problems


def replacement(retired: Mapping[str, str], event: str) -> str:
    """The event a link to ``event`` leads to: its replacement if the id was retired, else the id itself."""
    return retired.get(event, event)
