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

HAYSTACK = "_haystack"


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
        return "?" + urlencode(pairs) if pairs else ""

    @classmethod
    def from_query(cls, query: str | None) -> tuple[Filters, str]:
        """Filters and selected event id from a URL query; unknown or malformed values are ignored."""
        params = parse_qs((query or "").lstrip("?"), keep_blank_values=False)

        def one(key: str) -> str:
            return params.get(key, [""])[-1].strip()

        def day(key: str) -> str:
            value = one(key)
            return value if PARTIAL_RE.fullmatch(value) else ""

        filters = cls(
            categories=tuple(dict.fromkeys(params.get("category", []))),
            actors=tuple(dict.fromkeys(params.get("actor", []))),
            start=day("from"), end=day("to"), text=one("q"), place=one("place"),
        )
        return filters, one("event")


def prepare(events: pd.DataFrame) -> pd.DataFrame:
    """Add the lower-case search text once per dataset, so each search is one vectorised scan."""
    parts = [events["title"], events["description"], events["place"]]
    if any(part.isna().any() for part in parts):  # never for loaded events; keep pandas' NaN rule
        haystack = (events["title"] + "\n" + events["description"] + "\n" + events["actors"].map("; ".join) + "\n" + events["place"]).str.lower()
    else:  # the same text, joined and lowered in C loops over plain lists
        title, description, place = (part.tolist() for part in parts)
        actors = map("; ".join, events["actors"].tolist())
        text = map(str.lower, map("\n".join, zip(title, description, actors, place)))
        haystack = pd.Series(list(text), index=events.index, dtype=events["title"].dtype)
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
    if filters.text.strip():
        haystack = events[HAYSTACK] if HAYSTACK in events else prepare(events)[HAYSTACK]
        for word in filters.text.lower().split():
            mask &= haystack.str.contains(word, regex=False).to_numpy()
    return mask


def apply_filters(events: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The events the filters keep, in time order."""
    return events[filter_mask(events, filters)]


def all_actors(events: pd.DataFrame) -> list[str]:
    """Every actor named in the data, most frequent first (ties alphabetical)."""
    counts = events["actors"].explode().dropna().value_counts()
    return sorted(counts.index, key=lambda a: (-counts[a], a))
