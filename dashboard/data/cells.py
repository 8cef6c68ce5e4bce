"""Parse the multi-value cells: actors, reported figures and sources.

Each parser takes one cell's text and returns the parsed values plus a list of
(line offset inside the cell, message) for whatever is malformed.
"""

from __future__ import annotations

from sys import intern

import math
import operator
import re
from itertools import islice, repeat
from urllib.parse import urlsplit

import numpy as np

from .csvfile import count_breaks, split_lines
from .dates import date_hint, is_partial_date
from .problems import shown
from .schema import Schema

_NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_SCIENTIFIC = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]*)?[eE][+-]?[0-9]+")
_FORMULA_URL = re.compile(r"""=\s*HYPERLINK\(\s*"([^"]*)".*""", re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"\s")  # the same characters as str.isspace(), found in C
MAX_AMOUNT = 1e15  # larger amounts are typing or spreadsheet accidents, not reported figures
# The most digits of a number (coordinates, amounts), not counting the zeros before its first other
# digit: ample for any real value (a double has 17 significant digits; the smallest, written in full as
# the export writes coordinates, is 0.000...5 with 323 zeros). Thousands of digits were read as NaN or
# infinity, which no range check catches, so they are refused.
MAX_NUMBER_DIGITS = 40


def digit_count(number: str) -> int:
    """Digits of a number written in full, zeros before the first other digit not counted ('-0.0012': 2)."""
    return len(number.lstrip("-0.,").replace(".", "").replace(",", ""))
# Figures or sources of one event, one per line: more is not an events file (and each line of a bad cell
# costs a check and a message). A cell over the limit gets one message and is not parsed.
MAX_ITEMS = 1000
# The qualifier is the words before the number: the longest run of letters and spaces that ends in a letter,
# taken at once (atomic) and followed by all the spaces (possessive). A lazy qualifier retried with every
# split of a run of spaces took cubic time ('more' + 10,000 spaces + 'x': half a minute).
_AMOUNT_RE = re.compile(rf"(?:(?P<qualifier>(?>[a-z ]*[a-z]))\s++)?(?P<value>{_NUMBER})(?:\s*+[-–]\s*+(?P<high>{_NUMBER}))?")
FIGURE_FORMAT = "AMOUNT | UNIT | CLAIMANT (| DATE | NOTE), e.g. 'more than 6000 | casualties | UK Ministry of Defence'"
SOURCE_FORMAT = "PUBLISHER | TITLE | URL | DATE (| NOTE), e.g. 'TASS | Treaty takes effect | https://tass.com/1 | 2024-12-04'"

Issues = list[tuple[int, str]]


# The common case of is_http_url in one regex: an ASCII host without brackets, no spaces anywhere.
# Everything it accepts urlsplit accepts too (no control characters or spaces to strip before the
# scheme, no IPv6 brackets or non-ASCII host to check); whatever it rejects goes to urlsplit.
_HOST = r"[^\s/?#\[\]\x80-\U0010ffff]+"
_HTTP_URL = re.compile(rf"[hH][tT][tT][pP][sS]?://{_HOST}(?:[/?#]\S*)?")


def is_http_url(url: str) -> bool:
    """True for absolute http(s) URLs with a host and no spaces: the only links we ever render."""
    return _HTTP_URL.fullmatch(url) is not None or _is_http_url_split(url)


