"""The exported report page (index.html): static HTML rendered here, filtered in the browser by report.js.

Every piece of CSV text goes through ``html.escape`` (in elements and attributes) or through
``script_json`` (inside <script> elements), so the page shows it as text and never runs it.
The charts are the dashboard's own figures (``dashboard.views.figures``); report.js narrows them and
the event list with the same rules as ``dashboard.data.filters``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from functools import cache, partial
from itertools import chain
from html import escape
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
from plotly.offline import get_plotlyjs, get_plotlyjs_version

from .. import __version__, paths
from . import PLOTLYJS_MODES
from .plotlyjs import BUNDLE, bundle_js
from ..data.archive import HINT as ARCHIVE_HINT, LABEL as ARCHIVE_LABEL, archive_lookup_url
from ..data.cells import is_http_url
from ..data.filters import INDEPENDENT, Filters, apply_filters, independent_mask
from ..views.labels import date_labels, figure_text
from ..views.story import WINDOW_DAYS, intro, position_text, story_events
from ..views.describe import chart_texts
from ..views.filenames import slug
from ..views.figures import chart_claimants, claims_figure, map_figure, monthly_figure, monthly_periods, timeline_counts, timeline_figure
from ..views.figures.common import _epoch_ms
from ..views.figures.timeline import AGG_BAR_HEIGHT, AGG_MIN_HEIGHT, _timeline_frame_x
from ..data.registry import Registry, bundled_registry
from ..data.schema import load_schema
from ..data.search import LIMIT_NOTE, MAX_SEARCH_CHARS
from ..data.summary import date_span

TITLE = "Russia–North Korea cooperation since 2023"
DATASET = "Russia–North Korea cooperation since 2023: a sourced events dataset"
PLOT_CONFIG = {"responsive": True, "displaylogo": False}


def script_json(value) -> str:
    """Compact JSON that is safe inside a <script> element: '<', '>' and '&' (and JS line separators) escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def plotlyjs_tag(mode: str, bundle: str = BUNDLE) -> str:
    """The <script> that loads plotly.js: embedded, a shared plotly.min.js beside the file, or the CDN.

    'inline' embeds our partial ``bundle`` (plotlyjs.py), 'directory' expects the export's plotly.min.js
    (the partial bundle with every trace type), 'cdn' loads the official full bundle.
    """
    if mode == "inline":
        return f'<script charset="utf-8">{bundle_js(bundle)}</script>'
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
def captions_tag() -> str:
    """The script that places the timeline's key-event captions at the chart's real width (assets/captions.js)."""
    return "<script>" + paths.captions_js().read_text(encoding="utf-8").replace("</", "<\\/") + "</script>"


@cache
def _asset(name: str) -> str:
    return paths.report_file(name).read_text(encoding="utf-8")


CHARTS = (  # name, heading, kind of link from chart points to events
    ("timeline", "Timeline", "points"),
    ("map", "Where", "groups"),
    ("monthly", "Events per month", "groups"),
    ("claims", "Reported figures: who claims what", "points"),
)


def _figure(name: str, events: pd.DataFrame, registry: Registry | None = None, claimants: list[str] | None = None):
    if name == "timeline":
        return timeline_figure(events)
    if name == "map":
        return map_figure(events)
    if name == "monthly":
        return monthly_figure(events)
    return claims_figure(events, claimants=claimants, registry=registry)


def _array(values) -> np.ndarray:
    return np.asarray([] if values is None else values, dtype=object)


def typed(values, dtype: str = "int32") -> dict:
    """A plotly-style base64 typed array (``{"dtype", "bdata"}``): about 5 bytes per int32 instead of 6-8 in JSON."""
    array = np.ascontiguousarray(np.asarray(values, dtype=dtype))
    code = {"int8": "i1", "int16": "i2", "int32": "i4", "float32": "f4", "float64": "f8"}[array.dtype.name]
    return {"dtype": code, "bdata": base64.b64encode(array.tobytes()).decode("ascii")}


