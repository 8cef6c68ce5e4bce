"""The exported report page (index.html): static HTML rendered here, filtered in the browser by report.js.

Every piece of CSV text goes through ``html.escape`` (in elements and attributes) or through
``script_json`` (inside <script> elements), so the page shows it as text and never runs it.
The charts are the dashboard's own figures (``dashboard.figures``); report.js narrows them and
the event list with the same rules as ``dashboard.filters``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd
from plotly.offline import get_plotlyjs, get_plotlyjs_version

from . import __version__, paths
from .cells import is_http_url
from .filters import Filters, apply_filters, prepare, HAYSTACK
from .labels import date_labels, figure_text
from .figures import claims_figure, map_figure, monthly_figure, timeline_figure
from .schema import load_schema
from .summary import date_span

_HERE = Path(__file__).resolve().parent
TITLE = "Russia–North Korea cooperation since 2023"
DATASET = "Russia–North Korea cooperation since 2023: a sourced events dataset"
PLOTLYJS_MODES = ("inline", "directory", "cdn")
PLOT_CONFIG = {"responsive": True, "displaylogo": False}


def script_json(value) -> str:
    """Compact JSON that is safe inside a <script> element: '<', '>' and '&' (and JS line separators) escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def plotlyjs_tag(mode: str) -> str:
    """The <script> that loads plotly.js: embedded, a shared plotly.min.js beside the file, or the CDN."""
    if mode == "inline":
        return f'<script charset="utf-8">{get_plotlyjs()}</script>'
    if mode == "directory":
        return '<script charset="utf-8" src="plotly.min.js"></script>'
    if mode == "cdn":
        digest = base64.b64encode(hashlib.sha384(get_plotlyjs().encode("utf-8")).digest()).decode("ascii")
        url = f"https://cdn.plot.ly/plotly-{get_plotlyjs_version()}.min.js"
        return f'<script charset="utf-8" src="{url}" integrity="sha384-{digest}" crossorigin="anonymous"></script>'
    raise ValueError(f"plotlyjs must be one of {', '.join(PLOTLYJS_MODES)}, not {mode!r}")


@cache
def topojson_tag() -> str:
    """The world outlines, preloaded where plotly.js looks before fetching: a file:// page cannot fetch them."""
    topo = paths.world_topojson().read_text(encoding="utf-8").strip().replace("</", "<\\/")
    return f'<script>window.PlotlyGeoAssets={{topojson:{{"world_110m":{topo}}}}};</script>'


@cache
def _asset(name: str) -> str:
    return (_HERE / name).read_text(encoding="utf-8")


CHARTS = (  # name, heading, kind of link from chart points to events
    ("timeline", "Timeline", "points"),
    ("map", "Where", "groups"),
    ("monthly", "Events per month", "groups"),
    ("claims", "Reported figures: who claims what", "points"),
)


def _figure(name: str, events: pd.DataFrame):
    if name == "timeline":
        return timeline_figure(events)
    if name == "map":
        return map_figure(events)
    if name == "monthly":
        return monthly_figure(events)
    return claims_figure(events)


def _array(values) -> np.ndarray:
    return np.asarray([] if values is None else values, dtype=object)


def _segment_points(trace, markers: list[tuple[np.ndarray, np.ndarray, list[int]]]) -> list[int] | None:
    """Event index of each x/y entry of a segments trace (x0, x1, gap per event), matched to its marker."""
    x, y = np.asarray(trace.x, dtype="float64"), np.asarray(trace.y, dtype="float64")
    if len(x) % 3 or (len(x) and not np.isnan(x[2::3]).all()):
        return None
    out, used = [], set()
    for x0, x1, y0 in zip(x[0::3], x[1::3], y[0::3]):
        hits = [i for mx, my, idx in markers for px, py, i in zip(mx, my, idx)
                if py == y0 and x0 <= px <= x1 and i not in used]
        hit = hits[0] if hits else -1
        used.add(hit)
        out += [hit] * 3
    return out


def _event_points(fig, events: pd.DataFrame) -> list:
    """Per trace: the event index of each point (customdata holds event ids), None for legend-only traces."""
    index = {event_id: i for i, event_id in enumerate(events["id"])}
    points: list = [None] * len(fig.data)
    markers = {}
    for t, trace in enumerate(fig.data):
        ids = _array(trace.customdata)
        if len(ids) and len(ids) == len(_array(trace.x)):
            points[t] = [index.get(str(i), -1) for i in ids]
            markers.setdefault(trace.legendgroup, []).append((np.asarray(trace.x, dtype="float64"),
                                                              np.asarray(trace.y, dtype="float64"), points[t]))
        elif trace.customdata is not None and not len(ids):
            points[t] = []
    for t, trace in enumerate(fig.data):
        if points[t] is None and trace.legendgroup in markers and trace.mode == "lines":
            points[t] = _segment_points(trace, markers[trace.legendgroup])
        elif points[t] is None and trace.mode == "lines" and trace.x is not None and not len(_array(trace.x)):
            points[t] = []
    return points


