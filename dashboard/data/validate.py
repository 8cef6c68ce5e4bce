"""Check raw CSV cells against the schema and build the typed events frame.

Every rule runs on every row, and every problem is collected with the line and column
it sits on, so one run lists everything to fix. Checks run per column, over plain lists of
cells in C loops (map, regexes, numpy) rather than per cell in Python. The multi-value cells
(figures, sources) are parsed a whole column at once (cells.parse_column); only cells with a
problem, or written unusually, go through the item-by-item parsers, which word every message.
"""

from __future__ import annotations

import difflib
import operator
import re
from collections.abc import Callable
from itertools import repeat

import numpy as np
import pandas as pd

from .cells import MAX_NUMBER_DIGITS, digit_count, format_figure, number_hint, parse_column, parse_figures, parse_sources, split_actor_column
from .csvfile import CONTROL, RawTable, split_lines
from .dates import date_hint, parse_partial_dates
from .problems import Problem, ProblemLog, shown
from .registry_check import check_event_names
from .repeats import find_repeats
from .schema import Field, Schema

_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
# The schema's id pattern, written to match the same ids without backtracking: possessive runs, no
# capture. On a hostile id ('a-a-a-...-', 1 MB) it takes 0.04 s instead of 0.6 s. Another pattern in the
# schema is used as it is.
_ID_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
_FAST_PATTERNS = {_ID_PATTERN: r"[a-z0-9]++(?:-[a-z0-9]++)*+"}
_ID_BYTES = b"abcdefghijklmnopqrstuvwxyz0123456789-\n"  # the characters of ids joined by line breaks


def _too_many_digits(values: list[str]) -> np.ndarray:
    """Per value: True where it has more than MAX_NUMBER_DIGITS digits (counted only in the few longer values)."""
    out = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) > MAX_NUMBER_DIGITS
    for i in np.flatnonzero(out).tolist():
        out[i] = digit_count(values[i]) > MAX_NUMBER_DIGITS
    return out
_RANK = re.compile(r"[1-9][0-9]{0,5}")


def _no_fullmatch(pattern: str | re.Pattern, values: list[str]) -> np.ndarray:
    """Per value: True where the pattern does not match the whole value (as str.fullmatch, in one C loop)."""
    match = re.compile(pattern).fullmatch
    return np.fromiter(map(operator.not_, map(match, values)), dtype=bool, count=len(values))


def _bad_ids(pattern: str, values: list[str]) -> np.ndarray:
    """_no_fullmatch of the schema's id pattern, decided for all ids at once when all are well formed.

    Ids are runs of lower-case letters and digits joined by single hyphens exactly when, joined by line
    breaks, they hold no other character and no line break of their own, and no hyphen or line break
    starts or ends the text or stands beside another (an empty id, '-a', 'a-', 'a--b'): one pass in C over
    one string and a few over its bytes in numpy, instead of a regex match per id.
    """
    if pattern == _ID_PATTERN and values:
        data = "\n".join(values).encode("utf-8")
        if data and not data.translate(None, _ID_BYTES):  # (non-ASCII text keeps its bytes of 0x80 and up)
            text = np.frombuffer(data, dtype=np.uint8)
            breaks = text == ord("\n")
            edges = breaks | (text == ord("-"))
            if (np.count_nonzero(breaks) == len(values) - 1 and not edges[0] and not edges[-1]
                    and not (edges[1:] & edges[:-1]).any()):
                return np.zeros(len(values), dtype=bool)
    return _no_fullmatch(_FAST_PATTERNS.get(pattern, pattern), values)


def _codes(values: list[str], allowed: tuple[str, ...]) -> np.ndarray:
    """Per value: its position in allowed, or -1 (as pd.Categorical numbers them), looked up in one C loop."""
    lookup = {value: code for code, value in enumerate(allowed)}
    return np.fromiter(map(lookup.get, values, repeat(-1)), dtype=np.int64, count=len(values))


