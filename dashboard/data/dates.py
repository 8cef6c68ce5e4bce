"""Dates as precise as their source: a day (YYYY-MM-DD), a month (YYYY-MM) or a year (YYYY)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
import pandas as pd

from .problems import shown

# ASCII digits only: \d would also accept other scripts' digits, which no reader expects
PARTIAL_DATE = r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?"
PARTIAL_RE = re.compile(PARTIAL_DATE)
_SLASHED = re.compile(r"([0-9]{1,2})[./]([0-9]{1,2})[./]([0-9]{4})")
_YEAR_FIRST = re.compile(r"([0-9]{4})[./]([0-9]{1,2})[./]([0-9]{1,2})")
_WITH_TIME = re.compile(rf"({PARTIAL_DATE})[ T][0-9]{{1,2}}:[0-9]{{2}}(:[0-9]{{2}}(\.[0-9]+)?)?(Z|[+-][0-9]{{2}}:?[0-9]{{2}})?")
_SERIAL = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")
# The years a date may have (schema: date). Wide enough for the history behind the events (the 1961
# Soviet-DPRK treaty) and for plans decades ahead; a year outside is a typing error (9999, 0001), and
# pandas, plotly and the charts' axes cannot all draw it: such a date once passed the validator and then
# crashed the export and the dashboard, or made a 40 MB chart of empty months.
MIN_YEAR, MAX_YEAR = 1900, 2100
HOW = "write YYYY-MM-DD for a day, YYYY-MM for a month or YYYY for a year (e.g. 2024-06-19, 2024-06, 2024)"
_TEXT = "(a spreadsheet may have reformatted the cell: format the column as Text)"


def parse_partial_dates(text: pd.Series) -> pd.DataFrame:
    """Vectorised parse of partial dates.

    Returns columns ``start`` (first day of the period), ``stop`` (day after its last day)
    and ``precision`` (day/month/year); rows that are empty, not real dates or outside the
    years MIN_YEAR to MAX_YEAR get NaT.
    """
    if len(text) > 1000:
        # a long column repeats its dates: parse each distinct value once
        codes, distinct = pd.factorize(text, use_na_sentinel=False)
        if len(distinct) < len(text) // 2:
            parsed = _parse_partial_dates(pd.Series(distinct, dtype=text.dtype))
            return parsed.take(codes).set_axis(text.index)
    return _parse_partial_dates(text)


def _parse_partial_dates(text: pd.Series) -> pd.DataFrame:
    parts = text.str.extract(f"^{PARTIAL_DATE}$")
    year, month, day = parts[0], parts[1], parts[2]
    # (four-digit years compare as text as they do as numbers)
    full = year.where((year >= f"{MIN_YEAR}") & (year <= f"{MAX_YEAR}")) + "-" + month.fillna("01") + "-" + day.fillna("01")
    start = pd.to_datetime(full, format="%Y-%m-%d", errors="coerce")
    precision = np.where(day.notna(), "day", np.where(month.notna(), "month", "year"))
    stop = start + pd.to_timedelta(1, unit="D")
    is_month = precision == "month"
    is_year = precision == "year"
    if is_month.any():
        stop[is_month] = start[is_month] + pd.DateOffset(months=1)
    if is_year.any():
        stop[is_year] = start[is_year] + pd.DateOffset(years=1)
    return pd.DataFrame({"start": start, "stop": stop, "precision": precision}, index=text.index)


@lru_cache(maxsize=4096)
def is_partial_date(value: str) -> bool:
    """True for a real day, month or year written as YYYY-MM-DD, YYYY-MM or YYYY, of the years
    MIN_YEAR to MAX_YEAR (same rule as above)."""
    m = PARTIAL_RE.fullmatch(value)
    if not m or not MIN_YEAR <= int(m.group(1)) <= MAX_YEAR:
        return False
    try:
        date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return False
    return True


def _real_day(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def date_hint(value: str) -> str:
    """Explain why a date cell is wrong and, where it is clear, what it should say."""
    quoted = shown(value)
    m = PARTIAL_RE.fullmatch(value)
    if m:
        year, month, day = m.group(1), m.group(2), m.group(3)
        if year == "0000":
            return f"{quoted} is not a real date (there is no year 0); {HOW}"
        if month and not 1 <= int(month) <= 12:
            if day and 1 <= int(day) <= 12:
                return f"{quoted} is not a real date (there is no month {int(month)}); if you meant day {int(month)} of month {int(day)}, write {year}-{day}-{month}"
            return f"{quoted} is not a real date (there is no month {int(month)}); {HOW}"
        if day and not _real_day(int(year), int(month), int(day)):
            return f"{quoted} is not a real date ({year}-{month} has no day {int(day)}); {HOW}"
        if not MIN_YEAR <= int(year) <= MAX_YEAR:
            return f"{quoted} is outside the years {MIN_YEAR} to {MAX_YEAR} that this tool supports; check the year"
        return f"{quoted} is not a date; {HOW}"
    m = _WITH_TIME.fullmatch(value)
    if m:
        return f"{quoted} has a time of day; write only the date: {m.group(1)} {_TEXT}"
    m = _YEAR_FIRST.fullmatch(value)
    if m:
        year, month, day = m.group(1), int(m.group(2)), int(m.group(3))
        if is_partial_date(f"{year}-{month:02d}-{day:02d}"):
            return f"{quoted} is not in YYYY-MM-DD form; write {year}-{month:02d}-{day:02d}"
        return f"{quoted} is not a date; {HOW}"
    m = _SLASHED.fullmatch(value)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), m.group(3)
        if a > 31 or b > 31 or (a > 12 and b > 12) or not (a and b):
            return f"{quoted} is not a date; {HOW}"
        if a > 12 and b <= 12:
            return f"{quoted} is not in YYYY-MM-DD form; for day {a} of month {b} write {year}-{b:02d}-{a:02d} {_TEXT}"
        if b > 12 and a <= 12:
            return f"{quoted} is not in YYYY-MM-DD form; for month {a}, day {b} write {year}-{a:02d}-{b:02d} {_TEXT}"
        return f"{quoted} is ambiguous (day/month or month/day?); {HOW}"
    if _SERIAL.fullmatch(value):
        serial = int(float(value))
        as_date = date(1899, 12, 30) + timedelta(days=serial)
        return f"{quoted} looks like a spreadsheet's date number ({as_date.isoformat()}); format the column as Text and write {as_date.isoformat()}"
    return f"{quoted} is not a date; {HOW}"
