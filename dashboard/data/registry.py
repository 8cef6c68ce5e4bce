"""The actor and publisher registries: who the events name, and who publishes their sources.

``actors.csv`` gives every actor a stable id, one canonical name and its other spellings
(aliases); ``publishers.csv`` gives every outlet its type, country, whether a state controls
it and the web domains it publishes on. Both sit beside the events file they describe: the
bundled ones beside the bundled events.csv, a user's beside the user's file (see
``registry_beside``). Lookups are dicts built once per loaded registry.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from .. import paths
from .csvfile import RawTable, read_table
from .problems import EventsError, Problem, UnreadableFile
from .registry_check import check_actor_rows, check_publisher_rows, check_table
from .schema import FieldsByName

ACTORS_FILE = "actors.csv"
PUBLISHERS_FILE = "publishers.csv"
# the 'independently sourced' filter leaves out sources that only state media of these countries back
STATE_MEDIA_COUNTRIES = ("RU", "KP")
# 'Korea Herald (Yonhap)', 'Mint (AFP/Reuters)': a publisher and the wires it carries, in the last brackets
_WIRES = re.compile(r"(.+?)\s*\(([^()]*)\)")


# ---------------------------------------------------------------- the registries' Table Schemas


@dataclass(frozen=True)
class RegistryField:
    name: str
    title: str
    description: str
    example: str
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    delimiter: str | None = None
    true_values: tuple[str, ...] = ()
    false_values: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSchema(FieldsByName):
    name: str
    title: str
    description: str
    fields: tuple[RegistryField, ...]


@cache
def registry_schema(kind: str) -> TableSchema:
    """The published Table Schema of 'actors' or 'publishers' (read once)."""
    raw = json.loads(paths.registry_schema_json(kind).read_text(encoding="utf-8"))
    fields = []
    for f in raw["fields"]:
        constraints = f.get("constraints", {})
        fields.append(RegistryField(
            name=f["name"], title=f.get("title", f["name"]), description=f.get("description", ""),
            example=str(f.get("example", "")), required=bool(constraints.get("required")),
            unique=bool(constraints.get("unique")), enum=tuple(constraints.get("enum", ())),
            pattern=constraints.get("pattern"), delimiter=f.get("delimiter"),
            true_values=tuple(f.get("trueValues", ())), false_values=tuple(f.get("falseValues", ())),
        ))
    return TableSchema(raw.get("name", kind), raw.get("title", kind), raw.get("description", ""), tuple(fields))


# ---------------------------------------------------------------- entries


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    country: str
    body: str  # id of the body the actor speaks for or belongs to ('' for none)
    description: str


@dataclass(frozen=True)
class Publisher:
    id: str
    name: str
    type: str
    country: str
    state_controlled: bool
    domains: tuple[str, ...]

    @property
    def state_media(self) -> bool:
        """State-controlled and of a country whose state media the 'independently sourced' filter sets aside."""
        return self.state_controlled and self.country in STATE_MEDIA_COUNTRIES

    @property
    def label(self) -> str:
        """The tag a source shows: its type, and whether a state controls it when the type does not say so."""
        return self.type + (", state-controlled" if self.state_controlled and self.type != "state media" else "")

    def uses(self, host: str) -> bool:
        """Whether a URL host is one of the publisher's domains or a subdomain of one (www., m-en., en. ...)."""
        host = host.lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in self.domains)


def split_list(cell: str, delimiter: str = ";") -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(delimiter) if part.strip())


