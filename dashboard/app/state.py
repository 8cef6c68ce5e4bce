"""How the dashboard's view state moves when the user does something.

Pure functions: given what was triggered and the current controls, return the new
Filters and selected event. The one Dash callback that keeps URL and controls in sync
only translates component values into these calls.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs

import pandas as pd

from . import ids

from ..data.dates import PARTIAL_RE
from ..data.filters import MAX_QUERY_CHARS, Filters, apply_filters, filter_mask
from ..data.search import MAX_SEARCH_CHARS
from ..data.summary import date_span
from ..views.table import COLUMNS


INDEPENDENT_ON = "on"  # the value of the ticked 'Independently sourced' checkbox


def from_controls(categories, actors, start, end, text, place: str = "", independent=None) -> Filters:
    """Filters from the controls' values (``independent``: the value list of the 'Independently sourced' checkbox)."""
    return Filters(
        categories=tuple(categories or ()),
        actors=tuple(actors or ()),
        start=(start or "")[:10],
        end=(end or "")[:10],
        text=(text or "")[:MAX_SEARCH_CHARS].strip(),
        place=place or "",
        independent=bool(independent),
    )


def year_in_progress(value: str | None) -> bool:
    """A date input's value while its year is being typed: the browser reports '0002-07-01', '0020-07-01'
    and '0202-07-01' on the way to '2025-07-01'. Such a date is not applied (nor a message shown) yet."""
    return bool(value) and not ("1000" <= value[:4] <= "9999")


def date_range_message(start: str | None, end: str | None, events: pd.DataFrame) -> str:
    """What the date inputs (full days, 'YYYY-MM-DD') can select: '' when fine, else why nothing."""
    start, end = (start or "")[:10], (end or "")[:10]
    if start and end and start > end:
        return "From is after To: no events can match; swap them."
    if (start or end) and len(events) and not filter_mask(events, Filters(start=start, end=end)).any():
        first, last = date_span(events)
        return (f"No event falls between {start or 'the first event'} and {end or 'the last event'}: "
                f"the data runs from {first} to {last}.")
    return ""


def step_event(events: pd.DataFrame, filters: Filters, current: str, step: int) -> str:
    """The event before/after ``current`` among the filtered events in time order (wraps at the ends)."""
    ids = list(apply_filters(events, filters)["id"])
    if not ids:
        return ""
    if current not in ids:
        return ids[0] if step > 0 else ids[-1]
    return ids[(ids.index(current) + step) % len(ids)]


STORY_KEY = "story"  # ?story=N: the slide of story mode (0: the title slide, 1..N: the key events)


def story_value(query: str | None) -> str:
    """The raw value of ``story=`` in a URL query ('' without one)."""
    params = parse_qs((query or "")[:MAX_QUERY_CHARS].lstrip("?"), keep_blank_values=True)
    return params.get(STORY_KEY, [""])[-1].strip()


def read_story(query: str | None, slides: int) -> tuple[int | None, str]:
    """The story slide a URL query asks for (None: not in story mode) and why its value cannot be used
    ('' when it can). ``slides`` is the number of key events: slide numbers run from 0 to it."""
    raw = story_value(query)
    if not raw:
        return None, ""
    if not (raw.isascii() and raw.isdigit()):
        return None, f"not a slide number: 0 to {slides}"
    step = int(raw[:6]) if len(raw) <= 6 else slides + 1  # (a thousand digits are out of range too)
    if step > slides:
        return None, f"no such slide: 0 to {slides}" if slides else "no key events to tell"
    return step, ""


def with_story(query: str, step: int | None) -> str:
    """A view's URL query (Filters.to_query) with the story slide after everything else: '?category=treaty&story=3'."""
    if step is None:
        return query
    return f"{query}&{STORY_KEY}={step}" if query else f"?{STORY_KEY}={step}"


