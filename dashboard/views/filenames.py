"""File names for a chart's downloaded image that say what it shows, e.g.
'dprk-timeline-events-treaty-2024-06-to-2024-12': short, and safe on every file system."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from ..data.filters import Filters

# what each chart draws, as the file name says it
CHART_WORDS = {"timeline": "events", "map": "places", "monthly": "events-per-month", "claims": "reported-figures"}
NAME_MAX = 80  # characters: room for the date range after a category or two and a place
MAX_NAMED = 2  # more categories or actors than this are left out of the name (it would only grow)


def slug(text: str) -> str:
    """Lower-case ASCII letters, digits and single hyphens: safe in a file name on every system."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _month(values: pd.Series, last: bool) -> str:
    valid = values.dropna()
    if valid.empty:
        return ""
    when = valid.max() - pd.Timedelta(days=1) if last else valid.min()  # 'end' is the day after an event
    return f"{when:%Y-%m}"


def chart_filename(chart: str, events: pd.DataFrame, filters: Filters = Filters()) -> str:
    """The image file name (without extension) of ``chart`` drawing ``events``: the chart, the categories,
    actors and place chosen (up to two of each), and the months its events span."""
    head = f"dprk-timeline-{CHART_WORDS.get(chart, chart)}"
    chosen = [*(filters.categories if len(filters.categories) <= MAX_NAMED else ()),
              *(filters.actors if len(filters.actors) <= MAX_NAMED else ()), filters.place]
    middle = "-".join(filter(None, map(slug, chosen)))
    span = ""
    if len(events):
        first, last = _month(events["start"], False), _month(events["end"], True)
        span = first if first == last else f"{first}-to-{last}"
    # a long choice is cut (at a hyphen where there is one), never the chart's name or its months
    room = NAME_MAX - len(head) - (len(span) + 1 if span else 0) - 1
    if len(middle) > room:
        middle = middle[:room + 1].rsplit("-", 1)[0] if "-" in middle[:room + 1] else middle[:room]
    return "-".join(part for part in (head, middle, span) if part)
