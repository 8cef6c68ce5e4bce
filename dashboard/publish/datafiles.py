"""The filtered events in other tools' formats: TimelineJS 3 JSON, GeoJSON of the places, plain JSON.

Each builder takes the filtered frame (``load_events`` then ``apply_filters``) and returns the file's
text: strict JSON (``allow_nan=False``: a missing number is ``null``, never ``NaN``), the same bytes
for the same input. CSV text stays text: JSON escapes it, and where a format renders HTML (TimelineJS)
it goes through ``html.escape``; only http(s) sources become links.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from html import escape

import numpy as np
import pandas as pd

from .. import __version__
from ..data.cells import is_http_url
from ..data.dates import PARTIAL_RE
from ..data.filters import Filters
from ..data.schema import load_schema
from ..data.summary import date_span
from ..views.labels import date_label, date_labels, figure_text
from .formats import DATA_FILES
from .report import DATASET, TITLE, describe_filters

CERTAINTY_NOTE = {"inferred": " (date inferred)", "approximate": " (approximate date)"}


def dumps(value) -> str:
    """Strict, compact JSON text with a final newline (raises ValueError on a NaN or infinity)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n"


def _text(value) -> str:
    """A text cell as a string ('' for a missing one: pandas gives NaN or None there)."""
    if type(value) is str:  # the common case, first
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _optional(value) -> str | None:
    """A text cell, or None when it is empty or missing (JSON null)."""
    return _text(value) or None


def _number(value) -> float | None:
    return None if value is None or value != value else float(value)  # (NaN is the one value unequal to itself)


def date_parts(text: str) -> dict[str, int]:
    """TimelineJS's date object of a partial date: integer year, month and day, only the parts known."""
    m = PARTIAL_RE.fullmatch(text)
    if m is None:
        raise ValueError(f"not a partial date: {text!r}")
    return {key: int(part) for key, part in zip(("year", "month", "day"), m.groups()) if part}


def _filters_text(filters: Filters) -> str:
    narrowed = describe_filters(filters)
    return "; ".join(f"{k}: {v}" for k, v in narrowed) if narrowed else "none (every event)"


# ---------------------------------------------------------------- TimelineJS 3


def _link(url: str, text: str) -> str:
    if is_http_url(url):
        return f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{escape(text or url)}</a>'
    return escape(f"{text} ({url})" if text else url)


def _slide_text(description: str, figures: list, sources: list) -> str:
    """A slide's HTML: the description, who claims what, and the sources as links; every CSV text escaped."""
    parts = [f"<p>{escape(description)}</p>"] if description else []
    if figures:
        items = "".join(f"<li>{escape(figure_text(f))}, according to {escape(f['claimant'])}"
                        + (f", {escape(f['date'])}" if f.get("date") else "") + "</li>" for f in figures)
        parts.append(f"<ul>{items}</ul>")
    if sources:
        items = "".join(f"<li>{escape(s['publisher'])}: {_link(s['url'], s.get('title', ''))}"
                        + (f", {escape(s['date'])}" if s.get("date") else "") + "</li>" for s in sources)
        parts.append(f"<p>Sources:</p><ol>{items}</ol>")
    return "".join(parts)


def timelinejs(events: pd.DataFrame, events_all: pd.DataFrame, filters: Filters = Filters()) -> dict:
    """TimelineJS 3's JSON of the events: a title slide, then one slide per event.

    Dates are sent as integer parts, only as precise as ours (a month-only event has no day), since
    TimelineJS would otherwise invent the missing ones; ``display_date`` says the date as the dashboard
    does, with 'date inferred' or 'approximate date' where so. ``unique_id`` is the event's id (stable
    links with ``hash_bookmark``), ``group`` its category's label (one row of the time navigation each).
    """
    labels = load_schema().category_labels
    first, last = date_span(events)
    period = f" from {date_label(first)} to {date_label(last)}" if first else ""
    n = len(events)
    title = {"text": {
        "headline": escape(TITLE),
        "text": (f"<p>{n} dated, sourced event{'' if n == 1 else 's'}{escape(period)}. Every number names who claims "
                 "it; every date is only as precise as its source.</p>"
                 f"<p>Filters: {escape(_filters_text(filters))}. Newest event in the data: "
                 f"{escape(date_label(date_span(events_all)[1]) or 'none')}. Made with dprk-timeline {escape(__version__)}.</p>"),
    }}
    slides = []
    columns = (events["id"].tolist(), events["date"].tolist(), events["end_date"].tolist(), date_labels(events).tolist(),
               events["date_certainty"].astype(str).tolist(), events["title"].tolist(), events["description"].tolist(),
               events["category"].astype(str).tolist(), events["figures"].tolist(), events["sources"].tolist())
    for event, date, end_date, shown, certainty, headline, description, category, figures, sources in zip(*columns):
        end_date = _text(end_date)
        slide = {"unique_id": event, "start_date": date_parts(date)}
        if end_date and end_date != date:
            slide["end_date"] = date_parts(end_date)
        slide["display_date"] = shown + CERTAINTY_NOTE.get(certainty, "")
        slide["text"] = {"headline": escape(_text(headline)), "text": _slide_text(_text(description), figures, sources)}
        slide["group"] = labels.get(category, category)
        slides.append(slide)
    return {"title": title, "events": slides, "scale": "human"}


