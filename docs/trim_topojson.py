"""Make assets/topojson/world_110m.json: plotly's world outline file without the layers the map never draws.

The dashboard's map shows land, ocean, lakes, coastlines and country borders; rivers and the
subunits (states, provinces) are dropped with the arcs only they use. plotly.js reads only the
layers a map shows, so the file works as before and every first page load is lighter. The countries'
centroids (properties.ct) go too: plotly.js reads them only for traces placed by ``locations``
(country names or codes), and the map places its points by latitude and longitude.

    python docs/trim_topojson.py SOURCE.json assets/topojson/world_110m.json

SOURCE is plotly's original world_110m.json (https://cdn.plot.ly/world_110m.json, MIT licence).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

KEEP = ("coastlines", "land", "ocean", "lakes", "countries")


def _arc_lists(geometry: dict):
    """Every list of arc indices in a topojson geometry (nested per geometry type)."""
    arcs = geometry.get("arcs")
    if arcs is None:
        return
    depth = {"LineString": 0, "Polygon": 1, "MultiLineString": 1, "MultiPolygon": 2}[geometry["type"]]
    stack = [(arcs, depth)]
    while stack:
        item, level = stack.pop()
        if level == 0:
            yield item
        else:
            stack.extend((child, level - 1) for child in item)


def trim(topology: dict, keep: tuple[str, ...] = KEEP) -> dict:
    objects = {name: topology["objects"][name] for name in keep}
    geometries = [g for obj in objects.values() for g in obj.get("geometries", [obj])]
    used = sorted({i if i >= 0 else ~i for g in geometries for arcs in _arc_lists(g) for i in arcs})
    new_index = {old: new for new, old in enumerate(used)}
    for g in geometries:
        for arcs in _arc_lists(g):
            arcs[:] = [new_index[i] if i >= 0 else ~new_index[~i] for i in arcs]
    for g in geometries:
        g.pop("properties", None)
    return {**topology, "objects": objects, "arcs": [topology["arcs"][i] for i in used]}


def main(source: str, target: str) -> None:
    topology = trim(json.loads(Path(source).read_text(encoding="utf-8")))
    Path(target).write_text(json.dumps(topology, separators=(",", ":")), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