def _group_points(name: str, fig, events: pd.DataFrame) -> list:
    """Per trace and point: the indexes of the events it counts (a map place, a month of one category)."""
    positions = pd.Series(np.arange(len(events)))
    points: list = [None] * len(fig.data)
    if name == "map":
        trace = fig.data[0]
        by_key: dict[tuple, list[int]] = {}
        for i, key in enumerate(zip(events["place"], events["latitude"], events["longitude"])):
            by_key.setdefault(key, []).append(i)
        points[0] = [by_key.get((p, la, lo), []) for p, la, lo in zip(_array(trace.customdata), _array(trace.lat), _array(trace.lon))]
        return points
    months = events["start"].dt.strftime("%Y-%m").to_numpy()
    categories = events["category"].astype(str).to_numpy()
    for t, trace in enumerate(fig.data):
        if trace.type == "bar" and trace.legendgroup is not None:
            x = [str(v)[:7] for v in _array(trace.x)]
            mine = positions[categories == trace.legendgroup]
            by_month = mine.groupby(months[mine.to_numpy()], sort=False).agg(list).to_dict() if len(mine) else {}
            points[t] = [by_month.get(m, []) for m in x]
    return points


def chart_specs(events: pd.DataFrame) -> list[dict]:
    """The four charts of these events: figure, its JSON, and how each point links back to events."""
    specs = []
    for name, title, kind in CHARTS:
        fig = _figure(name, events)
        points = _event_points(fig, events) if kind == "points" else _group_points(name, fig, events)
        specs.append({"id": f"chart-{name}", "file": f"{name}.html", "title": title, "kind": kind, "name": name,
                      "go": fig, "figure": json.loads(fig.to_json()), "points": points})
    return specs


def describe_filters(filters: Filters) -> list[tuple[str, str]]:
    """What the export was narrowed by, as (label, value) pairs; empty when it holds every event."""
    labels = load_schema().category_labels
    rows = []
    if filters.categories:
        rows.append(("Categories", ", ".join(labels.get(c, c) for c in filters.categories)))
    if filters.actors:
        rows.append(("Actors", ", ".join(filters.actors)))
    if filters.place:
        rows.append(("Place", filters.place))
    if filters.start:
        rows.append(("From", filters.start))
    if filters.end:
        rows.append(("To", filters.end))
    if filters.text.strip():
        rows.append(("Search", f"“{filters.text.strip()}”"))
    return rows


def compact_events(events: pd.DataFrame) -> dict[str, list]:
    """What report.js filters on, column-wise: category index, first day, day after the end, search text."""
    order = {value: i for i, value in enumerate(load_schema().category_values)}
    return {
        "category": [order.get(c, -1) for c in events["category"].astype(str)],
        "start": events["start"].dt.strftime("%Y-%m-%d").tolist(),
        "end": events["end"].dt.strftime("%Y-%m-%d").tolist(),
        "text": prepare(events)[HAYSTACK].tolist(),
    }


def _e(value) -> str:
    return escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value), quote=True)


def _link(url: str, text: str) -> str:
    """An http(s) link that opens in a new tab without handing over this page; anything else stays text."""
    if is_http_url(url):
        return f'<a href="{_e(url)}" rel="noopener noreferrer" target="_blank">{_e(text or url)}</a>'
    return f"{_e(text)} ({_e(url)})" if text and url else _e(text or url)


def _source_item(source: dict) -> str:
    parts = [f"{_e(source.get('publisher', ''))}: {_link(source.get('url', ''), source.get('title', ''))}"]
    if source.get("date"):
        parts.append(f", {_e(source['date'])}")
    if source.get("note"):
        parts.append(f" ({_e(source['note'])})")
    return "<li>" + "".join(parts) + "</li>"


def _figure_item(figure: dict) -> str:
    text = _e(figure_text(figure))
    who = _e(figure.get("claimant", ""))
    when = f", {_e(figure['date'])}" if figure.get("date") else ""
    note = f" ({_e(figure['note'])})" if figure.get("note") else ""
    return f"<li>{text}, according to {who}{when}{note}</li>"


def event_items(events: pd.DataFrame) -> str:
    """The <li> of every event, in the frame's order; data-i is the row's position for report.js."""
    schema = load_schema()
    labels, colors = schema.category_labels, schema.category_colors
    dates = date_labels(events)
    out = []
    for i, ev in enumerate(events.itertuples(index=False)):
        category = str(ev.category)
        certainty = str(ev.date_certainty)
        meta = [f'<time datetime="{_e(ev.date)}">{_e(dates.iat[i])}</time>']
        if certainty not in ("", "exact", "nan"):
            meta.append(f"<span>date {_e(certainty)}</span>")
        meta.append(f'<span class="cat"><span class="swatch"></span>{_e(labels.get(category, category))}</span>')
        if ev.place:
            meta.append(f"<span>{_e(ev.place)}</span>")
        body = [f'<div class="meta">{"".join(meta)}</div>', f"<h3>{_e(ev.title)}</h3>"]
        if ev.description:
            body.append(f'<p class="desc">{_e(ev.description)}</p>')
        if len(ev.actors):
            body.append(f'<p class="who">Actors: {_e("; ".join(ev.actors))}</p>')
        if len(ev.figures):
            body.append('<ul class="figs">' + "".join(_figure_item(f) for f in ev.figures) + "</ul>")
        n = len(ev.sources)
        body.append(f'<details class="sources"><summary>{n} source{"" if n == 1 else "s"}</summary><ol>'
                    + "".join(_source_item(s) for s in ev.sources) + "</ol></details>")
        out.append(f'<li class="event" id="event-{i}" data-i="{i}" tabindex="0" style="--c:{_e(colors.get(category, "#888"))}">'
                   + "".join(body) + "</li>")
    return "\n".join(out)