@dataclass
class Registry:
    """The actors and publishers one events file is checked against; either part may be missing (None)."""

    actors: tuple[Actor, ...] | None = None
    publishers: tuple[Publisher, ...] | None = None
    actors_path: Path | None = None
    publishers_path: Path | None = None
    _split: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        actors = self.actors or ()
        self._by_id = {a.id: a for a in actors}
        self._by_name = {a.name: a for a in actors}
        self._by_alias: dict[str, Actor] = {}
        for a in actors:
            for alias in a.aliases:
                self._by_alias.setdefault(alias, a)
        self._ancestors = {a.name: self._chain(a) for a in actors}
        self._publishers = {p.name: p for p in self.publishers or ()}
        self._group_order = {a.name: (a.country, tuple(reversed(self._ancestors[a.name])) + (a.name,)) for a in actors}

    def _chain(self, actor: Actor) -> tuple[str, ...]:
        """Canonical names of the bodies above an actor, nearest first (a cycle stops the walk)."""
        out: list[str] = []
        seen = {actor.id}
        body = self._by_id.get(actor.body)
        while body is not None and body.id not in seen:
            out.append(body.name)
            seen.add(body.id)
            body = self._by_id.get(body.body)
        return tuple(out)

    # --- actors

    def actor(self, name: str) -> Actor | None:
        """The actor a name or alias stands for."""
        return self._by_name.get(name) or self._by_alias.get(name)

    def is_canonical(self, name: str) -> bool:
        return name in self._by_name

    def canonical(self, name: str) -> str:
        """The canonical name of a name or alias (the name itself when it is not registered)."""
        actor = self.actor(name)
        return actor.name if actor else name

    def ancestors(self, name: str) -> tuple[str, ...]:
        return self._ancestors.get(name, ())

    def aliases(self, name: str) -> tuple[str, ...]:
        actor = self._by_name.get(name)
        return actor.aliases if actor else ()

    def actor_spellings(self) -> dict[str, str]:
        """Every name and alias, case-folded, with the canonical name it stands for (for suggestions)."""
        out: dict[str, str] = {}
        for a in self.actors or ():
            for spelling in (a.name, *a.aliases):
                out.setdefault(spelling.casefold(), a.name)
        return out

    # --- publishers

    def publisher(self, name: str) -> Publisher | None:
        return self._publishers.get(name)

    def publisher_names(self) -> list[str]:
        return list(self._publishers)

    def split_publisher(self, text: str) -> tuple[str, tuple[str, ...]]:
        """The PUBLISHER part of a source as (publisher, wires): 'Mint (AFP/Reuters)' -> ('Mint', ('AFP', 'Reuters')).

        A registered name that itself ends in brackets ('The Independent (Uganda)') is a publisher, not a wire.
        """
        if text in self._split:
            return self._split[text]
        m = _WIRES.fullmatch(text)
        if text in self._publishers or not m:
            out: tuple[str, tuple[str, ...]] = (text, ())
        else:
            out = (m.group(1), tuple(w.strip() for w in m.group(2).split("/")))
        self._split[text] = out
        return out

    def source_publisher(self, text: str) -> Publisher | None:
        """The registered publisher of a source's PUBLISHER part (its wires aside)."""
        return self._publishers.get(self.split_publisher(text)[0])

    def source_tags(self, text: str) -> list[tuple[str, bool]]:
        """What a source is tagged with, as (tag, state-controlled): its publisher's type, then each
        state-controlled wire it carries ('TASS: state media'). Nothing for an unregistered publisher."""
        name, wires = self.split_publisher(text)
        publisher = self._publishers.get(name)
        tags = [(publisher.label, publisher.state_controlled)] if publisher else []
        for wire in filter(None, map(self._publishers.get, wires)):
            if wire.state_controlled and not (publisher and publisher.state_controlled):
                tags.append((f"{wire.name}: {wire.label}", True))
        return tags

    def is_state_media(self, text: str) -> bool:
        """Whether a source's publisher or any wire it carries is state media of Russia or the DPRK."""
        name, wires = self.split_publisher(text)
        return any(p is not None and p.state_media for p in map(self._publishers.get, (name, *wires)))

    # --- colours

    def group_order(self) -> dict[str, tuple]:
        """Sort key of every canonical name: its country, then its top body and the bodies in between, then itself."""
        return self._group_order

    def country(self, name: str) -> str | None:
        actor = self.actor(name)
        return actor.country if actor else None


# ---------------------------------------------------------------- reading the files


def _rows(raw: RawTable) -> list[tuple[int, dict[str, str]]]:
    """(line, {column: stripped cell}) of each record whose width matches the header."""
    width = len(raw.header)
    return [(line, {name: cell.strip() for name, cell in zip(raw.header, row)})
            for line, row in zip(raw.starts, raw.rows) if len(row) == width]


def _read(path: Path) -> tuple[RawTable | None, list[Problem]]:
    try:
        return read_table(path), []
    except EventsError as err:
        return None, [Problem(p.line, p.column, p.message, str(path)) for p in err.problems]
    except UnreadableFile as err:
        return None, [Problem(1, "file", err.reason, str(path))]


