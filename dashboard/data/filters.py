"""What the user filters by, its round trip through the URL query, and applying it to events.

The dashboard, the export and the tests share these functions, so the same filters
always select the same events.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import chain
from operator import itemgetter
from urllib.parse import parse_qs, urlencode

import numpy as np
import pandas as pd

from .dates import PARTIAL_RE, is_partial_date, parse_partial_dates
from .registry import Registry, bundled_registry
from .schema import load_schema
from .search import MAX_SEARCH_CHARS, haystacks, search_words

HAYSTACK = "_haystack"
ACTOR_KEYS = "_actor_keys"  # each event's actors and the bodies above them (the actor filter matches these)
INDEPENDENT = "_independent"  # whether an event has a source that is not Russian or DPRK state media
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
    independent: bool = False  # only events with a source that is not state media of Russia or the DPRK

    @property
    def is_empty(self) -> bool:
        return self == Filters()

    @property
    def active(self) -> int:
        """How many filters are set: each category and actor, each date bound, the search, the place and
        the independence filter count one (what the phone's "Filters (N active)" button says)."""
        return (len(self.categories) + len(self.actors) + bool(self.start) + bool(self.end) + bool(self.text)
                + bool(self.place) + self.independent)

    def with_changes(self, **changes) -> Filters:
        return replace(self, **changes)

    def to_query(self, event: str = "") -> str:
        """The URL query for this view ('' when nothing is filtered or selected)."""
        pairs = [("category", c) for c in self.categories] + [("actor", a) for a in self.actors]
        pairs += [(k, v) for k, v in (("from", self.start), ("to", self.end), ("q", self.text), ("place", self.place),
                                      ("indep", "1" if self.independent else ""), ("event", event)) if v]
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
            independent=one("indep") == "1",
        )
        return filters, one("event")


def prepare(events: pd.DataFrame, registry: Registry | None = None) -> pd.DataFrame:
    """Add what filtering needs once per dataset: the folded search text (search.py's rule, so each
    search is one vectorised scan; it includes the aliases of the event's actors, so 'Szojgu' finds
    Shoigu), each event's actors with the bodies above them, and whether it is independently sourced.

    ``registry`` (default: the bundled one) names the aliases, bodies and state media.
    """
    registry = registry or bundled_registry()
    names = _Flat(events["actors"].tolist())
    aliases = names.per_event(registry.aliases, lambda items: "; ".join(a for item in items for a in item), "")
    title, description, place = (events[c].fillna("").tolist() for c in ("title", "description", "place"))
    actors = map("; ".join, events["actors"].tolist())
    columns = (title, description, actors, place) if aliases is None else (title, description, actors, place, aliases)
    haystack = pd.Series(haystacks(list(map("\n".join, zip(*columns)))), index=events.index, dtype=events["title"].dtype)
    return events.assign(**{HAYSTACK: haystack, ACTOR_KEYS: actor_keys(events["actors"], registry, names),
                            INDEPENDENT: independent_mask(events["sources"], registry)})


class _Flat:
    """The items of a column of lists in one flat array, each distinct item numbered once (C loops)."""

    def __init__(self, lists: list[list]):
        self.lists = lists
        self.counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        self.codes, self.distinct = pd.factorize(pd.Series(list(chain.from_iterable(lists)), dtype=object))
        self.owner = np.repeat(np.arange(len(lists)), self.counts)

    def per_event(self, lookup, combine, default):
        """``combine`` of the non-empty ``lookup`` of each event's items, ``default`` where there is none;
        None when no item has any. Python runs only for the events that have one."""
        found = [lookup(item) for item in self.distinct]
        has = np.fromiter(map(bool, found), dtype=bool, count=len(found))
        if not has.any():
            return None
        hit = np.bincount(self.owner, weights=has[self.codes], minlength=len(self.lists)) > 0
        value = dict(zip(self.distinct.tolist(), found))
        out = [default] * len(self.lists)
        for row in np.flatnonzero(hit).tolist():
            out[row] = combine([value[item] for item in self.lists[row] if value[item]])
        return out


