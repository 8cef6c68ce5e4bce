"""A link's view checked against the data: values the data does not know are dropped and named.

A shared link can outlive the data it was made from (an event removed, an actor renamed) or
be mistyped. Rather than silently showing no events, the dashboard shows everything else the
link asks for and says which values it ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from itertools import chain
from urllib.parse import parse_qs

import pandas as pd

from ..data.dates import MAX_YEAR, MIN_YEAR, PARTIAL_RE, is_partial_date
from ..data.filters import ACTOR_KEYS, Filters
from ..data.problems import shown
from ..data.schema import load_schema
from ..views.story import slide_count
from .state import read_story, story_value

NOTICE_MAX = 5  # values named in the notice; the rest are counted


@dataclass(frozen=True)
class Known:
    """The values a link may name in one dataset."""

    categories: frozenset[str]
    actors: frozenset[str]
    places: frozenset[str]
    ids: frozenset[str]
    slides: int = 0  # key events, so story slides 0..slides exist (views/story.py)

    @classmethod
    def of(cls, events: pd.DataFrame) -> Known:
        # (every category of the schema: one with no events yet still filters, to nothing)
        # plain lists: pandas' explode takes seconds at 100,000 events
        return cls(categories=frozenset(load_schema().category_values),
                   # (with the bodies above them where the registry gave them: NIS for Cho Tae-yong)
                   actors=frozenset(chain.from_iterable(events[ACTOR_KEYS if ACTOR_KEYS in events else "actors"].tolist())),
                   places=frozenset(events["place"].dropna().tolist()) - {""},
                   ids=frozenset(events["id"].tolist()), slides=slide_count(events))


@dataclass(frozen=True)
class Link:
    filters: Filters
    event: str
    ignored: tuple[str, ...] = ()  # e.g. "category 'bogus' (no such category)", one per dropped value
    story: int | None = None  # the story slide (?story=N), None outside story mode


def date_problem(value: str) -> str:
    """Why a date in a link cannot be used ('' when it can)."""
    # (the data's own years: plotly.js and the browser's date inputs also fail on dates near year 1)
    if PARTIAL_RE.fullmatch(value) and not MIN_YEAR <= int(value[:4]) <= MAX_YEAR:
        return f"outside the years {MIN_YEAR}–{MAX_YEAR}"
    if not is_partial_date(value):
        return "not a date: write YYYY-MM-DD, YYYY-MM or YYYY"
    return ""


def read_link(search: str | None, known: Known, retired: Mapping[str, str] | None = None) -> Link:
    """The view a URL query asks for, keeping only values that exist in the data; a retired event id
    (in ``retired``) leads to the event that replaces it."""
    filters, event = Filters.from_query(search)
    event = (retired or {}).get(event, event)
    params = parse_qs((search or "").lstrip("?"))
    ignored: list[str] = []

    def keep(key: str, values, allowed, why: str) -> tuple[str, ...]:
        kept = tuple(v for v in values if v in allowed)
        ignored.extend(f"{key} {shown(v)} ({why})" for v in values if v not in allowed)
        return kept

    def keep_one(key: str, value: str, allowed, why: str) -> str:
        kept = keep(key, (value,) if value else (), allowed, why)
        return kept[0] if kept else ""

    categories = keep("category", filters.categories, known.categories, "no such category")
    actors = keep("actor", filters.actors, known.actors, "no such actor in the data")
    place = keep_one("place", filters.place, known.places, "no such place in the data")
    event = keep_one("event", event, known.ids, "no such event in the data")
    dates = {}
    for key, field in (("from", "start"), ("to", "end")):
        # Filters.from_query already drops text not shaped like a date; name it here too
        raw = params.get(key, [""])[-1].strip()
        problem = date_problem(raw) if raw else ""
        if problem:
            ignored.append(f"{key} {shown(raw)} ({problem})")
        dates[field] = "" if problem else getattr(filters, field)
    story, problem = read_story(search, known.slides)
    if problem:
        ignored.append(f"story {shown(story_value(search))} ({problem})")
    filters = replace(filters, categories=categories, actors=actors, place=place, **dates)
    return Link(filters, event, tuple(ignored), story)


def notice_text(ignored: tuple[str, ...], *, in_link: bool = True) -> str:
    """One line naming what a link (or a control) asked for that the dashboard ignored ('' for nothing)."""
    if not ignored:
        return ""
    more = len(ignored) - NOTICE_MAX
    return ("Ignored in the link: " if in_link else "Ignored: ") + "; ".join(ignored[:NOTICE_MAX]) + (f"; and {more:,} more" if more > 0 else "") + "."