class _Collector:
    """Turns (row, column, offset-in-cell) into the line a text editor shows, and logs problems by kind."""

    def __init__(self, raw: RawTable, cells: dict[str, list[str]], row_index: list[int], log: ProblemLog):
        self.raw, self.cells, self.row_index, self.log = raw, cells, row_index, log

    def line(self, row: int, column: str, offset: int = 0) -> int:
        raw_i = self.row_index[row]
        position = self.raw.header.index(column) if column in self.raw.header else len(self.raw.rows[raw_i])
        return self.raw.line_of(raw_i, position, offset)

    def add(self, row: int, column: str, message: str, offset: int = 0, *, kind: str = "") -> None:
        """One problem of the given kind (the message itself when no kind is given)."""
        self.log.add((column, kind or message), lambda: self.line(row, column, offset), column, message)

    def add_rows(self, rows: list[int], column: str, kind, message: Callable[[int], str]) -> None:
        """One problem of a kind in each of these rows (in order); message is a function of the row."""
        self.log.add_rows((column, kind), rows, lambda row: self.line(row, column), column, message)

    def add_where(self, mask: pd.Series | np.ndarray, column: str, message) -> None:
        """Report every row where mask is true; message is a string or a function of the cell (one kind per rule)."""
        rows = np.flatnonzero(np.asarray(mask)).tolist()
        if rows:
            values = self.cells[column]
            # a function's kind is its code, i.e. the rule that wrote it
            self.add_rows(rows, column, getattr(message, "__code__", message),
                          (lambda row: message(values[row])) if callable(message) else (lambda row: message))


def check_header(raw: RawTable, schema: Schema, log: ProblemLog | None = None) -> list[Problem]:
    """The header's problems (added to ``log`` when given, else returned)."""
    out = ProblemLog() if log is None else log
    line = raw.header_line
    seen: dict[str, int] = {}
    for position, name in enumerate(raw.header, start=1):
        if not name:
            out.add("unnamed column", line, "header", f"column {position} has no name; remove the empty column or name it")
        elif name in seen:
            out.add("column twice", line, "header", f"column {shown(name)} appears twice (columns {seen[name]} and {position}); keep one")
        elif name not in schema.names:
            out.add("unknown column", line, "header", lambda name=name: _unknown_column(name, schema))
        seen.setdefault(name, position)
    missing = set(schema.required) - set(raw.header)
    for name in schema.required:
        if name in missing:
            out.add("missing column", line, "header", f"missing required column '{name}'; add it (required columns: {', '.join(schema.required)})")
    return out.problems() if log is None else []


