"""How the dashboard's view state moves when the user does something.

Pure functions: given what was triggered and the current controls, return the new
Filters and selected event. The one Dash callback that keeps URL and controls in sync
only translates component values into these calls.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from . import ids

from .filters import Filters, apply_filters


INDEPENDENT_ON = "on"  # the value of the ticked 'Independently sourced' checkbox


def from_controls(categories, actors, start, end, text, place: str = "", independent=None) -> Filters:
    """Filters from the controls' values (``independent``: the value list of the 'Independently sourced' checkbox)."""
    return Filters(
        categories=tuple(categories or ()),
        actors=tuple(actors or ()),
        start=(start or "")[:10],
        end=(end or "")[:10],
        text=(text or "").strip(),
        place=place or "",
        independent=bool(independent),
    )


def step_event(events: pd.DataFrame, filters: Filters, current: str, step: int) -> str:
    """The event before/after ``current`` among the filtered events in time order (wraps at the ends)."""
    ids = list(apply_filters(events, filters)["id"])
    if not ids:
        return ""
    if current not in ids:
        return ids[0] if step > 0 else ids[-1]
    return ids[(ids.index(current) + step) % len(ids)]


def range_from_relayout(relayout: dict | None) -> tuple[str, str] | None:
    """The date range of a timeline zoom, ('', '') for a reset, None when the x range did not change."""
    if not relayout:
        return None
    if relayout.get("xaxis.autorange") or relayout.get("autosize"):
        return ("", "") if relayout.get("xaxis.autorange") else None
    lo, hi = relayout.get("xaxis.range[0]"), relayout.get("xaxis.range[1]")
    if lo is None and "xaxis.range" in relayout:
        lo, hi = relayout["xaxis.range"]
    if lo is None or hi is None:
        return None
    return str(lo)[:10], str(hi)[:10]


def range_from_selection(selected: dict | None) -> tuple[str, str] | None:
    """The date range brushed on the monthly chart (its x selection range)."""
    if not selected or "range" not in selected or "x" not in selected["range"]:
        return None
    lo, hi = selected["range"]["x"]
    return str(lo)[:10], str(hi)[:10]


def next_table_view(view, trigger, text: str | None):
    """The table's sort, page and search after a click on a header, a pager button or new filters."""
    text = (text or "").strip()
    if isinstance(trigger, dict) and trigger.get("type") == ids.TABLE_SORT:
        column = trigger["column"]
        descending = not view.descending if column == view.sort else False
        return replace(view, sort=column, descending=descending, page=0)
    if trigger == ids.TABLE_PREV:
        return replace(view, page=view.page - 1)
    if trigger == ids.TABLE_NEXT:
        return replace(view, page=view.page + 1)
    # new filters or a new table search start again at the first page
    return replace(view, search=text, page=0)
