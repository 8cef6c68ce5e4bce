"""What the user filters by, its round trip through the URL query, and applying it to events.

The dashboard, the export and the tests share these functions, so the same filters
always select the same events.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, urlencode

import numpy as np
import pandas as pd

from .dates import PARTIAL_RE, parse_partial_dates
from .schema import load_schema
from .search import MAX_SEARCH_CHARS, haystacks, search_words

HAYSTACK = "_haystack"
# the longest URL query read (the rest is ignored): room for dozens of actors, while a hostile
# megabyte-long link costs no more than this to parse (nginx's default header line is 8 kB too)
MAX_QUERY_CHARS = 8192


@dataclass(frozen=True)
class Filters:
    """A view of the events: every field empty means 'all events'."""

    categories: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    start: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD; events that end on or after it
    end: str = ""  # events that begin on or before it (its whole day, month or year)
    text: str = ""
    place: str = ""

    @property
    def is_empty(self) -> bool:
        return self == Filters()

    def with_changes(self, **changes) -> Filters:
        return replace(self, **changes)

    def to_query(self, event: str = "") -> str:
        """The URL query for this view ('' when nothing is filtered or selected)."""
        pairs = [("category", c) for c in self.categories] + [("actor", a) for a in self.actors]
        pairs += [(k, v) for k, v in (("from", self.start), ("to", self.end), ("q", self.text), ("place", self.place), ("event", event)) if v]
        return "?" + urlencode(pairs, errors="replace") if pairs else ""  # (a lone surrogate sent by hand: '?')

    @classmethod
    def from_query(cls, query: str | None) -> tuple[Filters, str]:
        """Filters and selected event id from a URL query; unknown or malformed values are ignored."""
        params = parse_qs((query or "")[:MAX_QUERY_CHARS].lstrip("?"), keep_blank_values=False)

        def one(key: str) -> str:
            return params.get(key, [""])[-1].strip()

        def day(key: str) -> str:
            value = one(key)
            return value if PARTIAL_RE.fullmatch(value) else ""

        filters = cls(
            categories=tuple(dict.fromkeys(params.get("category", []))),
            actors=tuple(dict.fromkeys(params.get("actor", []))),
            start=day("from"), end=day("to"), text=one("q")[:MAX_SEARCH_CHARS].strip(), place=one("place"),
        )
        return filters, one("event")


def prepare(events: pd.DataFrame) -> pd.DataFrame:
    """Add the folded search text once per dataset (search.py's rule), so each search is one vectorised scan."""
    title, description, place = (events[c].fillna("").tolist() for c in ("title", "description", "place"))
    actors = map("; ".join, events["actors"].tolist())
    haystack = pd.Series(haystacks(list(map("\n".join, zip(title, description, actors, place)))),
                         index=events.index, dtype=events["title"].dtype)
    return events.assign(**{HAYSTACK: haystack})


def filter_mask(events: pd.DataFrame, filters: Filters) -> np.ndarray:
    """Boolean mask of the events the filters keep."""
    mask = np.ones(len(events), dtype=bool)
    if filters.categories:
        mask &= events["category"].isin(filters.categories).to_numpy()
    if filters.actors:
        disjoint = set(filters.actors).isdisjoint
        mask &= ~np.fromiter(map(disjoint, events["actors"].tolist()), dtype=bool, count=len(events))
    if filters.place:
        mask &= (events["place"] == filters.place).to_numpy()
    bounds = parse_partial_dates(pd.Series([filters.start, filters.end]))
    if filters.start and pd.notna(bounds["start"].iat[0]):
        mask &= (events["end"] > bounds["start"].iat[0]).to_numpy()
    if filters.end and pd.notna(bounds["stop"].iat[1]):
        mask &= (events["start"] < bounds["stop"].iat[1]).to_numpy()
    words = search_words(filters.text)
    if words:
        haystack = events[HAYSTACK] if HAYSTACK in events else prepare(events)[HAYSTACK]
        # at most MAX_SEARCH_WORDS scans, whatever the search; each word scans only the events the
        # others left (longest first: usually the rarest), so a search stops costing once nothing is left
        for word in sorted(words, key=len, reverse=True):
            rows = np.flatnonzero(mask)
            if not len(rows):
                break
            mask[rows] = haystack.iloc[rows].str.contains(" " + word, regex=False).to_numpy()
    return mask


def apply_filters(events: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The events the filters keep, in time order."""
    return events[filter_mask(events, filters)]


def all_actors(events: pd.DataFrame) -> list[str]:
    """Every actor named in the data, most frequent first (ties alphabetical)."""
    counts = events["actors"].explode().dropna().value_counts()
    return sorted(counts.index, key=lambda a: (-counts[a], a))


@dataclass(frozen=True)
class Known:
    """The values a filter can take in one dataset."""

    categories: frozenset[str]
    actors: frozenset[str]
    places: frozenset[str]
    ids: frozenset[str]


def known_values(events: pd.DataFrame) -> Known:
    # (every category of the schema: one with no events yet still filters, to nothing)
    return Known(frozenset(load_schema().category_values).union(events["category"]), frozenset(events["actors"].explode().dropna()),
                 frozenset(events["place"]), frozenset(events["id"]))


def canonical(filters: Filters, event: str, known: Known) -> tuple[Filters, str]:
    """The same view as a cache key: only values that exist in the data, in a fixed order, dates
    that parse, the search as the words it looks for, an event id that exists ('' otherwise).

    A request's own strings (a megabyte-long event id, a thousand made-up actors) never reach a
    cache; and unknown values are ignored, as a link with a mistyped value should be.
    """
    bounds = parse_partial_dates(pd.Series([filters.start, filters.end]))
    return Filters(
        categories=tuple(sorted(known.categories.intersection(filters.categories))),
        actors=tuple(sorted(known.actors.intersection(filters.actors))),
        start=filters.start if pd.notna(bounds["start"].iat[0]) else "",
        end=filters.end if pd.notna(bounds["stop"].iat[1]) else "",
        text=" ".join(search_words(filters.text)),
        place=filters.place if filters.place in known.places else "",
    ), event if event in known.ids else ""
