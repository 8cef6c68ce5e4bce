"""Parse the multi-value cells: actors, reported figures and sources.

Each parser takes one cell's text and returns the parsed values plus a list of
(line offset inside the cell, message) for whatever is malformed.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .csvfile import split_lines
from .dates import date_hint, is_partial_date
from .problems import shown
from .schema import Schema

_NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_SCIENTIFIC = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]*)?[eE][+-]?[0-9]+")
_FORMULA_URL = re.compile(r"""=\s*HYPERLINK\(\s*"([^"]*)".*""", re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"\s")  # the same characters as str.isspace(), found in C
MAX_AMOUNT = 1e15  # larger amounts are typing or spreadsheet accidents, not reported figures
_AMOUNT_RE = re.compile(rf"(?:(?P<qualifier>[a-z ]+?)\s+)?(?P<value>{_NUMBER})(?:\s*[-–]\s*(?P<high>{_NUMBER}))?")
FIGURE_FORMAT = "AMOUNT | UNIT | CLAIMANT (| DATE | NOTE), e.g. 'more than 6000 | casualties | UK Ministry of Defence'"
SOURCE_FORMAT = "PUBLISHER | TITLE | URL | DATE (| NOTE), e.g. 'TASS | Treaty takes effect | https://tass.com/1 | 2024-12-04'"

Issues = list[tuple[int, str]]


def is_http_url(url: str) -> bool:
    """True for absolute http(s) URLs with a host and no spaces: the only links we ever render."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not _SPACE.search(url)


def split_actors(cell: str) -> list[str]:
    return [a.strip() for a in cell.split(";") if a.strip()]


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def number_hint(value: str, how: str) -> str:
    """Why a cell is not a plain decimal number, naming spreadsheet artefacts such as 1.0E+3."""
    if _SCIENTIFIC.fullmatch(value):
        try:
            full = f"{float(value.replace(',', '.')):f}".rstrip("0").rstrip(".")
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


def parse_figures(cell: str, schema: Schema) -> tuple[list[dict], Issues]:
    figures: list[dict] = []
    issues: Issues = []
    for offset, line in enumerate(split_lines(cell)):
        if not line.strip():
            continue
        n = len(figures) + len(issues) + 1
        parts = _parts(line, schema.item_separator)
        if not 3 <= len(parts) <= 5:
            issues.append((offset, f"figure {n} has {len(parts)} parts separated by '|'; write {FIGURE_FORMAT}"))
            continue
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
    issues: Issues = []
    for offset, line in enumerate(split_lines(cell)):
        if not line.strip():
            continue
        n = len(sources) + len(issues) + 1
        parts = _parts(line, schema.item_separator)
        if len(parts) == 3 and is_http_url(parts[1]):
            issues.append((offset, f"source {n}: the URL is in the title's place; if the title is unknown leave it empty: {shown(f'{parts[0]} |  | {parts[1]} | {parts[2]}', 200)}"))
            continue
        if not 3 <= len(parts) <= 5:
            issues.append((offset, f"source {n} has {len(parts)} parts separated by '|'; write {SOURCE_FORMAT}"))
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