def actor_keys(actors: pd.Series, registry: Registry, names: _Flat | None = None) -> pd.Series:
    """Per event, its actors followed by the bodies above them (NIS for Cho Tae-yong), each once."""
    names = names or _Flat(actors.tolist())
    above = names.per_event(registry.ancestors, lambda items: [b for item in items for b in item], None)
    if above is None:
        return actors
    lists = names.lists
    keys = [lists[i] if bodies is None else list(dict.fromkeys([*lists[i], *bodies])) for i, bodies in enumerate(above)]
    return pd.Series(keys, index=actors.index, dtype=object)


def independent_mask(sources: pd.Series, registry: Registry) -> np.ndarray:
    """Per event: True when at least one source is neither published nor carried (as a wire) by state media
    of Russia or the DPRK. A publisher that is not registered counts as independent."""
    lists = sources.tolist()
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    publishers = list(map(itemgetter("publisher"), chain.from_iterable(lists)))  # every source, in C loops
    codes, distinct = pd.factorize(pd.Series(publishers, dtype=object))
    state = np.fromiter(map(registry.is_state_media, distinct), dtype=bool, count=len(distinct))
    if not state.any():
        return np.ones(len(lists), dtype=bool)
    owner = np.repeat(np.arange(len(lists)), counts)
    state_sources = np.bincount(owner, weights=state[codes], minlength=len(lists))
    return state_sources < counts


def filter_mask(events: pd.DataFrame, filters: Filters) -> np.ndarray:
    """Boolean mask of the events the filters keep."""
    mask = np.ones(len(events), dtype=bool)
    if filters.categories:
        mask &= events["category"].isin(filters.categories).to_numpy()
    if filters.actors:
        # an event matches an actor it names, or one of the people and units under a body it names
        keys = events[ACTOR_KEYS] if ACTOR_KEYS in events else actor_keys(events["actors"], bundled_registry())
        disjoint = set(filters.actors).isdisjoint
        mask &= ~np.fromiter(map(disjoint, keys.tolist()), dtype=bool, count=len(events))
    if filters.independent:
        mask &= (events[INDEPENDENT].to_numpy(dtype=bool) if INDEPENDENT in events
                 else independent_mask(events["sources"], bundled_registry()))
    if filters.place:
        mask &= (events["place"] == filters.place).to_numpy()
    if filters.start or filters.end:
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
    mask = filter_mask(events, filters)
    # all kept (the first view of everyone): a lazy copy shares the columns (copy-on-write), where
    # indexing by the mask would copy every column (~20 MB of each cached view at 100k events)
    return events.copy(deep=False) if mask.all() else events[mask]


def all_actors(events: pd.DataFrame) -> list[str]:
    """Every actor named in the data, most frequent first (ties alphabetical)."""
    # (a Counter of the plain lists: pandas' explode and value_counts took ~0.5 s per page load at 100k events)
    counts = Counter(chain.from_iterable(events["actors"].tolist()))
    return sorted(counts, key=lambda a: (-counts[a], a))


def canonical(filters: Filters, event: str, known) -> tuple[Filters, str]:
    """The same view as a cache key: only values that exist in the data, in a fixed order, dates
    that parse, the search as the words it looks for, an event id that exists ('' otherwise).

    A request's own strings (a megabyte-long event id, a thousand made-up actors) never reach a
    cache; and unknown values are ignored, as a link with a mistyped value should be. ``known`` is
    the dataset's link.Known.
    """
    return Filters(
        categories=tuple(sorted(known.categories.intersection(filters.categories))),
        actors=tuple(sorted(known.actors.intersection(filters.actors))),
        # (the rule parse_partial_dates applies, for two values without its per-call pandas work)
        start=filters.start if is_partial_date(filters.start) else "",
        end=filters.end if is_partial_date(filters.end) else "",
        text=" ".join(search_words(filters.text)),
        place=filters.place if filters.place in known.places else "",
        independent=filters.independent,
    ), event if event in known.ids else ""
