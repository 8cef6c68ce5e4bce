"""Human-readable text for dates and reported figures, exactly as precise as the data.

Pure string functions (no plotly, no HTML): the figures, the detail panel and exports
share them, so a month-only event reads 'June 2024' everywhere and never gains a made-up day.
"""

from __future__ import annotations

import calendar
import math

import numpy as np
import pandas as pd

from ..data.dates import PARTIAL_RE

DASH = "\u2013"  # en dash: the typographic range sign
_MONTHS = tuple(calendar.month_name[1:])  # English names, independent of the process locale


def _parts(text: str) -> tuple[str, str, str] | None:
    """(year, month name or '', day without leading zero or '') of a partial date, None if not one."""
    m = PARTIAL_RE.fullmatch(text.strip()) if isinstance(text, str) else None
    if m is None:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month and not 1 <= int(month) <= 12:
        return None
    return year, _MONTHS[int(month) - 1] if month else "", str(int(day)) if day else ""


def _single(year: str, month: str, day: str) -> str:
    return " ".join(part for part in (day, month, year) if part)


def date_label(date: str, end_date: str = "") -> str:
    """'19 June 2024', 'June 2024', '2024', or a span such as '8–13 October 2024'.

    Shared parts of a span are written once ('June – August 2025'); spans whose ends have
    different precision keep both labels whole. Text that is not a partial date is returned unchanged.
    """
    start = _parts(date)
    if start is None:
        return date if isinstance(date, str) else ""
    end = _parts(end_date) if end_date else None
    if end is None or end == start:
        return _single(*start)
    (y0, m0, d0), (y1, m1, d1) = start, end
    if bool(m0) != bool(m1) or bool(d0) != bool(d1):
        return f"{_single(*start)} {DASH} {_single(*end)}"
    if not m0:  # years only
        return f"{y0}{DASH}{y1}"
    if y0 != y1:
        return f"{_single(*start)} {DASH} {_single(*end)}"
    if not d0:  # months of one year
        return f"{m0} {DASH} {m1} {y0}"
    if m0 != m1:
        return f"{d0} {m0} {DASH} {d1} {m1} {y0}"
    return f"{d0}{DASH}{d1} {m0} {y0}"


def date_labels(events: pd.DataFrame) -> pd.Series:
    """date_label of every row, computed once per distinct (date, end_date) pair (fast at 100k rows)."""
    dates = events["date"].astype(object).where(events["date"].notna(), "")
    if "end_date" in events:
        ends = events["end_date"].astype(object).where(events["end_date"].notna(), "")
    else:
        ends = pd.Series("", index=events.index, dtype=object)
    codes, pairs = pd.MultiIndex.from_arrays([dates, ends]).factorize()
    # the trailing "" is what code -1 (a missing value) picks
    labels = np.array([date_label(d, e) for d, e in pairs] + [""], dtype=object)
    return pd.Series(labels[codes], index=events.index, dtype=object)


def _number(x: float) -> str:
    """1,500 / 12.5 / 3 million: thousands separators, and whole millions in words for readability."""
    if abs(x) >= 1_000_000 and (x / 1_000_000 * 10).is_integer():
        millions = x / 1_000_000
        return f"{millions:,.0f} million" if millions.is_integer() else f"{millions:,.1f} million"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


def _amount(value: float, high: float | None) -> str:
    if high is None or (isinstance(high, float) and math.isnan(high)):
        return _number(value)
    low_text, high_text = _number(value), _number(high)
    if low_text.endswith(" million") and high_text.endswith(" million"):
        low_text = low_text.removesuffix(" million")  # '1–3 million', not '1 million–3 million'
    return f"{low_text}{DASH}{high_text}"


def figure_text(f: dict) -> str:
    """A reported figure as a phrase: 'more than 6,000 casualties', 'about 1,000–3,000 troops', '9 killed'."""
    parts = (f.get("qualifier") or "", _amount(float(f["value"]), f.get("high")), f.get("unit") or "")
    return " ".join(part for part in parts if part)
