"""One-line and short descriptions of a loaded events frame, for the CLI and the dashboard."""

from __future__ import annotations

import pandas as pd



def date_span(events: pd.DataFrame) -> tuple[str, str]:
    """First and last date as written in the data (the last by where events end)."""
    if events.empty:
        return "", ""
    last = events.loc[events["end"].idxmax()]
    return events["date"].iat[0], last["end_date"] or last["date"]


def summary_line(events: pd.DataFrame) -> str:
    """E.g. '76 events, 2023-07-25 to 2026-01-05, 9 categories (diplomacy 25, treaty 6, ...)'."""
    if events.empty:
        return "0 events"
    first, last = date_span(events)
    counts = events["category"].value_counts(sort=False)
    counts = counts[counts > 0]
    parts = ", ".join(f"{name} {n}" for name, n in counts.items())
    noun = "event" if len(events) == 1 else "events"
    kinds = "category" if len(counts) == 1 else "categories"
    return f"{len(events)} {noun}, {first} to {last}, {len(counts)} {kinds} ({parts})"

