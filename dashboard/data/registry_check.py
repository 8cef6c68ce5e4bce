"""Checks of the registries and of an events file against them, as located problems.

Two kinds: the registry files themselves (their columns, unique ids, names and aliases, bodies
that exist), and the names an events file uses (every actor and figure claimant registered and
written canonically; every source's publisher and wires registered, its URL on the publisher's
domains). Names repeat across events, so each distinct name is judged once and only the rows
with a problem are then located.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .cells import split_actors
from .csvfile import RawTable, split_lines
from .problems import Problem, shown

if TYPE_CHECKING:
    from .registry import Registry, TableSchema

ACTOR_COLUMNS = "id,name,aliases,kind,country,body,description"
PUBLISHER_COLUMNS = "id,name,type,country,state_controlled,domains"
MAX_SUGGESTED = 100  # distinct unknown names that get 'closest' suggestions; the rest are named only
MAX_NAME = 100  # longer names are not compared with difflib (they are not names)
_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,}")
_HOST = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)")


# ---------------------------------------------------------------- the registry files


def check_table(raw: RawTable, schema: TableSchema, path: Path) -> list[Problem]:
    """Header, required cells, allowed values, patterns and unique columns of a registry file."""
    problems = []
    where = str(path)

    def add(line: int, column: str, message: str) -> None:
        problems.append(Problem(line, column, message, where))

    for name in raw.header:
        if name not in schema.names:
            add(raw.header_line, "header", f"unknown column {shown(name)}; the columns are: {', '.join(schema.names)}")
    for name in schema.required:
        if name not in raw.header:
            add(raw.header_line, "header", f"missing required column '{name}'; the columns are: {', '.join(schema.names)}")
    width = len(raw.header)
    seen: dict[str, dict[str, int]] = {f.name: {} for f in schema.fields if f.unique}
    for line, row in zip(raw.starts, raw.rows):
        if len(row) != width:
            add(line, "row", f"this row has {len(row)} cells but the header has {width}; a cell that contains a comma must be wrapped in double quotes")
            continue
        cells = {name: cell.strip() for name, cell in zip(raw.header, row)}
        for f in schema.fields:
            value = cells.get(f.name, "")
            if not value:
                if f.required and f.name in cells:
                    add(line, f.name, f"is empty; every row needs a {f.title.lower()} (e.g. {f.example!r})")
                continue
            allowed = f.enum or f.true_values + f.false_values
            if allowed and value not in allowed:
                close = difflib.get_close_matches(value[:MAX_NAME], allowed, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                add(line, f.name, f"{shown(value)} is not allowed; {hint}use one of: {', '.join(allowed)}")
            if f.pattern and f.delimiter is None and not re.fullmatch(f.pattern, value):
                add(line, f.name, f"{shown(value)} does not have the right form; write e.g. {f.example!r}")
            if f.unique:
                first = seen[f.name].setdefault(value, line)
                if first != line:
                    add(line, f.name, f"{shown(value)} is used twice (first on line {first}); every row needs its own {f.title.lower()}")
    return problems


def check_actor_rows(rows: list[tuple[int, dict[str, str]]], path: Path) -> list[Problem]:
    """Aliases unique across actors (and never another actor's name); every body an existing id, no loops."""
    problems = []
    where = str(path)
    spelled: dict[str, tuple[str, int]] = {}  # case-folded name or alias -> (actor name, line)
    for line, row in rows:
        if row.get("name"):
            spelled.setdefault(row["name"].casefold(), (row["name"], line))
    for line, row in rows:
        name = row.get("name", "")
        for alias in (a.strip() for a in row.get("aliases", "").split(";")):
            if not alias:
                continue
            owner, first = spelled.setdefault(alias.casefold(), (name, line))
            if alias.casefold() == name.casefold():
                problems.append(Problem(line, "aliases", f"alias {shown(alias)} is the actor's own name; remove it", where))
            elif owner != name:
                problems.append(Problem(line, "aliases", f"alias {shown(alias)} already stands for {owner!r} (line {first}); "
                                                         "a name or alias may stand for one actor only", where))
    ids = {row.get("id", ""): row for _, row in rows}
    for line, row in rows:
        body = row.get("body", "")
        if not body:
            continue
        if body not in ids:
            close = difflib.get_close_matches(body[:MAX_NAME], list(ids), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            problems.append(Problem(line, "body", f"{shown(body)} is not the id of an actor; {hint}the body must be an id from this file", where))
            continue
        seen, step = {row.get("id", "")}, ids[body]
        while step is not None:
            if step.get("id", "") in seen:
                problems.append(Problem(line, "body", f"{shown(body)} leads back to this actor (bodies must not form a loop)", where))
                break
            seen.add(step.get("id", ""))
            step = ids.get(step.get("body", ""))
    return problems


def check_publisher_rows(rows: list[tuple[int, dict[str, str]]], path: Path) -> list[Problem]:
    """Each domain a bare lower-case host name ('tass.com'), every publisher with at least one."""
    problems = []
    for line, row in rows:
        domains = [d.strip() for d in row.get("domains", "").split(";") if d.strip()]
        for domain in domains:
            if not _DOMAIN.fullmatch(domain):
                bare = _HOST.match(domain)
                example = (bare.group(1) if bare else domain).lower().strip("/") or "tass.com"
                problems.append(Problem(line, "domains", f"{shown(domain)} is not a bare domain; write the host name only, e.g. {example!r}", str(path)))
    return problems


# ---------------------------------------------------------------- an events file against them


class _Closest:
    """Bounded 'closest' suggestions: difflib over the registry's spellings, for a limited number of names."""

    def __init__(self, spellings: dict[str, str]):
        self.spellings = spellings  # case-folded spelling -> what to suggest
        self.asked = 0

    def __call__(self, name: str) -> list[str]:
        if len(name) > MAX_NAME or self.asked >= MAX_SUGGESTED or not self.spellings:
            return []
        self.asked += 1
        found = difflib.get_close_matches(name.casefold(), self.spellings, n=6, cutoff=0.6)
        return list(dict.fromkeys(self.spellings[s] for s in found))[:3]


def _closest_text(names: list[str]) -> str:
    return "; closest: " + ", ".join(repr(n) for n in names) if names else ""


def actor_problem(name: str, registry: Registry, closest: Callable[[str], list[str]]) -> str | None:
    """Why a name may not stand in the data as written (None when it is a canonical name)."""
    if registry.is_canonical(name):
        return None
    actor = registry.actor(name)
    if actor is not None:
        return f"{shown(name)} is an alias of {actor.name!r} in actors.csv; write the canonical name {actor.name!r}"
    return (f"{shown(name)} is not in actors.csv{_closest_text(closest(name))}; use a registered name, "
            f"or add the actor as a row of actors.csv ({ACTOR_COLUMNS})")


def source_problems(publisher_text: str, host: str | None, registry: Registry,
                    closest: Callable[[str], list[str]]) -> list[str]:
    """What is wrong with a source's PUBLISHER part and its URL's domain (empty when nothing is)."""
    name, wires = registry.split_publisher(publisher_text)
    publisher = registry.publisher(name)
    out = []
    if publisher is None:
        out.append(f"publisher {shown(name)} is not in publishers.csv{_closest_text(closest(name))}; use a registered name, "
                   f"or add the publisher as a row of publishers.csv ({PUBLISHER_COLUMNS})")
    unknown = [w for w in wires if registry.publisher(w) is None]
    if unknown and len(unknown) == len(wires):
        bracket = publisher_text[len(name):].strip()
        close = [c for w in wires for c in closest(w)][:3]
        hint = f" (if it names a wire: closest {', '.join(repr(c) for c in close)})" if close else ""
        out.append(f"{shown(bracket)} after the publisher is not a registered wire{hint}; a wire in brackets names a publisher "
                   f"of publishers.csv (e.g. 'Korea Herald (Yonhap)'), anything else is a note: move it to the NOTE part "
                   f"(PUBLISHER | TITLE | URL | DATE | NOTE)")
    else:
        for wire in unknown:
            out.append(f"wire {shown(wire)} is not in publishers.csv{_closest_text(closest(wire))}; add it, or move it to the NOTE part")
    if publisher is not None and host is not None and publisher.domains and not publisher.uses(host):
        out.append(f"the URL is on {host!r}, which {publisher.name!r} does not publish on (publishers.csv lists "
                   f"{'; '.join(publisher.domains)}); check the URL and the publisher, or add the domain to publishers.csv")
    return out


def _host(url: str) -> str | None:
    m = _HOST.match(url)
    if not m or not m.group(1):
        return None
    host = m.group(1).lower()
    try:  # an internationalised domain is registered as written in URLs (xn--...)
        return host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return host


def check_event_names(cells: dict[str, list[str]], actor_lists: list[list[str]], add, registry: Registry) -> None:
    """Report every unregistered or non-canonical actor, claimant and publisher, and every URL off its
    publisher's domains. ``add(row, column, message, offset)`` locates a problem; cells are stripped."""
    if registry.actors is not None:
        _check_actors(actor_lists, add, registry)
        _check_claimants(cells.get("figures", []), add, registry)
    if registry.publishers is not None:
        _check_sources(cells.get("sources", []), add, registry)


def _check_actors(actor_lists: list[list[str]], add, registry: Registry) -> None:
    closest = _Closest(registry.actor_spellings())
    distinct = {name for names in actor_lists for name in names}
    verdict = {name: actor_problem(name, registry, closest) for name in sorted(distinct)}
    bad = {name for name, message in verdict.items() if message}
    for row, names in enumerate(actor_lists):
        if bad and not bad.isdisjoint(names):
            for name in dict.fromkeys(names):
                if name in bad:
                    add(row, "actors", verdict[name], 0)
        if len(names) > 1 and len(set(names)) < len(names):
            for name in sorted({n for n in names if names.count(n) > 1}):
                add(row, "actors", f"{shown(name)} is named twice; name each actor once", 0)


def _item_lines(cells: list[str]):
    """(row, offset in the cell, item number, parts) of every non-blank line of a figures or sources column."""
    for row, cell in enumerate(cells):
        if not cell:
            continue
        n = 0
        for offset, line in enumerate(split_lines(cell)):
            if line.strip():
                n += 1
                yield row, offset, n, [p.strip() for p in line.split("|")]


def _check_claimants(cells: list[str], add, registry: Registry) -> None:
    closest = _Closest(registry.actor_spellings())
    verdict: dict[str, str | None] = {}
    for row, offset, n, parts in _item_lines(cells):
        if len(parts) < 3 or not parts[2]:
            continue  # a malformed figure: the figures check has reported it
        for name in split_actors(parts[2]):
            if name not in verdict:
                verdict[name] = actor_problem(name, registry, closest)
            if verdict[name]:
                add(row, "figures", f"figure {n}: claimant {verdict[name]}", offset)


def _check_sources(cells: list[str], add, registry: Registry) -> None:
    closest = _Closest({name.casefold(): name for name in registry.publisher_names()})
    verdict: dict[tuple[str, str | None], list[str]] = {}
    for row, offset, n, parts in _item_lines(cells):
        if len(parts) < 3 or not parts[0]:
            continue  # a malformed source: the sources check has reported it
        key = (parts[0], _host(parts[2]))
        if key not in verdict:
            verdict[key] = source_problems(key[0], key[1], registry, closest)
        for message in verdict[key]:
            add(row, "sources", f"source {n}: {message}", offset)
