"""Figures that repeat an earlier claim.

A number is a claim made on a day by someone. When a later event cites the same number (same
claimant, unit and amount), it must carry the date the claim was first made (the figure's DATE part),
or the claims chart would plot an old claim as a new one. ``find_repeats`` finds the figures that
do not: linear in the number of figures, with a dict keyed by the claim.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, compress

import numpy as np
import pandas as pd

from .dates import parse_partial_dates

# (claimant, unit, value, high): what makes two figures the same claim (the qualifier may be worded differently)
claim_key = operator.itemgetter("claimant", "unit", "value", "high")


@dataclass(frozen=True)
class Repeat:
    row: int  # the event (its position) with the figure that repeats a claim
    index: int  # which of its figures, 0-based
    first_row: int  # the event that made the claim first
    first_date: str  # when the claim was first made, as written (that figure's DATE, else its event's date)


def find_repeats(figures: Sequence[list[dict]], dates: Sequence[str], starts: np.ndarray) -> list[Repeat]:
    """Every figure with no claim date whose claim an earlier event already made.

    ``figures`` (a list per event, empty for none), ``dates`` (as written) and ``starts`` (datetime64; NaT for a date that is invalid,
    which is reported elsewhere and skipped here) are per event, in any order. "Earlier" compares the
    claim's date (the figure's DATE, else its event's date) with the repeating event's date; among claims
    of the same time the first in the file counts as first.
    """
    lengths = np.fromiter(map(len, figures), dtype=np.int64, count=len(figures))
    flat = list(chain.from_iterable(figures))
    keys = list(map(claim_key, flat))
    if len(set(keys)) == len(keys):  # every claim made once: the usual case, decided in C loops
        return []
    repeated = {key for key, n in Counter(keys).items() if n > 1}
    owner = np.repeat(np.arange(len(figures)), lengths)
    index = np.arange(len(flat)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    candidates = list(compress(range(len(flat)), map(repeated.__contains__, keys)))
    own_dates = {flat[j]["date"] for j in candidates} - {""}
    parsed = parse_partial_dates(pd.Series(sorted(own_dates), dtype=object))["start"]
    own_time = dict(zip(sorted(own_dates), parsed.to_numpy(dtype="datetime64[ns]").view(np.int64).tolist()))
    start = np.asarray(starts, dtype="datetime64[ns]")
    valid = ~np.isnat(start)
    start_ns = start.view(np.int64)

    first: dict[tuple, tuple[int, int, str]] = {}  # claim -> (time, row, date as written) of its earliest making
    for j in candidates:
        row = int(owner[j])
        if not valid[row]:
            continue
        own = flat[j]["date"]
        made = (own_time[own], row, own) if own else (int(start_ns[row]), row, dates[row])
        key = keys[j]
        if key not in first or made[:2] < first[key][:2]:
            first[key] = made
    out = []
    for j in candidates:
        row = int(owner[j])
        if flat[j]["date"] or not valid[row] or keys[j] not in first:
            continue
        time, first_row, first_date = first[keys[j]]
        if first_row != row and time < start_ns[row]:
            out.append(Repeat(row, int(index[j]), first_row, first_date))
    return out
