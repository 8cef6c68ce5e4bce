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
from itertools import chain

import numpy as np

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
    flat = list(chain.from_iterable(figures))
    keys = list(map(claim_key, flat))
    counts = Counter(keys)  # (a C loop)
    if len(counts) == len(keys):  # every claim made once: the usual case
        return []
    repeated = {key for key, n in counts.items() if n > 1}
    lengths = np.fromiter(map(len, figures), dtype=np.int64, count=len(figures))
    # per candidate: its event (row) and its place among that event's figures; plain lists from here on,
    # since indexing a numpy array one element at a time in a Python loop is slow
    owner = np.repeat(np.arange(len(figures)), lengths)
    index = np.arange(len(flat)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    picked = np.fromiter(map(repeated.__contains__, keys), dtype=bool, count=len(keys))
    candidates = np.flatnonzero(picked).tolist()
    rows, places = owner[picked].tolist(), index[picked].tolist()
    start = np.asarray(starts, dtype="datetime64[us]")  # (microseconds: years 1 to 9999 without overflow)
    start_us = np.where(np.isnat(start), np.iinfo(np.int64).min, start.view(np.int64)).tolist()
    # a claim date was checked when its figure was parsed; numpy reads YYYY, YYYY-MM and YYYY-MM-DD as the period's start
    own_dates = [flat[j]["date"] for j in candidates]
    own_time = {date: int(np.datetime64(date, "us").view(np.int64)) for date in set(own_dates) - {""}}
    invalid = np.iinfo(np.int64).min  # (NaT: an event date reported as invalid elsewhere)

    first: dict[tuple, tuple[int, int, str]] = {}  # claim -> (time, row, date as written) of its earliest making
    for j, row, own in zip(candidates, rows, own_dates):
        if start_us[row] == invalid:
            continue
        made = (own_time[own], row, own) if own else (start_us[row], row, dates[row])
        key = keys[j]
        if key not in first or made[:2] < first[key][:2]:
            first[key] = made
    out = []
    for j, row, place, own in zip(candidates, rows, places, own_dates):
        if own or start_us[row] == invalid or keys[j] not in first:
            continue
        time, first_row, first_date = first[keys[j]]
        if first_row != row and time < start_us[row]:
            out.append(Repeat(row, place, first_row, first_date))
    return out