def _category_toggles(events: pd.DataFrame) -> str:
    schema = load_schema()
    counts = events["category"].astype(str).value_counts()
    out = []
    for i, category in enumerate(schema.categories):
        if counts.get(category.value, 0):
            out.append(f'<label class="toggle" style="--c:{_e(category.color)}"><input type="checkbox" checked value="{i}">'
                       f'<span class="swatch"></span>{_e(category.label)} ({counts[category.value]})</label>')
    return "".join(out)


def _facts(events_all: pd.DataFrame, events: pd.DataFrame, filters: Filters) -> str:
    rows = [("Events", f"{len(events)} of the {len(events_all)} events in the data")]
    narrowed = describe_filters(filters)
    rows.append(("Filters", "; ".join(f"{k}: {v}" for k, v in narrowed) if narrowed else "none (every event)"))
    if len(events):
        first, last = date_span(events)
        rows.append(("Period", f"{first} to {last}"))
    rows.append(("Newest event in the data", date_span(events_all)[1] or "none"))
    if not filters.is_empty:
        rows.append(("Same view in the dashboard", f"http://127.0.0.1:8050/{filters.to_query()} (with dprk-timeline running)"))
    return '<dl class="facts">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows) + "</dl>"


def _citation(events_all: pd.DataFrame) -> str:
    newest = date_span(events_all)[1]
    return (
        "<blockquote>dprk-timeline contributors. <cite>" + _e(DATASET) + "</cite> (version " + _e(__version__)
        + ") [Data set]" + (f", events up to {_e(newest)}" if newest else "") + ".</blockquote>"
        "<p>Cite each event's own sources too: every event below lists them. If this report was made from "
        "your own events file, cite that file and its sources instead.</p>"
    )


def report_html(events_all: pd.DataFrame, filters: Filters = Filters(), *, plotlyjs: str = "inline") -> str:
    """The single-file report (index.html) of the events the filters keep.

    ``events_all`` is the loaded frame (``load_events``); ``plotlyjs`` is 'inline' (opens offline),
    'directory' (expects plotly.min.js beside it) or 'cdn'. The same input gives the same bytes.
    """
    plotly_tag = plotlyjs_tag(plotlyjs)
    events = apply_filters(events_all, filters).reset_index(drop=True)
    charts = chart_specs(events)
    data = {
        "events": compact_events(events),
        "charts": [{k: c[k] for k in ("id", "name", "figure", "points", "kind")} for c in charts],
        "config": PLOT_CONFIG,
    }
    n = len(events)
    chart_divs = "\n".join(
        f'<section aria-labelledby="h-{_e(c["id"])}"><h2 id="h-{_e(c["id"])}">{_e(c["title"])}</h2>'
        f'<div class="chart" id="{_e(c["id"])}"></div>'
        + ('<section class="selected" id="selected" hidden aria-live="polite"></section>' if c["id"] == "chart-timeline" else "")
        + "</section>"
        for c in charts
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="dprk-timeline {_e(__version__)}">
<title>{_e(TITLE)}: {n} event{"" if n == 1 else "s"}</title>
<style>
{_asset("templates/report.css")}</style>
</head>
<body>
<main>
<header>
<h1>{_e(TITLE)}</h1>
<p class="lede">Dated, sourced events. Every number names who claims it; every date is only as precise as its source.</p>
{_facts(events_all, events, filters)}
</header>
<form class="controls" id="controls" hidden role="search" aria-label="Filter this report">
<fieldset id="categories"><legend>Categories</legend>{_category_toggles(events)}</fieldset>
<div class="row">
<label>From <input type="date" id="from"></label>
<label>To <input type="date" id="to"></label>
<label>Search <input type="search" id="search" placeholder="words in title, text, actors, place"></label>
<button type="reset" id="reset">Show all</button>
<output class="count" id="count" aria-live="polite">{n} of {n} events</output>
</div>
</form>
{plotly_tag}
{topojson_tag()}
{chart_divs}
<section aria-labelledby="h-events"><h2 id="h-events">Events</h2>
<p class="empty" id="no-events" hidden>No event matches these filters.</p>
<ol class="events" id="events">
{event_items(events)}
</ol>
</section>
<section aria-labelledby="h-cite"><h2 id="h-cite">How to cite</h2>
{_citation(events_all)}
</section>
<footer>Made with dprk-timeline {_e(__version__)}. Charts by plotly.js {_e(get_plotlyjs_version())}.</footer>
</main>
<script type="application/json" id="report-data">{script_json(data)}</script>
<script>
{_asset("report.js")}</script>
</body>
</html>
"""
