"""The events schema: read once from the published Table Schema JSON.

The JSON file is the single source of truth for column names, which columns are
required, the category list (order, labels, colours), the units of reported figures
and the layout of multi-value cells. Code reads those facts from here, never restates them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .. import paths


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    title: str
    description: str
    example: str
    required: bool
    pattern: str | None = None
    enum: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    delimiter: str | None = None
    item_parts: tuple[str, ...] = ()
    item_required: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    value: str
    label: str
    color: str


class FieldsByName:
    """What a table schema with ``fields`` answers about them (events.csv's and the registries' alike)."""

    fields: tuple

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    def field(self, name: str):
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True)
class Schema(FieldsByName):
    fields: tuple[Field, ...]
    categories: tuple[Category, ...]
    units: dict[str, str]  # unit -> chart group
    qualifiers: tuple[str, ...]
    item_separator: str
    name: str = ""
    # MAJOR.MINOR of datapackage.json's version: the parts that change with the columns and their rules
    # (CHANGELOG-data.md); the third part, corrections to the data, leaves the schema as it is
    version: str = ""

    @property
    def category_values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.categories)

    @property
    def category_colors(self) -> dict[str, str]:
        return {c.value: c.color for c in self.categories}

    @property
    def category_labels(self) -> dict[str, str]:
        return {c.value: c.label for c in self.categories}


def _field(raw: dict) -> Field:
    constraints = raw.get("constraints", {})
    item = raw.get("x-item", {})
    return Field(
        name=raw["name"],
        type=raw["type"],
        title=raw.get("title", raw["name"]),
        description=raw.get("description", ""),
        example=str(raw.get("example", "")),
        required=bool(constraints.get("required", False)),
        pattern=constraints.get("pattern"),
        enum=tuple(constraints.get("enum", ())),
        minimum=constraints.get("minimum"),
        maximum=constraints.get("maximum"),
        max_length=constraints.get("maxLength"),
        delimiter=raw.get("delimiter"),
        item_parts=tuple(item.get("parts", ())),
        item_required=tuple(item.get("required", ())),
    )


@cache
def load_fields(path: Path) -> tuple[Field, ...]:
    """The fields of another bundled Table Schema (e.g. retired ids), read once."""
    return tuple(_field(f) for f in json.loads(path.read_text(encoding="utf-8"))["fields"])


@cache
def load_schema() -> Schema:
    """Read the bundled schema (cached: it ships with the package and never changes at run time)."""
    raw = json.loads(paths.schema_json().read_text(encoding="utf-8"))
    by_name = {f["name"]: f for f in raw["fields"]}
    figures = by_name["figures"]["x-item"]
    return Schema(
        fields=tuple(_field(f) for f in raw["fields"]),
        categories=tuple(Category(c["value"], c["label"], c["color"]) for c in by_name["category"]["categories"]),
        units={u["value"]: u["group"] for u in figures["units"]},
        qualifiers=tuple(figures["qualifiers"]),
        item_separator=figures["separator"],
        name=raw.get("name", ""),
        version=raw.get("version", ""),
    )
