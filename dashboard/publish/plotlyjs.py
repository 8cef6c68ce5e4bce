"""The partial plotly.js bundles the dashboard and the exported pages load instead of the full 4.8 MB one.

tools/plotly-bundle/build.mjs builds them from the plotly.js version our plotly package ships, each with
only some trace types, and names those types in the file's first line. ``BUNDLE`` has every type our
figures draw (the dashboard loads it from assets/); an exported page embeds the smallest bundle that has
every type its figures use. A type missing from a bundle would be drawn as scatter without any error,
so ``bundle_for`` refuses a figure no bundle covers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .. import paths

BUNDLE = "plotly-custom.min.js"
# e.g. "/**\n* plotly.js (bar, scatter - minified) v4.1.1\n"
_HEADER = re.compile(r"/\*\*\n\* plotly\.js \(([a-z0-9, ]+) - minified\) v([0-9][^\s]*)\n")


@dataclass(frozen=True)
class Bundle:
    name: str
    path: Path
    version: str
    traces: frozenset[str]

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def read_header(text: str) -> tuple[frozenset[str], str]:
    """The trace types and plotly.js version named in a bundle's first line; ValueError when it has none."""
    found = _HEADER.match(text)
    if not found:
        raise ValueError("not a partial plotly.js bundle: its first line does not name its trace types")
    return frozenset(found.group(1).split(", ")), found.group(2)


@cache
def bundles() -> dict[str, Bundle]:
    """Every committed bundle by file name."""
    out = {}
    for path in paths.plotly_bundles():
        with path.open(encoding="utf-8") as handle:
            traces, version = read_header(handle.read(300))
        out[path.name] = Bundle(path.name, path, version, traces)
    return out


@cache
def bundle_js(name: str = BUNDLE) -> str:
    """A bundle's text."""
    return bundles()[name].path.read_text(encoding="utf-8")


def trace_types(figures: Iterable[Mapping | object]) -> set[str]:
    """The trace types of plotly figures, given as figure objects or their JSON dicts."""
    types = set()
    for figure in figures:
        data = figure.get("data", []) if isinstance(figure, Mapping) else figure.data
        types.update((trace.get("type") or "scatter") if isinstance(trace, Mapping) else trace.type for trace in data)
    return types


def bundle_for(types: Iterable[str]) -> str:
    """The name of the smallest bundle that registers every one of ``types``."""
    wanted = set(types)
    fits = [b for b in bundles().values() if wanted <= b.traces]
    if not fits:
        raise ValueError(f"no plotly.js bundle draws {', '.join(sorted(wanted - bundles()[BUNDLE].traces))}: "
                         "add the type in tools/plotly-bundle/build.mjs and rebuild")
    return min(fits, key=lambda b: b.size).name
