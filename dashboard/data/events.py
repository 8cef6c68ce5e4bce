"""Load and write events files: the one boundary where data is validated."""

from __future__ import annotations

import csv
import gc
import io
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from .cells import format_figure, format_source
from .csvfile import read_table
from .problems import EventsError
from .registry import registry_beside
from .schema import load_schema
from .validate import check_rows


def load_events(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate an events CSV (default: the bundled one).

    Its names are checked against the registries in its folder (``registry.registry_beside``):
    actors.csv and publishers.csv, where present; the problems of those files are reported too.

    Returns a frame sorted by time with real datetimes (``start``; ``end`` is exclusive),
    an ordered categorical ``category``, and lists in ``actors``, ``figures`` and ``sources``.

    Raises:
        UnreadableFile: the file is missing, a directory or cannot be read.
        EventsError: the content is invalid; ``.problems`` lists every problem found.
    """
    path = Path(path) if path is not None else paths.events_csv()
    # Loading makes several objects per row (cell lists, items), none of them in a reference
    # cycle; pausing the cyclic collector saves it from re-scanning them all, many times over.
    collecting = gc.isenabled()
    gc.disable()
    try:
        raw = read_table(path)
        registry, registry_problems = registry_beside(path)
        frame, problems = check_rows(raw, load_schema(), registry)
        problems += registry_problems
        if problems:
            raise EventsError(path, problems)
        return frame.take(_time_order(frame)).reset_index(drop=True)
    finally:
        if collecting:
            gc.enable()


def _time_order(frame: pd.DataFrame) -> np.ndarray:
    """The positions that sort the frame by start, end and id (as a stable sort_values would)."""
    start, end = frame["start"].to_numpy(), frame["end"].to_numpy()
    if np.isnat(start).any() or np.isnat(end).any():  # never for a valid file; keep pandas' NaT-last rule
        return frame.sort_values(["start", "end", "id"], kind="stable").index.to_numpy()
    ids = frame["id"].tolist()
    by_id = np.array(sorted(range(len(ids)), key=ids.__getitem__), dtype=np.int64)  # list.sort: fast str compare
    # lexsort is stable: rows with the same start and end stay in id order
    return by_id[np.lexsort((end[by_id].view(np.int64), start[by_id].view(np.int64)))]


def _cell(value) -> str:
    if isinstance(value, float):
        # positional, shortest exact form: spreadsheets and our validator reject 1e-05 style
        return "" if pd.isna(value) else np.format_float_positional(value, trim="-")
    return "" if value is None or value is pd.NA else str(value)


def events_to_csv(events: pd.DataFrame) -> str:
    """The CSV text of a loaded events frame, in the schema's column order (inverse of load_events)."""
    schema = load_schema()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(schema.names)
    certainty = events["date_certainty"].astype(str).replace("exact", "")
    ranks = events["importance"].map(lambda r: "" if pd.isna(r) else str(int(r)))
    for i, row in enumerate(events.itertuples(index=False)):
        writer.writerow([
            row.id, row.date, _cell(row.end_date), certainty.iat[i], row.title, _cell(row.label), ranks.iat[i],
            _cell(row.description),
            row.category, "; ".join(row.actors), _cell(row.place), _cell(row.latitude), _cell(row.longitude),
            "\n".join(format_figure(f) for f in row.figures),
            "\n".join(format_source(s) for s in row.sources),
        ])
    return out.getvalue()
