"""Short text alternatives of the four charts, for screen readers and the report: what each chart shows
for the events given (any filtered subset, even empty). Pure functions of an events frame.

The charts are drawn in SVG and WebGL, which a screen reader cannot read; these sentences say what a
sighted reader takes from them at a glance (how many, from when to when, the busiest month or place).
"""

from __future__ import annotations

import pandas as pd

from ..data.schema import load_schema
from .figures.claims import QUANTITY_TITLES, _claims_frame
from .figures.map import _PARENTHESES
from .figures.monthly import monthly_periods
from .labels import date_label

NONE = "No events match the filters."
TOP = 3  # categories, places or quantities named by count


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def _month(stamp: pd.Timestamp) -> str:
    return stamp.strftime("%B %Y")


def _ranked(counts: pd.Series, names: dict | None = None, *, word: str) -> str:
    """'most in Diplomacy 25, Military deployment 14 and Treaty 6' (the TOP biggest, ties in the counts'
    order), or 'all in Treaty' when there is one."""
    top = counts[counts > 0].sort_values(ascending=False, kind="stable")
    if len(top) == 1:
        return f"all {word} {(names or {}).get(top.index[0], top.index[0])}"
    parts = [f"{(names or {}).get(k, k)} {n:,}" for k, n in top.head(TOP).items()]
    return f"most {word} " + ", ".join(parts[:-1]) + " and " + parts[-1]


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]


def _busiest(months: pd.Series) -> tuple[pd.Timestamp, int]:
    """The month with most events (the earliest of a tie) and its count."""
    counts = months.value_counts(sort=False).sort_index()
    return counts.idxmax(), int(counts.max())


def timeline_text(events: pd.DataFrame) -> str:
    """E.g. '76 events from July 2023 to January 2026; busiest month: November 2024, 9 events. Most in
    Diplomacy 25, Military deployment 14 and Treaty 6.'"""
    if events.empty:
        return NONE
    months = events["start"].dt.to_period("M").dt.to_timestamp()
    first, last = months.min(), events["end"].max() - pd.Timedelta(microseconds=1)
    span = f"in {_month(first)}" if _month(first) == _month(last) else f"from {_month(first)} to {_month(last)}"
    month, n = _busiest(months)
    labels = {c.value: c.label for c in load_schema().categories}
    counts = events["category"].value_counts(sort=False).reindex(list(labels)).dropna().astype(int)
    return (f"{_plural(len(events), 'event')} {span}; busiest month: {_month(month)}, {_plural(n, 'event')}. "
            f"{_first_up(_ranked(counts, labels, word='in'))}.")


def map_text(events: pd.DataFrame) -> str:
    """E.g. '71 of 76 events have a place, at 24 places; most at Kursk 12, Pyongyang 10 and Moscow 8.'"""
    if events.empty:
        return NONE
    located = events.dropna(subset=["latitude", "longitude"])
    if located.empty:
        return f"None of the {_plural(len(events), 'event')} has a place on the map."
    # a bubble per point, named as on the map: by the name most of its events give, shortened
    keys = ["latitude", "longitude"]
    sizes = located.groupby(keys, sort=False).size()  # (points in the order they first occur)
    # the name most of a point's events give, the first in sort order of a tie ('' for no name); counted
    # per (point, name) pair, not by a Python function per point (~30 ms at 100k events)
    named = located[keys].assign(place=located["place"].fillna("")).groupby(keys + ["place"], sort=False).size()
    named = named.rename("n").reset_index().sort_values(["n", "place"], ascending=[False, True], kind="stable")
    names = named.drop_duplicates(keys).set_index(keys)["place"].reindex(sizes.index)
    short = names.str.split(",").str[0].str.replace(_PARENTHESES, "", regex=True).str.strip()
    counts = sizes.groupby(short.to_numpy(), sort=False).sum()
    counts = counts[counts.index != ""]
    have = "has" if len(located) == 1 else "have"
    text = f"{len(located):,} of {_plural(len(events), 'event')} {have} a place, at {_plural(len(sizes), 'place')}"
    return text + (f"; {_ranked(counts, word='at')}." if len(counts) else ".")


def _period(start, name: str) -> str:
    """A bar's period as the monthly chart's axis names it: 'July 2023', 'Q3 2023', '2023', '2020s'."""
    stamp = pd.Timestamp(start)
    return {"quarter": f"Q{stamp.quarter} {stamp.year}", "year": str(stamp.year), "decade": f"{stamp.year}s"}.get(name, _month(stamp))


def monthly_text(events: pd.DataFrame, date_range: tuple[str, str] = ("", "")) -> str:
    """E.g. 'Events per month from July 2023 to January 2026; busiest: November 2024, 9 events.' plus the
    dates the chart highlights. ``events`` are those of every filter but the dates (as the chart counts them)."""
    if events.empty:
        return NONE
    name, _, periods = monthly_periods(events)
    counts = pd.Series(periods).value_counts(sort=False).sort_index()
    first, last, top = (_period(p, name) for p in (counts.index[0], counts.index[-1], counts.idxmax()))
    span = f"in {first}" if first == last else f"from {first} to {last}"
    text = f"Events per {name} {span}; busiest: {top}, {_plural(int(counts.max()), 'event')}."
    start, end = date_range
    if start or end:
        text += f" Highlighted: {date_label(start) if start else 'the start'} to {date_label(end) if end else 'the end'}."
    return text


def claims_text(events: pd.DataFrame) -> str:
    """E.g. '42 reported figures by 9 claimants. Most on Killed 14, Troops and workers sent 12 and Wounded 8.'"""
    claims = _claims_frame(events) if not events.empty else None
    if claims is None or claims.empty:
        return "No reported figures among these events."
    counts = claims["group"].value_counts(sort=False).reindex(list(QUANTITY_TITLES)).dropna().astype(int)
    return (f"{_plural(len(claims), 'reported figure')} by {_plural(claims['claimant'].nunique(), 'claimant')}. "
            f"{_first_up(_ranked(counts, QUANTITY_TITLES, word='on'))}.")


def chart_texts(events: pd.DataFrame) -> dict[str, str]:
    """The text of each chart of these events by chart name (as the report and the chart files draw them)."""
    return {"timeline": timeline_text(events), "map": map_text(events), "monthly": monthly_text(events),
            "claims": claims_text(events)}