# ---------------------------------------------------------------- GeoJSON (RFC 7946)


def places(events: pd.DataFrame) -> dict:
    """A FeatureCollection with one Point Feature per located point ([longitude, latitude], WGS 84).

    Points are merged as the map merges them (figures/map.py): every event at the same coordinates is
    one place, named by the name most of its events give (ties: alphabetical), biggest place first.
    Each Feature lists its events in time order. Events without coordinates are listed in the
    top-level member ``unlocated`` (a foreign member, RFC 7946 §6.1), so none is dropped silently.
    """
    labels = load_schema().category_labels
    at: dict[tuple[float, float], list[dict]] = {}
    names: dict[tuple[float, float], Counter] = {}
    unlocated = []
    columns = (events["id"].tolist(), events["date"].tolist(), events["end_date"].tolist(), events["title"].tolist(),
               events["category"].astype(str).tolist(), events["place"].tolist(),
               events["latitude"].tolist(), events["longitude"].tolist())
    for event, date, end_date, title, category, place, lat, lon in zip(*columns):
        item = {"id": event, "date": date, "end_date": _optional(end_date), "title": _text(title),
                "category": category, "category_label": labels.get(category, category)}
        if _number(lat) is None or _number(lon) is None:
            unlocated.append({**item, "place": _optional(place)})
            continue
        key = (float(lat), float(lon))
        at.setdefault(key, []).append(item)
        names.setdefault(key, Counter())[_text(place)] += 1
    features = []
    for (lat, lon), items in at.items():
        ranked = sorted(names[(lat, lon)].items(), key=lambda pair: (-pair[1], pair[0]))
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                         "properties": {"place": ranked[0][0], "places": [name for name, _ in ranked],
                                        "count": len(items), "events": items}})
    features.sort(key=lambda f: (-f["properties"]["count"], f["properties"]["place"]))
    return {"type": "FeatureCollection", "title": TITLE, "features": features, "unlocated": unlocated}


# ---------------------------------------------------------------- plain JSON


def schema_info() -> dict:
    schema = load_schema()
    return {"name": schema.name, "version": schema.version}


def event_records(events: pd.DataFrame) -> list[dict]:
    """Every event as a JSON object: its cells parsed (actors, figures and sources as lists of objects,
    coordinates and ranks as numbers), dates as written (ISO 8601 at their precision) plus the first and
    last day they cover, and null for an empty optional cell."""
    labels = load_schema().category_labels
    days = events["start"].to_numpy(dtype="datetime64[D]")
    first_days = np.datetime_as_string(days).tolist()
    last_days = np.datetime_as_string(events["end"].to_numpy(dtype="datetime64[D]") - np.timedelta64(1, "D")).tolist()
    columns = (events["id"].tolist(), events["date"].tolist(), events["end_date"].tolist(),
               events["date_certainty"].astype(str).tolist(), first_days, last_days, events["title"].tolist(),
               events["label"].tolist(), events["importance"].tolist(), events["description"].tolist(),
               events["category"].astype(str).tolist(), events["actors"].tolist(), events["place"].tolist(),
               events["latitude"].tolist(), events["longitude"].tolist(), events["figures"].tolist(),
               events["sources"].tolist())
    out = []
    for (event, date, end_date, certainty, first, last, title, label, importance, description, category, actors, place,
         lat, lon, figures, sources) in zip(*columns):
        rank = _number(importance)
        out.append({
            "id": event, "date": date, "end_date": _optional(end_date), "date_certainty": certainty,
            "first_day": first, "last_day": last, "title": _text(title), "label": _optional(label),
            "importance": None if rank is None else int(rank), "description": _optional(description),
            "category": category, "category_label": labels.get(category, category), "actors": list(actors),
            "place": _optional(place), "latitude": _number(lat), "longitude": _number(lon),
            # (as parsed: numbers are floats or null, and dumps refuses a NaN that slipped through)
            "figures": figures, "sources": sources,
        })
    return out


def events_document(events: pd.DataFrame, events_all: pd.DataFrame, filters: Filters = Filters()) -> dict:
    """events.json: what the file is, the schema its events follow, the filters, and the events."""
    return {
        "title": DATASET,
        "generator": f"dprk-timeline {__version__}",
        "schema": schema_info(),
        "filters": {"categories": list(filters.categories), "actors": list(filters.actors), "from": filters.start or None,
                    "to": filters.end or None, "search": filters.text or None, "place": filters.place or None,
                    "independent": filters.independent},
        "count": len(events),
        "total": len(events_all),
        "events": event_records(events),
    }


def data_files(events: pd.DataFrame, events_all: pd.DataFrame, filters: Filters, formats) -> dict[str, str]:
    """The file of each data format asked for (timelinejs, geojson, json), by name, in FORMATS order."""
    builders = {"timelinejs": lambda: timelinejs(events, events_all, filters), "geojson": lambda: places(events),
                "json": lambda: events_document(events, events_all, filters)}
    return {DATA_FILES[name]: dumps(build()) for name, build in builders.items() if name in formats}