def read_actors(path: Path) -> tuple[tuple[Actor, ...], list[Problem]]:
    raw, problems = _read(path)
    if raw is None:
        return (), problems
    schema = registry_schema("actors")
    problems += check_table(raw, schema, path)
    rows = _rows(raw)
    problems += check_actor_rows(rows, path)
    actors = tuple(
        Actor(r.get("id", ""), r["name"], split_list(r.get("aliases", "")), r.get("kind", ""), r.get("country", ""),
              r.get("body", ""), r.get("description", ""))
        for _, r in rows if r.get("name"))
    return actors, problems


def read_publishers(path: Path) -> tuple[tuple[Publisher, ...], list[Problem]]:
    raw, problems = _read(path)
    if raw is None:
        return (), problems
    schema = registry_schema("publishers")
    problems += check_table(raw, schema, path)
    rows = _rows(raw)
    problems += check_publisher_rows(rows, path)
    publishers = tuple(
        Publisher(r.get("id", ""), r["name"], r.get("type", ""), r.get("country", ""), r.get("state_controlled", "") == "yes",
                  tuple(d.lower() for d in split_list(r.get("domains", ""))))
        for _, r in rows if r.get("name"))
    return publishers, problems


def _stamp(path: Path):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def registry_files(events_path: str | Path) -> tuple[Path, Path]:
    """Where the registries of an events file are: actors.csv and publishers.csv in its folder."""
    folder = Path(events_path).parent
    return folder / ACTORS_FILE, folder / PUBLISHERS_FILE


def stamps(events_path: str | Path) -> tuple:
    """Size and modification stamps of the registries beside an events file (to notice a change)."""
    return tuple(_stamp(p) for p in registry_files(events_path))


@lru_cache(maxsize=8)
def _load(actors_path: Path, publishers_path: Path, _stamps: tuple) -> tuple[Registry, tuple[Problem, ...]]:
    problems: list[Problem] = []
    actors = publishers = None
    if _stamps[0] is not None:
        actors, found = read_actors(actors_path)
        problems += found
    if _stamps[1] is not None:
        publishers, found = read_publishers(publishers_path)
        problems += found
    registry = Registry(actors, publishers, actors_path if actors is not None else None,
                        publishers_path if publishers is not None else None)
    return registry, tuple(problems)


def registry_beside(events_path: str | Path) -> tuple[Registry, tuple[Problem, ...]]:
    """The registries in the folder of an events file, and the problems found in them.

    A part whose file is absent is None: the events are then not checked against it. Loaded once per
    version of the files (cached by their size and modification time).
    """
    actors_path, publishers_path = registry_files(events_path)
    return _load(actors_path, publishers_path, stamps(events_path))


def bundled_registry() -> Registry:
    """The registries shipped with the bundled events.csv."""
    return registry_beside(paths.events_csv())[0]


def display_registry(events_path: str | Path | None = None) -> Registry:
    """What the dashboard and the export use to name, colour, tag and search: the registries beside the
    events file, and for a part that has none there, the bundled one (it knows the common names)."""
    bundled = bundled_registry()
    if events_path is None:
        return bundled
    own, _ = registry_beside(events_path)
    if own.actors is not None and own.publishers is not None:
        return own
    return Registry(own.actors if own.actors is not None else bundled.actors,
                    own.publishers if own.publishers is not None else bundled.publishers,
                    own.actors_path or bundled.actors_path, own.publishers_path or bundled.publishers_path)


def missing_note(events_path: str | Path) -> str | None:
    """The note for an events file with no registries beside it (its names are then not checked), or None."""
    actors_path, publishers_path = registry_files(events_path)
    missing = [p.name for p in (actors_path, publishers_path) if not p.exists()]
    if not missing:
        return None
    what = {ACTORS_FILE: "actor and claimant names", PUBLISHERS_FILE: "source publishers"}
    return (f"note: {events_path}: no {' or '.join(missing)} in its folder, so its {' and '.join(what[m] for m in missing)} "
            f"were not checked against a registry; put {' and '.join(missing)} there to check them (start from the project's own)")