def _is_http_url_split(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not _SPACE.search(url)


_ACTORS_PLAIN = re.compile(r"[^;\s](?:[^;]*[^;\s])?(?:; [^;\s](?:[^;]*[^;\s])?)*")
# A ';' that is not the '; ' between two actors (as in 'A;B', 'A ; B', 'A; ; B' or '; A'). A stripped
# cell is plain (matches _ACTORS_PLAIN) exactly when it is not empty and holds no such ';'.
_ODD_SEMICOLON = re.compile(r";(?:(?<![^\s;];)|(?! [^\s;]))")


def split_actors(cell: str) -> list[str]:
    return [a.strip() for a in cell.split(";") if a.strip()]


def split_actor_column(cells: list[str]) -> list[list[str]]:
    """split_actors of every (stripped) cell; cells written plainly as 'A; B; C' are split in one C loop."""
    # (each name once in memory, however many events name it)
    out = [list(map(intern, names)) for names in map(str.split, cells, repeat("; "))]
    # one search of the whole column (its cells on lines of their own) is much cheaper than a
    # match per cell, and usually finds nothing; then only the empty cells are not plain
    if _ODD_SEMICOLON.search("\n".join(cells)):
        plain = map(_ACTORS_PLAIN.fullmatch, cells)
        odd = np.flatnonzero(np.fromiter(map(operator.not_, plain), dtype=bool, count=len(cells))).tolist()
    else:
        odd = [row for row, cell in enumerate(cells) if not cell] if "" in cells else []
    for row in odd:
        out[row] = split_actors(cells[row])
    return out


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def number_hint(value: str, how: str) -> str:
    """Why a cell is not a plain decimal number, naming spreadsheet artefacts such as 1.0E+3."""
    if _SCIENTIFIC.fullmatch(value):
        try:
            number = float(value.replace(',', '.'))
            full = f"{number:f}".rstrip("0").rstrip(".") if math.isfinite(number) else ""
        except (ValueError, OverflowError):
            full = ""
        what = f"for {full}" if full and len(full) <= 30 else "for a very large number"
        return f"{shown(value)} is a spreadsheet's scientific notation {what}; write the number in full and format the column as Text so the spreadsheet keeps it"
    return f"{shown(value)} is not a decimal number; {how}"


def _parts(line: str, sep: str) -> list[str]:
    return [p.strip() for p in line.split(sep)]


def _check_date(value: str, what: str) -> str | None:
    if value and not is_partial_date(value):
        return f"{what} {date_hint(value)}"
    return None


def _url_problem(url: str) -> str:
    m = _FORMULA_URL.fullmatch(url)
    if m and is_http_url(m.group(1)):
        return f"{shown(url)} is a spreadsheet formula, not a web address; write the address itself: {shown(m.group(1))}"
    if url.startswith("="):
        return f"{shown(url)} is a spreadsheet formula, not a web address; write the address itself, starting with http:// or https://"
    if not url:
        return "has no URL; a source URL starts with http:// or https://, e.g. https://tass.com/russia/1707005"
    return f"{shown(url)} is not a web address; a source URL must start with http:// or https://"


def _too_many_lines(cell: str, what: str) -> Issues:
    """The one issue of a cell of more than MAX_ITEMS lines (none for a smaller cell)."""
    lines = count_breaks(cell) + 1
    return [(0, f"has {lines:,} lines; write at most {MAX_ITEMS:,} {what}, one per line")] if lines > MAX_ITEMS else []


def parse_figures(cell: str, schema: Schema) -> tuple[list[dict], Issues]:
    figures: list[dict] = []
    issues: Issues = _too_many_lines(cell, "figures")
    if issues:
        return figures, issues
    sep = schema.item_separator
    for offset, line in enumerate(split_lines(cell)):
        if not line.strip():
            continue
        n = len(figures) + len(issues) + 1
        count = line.count(sep) + 1  # (counted before splitting: a line of a million '|' is not split)
        if not 3 <= count <= 5:
            issues.append((offset, f"figure {n} has {count} parts separated by '|'; write {FIGURE_FORMAT}"))
            continue
        parts = _parts(line, sep)
        amount, unit, claimant, *rest = parts
        claim_date, note = (rest + ["", ""])[:2]
        m = _AMOUNT_RE.fullmatch(amount)
        problems = []
        how = "write e.g. '9', 'about 11000', 'more than 6,000' or '1000-3000'"
        if not m:
            last = amount.split()[-1] if amount.split() else ""
            if _SCIENTIFIC.fullmatch(last):
                problems.append(("amount " if last == amount else f"amount {shown(amount)}: ") + number_hint(last, how))
            else:
                problems.append(f"amount {shown(amount)} is not a number; {how}")
        elif max(digit_count(m.group("value")), digit_count(m.group("high") or "")) > MAX_NUMBER_DIGITS:
            problems.append(f"amount {shown(amount)} has a number of over {MAX_NUMBER_DIGITS} digits; check the number")
        elif m.group("qualifier") and m.group("qualifier") not in schema.qualifiers:
            problems.append(f"{shown(m.group('qualifier'))} is not a known qualifier; use one of: {', '.join(schema.qualifiers)}")
        elif not all(_number(v) < MAX_AMOUNT for v in (m.group("value"), m.group("high") or "0")):
            problems.append(f"amount {shown(amount)} is too large (over {MAX_AMOUNT:,.0f}); check the number")
        elif m.group("high") and _number(m.group("high")) < _number(m.group("value")):
            problems.append(f"range {shown(amount)} ends below its start")
        if unit not in schema.units:
            problems.append(f"unit {shown(unit)} is not one of: {', '.join(schema.units)}")
        if not claimant:
            problems.append("names no claimant; say who gives the number")
        if bad := _check_date(claim_date, "date"):
            problems.append(bad)
        if problems:
            issues.append((offset, f"figure {n}: " + "; ".join(problems)))
            continue
        figures.append({
            "qualifier": m.group("qualifier") or "",
            "value": _number(m.group("value")),
            "high": _number(m.group("high")) if m.group("high") else None,
            "unit": unit,
            "claimant": claimant,
            "date": claim_date,
            "note": note,
        })
    return figures, issues


def parse_sources(cell: str, schema: Schema) -> tuple[list[dict], Issues]:
    sources: list[dict] = []
    issues: Issues = _too_many_lines(cell, "sources")
    if issues:
        return sources, issues
    sep = schema.item_separator
    for offset, line in enumerate(split_lines(cell)):
        if not line.strip():
            continue
        n = len(sources) + len(issues) + 1
        count = line.count(sep) + 1  # (counted before splitting: a line of a million '|' is not split)
        if not 3 <= count <= 5:
            issues.append((offset, f"source {n} has {count} parts separated by '|'; write {SOURCE_FORMAT}"))
            continue
        parts = _parts(line, sep)
        if count == 3 and is_http_url(parts[1]):
            issues.append((offset, f"source {n}: the URL is in the title's place; if the title is unknown leave it empty: {shown(f'{parts[0]} |  | {parts[1]} | {parts[2]}', 200)}"))
            continue
        publisher, title, url, *rest = parts
        published, note = (rest + ["", ""])[:2]
        problems = []
        if not publisher:
            problems.append("names no publisher")
        if not is_http_url(url):
            problems.append(_url_problem(url))
        if bad := _check_date(published, "publication date"):
            problems.append(bad)
        if problems:
            issues.append((offset, f"source {n}: " + "; ".join(problems)))
            continue
        sources.append({"publisher": publisher, "title": title, "url": url, "date": published, "note": note})
    return sources, issues


def format_amount(figure: dict) -> str:
    """The AMOUNT part of a figure as written in the CSV (plain digits, qualifier first)."""
    def num(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else repr(float(x))

    text = num(figure["value"]) + (f"-{num(figure['high'])}" if figure.get("high") is not None else "")
    return f"{figure['qualifier']} {text}".strip()


def format_figure(figure: dict) -> str:
    parts = [format_amount(figure), figure["unit"], figure["claimant"], figure.get("date", ""), figure.get("note", "")]
    while len(parts) > 3 and not parts[-1]:
        parts.pop()
    return " | ".join(parts)


def format_source(source: dict) -> str:
    parts = [source["publisher"], source.get("title", ""), source["url"], source.get("date", ""), source.get("note", "")]
    while len(parts) > 3 and not parts[-1]:
        parts.pop()
    return " | ".join(parts)


# --- whole columns at once ------------------------------------------------------------------
# A line of a figures or sources cell written as the format asks is matched by one regex per
# column; its groups are the parts exactly as str.strip() leaves them. Any cell with a line the
# regexes do not accept (or with a blank line, a CR, or a value the checks below reject) is
# parsed by parse_figures/parse_sources, which give the same values and every message.

# Each part is an atomic group with possessive spaces: it matches in one way only (its text as strip()
# leaves it) or not at all, so a line that fails is given up at once instead of retried with every split
# of its runs of spaces between the parts, which took exponential time (200 spaces in four parts: minutes).
_W = r"[^\S\r\n]*+"  # spaces within one line
_TEXT = r"(?:[^|\s](?:[^|\r\n]*[^|\s])?)?"  # a part as strip() leaves it (may be empty)
_FILLED = r"[^|\s](?:[^|\r\n]*[^|\s])?"  # the same, not empty
_ISO = r"(?:[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?)?"  # empty or shaped as a partial date
_URL_PART = rf"[hH][tT][tT][pP][sS]?://[^\s/?#\[\]|\x80-\U0010ffff]++(?:[/?#][^\s|]*+)?"
# a title that could be a URL (then a three-part line gets a hint): left to parse_sources
_NO_URL_AHEAD = r"(?![\s\x00-\x20]*+[hH][tT][tT][pP][sS]?://)"


def _part(text: str) -> str:
    return rf"(?>{_W}({text}){_W})"


_TAIL = rf"(?:\|{_part(_ISO)}(?:\|{_part(_TEXT)})?)?"  # optional date and note
_LINES = {
    "sources": rf"{_part(_FILLED)}\|{_NO_URL_AHEAD}{_part(_TEXT)}\|{_part(_URL_PART)}{_TAIL}",
    "figures": rf"{_part(_FILLED)}\|{_part(_TEXT)}\|{_part(_FILLED)}{_TAIL}",
}
# one match per line: the groups of a line written as the format asks, or group 6 for any other line
_LINE_RE = {kind: re.compile(rf"^{line}$|^(.*)$", re.MULTILINE) for kind, line in _LINES.items()}


def _for_ascii(pattern: str) -> str:
    """The pattern for text of ASCII characters only: the same matches, with the white space that str.isspace()
    and \\s accept among them (tab to CR, FS to space) spelled out, and the class of non-ASCII characters left out.
    The regex engine tests a class of plain characters by one look-up, the Unicode space category by a call per character."""
    out = (pattern.replace(r"[^\S\r\n]", r"[\t\x0b\x0c\x1c-\x20]")
           .replace(r"\x80-\U0010ffff", "").replace(r"\s", r"\t-\r\x1c-\x20"))
    assert r"\s" not in out and r"\S" not in out and r"\U" not in out  # (every \s was inside a class)
    return out


# for a batch of ASCII text, as most cells are (even in a file with some non-ASCII text): the sources of
# 100k events are matched ~15% quicker
_ASCII_LINE_RE = {kind: re.compile(_for_ascii(pattern.pattern), re.MULTILINE) for kind, pattern in _LINE_RE.items()}


class _Checked:
    """The distinct dates and amounts a column's batches have judged so far, so each is checked once per column."""

    def __init__(self):
        self.dates: set[str] = set()
        self.bad: set[str] = set()
        self.amounts: dict[str, tuple[str, float, float | None] | None] = {}

    def bad_dates(self, dates: set[str]) -> set[str]:
        """Those of dates that are given but are not partial dates."""
        new = dates - self.dates
        self.dates |= new
        self.bad.update(d for d in new if d and not is_partial_date(d))
        return dates & self.bad


def _sources_from_parts(lines: list[tuple[str, ...]], schema: Schema, checked: _Checked | None = None) -> tuple[list[dict], list[int]]:
    """The source of each line, and the indices of the lines that need parse_sources."""
    bad_dates = (checked or _Checked()).bad_dates(set(map(operator.itemgetter(3), lines)))
    # a line the line regex did not accept has no publisher (its text is in group 6)
    bad = [i for i, parts in enumerate(lines) if not parts[0] or parts[3] in bad_dates] if bad_dates or not all(map(operator.itemgetter(0), lines)) else []
    # (publishers and dates repeat across thousands of sources: one string each, not one per source,
    # saves ~30 MB at 100k events)
    return [{"publisher": intern(p), "title": t, "url": u, "date": intern(d), "note": n} for p, t, u, d, n, _ in lines], bad


def _amount(amount: str, schema: Schema) -> tuple[str, float, float | None] | None:
    """(qualifier, value, high) of an amount parse_figures accepts, or None."""
    m = _AMOUNT_RE.fullmatch(amount)
    if not m:
        return None
    qualifier, value, high = m.groups()
    if (qualifier and qualifier not in schema.qualifiers) or max(digit_count(value), digit_count(high or "")) > MAX_NUMBER_DIGITS:
        return None
    low, high = _number(value), _number(high) if high else None
    if not (low < MAX_AMOUNT and (high if high is not None else 0.0) < MAX_AMOUNT) or (high is not None and high < low):
        return None
    return qualifier or "", low, high


def _figures_from_parts(lines: list[tuple[str, ...]], schema: Schema, checked: _Checked | None = None) -> tuple[list[dict | None], list[int]]:
    """The figure of each line (None where parse_figures is needed), and the indices of those lines."""
    # amounts and dates repeat: check each distinct one once
    checked = checked or _Checked()
    amounts = checked.amounts
    for amount in set(map(operator.itemgetter(0), lines)) - amounts.keys():
        amounts[amount] = _amount(amount, schema)
    bad_dates = checked.bad_dates(set(map(operator.itemgetter(3), lines)))
    units = schema.units
    items: list[dict | None] = []
    bad = []
    for i, (amount, unit, claimant, claim_date, note, _) in enumerate(lines):
        parsed = amounts[amount]
        if parsed is None or unit not in units or claim_date in bad_dates:
            items.append(None)
            bad.append(i)
            continue
        qualifier, value, high = parsed
        items.append({"qualifier": qualifier, "value": value, "high": high,
                      "unit": intern(unit), "claimant": intern(claimant), "date": intern(claim_date), "note": note})
    return items, bad


# Cells are parsed this many at a time: the joined text, the regex's tuples and the items' temporary strings
# of one batch are freed before the next, so their memory is reused instead of fresh memory being mapped for
# the whole column at once (at 100k events ~50 MB of temporaries; ~11,000 fewer fresh pages, ~4% of load_events).
_BATCH = 2048


def parse_column(cells: list[str], kind: str, schema: Schema) -> tuple[list, list[int]]:
    """Parse a whole 'figures' or 'sources' column of stripped cells.

    Returns the per-row lists and the rows (in order) left for parse_figures/parse_sources:
    their value is None here. Empty cells give [].
    """
    n = len(cells)
    # (a column filled in every row, as sources must be, needs only the search for an empty cell)
    filled = np.flatnonzero(np.fromiter(map(len, cells), dtype=np.int64, count=n)).tolist() if "" in cells else list(range(n))
    texts = cells if len(filled) == n else [cells[i] for i in filled]
    if schema.item_separator != "|" or not filled:
        return [None if cell else [] for cell in cells], filled
    parsed: list[list] = []
    slow_cells: list[int] = []  # positions in texts
    checked = _Checked()
    for begin in range(0, len(texts), _BATCH):
        batch = _parse_batch(texts[begin:begin + _BATCH], kind, schema, checked)
        if batch is None:  # cannot happen: the line regex matches every line once
            return [None if cell else [] for cell in cells], filled
        parsed += batch[0]
        slow_cells += [begin + k for k in batch[1]]
    if len(filled) == n:
        values = parsed
    else:
        values = [None if cell else [] for cell in cells]
        for row, value in zip(filled, parsed):
            values[row] = value
    slow = [filled[k] for k in slow_cells]
    for row in slow:
        values[row] = None
    return values, slow


def _parse_batch(texts: list[str], kind: str, schema: Schema, checked: _Checked) -> tuple[list[list], list[int]] | None:
    """parse_column's work on some filled cells: their lists, and (in order) the positions of those left to
    parse_figures/parse_sources; None if the line regex did not give one match per line."""
    slow_cells: set[int] = set()
    text = "\n".join(texts)
    if "\r" in text:  # (one search of the joined text, not one per cell)
        texts = list(map(str.replace, texts, repeat("\r\n"), repeat("\n")))
        slow_cells.update(k for k, cell in enumerate(texts) if "\r" in cell)
        text = "\n".join(texts)
    counts = [k + 1 for k in map(str.count, texts, repeat("\n"))]
    if max(counts) > MAX_ITEMS:  # left to parse_figures/parse_sources, which report them: not matched line by line
        big = [k for k, lines in enumerate(counts) if lines > MAX_ITEMS]
        texts = list(texts)
        for k in big:
            texts[k], counts[k] = "", 1
        slow_cells.update(big)
        text = "\n".join(texts)
    lines = (_ASCII_LINE_RE if text.isascii() else _LINE_RE)[kind].findall(text)
    del text
    if len(lines) != sum(counts):
        return None
    build = _sources_from_parts if kind == "sources" else _figures_from_parts
    items, bad_lines = build(lines, schema, checked)
    del lines
    if bad_lines:
        owner = np.repeat(np.arange(len(texts)), counts)
        slow_cells.update(owner[bad_lines].tolist())
    it = iter(items)
    return list(map(list, map(islice, repeat(it), counts))), sorted(slow_cells)