def step_story(trigger, step: int | None, slides: int) -> int | None:
    """The story slide after a click on Story, ← / →, or Leave story (None: the story is left)."""
    if trigger == ids.STORY_START:
        return 0
    if trigger == ids.STORY_LEAVE:
        return None
    if step is None:  # stepping needs a story under way
        return None
    if trigger == ids.STORY_PREV:
        return max(step - 1, 0)
    if trigger == ids.STORY_NEXT:
        return min(step + 1, slides)
    return step


def clicked(click: dict | None) -> str | None:
    """The id a chart click carries (its first point's customdata); None for a click without one
    (a count bar, or a malformed click sent by hand)."""
    points = click.get("points") if isinstance(click, dict) else None
    point = points[0] if isinstance(points, list) and points else None
    value = point.get("customdata") if isinstance(point, dict) else None
    return value if isinstance(value, str) else None


def _day_pair(lo, hi) -> tuple[str, str] | None:
    """Two axis values as dates ('2024-06-19 12:00' -> '2024-06-19'); None unless both are dates."""
    pair = (str(lo)[:10], str(hi)[:10]) if isinstance(lo, (str, int, float)) and isinstance(hi, (str, int, float)) else None
    return pair if pair and all(PARTIAL_RE.fullmatch(d) for d in pair) else None


def range_from_relayout(relayout: dict | None) -> tuple[str, str] | None:
    """The date range of a timeline zoom, ('', '') for a reset, None when the x range did not change."""
    if not isinstance(relayout, dict) or not relayout:
        return None
    if relayout.get("xaxis.autorange") or relayout.get("autosize"):
        return ("", "") if relayout.get("xaxis.autorange") else None
    lo, hi = relayout.get("xaxis.range[0]"), relayout.get("xaxis.range[1]")
    if lo is None and isinstance(relayout.get("xaxis.range"), list) and len(relayout["xaxis.range"]) == 2:
        lo, hi = relayout["xaxis.range"]
    if lo is None or hi is None:
        return None
    return _day_pair(lo, hi)


def range_from_selection(selected: dict | None, months: int = 1) -> tuple[str, str] | None:
    """The months brushed on the monthly chart, snapped to its bars of ``months`` months (counted from
    January 2000, as plotly counts periods): from the first month of the first bar touched to the last
    month of the last one, as ('YYYY-MM', 'YYYY-MM'). None when the brush has no usable x range."""
    span = selected.get("range") if isinstance(selected, dict) else None
    x = span.get("x") if isinstance(span, dict) else None
    if not isinstance(x, list) or len(x) != 2:
        return None
    try:
        lo, hi = sorted(pd.Timestamp(str(v)) for v in x)
    except (TypeError, ValueError):
        return None
    if pd.isna(lo) or pd.isna(hi):
        return None
    first, last = (t.year * 12 + t.month - 1 for t in (lo, hi))
    if hi > lo and hi == hi.to_period("M").start_time:  # a brush ending on a month's first instant stops before it
        last -= 1
    first -= (first - 24000) % months
    last += months - 1 - (last - 24000) % months
    return tuple(f"{m // 12:04d}-{m % 12 + 1:02d}" for m in (first, last))


def next_table_view(view, trigger, text: str | None):
    """The table's sort, page and search after a click on a header, a pager button or new filters."""
    text = (text or "").strip()
    if isinstance(trigger, dict) and trigger.get("type") == ids.TABLE_SORT:
        column = trigger.get("column")
        if not isinstance(column, str) or column not in COLUMNS:  # a made-up column: nothing to do
            return view
        descending = not view.descending if column == view.sort else False
        return replace(view, sort=column, descending=descending, page=0)
    if trigger == ids.TABLE_PREV:
        return replace(view, page=view.page - 1)
    if trigger == ids.TABLE_NEXT:
        return replace(view, page=view.page + 1)
    # new filters or a new table search start again at the first page
    return replace(view, search=text, page=0)
