"""What changed between two versions of an events table: events added, removed and changed, field by field.

``diff_events`` is a pure function of two loaded frames (``load_events``); ``diff_lines`` words the result
for a reviewer, bounded: long values are cut around the first difference, long lists end with a count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .cells import format_figure, format_source
from .problems import shown
from .schema import load_schema

MAX_EVENTS = 200  # events listed per section unless every one is asked for
MAX_ITEMS = 10  # items of a multi-value cell listed as added or removed
CONTEXT = 80  # characters shown of a changed value, around where it first differs


@dataclass(frozen=True)
class FieldChange:
    """One field of one event: the old and new text, or for a multi-value field the items added and removed."""

    field: str
    old: str = ""
    new: str = ""
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    multi: bool = False

    @property
    def reordered(self) -> bool:
        return self.multi and not self.added and not self.removed


@dataclass(frozen=True)
class EventsDiff:
    added: tuple[str, ...]  # ids, in the new table's order
    removed: tuple[str, ...]  # ids, in the old table's order
    changed: tuple[tuple[str, tuple[FieldChange, ...]], ...]  # (id, its changes), in the new table's order

    @property
    def equal(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _text(value) -> str:
    """A cell of a loaded frame as written in the CSV (numbers in their shortest exact form)."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return np.format_float_positional(value, trim="-") if isinstance(value, float) else str(value)


# the multi-value fields, one text per item as written in the CSV
_ITEMS = {"actors": lambda v: list(v), "figures": lambda v: [format_figure(f) for f in v],
          "sources": lambda v: [format_source(s) for s in v]}


def _values(events: pd.DataFrame, field: str) -> list:
    return list(map(_ITEMS.get(field, _text), events[field].tolist()))


def _items_change(field: str, old: list[str], new: list[str]) -> FieldChange:
    """Items added and removed (as multisets, in their order of appearance); neither when only the order changed."""
    gone, come = Counter(old) - Counter(new), Counter(new) - Counter(old)

    def take(items: list[str], counts: Counter) -> tuple[str, ...]:
        out = []
        for item in items:
            if counts[item] > 0:
                counts[item] -= 1
                out.append(item)
        return tuple(out)

    return FieldChange(field, added=take(new, come), removed=take(old, gone), multi=True)


def diff_events(old: pd.DataFrame, new: pd.DataFrame) -> EventsDiff:
    """Events added, removed and changed (by id) from ``old`` to ``new``, field by field in the schema's order."""
    fields = [name for name in load_schema().names if name != "id"]
    old_ids, new_ids = old["id"].tolist(), new["id"].tolist()
    old_at = {event: i for i, event in enumerate(old_ids)}
    new_set = set(new_ids)
    added = tuple(event for event in new_ids if event not in old_at)
    removed = tuple(event for event in old_ids if event not in new_set)
    old_values = {field: _values(old, field) for field in fields}
    new_values = {field: _values(new, field) for field in fields}
    changed = []
    for j, event in enumerate(new_ids):
        i = old_at.get(event)
        if i is None:
            continue
        changes = []
        for field in fields:
            before, after = old_values[field][i], new_values[field][j]
            if before == after:
                continue
            changes.append(_items_change(field, before, after) if field in _ITEMS else FieldChange(field, before, after))
        if changes:
            changed.append((event, tuple(changes)))
    return EventsDiff(added, removed, tuple(changed))


def _excerpts(old: str, new: str) -> tuple[str, str]:
    """The two values quoted, each cut to about CONTEXT characters around where they first differ."""
    if len(old) <= CONTEXT and len(new) <= CONTEXT:
        return shown(old, CONTEXT + 1), shown(new, CONTEXT + 1)
    same = next((k for k, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    start = max(0, same - CONTEXT // 4)

    def cut(text: str) -> str:
        part = text[start:start + CONTEXT]
        return ("…" if start else "") + shown(part, CONTEXT + 1) + ("…" if start + CONTEXT < len(text) else "") + \
            (f" ({len(text):,} characters)" if len(text) > CONTEXT else "")

    return cut(old), cut(new)


def _change_lines(change: FieldChange) -> list[str]:
    if not change.multi:
        before, after = _excerpts(change.old, change.new)
        if len(before) + len(after) <= CONTEXT:
            return [f"    {change.field}: {before} → {after}"]
        return [f"    {change.field}:", f"      - {before}", f"      + {after}"]
    if change.reordered:
        return [f"    {change.field}: same items, new order"]
    lines = [f"    {change.field}:"]
    for sign, items in (("+", change.added), ("-", change.removed)):
        lines += [f"      {sign} {shown(item, 2 * CONTEXT)}" for item in items[:MAX_ITEMS]]
        if len(items) > MAX_ITEMS:
            lines.append(f"      {sign} … and {len(items) - MAX_ITEMS} more")
    return lines


def _event_line(events: pd.DataFrame, event: str, at: dict[str, int]) -> str:
    i = at[event]
    return f"{event}  {events['date'].iat[i]}  {shown(events['title'].iat[i], CONTEXT)}"


def diff_lines(diff: EventsDiff, old: pd.DataFrame, new: pd.DataFrame, *, names: tuple[str, str] = ("OLD", "NEW"),
               retired: Mapping[str, str] | None = None, limit: int | None = MAX_EVENTS) -> list[str]:
    """The report of ``diff``: a summary line, then each added, removed and changed event (at most ``limit``
    per section; None for all). ``retired`` (the new table's retired ids) says which removed ids were retired."""
    total = f"{len(old):,} → {len(new):,} events"
    if diff.equal:
        return [f"{names[0]} and {names[1]} hold the same {len(new):,} event{'' if len(new) == 1 else 's'}"]
    lines = [f"{names[0]} → {names[1]}: {total}; {len(diff.added):,} added, {len(diff.removed):,} removed, "
             f"{len(diff.changed):,} changed"]
    old_at = {event: i for i, event in enumerate(old["id"].tolist())}
    new_at = {event: i for i, event in enumerate(new["id"].tolist())}
    retired = retired or {}

    def section(title: str, entries: list, render) -> None:
        if not entries:
            return
        lines.append("")
        lines.append(f"{title} ({len(entries):,}):")
        for entry in entries[:limit]:
            lines.extend(render(entry))
        if limit is not None and len(entries) > limit:
            lines.append(f"  … and {len(entries) - limit:,} more (--all lists every one)")

    section("Added", list(diff.added), lambda event: [f"  + {_event_line(new, event, new_at)}"])
    section("Removed", list(diff.removed), lambda event: [
        f"  - {_event_line(old, event, old_at)}" + (f"  (retired: replaced by {retired[event]})" if event in retired else "")])
    section("Changed", list(diff.changed), lambda entry: [f"  ~ {_event_line(new, entry[0], new_at)}"]
            + [line for change in entry[1] for line in _change_lines(change)])
    return lines