def _id_points(ids: np.ndarray, index: pd.Index) -> np.ndarray | None:
    """Event index of each id, or None when any entry is not an event id (then the trace is not per event)."""
    if not len(ids):
        return np.zeros(0, dtype=np.int64)
    found = index.get_indexer(pd.Index(ids.astype(str)))
    return found if (found >= 0).all() else None


def _segment_points(trace, owners: dict) -> np.ndarray | None:
    """Event index of each x/y entry of a segments trace (x0, x1, gap per event); -1 where none matches.

    A segment belongs to the event whose marker is in the same lane at the same height and whose first and
    last day are the segment's ends: one dict lookup per segment (linear). ``owners`` maps
    (lane, y, x0, x1) to the event indexes with that key, in order; each event is used once.
    """
    x, y = np.asarray(trace.x, dtype="float64"), np.asarray(trace.y, dtype="float64")
    if len(x) % 3 or (len(x) and not np.isnan(x[2::3]).all()):
        return None
    lane = trace.legendgroup
    hits = [owners[key].pop() if owners.get(key) else -1
            for key in zip([lane] * (len(x) // 3), y[0::3].tolist(), x[0::3].tolist(), x[1::3].tolist())]
    return np.repeat(np.asarray(hits, dtype=np.int64), 3)


def _event_points(fig, events: pd.DataFrame) -> list:
    """Per trace: the event index of each point, None for traces without per-event points.

    Marker traces carry event ids in ``customdata``; line traces of spans carry them too or are matched to
    their event by lane, height and ends (figures/timeline.py draws an event's segment from its start to its end).
    """
    index = pd.Index(events["id"].astype(str))
    points: list = [None] * len(fig.data)
    lanes: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
    for t, trace in enumerate(fig.data):
        ids, n = _array(trace.customdata), len(_array(trace.x))
        mode = getattr(trace, "mode", None)
        if len(ids) and len(ids) == n:
            points[t] = _id_points(ids, index)
            if points[t] is not None and mode == "markers":
                lanes.setdefault(trace.legendgroup, []).append((points[t], np.asarray(trace.y, dtype="float64")))
        elif trace.customdata is not None and not len(ids) and not n:
            points[t] = np.zeros(0, dtype=np.int64)
    owners: dict[tuple, list[int]] = {}
    lines = [getattr(trace, "mode", None) == "lines" for trace in fig.data]
    if any(points[t] is None and lines[t] and trace.legendgroup in lanes for t, trace in enumerate(fig.data)):
        start, end = _epoch_ms(events["start"]), _epoch_ms(events["end"])
        for lane, parts in lanes.items():
            for idx, ys in parts:
                for i, yy in zip(idx[::-1].tolist(), ys[::-1].tolist()):  # reversed: pop() gives the first
                    owners.setdefault((lane, yy, start[i], end[i]), []).append(i)
    for t, trace in enumerate(fig.data):
        if points[t] is None and trace.legendgroup in lanes and lines[t]:
            points[t] = _segment_points(trace, owners)
        elif points[t] is None and lines[t] and trace.x is not None and not len(_array(trace.x)):
            points[t] = np.zeros(0, dtype=np.int64)
    return points


def _has_points(trace) -> bool:
    """Whether a trace draws data (legend-only key traces hold a single None)."""
    for key in ("x", "lat", "z", "y"):
        values = _array(getattr(trace, key, None))
        if len(values) and not all(v is None for v in values[:2]):
            return True
    return False


def _group_points(name: str, fig, events: pd.DataFrame) -> list:
    """Per trace: the point (a map place, a month of one category) that counts each event, -1 for none."""
    points: list = [None] * len(fig.data)
    n = len(events)
    if name == "map":
        trace = fig.data[0]
        # a bubble per point (figures/map.py merges the place names given for one point)
        keys = pd.MultiIndex.from_arrays([np.asarray(trace.lat, dtype="float64"),
                                          np.asarray(trace.lon, dtype="float64")]) if len(_array(trace.lat)) else None
        if keys is None:
            points[0] = np.full(n, -1, dtype=np.int64)
        else:
            mine = pd.MultiIndex.from_arrays([events["latitude"].astype("float64").to_numpy(),
                                              events["longitude"].astype("float64").to_numpy()])
            points[0] = keys.get_indexer(mine)
        return points
    months = monthly_periods(events)[2].astype(str).astype(object)  # each event's bar: its month, quarter, year or decade
    categories = events["category"].astype(str).to_numpy()
    for t, trace in enumerate(fig.data):
        if trace.type == "bar" and trace.legendgroup is not None:
            bars = pd.Index([str(v)[:7] for v in _array(trace.x)])
            where = bars.get_indexer(months) if len(bars) else np.full(n, -1)
            points[t] = np.where(categories == trace.legendgroup, where, -1)
    return points


def _bin_points(fig, events: pd.DataFrame) -> list | None:
    """For the aggregate timeline (bars of events per lane and period): per bar trace, the bar counting each
    event (-1: another lane), so report.js can recount the bars for the visible events.

    The periods come from ``figures.timeline_counts`` (what the aggregate draws); the result is used only
    when it reproduces every bar's count, else None (the report then dims the chart while filters narrow).
    """
    counts = timeline_counts(events)
    order = {value: i for i, value in enumerate(load_schema().category_values)}
    codes = events["category"].astype(object).map(order).fillna(-1).astype("int64").to_numpy()
    x = _timeline_frame_x(events)
    points: list = [None] * len(fig.data)
    for t, trace in enumerate(fig.data):
        if not _has_points(trace):
            continue
        if trace.type != "bar" or trace.legendgroup not in order:
            return None
        code = order[trace.legendgroup]
        rows = counts[counts["code"] == code]
        lo = rows["start"].to_numpy(dtype="datetime64[ms]").astype("int64").astype("float64")
        hi = rows["stop"].to_numpy(dtype="datetime64[ms]").astype("int64").astype("float64")
        if len(lo) != len(_array(trace.x)):
            return None
        bar = np.searchsorted(lo, x, side="right") - 1
        mine = (codes == code) & (bar >= 0) & np.isfinite(x)
        mine &= x < hi[np.clip(bar, 0, None)] if len(hi) else False
        bar = np.where(mine, bar, -1)
        if not np.array_equal(np.bincount(bar[bar >= 0], minlength=len(lo)), rows["count"].to_numpy()):
            return None
        points[t] = bar
    return points


def _report_figure(figure: dict) -> dict:
    """The aggregate timeline's hints to zoom in for single events do not apply to a static page: dropped."""
    for trace in figure.get("data", []):
        if isinstance(trace.get("hovertext"), list):
            trace["hovertext"] = [h.replace(" — zoom in to see them", "") if isinstance(h, str) else h
                                  for h in trace["hovertext"]]
    for note in figure.get("layout", {}).get("annotations", []) or []:
        if isinstance(note.get("text"), str):
            note["text"] = note["text"].replace("; zoom in or filter to see single events", "")
    return figure


def _caption_points(fig, events: pd.DataFrame) -> dict | None:
    """The event index of each key-event caption (figures/captions.py), so report.js can hide a caption
    while its event is filtered out; None for a chart without captions."""
    meta = fig.layout.meta
    items = meta.get("captions", {}).get("items") if isinstance(meta, dict) else None
    if not items:
        return None
    return typed(pd.Index(events["id"].astype(str)).get_indexer([item["id"] for item in items]), "int32")


def _bar_scale() -> dict:
    """How the aggregate timeline sizes its bars, for report.js's recount."""
    return {"top": AGG_BAR_HEIGHT, "min": AGG_MIN_HEIGHT}


def chart_specs(events: pd.DataFrame, registry: Registry | None = None, claimants: list[str] | None = None) -> list[dict]:
    """The four charts of these events: figure, its JSON, and how each point links back to events.

    ``registry`` colours the claimants (the bundled one by default); ``claimants`` (``chart_claimants`` of
    all the events) pins the colours of names it does not know, as the dashboard does.

    ``points`` per trace: for 'points' charts the event index of each point; for 'groups' charts the point
    that counts each event (-1: none); None for a trace that is not per event. ``opaque``: the chart draws
    data that cannot be narrowed per event (an aggregate), so the report dims it when the filters narrow.
    ``captions``: the event index of each key-event caption (the timeline), else None.
    """
    specs = []
    for name, title, kind in CHARTS:
        fig = _figure(name, events, registry, claimants)
        points = _event_points(fig, events) if kind == "points" else _group_points(name, fig, events)
        opaque = any(p is None and _has_points(trace) for p, trace in zip(points, fig.data))
        bars = None
        if opaque and name == "timeline":
            bars = _bin_points(fig, events)
            if bars is not None:  # counts per lane and period: recounted in the report like the monthly bars
                kind, points, opaque = "groups", bars, False
        specs.append({"id": f"chart-{name}", "file": f"{name}.html", "title": title, "kind": kind, "name": name,
                      "figure": _report_figure(json.loads(fig.to_json())) if bars is not None else json.loads(fig.to_json()),
                      "points": points, "opaque": opaque, "bars": _bar_scale() if bars is not None else None,
                      "captions": _caption_points(fig, events)})
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
    if filters.independent:
        rows.append(("Sources", "independently sourced only (a source other than Russian or North Korean state media)"))
    return rows


def compact_events(events: pd.DataFrame, registry: Registry | None = None) -> dict[str, dict]:
    """What report.js filters on, column-wise as typed arrays: category index (schema order, -1 unknown),
    first day and day after the end (days since 1970-01-01), and 1 where the event is independently
    sourced (filters.independent_mask). The search text is read from the event list."""
    order = {value: i for i, value in enumerate(load_schema().category_values)}
    independent = (events[INDEPENDENT].to_numpy(dtype=bool) if INDEPENDENT in events
                   else independent_mask(events["sources"], registry or bundled_registry()))
    return {
        "category": typed([order.get(c, -1) for c in events["category"].astype(str)], "int8"),
        "start": typed(events["start"].to_numpy(dtype="datetime64[D]").view("int64"), "int32"),
        "end": typed(events["end"].to_numpy(dtype="datetime64[D]").view("int64"), "int32"),
        "indep": typed(independent, "int8"),
    }


def story_data(events: pd.DataFrame) -> dict:
    """What report.js needs for story mode (views/story.py): the index of each key event among the report's
    events in time order, their captions (text set with textContent), and the days shown around a slide's event."""
    keys = story_events(events)
    where = pd.Index(events["id"].astype(str)).get_indexer(keys["id"].astype(str))
    return {"events": [int(i) for i in where], "captions": [str(c).strip() for c in keys["label"]] if len(keys) else [],
            "window": WINDOW_DAYS, "positions": [position_text(step, len(keys)) for step in range(len(keys) + 1)]}


def story_panel(events: pd.DataFrame) -> str:
    """The story's panel (hidden until report.js opens it) with the title slide, all text escaped."""
    text = intro(events)
    title = (f'<div id="story-title"><h3>{_e(text.heading)}</h3><p>{_e(text.what)}</p>'
             f'<p><strong>{_e(text.period)}</strong> {_e(text.counts)} {_e(text.newest)}</p>'
             f'<p class="hint">{_e(text.how)}</p><p class="hint">{_e(text.steps)}</p></div>')
    return ('<section class="story" id="story" hidden aria-labelledby="story-heading"><div class="story-nav">'
            '<h2 id="story-heading">Story</h2><span id="story-position" role="status" aria-live="polite"></span>'
            '<button type="button" id="story-prev" title="Previous slide (←)">← Previous</button>'
            '<button type="button" id="story-next" title="Next slide (→)">Next →</button>'
            '<button type="button" id="story-leave" title="Back to the report, filters as they were (Esc)">Leave story</button>'
            f'</div><div id="story-slide"></div>{title}</section>'
            '<p class="note" id="story-notice" role="status" hidden></p>')


def _e(value) -> str:
    if type(value) is str:  # the common case, first
        return escape(value, quote=True)
    return escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value), quote=True)


def _link(url: str, text: str) -> str:
    """An http(s) link that opens in a new tab without handing over this page; anything else stays text."""
    if is_http_url(url):
        return f'<a href="{_e(url)}" rel="noopener noreferrer" target="_blank">{_e(text or url)}</a>'
    return f"{_e(text)} ({_e(url)})" if text and url else _e(text or url)


def _source_item(source: dict, registry: Registry) -> str:
    tags = "".join(f' <span class="pt{" st" if state else ""}">{_e(tag)}</span>'
                   for tag, state in registry.source_tags(source.get("publisher", "")))
    parts = [f"{_e(source.get('publisher', ''))}{tags}: {_link(source.get('url', ''), source.get('title', ''))}"]
    if source.get("date"):
        parts.append(f", {_e(source['date'])}")
    if source.get("note"):
        parts.append(f" ({_e(source['note'])})")
    if lookup := archive_lookup_url(source.get("url", ""), source.get("date", "")):
        # (what the link is, is said once above the event list: a title on every link would weigh on big reports)
        parts.append(f' · <a class="ar" href="{_e(lookup)}" rel="noopener noreferrer" target="_blank">{ARCHIVE_LABEL}</a>')
    return "<li>" + "".join(parts) + "</li>"


def _figure_item(figure: dict) -> str:
    text = _e(figure_text(figure))
    who = _e(figure.get("claimant", ""))
    when = f", {_e(figure['date'])}" if figure.get("date") else ""
    note = f" ({_e(figure['note'])})" if figure.get("note") else ""
    return f"<li>{text}, according to {who}{when}{note}</li>"


def event_items(events: pd.DataFrame, registry: Registry | None = None, retired: Mapping[str, str] | None = None) -> str:
    """The <li> of every event, in the frame's order (report.js finds them by position).

    Lean markup: the category colour comes from a class (c0, c1, ... in schema order), never an inline style.
    report.js searches the text of h3 (title), .d (description), .w (actors after 'Actors: '), .pl (place)
    and the data-al attribute (the aliases of the event's actors, from ``registry``: the bundled one by default).
    Each event is the anchor #event-ID; a retired id's anchor sits in the event that replaces it, so links
    to it keep working.
    """
    anchors: dict[str, list[str]] = {}
    for old, new in sorted((retired or {}).items()):
        anchors.setdefault(new, []).append(f'<span class="rid" id="event-{_e(old)}"></span>')
    schema = load_schema()
    registry = registry or bundled_registry()
    aliases = {name: "; ".join(registry.aliases(name)) for name in set(chain.from_iterable(events["actors"].tolist()))}
    source_item = partial(_source_item, registry=registry)
    labels = schema.category_labels
    order = {value: i for i, value in enumerate(schema.category_values)}
    dates = date_labels(events).tolist()
    kinds = {c: f'<span class="k">{_e(labels.get(c, c))}</span>' for c in events["category"].astype(str).unique()}
    heads = {c: f'<li class="ev c{order.get(c, "x")}" tabindex="0" id="event-' for c in kinds}
    columns = (events["category"].astype(str).tolist(), events["date_certainty"].astype(str).tolist(),
               events["date"].tolist(), dates, events["place"].tolist(), events["title"].tolist(),
               events["description"].tolist(), events["actors"].tolist(), events["figures"].tolist(),
               events["sources"].tolist(), events["id"].tolist())
    out = []
    for category, certainty, date, label, place, title, description, actors, figures, sources, event in zip(*columns):
        known = "; ".join(filter(None, (aliases[a] for a in actors)))
        parts = [heads[category], _e(event), f'" data-al="{_e(known)}"><div class="m">' if known else '"><div class="m">',
                 *anchors.get(event, ()), f'<time datetime="{_e(date)}">{_e(label)}</time>']
        if certainty not in ("", "exact", "nan"):
            parts.append(f"<span>date {_e(certainty)}</span>")
        parts.append(kinds[category])
        if place:
            parts.append(f'<span class="pl">{_e(place)}</span>')
        parts.append(f"</div><h3>{_e(title)}</h3>")
        if description:
            parts.append(f'<p class="d">{_e(description)}</p>')
        if len(actors):
            parts.append(f'<p class="w">Actors: {_e("; ".join(actors))}</p>')
        if len(figures):
            parts.append('<ul class="f">' + "".join(map(_figure_item, figures)) + "</ul>")
        n = len(sources)
        parts.append(f'<details class="s"><summary>{n} source{"" if n == 1 else "s"}</summary><ol>'
                     + "".join(map(source_item, sources)) + "</ol></details></li>")
        out.append("".join(parts))
    return "\n".join(out)


def _category_toggles(events: pd.DataFrame) -> str:
    schema = load_schema()
    counts = events["category"].astype(str).value_counts()
    out = []
    for i, category in enumerate(schema.categories):
        if counts.get(category.value, 0):
            out.append(f'<label class="toggle c{i}"><input type="checkbox" checked value="{i}">'
                       f'<span class="sw"></span>{_e(category.label)} ({counts[category.value]})</label>')
    return "".join(out)


def _category_css() -> str:
    """One rule per category colour (the event list and toggles use the classes, not inline styles)."""
    colors = [c.color for c in load_schema().categories]
    return "".join(f".c{i}{{--c:{_e(color)}}}" for i, color in enumerate(colors)) + ".cx{--c:#888}\n"


def dashboard_url_problem(url: str) -> str:
    """Why ``url`` cannot be a report's link to the dashboard ('' when it can): an absolute http(s)
    address of the dashboard's page, without a query or fragment (the report adds the view's own)."""
    if not is_http_url(url):
        return "is not an http(s) address"
    parts = urlsplit(url)
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        return "must not have a ?query or #fragment"
    return ""


def dashboard_link(base: str, filters: Filters, event: str = "") -> str:
    """The dashboard's address of this view: ``base`` (the dashboard's page) plus the view's URL query."""
    return (base if urlsplit(base).path else base + "/") + filters.to_query(event)


SLUG_MAX = 100  # characters of a download's file name before '.html': short enough for every file system


def report_filename(filters: Filters, event: str = "") -> str:
    """A file name that says what the report holds: 'dprk-timeline-treaty-2024-06-to-2024-12.html'.

    Only [a-z0-9-], at most SLUG_MAX characters before '.html' (cut at a hyphen)."""
    parts = ["dprk-timeline", *filters.categories, *filters.actors, filters.place]
    if filters.start and filters.end:
        parts.append(f"{filters.start}-to-{filters.end}")
    elif filters.start or filters.end:
        parts.append(f"from-{filters.start}" if filters.start else f"to-{filters.end}")
    if filters.text.strip():
        parts += ["search", filters.text]
    if event:
        parts += ["event", event]
    name = "-".join(filter(None, map(slug, parts)))
    if len(name) > SLUG_MAX:
        name = name[:SLUG_MAX + 1].rsplit("-", 1)[0]
    return name + ".html"


def _selected(events_all: pd.DataFrame, events: pd.DataFrame, event: str) -> tuple[int, str]:
    """The index of the selected event among the report's events (-1: none or not among them), and its fact."""
    if not event:
        return -1, ""
    found = np.flatnonzero(events["id"].astype(str).to_numpy() == event)
    if len(found):
        return int(found[0]), str(events["title"].iat[int(found[0])])
    inside = events_all[events_all["id"].astype(str) == event]
    if len(inside):
        return -1, f"{inside['title'].iat[0]} (outside these filters, so not in this report)"
    return -1, ""


def _facts(events_all: pd.DataFrame, events: pd.DataFrame, filters: Filters, *,
           dashboard_url: str = "", event: str = "", selected: str = "") -> str:
    rows = [("Events", f"{len(events)} of the {len(events_all)} events in the data")]
    narrowed = describe_filters(filters)
    rows.append(("Filters", "; ".join(f"{k}: {v}" for k, v in narrowed) if narrowed else "none (every event)"))
    if selected:
        rows.append(("Selected event", selected))
    if len(events):
        first, last = date_span(events)
        rows.append(("Period", f"{first} to {last}"))
    rows.append(("Newest event in the data", date_span(events_all)[1] or "none"))
    cells = [f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows]
    if dashboard_url:  # only a real address: a link to the exporting machine means nothing to readers
        cells.append(f"<dt>Same view in the dashboard</dt><dd>{_link(dashboard_link(dashboard_url, filters, event), '')}</dd>")
    return '<dl class="facts">' + "".join(cells) + "</dl>"


def _citation(events_all: pd.DataFrame) -> str:
    newest = date_span(events_all)[1]
    return (
        "<blockquote>dprk-timeline contributors. <cite>" + _e(DATASET) + "</cite> (version " + _e(__version__)
        + ") [Data set]" + (f", events up to {_e(newest)}" if newest else "") + ".</blockquote>"
        "<p>Cite each event's own sources too: every event above lists them. If this report was made from "
        "your own events file, cite that file and its sources instead.</p>"
    )


def _chart_data(chart: dict) -> dict:
    """What report.js needs of one chart: the figure, and its per-event links as typed arrays.

    'points' charts: per trace, the event index of each point. 'groups' charts: per event, the trace and
    the point that count it (one pair of arrays for the whole chart, not one array per trace); ``points``
    then only marks the traces that are recounted.
    """
    out = {"id": chart["id"], "name": chart["name"], "kind": chart["kind"], "opaque": chart["opaque"],
           "bars": chart["bars"], "figure": chart["figure"], "captions": chart.get("captions")}
    if chart["kind"] != "groups":
        return {**out, "points": [None if p is None else typed(p, "int32") for p in chart["points"]]}
    n = next((len(p) for p in chart["points"] if p is not None), 0)
    trace_of, point_of = np.full(n, -1, dtype=np.int16), np.full(n, -1, dtype=np.int32)
    for t, p in enumerate(chart["points"]):
        if p is not None:
            mine = np.asarray(p) >= 0
            trace_of[mine], point_of[mine] = t, np.asarray(p)[mine]
    return {**out, "points": [None if p is None else 1 for p in chart["points"]],
            "groups": {"trace": typed(trace_of, "int16"), "point": typed(point_of, "int32")}}


def report_html(events_all: pd.DataFrame, filters: Filters = Filters(), *, plotlyjs: str = "inline",
                events: pd.DataFrame | None = None, charts: list[dict] | None = None,
                registry: Registry | None = None, retired: Mapping[str, str] | None = None,
                dashboard_url: str = "", event: str = "") -> str:
    """The single-file report (index.html) of the events the filters keep.

    ``events_all`` is the loaded frame (``load_events``); ``plotlyjs`` is 'inline' (opens offline),
    'directory' (expects plotly.min.js beside it) or 'cdn'. ``events`` and ``charts`` may pass the
    filtered frame and its ``chart_specs`` when the caller has them already (the export builds them once).
    ``registry`` names, colours and tags as in the dashboard (the bundled one by default).
    ``retired`` (retired id -> replacement) keeps links to retired ids working.
    ``dashboard_url``: the dashboard's page (checked with ``dashboard_url_problem``; '' for no link);
    ``event``: the id of the selected event, which the report opens on. The same input gives the same bytes.
    """
    plotly_tag = plotlyjs_tag(plotlyjs)
    registry = registry or bundled_registry()
    if events is None:
        events = apply_filters(events_all, filters).reset_index(drop=True)
    if charts is None:
        charts = chart_specs(events, registry, chart_claimants(events_all))
    chosen, selected = _selected(events_all, events, event)
    data = {
        "events": compact_events(events, registry),
        "charts": [_chart_data(c) for c in charts],
        "config": PLOT_CONFIG,
        "selected": chosen,
        "story": story_data(events),
    }
    n = len(events)
    texts = chart_texts(events)  # what each chart shows, in words: a screen reader cannot read the charts
    chart_divs = "\n".join(
        f'<section aria-labelledby="h-{_e(c["id"])}" aria-describedby="text-{_e(c["id"])}"><h2 id="h-{_e(c["id"])}">{_e(c["title"])}</h2>'
        f'<div class="chart" id="{_e(c["id"])}"></div>'
        f'<p class="note chart-text" id="text-{_e(c["id"])}">As exported: {_e(texts[c["name"]])}</p>'
        + (f'<p class="note" id="note-{_e(c["id"])}" hidden>This chart counts all {n} events: it is not narrowed by the '
           f'filters (the event list, its count and the other charts are).</p>' if c["opaque"] else "")
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
{_asset("templates/report.css")}{_category_css()}</style>
</head>
<body>
<main>
<header>
<h1>{_e(TITLE)}</h1>
<button type="button" class="story-start" id="story-start" hidden title="A guided walk through the key events">▶ Story</button>
<p class="lede">Dated, sourced events. Every number names who claims it; every date is only as precise as its source.</p>
{_facts(events_all, events, filters, dashboard_url=dashboard_url, event=event, selected=selected)}
</header>
<form class="controls" id="controls" hidden role="search" aria-label="Filter this report">
<fieldset id="categories"><legend>Categories</legend>{_category_toggles(events)}</fieldset>
<div class="row">
<label>From <input type="date" id="from"></label>
<label>To <input type="date" id="to"></label>
<label>Search <input type="search" id="search" maxlength="{MAX_SEARCH_CHARS}" placeholder="words in title, text, actors, place"></label>
<small id="search-note" class="hint" hidden>{LIMIT_NOTE}</small>
<label class="indep"><input type="checkbox" id="indep"{" checked" if filters.independent else ""}> Independently sourced</label>
<button type="reset" id="reset">Show all</button>
<output class="count" id="count" aria-live="polite">{n} of {n} events</output>
</div>
</form>
{story_panel(events)}
{plotly_tag}
{topojson_tag()}
{chart_divs}
<section aria-labelledby="h-events"><h2 id="h-events">Events</h2>
<p class="note">Each source's “{_e(ARCHIVE_LABEL)}” link: {_e(ARCHIVE_HINT)}.</p>
<p class="empty" id="no-events" hidden>No event matches these filters.</p>
<ol class="events" id="events">
{event_items(events, registry, retired)}
</ol>
</section>
<section aria-labelledby="h-cite"><h2 id="h-cite">How to cite</h2>
{_citation(events_all)}
</section>
<footer>Made with dprk-timeline {_e(__version__)}. Charts by plotly.js {_e(get_plotlyjs_version())}.</footer>
</main>
<script type="application/json" id="report-data">{script_json(data)}</script>
{captions_tag()}
<script>
{_asset("report.js")}</script>
</body>
</html>
"""