def _unknown_column(name: str, schema: Schema) -> str:
    close = difflib.get_close_matches(CONTROL.sub("", name.lower().lstrip("\ufeff"))[:100], schema.names, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown column {shown(name)}; {hint}the columns are: {', '.join(schema.names)}"


def _needs(field: Field) -> str:
    """'is empty; every event needs ...' for a required field, with an example of a good value."""
    noun = field.title.lower()
    if field.type == "list":
        what = f"at least one {noun.removesuffix('s')}, one per line"
    else:
        what = ("an " if noun[:1] in "aeiou" else "a ") + noun
    return f"is empty; every event needs {what} (e.g. {field.example!r})"


def _control_characters(frame: pd.DataFrame, c: "_Collector") -> None:
    def first(cell: str) -> tuple[int, re.Match]:
        return next((offset, m) for offset, text in enumerate(split_lines(cell)) if (m := CONTROL.search(text)))

    for name in frame.columns:
        column = frame[name]
        rows = np.flatnonzero(column.str.contains(CONTROL).to_numpy()).tolist()

        def line(row: int, name=name, column=column) -> int:
            return c.line(row, name, first(column.iat[row])[0])

        def message(row: int, column=column) -> str:
            m = first(column.iat[row])[1]
            return f"contains a control character U+{ord(m.group()):04X} at character {m.start() + 1}; remove it (it is invisible in most editors)"
        c.log.add_rows((name, "control character"), rows, line, name, message)


def _frame(raw: RawTable, schema: Schema, log: ProblemLog) -> tuple[pd.DataFrame, list[int], dict[str, list[str]]]:
    """The frame of stripped cells (a column per schema field), the raw rows it holds, and its columns as lists."""
    width = len(raw.header)
    lengths = np.fromiter(map(len, raw.rows), dtype=np.int64, count=len(raw.rows))
    for i, cells in raw.widths.items():  # rows read cut short (csvfile.MAX_COLUMNS), with their real number of cells
        lengths[i] = cells
    ragged = np.flatnonzero(lengths != width)

    def ragged_message(i: int) -> str:
        cells = int(lengths[i])
        fix = ("a cell that contains a comma must be wrapped in double quotes" if cells > width
               else "add the missing cells (an empty cell is just its comma: ,,)")
        return f"this row has {cells:,} cells but the header has {width}; {fix}"
    log.add_rows("ragged", ragged.tolist(), raw.starts.__getitem__, "row", ragged_message)
    keep = np.flatnonzero(lengths == width).tolist() if len(ragged) else list(range(len(raw.rows)))
    stripped = raw.stripped_columns(keep, width)
    first = {}
    for position, name in enumerate(raw.header):
        first.setdefault(name, position)
    columns = {name: stripped[first[name]] if name in first else [""] * len(keep) for name in schema.names}
    # the list columns are parsed from the lists; as text they are needed only to look for control characters
    names = [name for name in schema.names if raw.has_control or schema.field(name).type != "list"]
    return pd.DataFrame({name: _str_series(columns[name]) for name in names}, copy=False), keep, columns


_STR = pd.api.types.pandas_dtype("str")
# StringArray's constructor checks every value is a str; the cells of a CSV file always are
_NO_CHECK = getattr(pd.arrays.StringArray, "_simple_new", None)


def _str_series(values: list[str]) -> pd.Series:
    """pd.Series(values, dtype="str") for a list of str, without converting or checking every value once more."""
    if isinstance(_STR, pd.StringDtype) and _STR.storage == "python" and values:
        array = np.fromiter(values, dtype=object, count=len(values))
        strings = _NO_CHECK(array, dtype=_STR) if _NO_CHECK else pd.arrays.StringArray(array, dtype=_STR)
        return pd.Series(strings, copy=False)
    return pd.Series(values, dtype="str")


def check_rows(raw: RawTable, schema: Schema, registry=None) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate every row; return the typed frame (meaningful only if there are no problems).

    With a ``registry`` (registry.Registry), every actor, claimant and publisher must be registered.
    """
    log = ProblemLog()
    check_header(raw, schema, log)
    frame, keep, cells = _frame(raw, schema, log)
    c = _Collector(raw, cells, keep, log)
    present = set(raw.header)
    size = len(keep)
    # cell lengths where a rule limits them; empty cells where a rule needs them (the free-text columns are
    # left out): a length of 0 where the length is known, else a comparison in C of the frame's column where
    # it has one, else a test per cell
    lengths = {f.name: np.fromiter(map(len, cells[f.name]), dtype=np.int64, count=size) for f in schema.fields if f.max_length}
    empty = {name: lengths[name] == 0 if name in lengths else frame[name].to_numpy() == "" if name in frame
             else np.fromiter(map(operator.not_, values), dtype=bool, count=size)
             for name, values in cells.items()
             if name not in ("description", "actors", "place", "figures") or schema.field(name).required or schema.field(name).max_length}
    enum_codes: dict[str, np.ndarray] = {}  # of the columns with a list of allowed values

    for field in schema.fields:
        if field.required and field.name in present:
            c.add_where(empty[field.name], field.name, _needs(field))
        if field.max_length:
            c.add_where(lengths[field.name] > field.max_length, field.name, lambda v, n=field.max_length: f"is {len(v):,} characters long; shorten it to at most {n:,} characters")
        if field.enum:
            enum_codes[field.name] = _codes(cells[field.name], field.enum)
            c.add_where(~empty[field.name] & (enum_codes[field.name] < 0), field.name, lambda v, f=field: _not_in_list(v, f.enum))

    ids = frame["id"]
    if raw.has_control:
        _control_characters(frame, c)
    c.add_where(~empty["id"] & _bad_ids(schema.field("id").pattern, cells["id"]), "id", lambda v: f"{shown(v)} is not a valid id; use lower-case letters, digits and hyphens, e.g. '{_slug(v)}'")
    # (distinct ids, the usual case, are told by a set of them more quickly than by pandas' duplicated)
    duplicated = ~empty["id"] & ids.duplicated(keep="first").to_numpy() if len(set(cells["id"])) < size else np.zeros(size, dtype=bool)
    if duplicated.any():
        # the first row of each id, found once for all ids (factorize numbers ids in order of first appearance)
        id_codes, _ = pd.factorize(ids)
        first_rows = np.unique(id_codes, return_index=True)[1]
        c.add_rows(np.flatnonzero(duplicated).tolist(), "id", "used twice", lambda row: f"{shown(ids.iat[row])} is used twice (first on line {c.line(int(first_rows[id_codes[row]]), 'id')}); every event needs its own id")
    _one_line(cells["title"], "title", "runs over several lines; a title is one line (put details in description)", c)
    _one_line(cells["label"], "label", "runs over several lines; a label is one short line (the title and description say more)", c)
    importance = _ranks(cells, empty, c)

    start = parse_partial_dates(frame["date"])
    end = parse_partial_dates(frame["end_date"])
    c.add_where(~empty["date"] & start["start"].isna().to_numpy(), "date", date_hint)
    c.add_where(~empty["end_date"] & end["start"].isna().to_numpy(), "end_date", date_hint)
    before = end["stop"] <= start["start"]
    c.add_where(before, "end_date", lambda v: "is before the date; the end date must be on or after the date (swap them?)")

    coords = {}
    for name, field in (("latitude", schema.field("latitude")), ("longitude", schema.field("longitude"))):
        # places repeat: check and convert each distinct value once
        codes, distinct = pd.factorize(frame[name])
        if len(distinct) < size // 2:
            bad = _no_fullmatch(_DECIMAL, distinct.tolist())
            malformed = ~empty[name] & bad[codes]
            long = _too_many_digits(distinct.tolist())[codes] & ~malformed
            parsed = pd.to_numeric(pd.Series(distinct).where(~bad), errors="coerce").to_numpy()
            number = pd.Series(np.where(empty[name] | malformed, np.nan, parsed[codes]), index=frame.index, name=name)
        else:
            malformed = ~empty[name] & _no_fullmatch(_DECIMAL, cells[name])
            long = _too_many_digits(cells[name]) & ~malformed
            number = pd.to_numeric(frame[name].where(~malformed & ~empty[name]), errors="coerce")
        c.add_where(malformed, name, lambda v, f=field: number_hint(v, f"write degrees with a dot as decimal mark, e.g. {f.example}"))
        # a number of thousands of digits converts to NaN or infinity, which no range check catches: refused
        # by their number of digits, and anything else that is not a finite number after all, so none is taken as missing
        c.add_where(long, name, lambda v, f=field: f"is a number of {digit_count(v):,} digits; write degrees in at most {MAX_NUMBER_DIGITS} digits, e.g. {f.example}")
        not_finite = ~empty[name] & ~malformed & ~long & ~np.isfinite(number.to_numpy(dtype="float64", na_value=np.nan))
        c.add_where(not_finite, name, lambda v, f=field: f"{shown(v)} is not a usable number; write degrees with a dot as decimal mark, e.g. {f.example}")
        number = number.where(~long & ~not_finite)
        out = (number < field.minimum) | (number > field.maximum)
        c.add_where(out, name, lambda v, f=field: f"{v if len(v) <= 30 else shown(v)} is out of range; {f.name} runs from {f.minimum:g} to {f.maximum:g}")
        coords[name] = number
    c.add_where(empty["latitude"] & ~empty["longitude"], "latitude", "is empty but longitude is given; give both or neither")
    c.add_where(~empty["latitude"] & empty["longitude"], "longitude", "is empty but latitude is given; give both or neither")

    figures = _items(frame, cells, "figures", parse_figures, schema, c)
    sources = _items(frame, cells, "sources", parse_sources, schema, c)
    actors = split_actor_column(cells["actors"])
    if registry is not None:
        check_event_names(cells, actors, c.add, registry)
    _repeated_claims(figures.tolist(), cells, start["start"].to_numpy(), schema, c)

    certainties, categories = schema.field("date_certainty").enum, schema.category_values
    typed = pd.DataFrame({
        "id": ids,
        "date": frame["date"],
        "end_date": frame["end_date"],
        "start": start["start"],
        "end": end["stop"].fillna(start["stop"]),
        "precision": pd.Categorical(start["precision"], categories=["day", "month", "year"]),
        # (missing where there is no end date; masking the categorical is quicker than building it from objects)
        "end_precision": pd.Series(pd.Categorical(end["precision"], categories=["day", "month", "year"]), index=frame.index).where(~empty["end_date"]),
        # (an empty certainty is 'exact')
        "date_certainty": _categorical(np.where(empty["date_certainty"], _codes(["exact"], certainties)[0], enum_codes["date_certainty"]), certainties),
        "title": frame["title"],
        "label": frame["label"],
        "importance": importance,
        "description": frame["description"],
        "category": _categorical(enum_codes["category"] if categories == schema.field("category").enum else _codes(cells["category"], categories), categories, ordered=True),
        # (with no rows, Series.map kept the text dtype; so does this)
        "actors": pd.Series(actors, index=frame.index, dtype=object if size else "str"),
        "place": frame["place"],
        "latitude": coords["latitude"],
        "longitude": coords["longitude"],
        "figures": figures,
        "sources": sources,
        "line": np.asarray(raw.starts, dtype=np.int64)[keep] if keep else [],
    }, copy=False)
    return typed, log.problems()


def _one_line(values: list[str], column: str, message: str, c: _Collector) -> None:
    """Report every cell of the column that holds a line break (CR or LF: csvfile.LINE_BREAK)."""
    joined = "".join(values)  # two searches of one string tell quicker than a test per cell that none breaks
    if "\n" in joined or "\r" in joined:
        breaks = np.fromiter(map(operator.contains, values, repeat("\n")), dtype=bool, count=len(values))
        breaks |= np.fromiter(map(operator.contains, values, repeat("\r")), dtype=bool, count=len(values))
        c.add_where(breaks, column, message)


def _ranks(cells: dict[str, list[str]], empty: dict[str, np.ndarray], c: _Collector) -> np.ndarray:
    """The importance column as float64 (NaN where empty or invalid); a rank is a whole number from 1 and
    belongs to an event with a label."""
    given = ~empty["importance"]
    if not given.any():
        return np.full(len(given), np.nan)
    values = cells["importance"]
    # (ranks are rare: only the given ones are matched)
    rows = np.flatnonzero(given)
    bad = np.zeros(len(given), dtype=bool)
    bad[rows] = _no_fullmatch(_RANK, [values[i] for i in rows.tolist()])
    c.add_where(bad, "importance", lambda v: f"{shown(v)} is not a rank; write a whole number from 1 (the most important key event) up, e.g. 1")
    c.add_where(given & ~bad & empty["label"], "importance",
                "is given but label is empty; a rank only orders the labels of key events (add a label or clear the rank)")
    ranks = np.full(len(given), np.nan)
    good = np.flatnonzero(given & ~bad)
    ranks[good] = [float(values[i]) for i in good]
    return ranks


def _items(frame, cells, column, parse, schema, c: _Collector) -> pd.Series:
    """Parse a figures or sources column: all at once where every item is well formed, item by item elsewhere."""
    values, slow = parse_column(cells[column], column, schema)
    for row in slow:
        parsed, issues = parse(cells[column][row], schema)
        for offset, message in issues:
            c.add(row, column, message, offset, kind="items")
        values[row] = parsed
    return pd.Series(values, index=frame.index, dtype=object)


def _repeated_claims(figures: list, cells: dict[str, list[str]], starts: np.ndarray, schema: Schema, c: _Collector) -> None:
    """Report each figure that repeats an earlier event's claim without the date the claim was first made."""
    for r in find_repeats(figures, cells["date"], starts):
        figure = figures[r.row][r.index]
        fixed = format_figure({**figure, "date": r.first_date})
        message = (f"figure {r.index + 1} repeats a claim first made in event {shown(cells['id'][r.first_row])} "
                   f"(line {c.line(r.first_row, 'id')}); add the date it was first made: {shown(fixed, 200)} "
                   f"(or this event's date if {shown(figure['claimant'])} made the claim again then)")
        c.add(r.row, "figures", message, _figure_offset(cells["figures"][r.row], r.index, schema))


def _figure_offset(cell: str, index: int, schema: Schema) -> int:
    """The line (within the cell) of the index-th well-formed figure: blank and malformed lines hold none."""
    lines = split_lines(cell)
    good = [offset for offset, line in enumerate(lines) if line.strip() and not parse_figures(line, schema)[1]]
    return good[index] if index < len(good) else 0


def _categorical(codes: np.ndarray, allowed: tuple[str, ...], ordered: bool = False) -> pd.Categorical:
    # invalid values were reported above; their code -1 keeps them out of the categorical as missing
    return pd.Categorical.from_codes(codes, categories=list(allowed), ordered=ordered)


def _not_in_list(value: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(value[:100], allowed, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"{shown(value)} is not allowed; {hint}use one of: {', '.join(allowed)}"


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()[:200]).strip("-")[:60].strip("-") or "my-event-1"
