"""Plotly figures of the events: pure functions of an events frame (any filtered subset, even empty).

No I/O and no Dash here: the app, the HTML export and the tests call the same builders.
Rules every builder keeps:

* Colours, lane order and labels come from the schema, so filtering never moves or recolours a category.
* Every text that comes from the CSV is passed through ``html.escape`` before it reaches hover text or
  labels, because plotly renders a pseudo-HTML subset there (<a>, <b>, <br>); ``<br>`` and ``<b>`` in
  the output are only ever ours.
* Per-event work is vectorised (numpy/pandas), and per-event traces hold numeric arrays (dates as
  epoch milliseconds). They are SVG up to WEBGL_ABOVE points and WebGL (``Scattergl``) beyond, so a
  small chart appears at once and 100,000 events still build and draw quickly.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .dates import parse_partial_dates
from .labels import date_labels, figure_text
from .schema import Category, load_schema

TEMPLATE = "plotly_white"
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif", "size": 13}
MUTED = "#555555"
MS_PER_DAY = 86_400_000
NO_EVENTS = "No events match the current filters"
MIN_HALF_SPAN_DAYS = 45  # a date axis always shows at least ±45 days around its data (never nanoseconds around one point)
# Legends sit horizontally under the plot: they then work at a 950 px card and a 360 px phone alike.
LEGEND_BELOW = {"orientation": "h", "x": 0, "xanchor": "left", "yanchor": "top", "font": {"size": 11}}
# Date ticks on two short lines ('Jan<br>2025'), never slanted: at 360 px there is room for several.
DATE_TICKS = {"tickangle": 0, "tickformatstops": [
    {"dtickrange": [None, "M1"], "value": "%-d %b<br>%Y"},
    {"dtickrange": ["M1", "M12"], "value": "%b<br>%Y"},
    {"dtickrange": ["M12", None], "value": "%Y"},
]}

# Marker symbols: filled = exact day, open = the date is only known to the month or year, diamond = the
# date is inferred or approximate. One trace per symbol rather than a per-point symbol array: plotly
# validates such arrays string by string (seconds at 100k points), and WebGL ignores numeric open codes.
CIRCLE, CIRCLE_OPEN, DIAMOND, DIAMOND_OPEN = "circle", "circle-open", "diamond", "diamond-open"
EVENT_SYMBOLS = (CIRCLE, CIRCLE_OPEN, DIAMOND, DIAMOND_OPEN)

# Claimant colours: one hue per family of claimants (who speaks for whom), shades within it. The first
# pattern that matches a claimant's name gives its family; the legend lists the families in this order.
CLAIMANT_FAMILIES = (
    ("Multilateral", r"\bMSMT\b|\bUN\b|United Nations|Panel of Experts|\bNATO\b|\bEU\b|\bG7\b|\bIAEA\b",
     ("#CC79A7", "#8E3B74", "#E7A9CF")),
    ("DPRK", r"DPRK|North Korea|KCNA|Kim Jong|Rodong|\bKPA\b", ("#7A4A12", "#B07A2A", "#4A2A08")),
    ("Ukraine", r"Ukrain|Zelensky|Kyiv|Budanov|\bHUR\b|\bGUR\b|Syrskyi", ("#E69F00", "#B35806", "#F4C04F", "#8A4B00")),
    ("UK", r"\bUK\b|\bU\.K\.|British|Britain|United Kingdom", ("#6A3D9A", "#A58BD0", "#3F1F66")),
    ("US", r"\bUS\b|\bU\.S\.|Pentagon|White House|State Department|United States|American", ("#1B9E4B", "#0B5E2C", "#7BC67E")),
    ("Russia", r"Russia|Kremlin|Putin|Shoigu|Peskov|Lavrov|Belousov|Gerasimov|\bTASS\b|\bRIA\b", ("#D62728", "#8B0000", "#F08080")),
    ("South Korea", r"South Korea|\bROK\b|\bNIS\b|Yonhap|\bJCS\b|Joint Chiefs|\bMND\b|\bDIA\b|Seoul",
     ("#08306B", "#2171B5", "#56B4E9", "#1F9BB0", "#4A4FC4", "#0E6E8C", "#7F9FD8", "#123F9E")),
    ("Other", r"", ("#555555", "#999999", "#222222", "#BBBBBB")),
)
FAMILY_ORDER = ("South Korea", "Ukraine", "UK", "US", "Russia", "DPRK", "Multilateral", "Other")
QUALIFIER_SYMBOLS = {
    "more than": "triangle-up", "at least": "triangle-up",
    "up to": "triangle-down", "fewer than": "triangle-down", "at most": "triangle-down",
    "about": "circle-open", "": "circle",
}
LOG_TICKS = [m * 10**e for e in range(8) for m in (1, 2, 5)]  # 1, 2, 5, 10, ... instead of plotly's 2-9 minor digits
DECADE_TICKS = [10**e for e in range(8)]  # for a panel whose numbers span more than two decades
CLAIM_GROUPS = (("personnel", "Troops and workers sent (reported)"), ("casualties", "Casualties (reported)"))
SYMBOL_NAMES = {"circle": "exact", "circle-open": "about", "triangle-up": "more than / at least",
                "triangle-down": "up to / fewer than"}
# As plotly.express's render_mode="auto": SVG draws a few hundred points sooner than WebGL, whose
# start-up alone (a context, compiled shaders) costs ~0.3 s with software rendering; WebGL draws
# thousands faster.
WEBGL_ABOVE = 1000
CLAIMS_LIMIT = 3000  # above this many figures, only the highest per claimant, panel and period is drawn
MAX_CLAIM_TRACES = 48  # (panel, claimant, symbol) traces at most; beyond, one trace per panel and symbol
LEGEND_CLAIMANTS = 24  # beyond this many claimants the legend lists their families


# ---------------------------------------------------------------- shared helpers


XYTrace = type[go.Scatter] | type[go.Scattergl]


def _xy_trace(points: int) -> XYTrace:
    """The trace class for a chart of this many points (see WEBGL_ABOVE)."""
    return go.Scattergl if points > WEBGL_ABOVE else go.Scatter


def category_color_map() -> dict[str, str]:
    """Category value -> colour, from the schema (never from the data, so filters can't change it)."""
    return load_schema().category_colors


def _esc(text: str) -> str:
    """html.escape one of our own or a CSV string (quote=False: plotly shows '&quot;' literally)."""
    return html.escape(text, quote=False)


def _escape(values: Iterable, *, wrap: int = 0) -> np.ndarray:
    """html.escape every value, computed once per distinct value; ``wrap`` breaks long lines with our own <br>.

    quote=False: quotes are harmless in plotly text, and plotly shows '&quot;' literally.
    """
    series = pd.Series(values, dtype=object).fillna("").astype(str)
    codes, uniques = pd.factorize(series)
    escaped = [html.escape(text, quote=False) for text in uniques]
    if wrap:
        # lines of at most `wrap` characters, broken only at whitespace (never inside an entity);
        # findall + join is ~10x faster than textwrap, which matters at 100k distinct titles
        line = _wrap_pattern(wrap)
        escaped = ["<br>".join(line.findall(text)) if len(text) > wrap else text for text in escaped]
    return np.array(escaped + [""], dtype=object)[codes]


@cache
def _wrap_pattern(width: int) -> re.Pattern:
    return re.compile(rf"(.{{1,{width}}}|\S{{{width + 1},}})(?:\s+|$)")


def _epoch_ms(times: pd.Series) -> np.ndarray:
    """Datetimes as float epoch milliseconds (NaT -> NaN): a compact typed array on a date axis."""
    values = times.to_numpy(dtype="datetime64[ms]")
    out = values.view("int64").astype("float64")
    out[np.isnat(values)] = np.nan
    return out


def _rgba(color: str, alpha: float) -> str:
    color = color.lstrip("#")
    r, g, b = (int(color[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _category_codes(events: pd.DataFrame) -> np.ndarray:
    """Lane index of each event in schema order (-1 for a value the schema doesn't know)."""
    return pd.Categorical(events["category"].astype(object), categories=load_schema().category_values).codes


def _min_span(x_ms: np.ndarray) -> dict:
    """x-axis settings that keep autorange (a double-click still resets it) but never show less than ±45 days.

    ``autorangeoptions.include`` only widens the autorange: a long span of data is framed as plotly would.
    """
    finite = np.asarray(x_ms, dtype="float64")
    finite = finite[np.isfinite(finite)]
    if not len(finite):
        return {}
    middle = (finite.min() + finite.max()) / 2
    half = MIN_HALF_SPAN_DAYS * MS_PER_DAY
    days = [pd.Timestamp(v, unit="ms").strftime("%Y-%m-%d") for v in (middle - half, middle + half)]
    return {"autorange": True, "autorangeoptions": {"include": days}}


def _wrap_label(text: str, width: int = 14) -> str:
    """An escaped axis label broken at spaces into lines of about ``width`` characters (narrow screens)."""
    escaped = _esc(text)
    return "<br>".join(_wrap_pattern(width).findall(escaped)) if len(escaped) > width else escaped


def _annotate_empty(fig: go.Figure, text: str) -> None:
    fig.update_xaxes(showticklabels=False)  # an empty date axis would otherwise show the year 2000
    fig.add_annotation(text=text, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                       font={"size": 16, "color": MUTED})


def _base_layout(fig: go.Figure, *, height: int, uirevision: str) -> None:
    fig.update_layout(template=TEMPLATE, font=FONT, height=height, uirevision=uirevision,
                      hoverlabel={"align": "left", "namelength": 0}, paper_bgcolor="white")


# ---------------------------------------------------------------- timeline


# Sub-rows of a lane (offsets in lane units; a lane is 1 high): the middle first, then above and below; the
# last two sit half-way between and are used only in very dense stretches.
SUB_ROWS = np.array([0.0, -0.27, 0.27, -0.135, 0.135])
CLEARANCE = 1 / 60  # events closer than this share of the shown time span go to different sub-rows (~ a marker)


def _stack_offsets(codes: np.ndarray, x0: np.ndarray, x1: np.ndarray) -> np.ndarray:
    """Deterministic vertical offsets: greedy packing of each lane's events into a few sub-rows.

    Events are taken in time order (ties: input order); each goes to the first sub-row that is free at its
    start, where a sub-row stays busy until its last event's end plus a clearance of about one marker
    width. When all are busy, the one that frees up first is reused. One O(n) pass over the sorted events.
    """
    n = len(codes)
    if not n:
        return np.zeros(0)
    lo = np.nan_to_num(np.fmin(x0, x1), nan=0.0)
    hi = np.nan_to_num(np.fmax(x0, x1), nan=0.0)
    gap = max(MS_PER_DAY, (hi.max() - lo.min()) * CLEARANCE)
    order = np.lexsort((np.arange(n), lo, codes))
    rows = np.empty(n, dtype=np.int64)
    k = len(SUB_ROWS)
    lane, ends = None, []
    for i, (code, start, stop) in enumerate(zip(codes[order].tolist(), lo[order].tolist(), hi[order].tolist())):
        if code != lane:
            lane, ends = code, [-np.inf] * k
        row = next((r for r in range(k) if ends[r] <= start), None)
        if row is None:
            row = min(range(k), key=ends.__getitem__)
        ends[row] = max(stop, start + MS_PER_DAY) + gap
        rows[i] = row
    out = np.empty(n)
    out[order] = SUB_ROWS[rows]
    return out


def _timeline_hover(events: pd.DataFrame) -> np.ndarray:
    """Hover text per event: escaped title, the honest date label, category label and actors."""
    certainty = events["date_certainty"].astype(object).to_numpy()
    suffix = np.select([certainty == "inferred", certainty == "approximate"],
                       [" (date inferred)", " (approximate date)"], "")
    labels = load_schema().category_labels
    actors = _escape(events["actors"].map(", ".join, na_action="ignore"))
    actors_line = np.where(actors != "", "<br>Actors: " + actors.astype(str), "")
    return ("<b>" + _escape(events["title"], wrap=60) + "</b><br>"
            + _escape(date_labels(events)) + suffix + "<br>"
            + _escape(events["category"].astype(object).map(labels)) + actors_line)


def _fuzzy(events: pd.DataFrame) -> np.ndarray:
    """Known only to the month/year at either end: drawn as the whole period, never a made-up day."""
    fuzzy = events["precision"].astype(object).to_numpy() != "day"
    if "end_precision" in events:
        fuzzy |= np.isin(events["end_precision"].astype(object).to_numpy(), ["month", "year"])
    return fuzzy


def _timeline_frame(events: pd.DataFrame) -> pd.DataFrame:
    """One row per event with everything the lanes need, as numeric columns (vectorised)."""
    start, end = _epoch_ms(events["start"]), _epoch_ms(events["end"])
    fuzzy = _fuzzy(events)
    inferred = events["date_certainty"].astype(object).to_numpy() != "exact"
    codes = _category_codes(events)
    x = np.where(fuzzy, (start + end) / 2, start)
    return pd.DataFrame({
        "id": events["id"].to_numpy(dtype=object), "code": codes, "x": x, "x0": start, "x1": end,
        "y": codes + _stack_offsets(codes, np.where(fuzzy, start, x), np.where(fuzzy | (end - start > MS_PER_DAY), end, x)),
        "fuzzy": fuzzy,
        "span": ~fuzzy & (end - start > MS_PER_DAY),
        "symbol": np.where(inferred, np.where(fuzzy, DIAMOND_OPEN, DIAMOND), np.where(fuzzy, CIRCLE_OPEN, CIRCLE)),
        "hover": _timeline_hover(events) if len(events) else np.array([], dtype=object),
    })


def _segments(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """x/y of one line trace holding many segments, separated by NaN gaps (one WebGL draw per lane)."""
    nan = np.full(len(rows), np.nan)
    x = np.column_stack([rows["x0"].to_numpy(), rows["x1"].to_numpy(), nan]).ravel()
    y = np.column_stack([rows["y"].to_numpy(), rows["y"].to_numpy(), nan]).ravel()
    return x, y


def _lane_traces(rows: pd.DataFrame, category: Category, trace: XYTrace) -> list:
    """A lane: translucent bands for month/year periods, thick lines for day spans, the markers.

    No legend entry: the lane labels name the categories (a legend would repeat them and cost a quarter of
    the width); ``legendgroup`` still ties a lane's traces together (the export uses it).
    """
    group = {"legendgroup": category.value, "showlegend": False}
    px, py = _segments(rows[rows["fuzzy"]])
    sx, sy = _segments(rows[rows["span"]])
    # uid: a fixed identity per trace, so legend toggles survive filtering (uirevision)
    return [
        trace(x=px, y=py, name=f"{category.label}: periods", uid=f"{category.value}-periods", mode="lines",
                     hoverinfo="skip", line={"color": _rgba(category.color, 0.35), "width": 12}, **group),
        trace(x=sx, y=sy, name=f"{category.label}: spans", uid=f"{category.value}-spans", mode="lines",
                     hoverinfo="skip", line={"color": category.color, "width": 5}, **group),
        *(trace(
            x=part["x"].to_numpy(), y=part["y"].to_numpy(), mode="markers", name=category.label,
            uid=f"{category.value}-{symbol}", customdata=part["id"].to_numpy(), hovertext=part["hover"].to_numpy(),
            hovertemplate="%{hovertext}<extra></extra>", **group,
            marker={"color": category.color, "size": 9, "symbol": symbol, "line": {"color": category.color, "width": 2}},
        ) for symbol in EVENT_SYMBOLS for part in (rows[rows["symbol"] == symbol],)),
    ]


def _style_key_traces() -> list[go.Scatter]:
    """Legend-only entries (second legend, under the plot) that explain the marker styles; they hold no data."""
    grey = "#666666"
    key = {"x": [None], "y": [None], "legend": "legend2", "hoverinfo": "skip"}
    return [
        go.Scatter(name="Exact day", mode="markers", marker={"color": grey, "size": 9}, **key),
        go.Scatter(name="Span of days", mode="lines+markers", marker={"color": grey, "size": 9},
                   line={"color": grey, "width": 5}, **key),
        go.Scatter(name="Month/year only", mode="lines+markers", line={"color": "rgba(102,102,102,0.3)", "width": 10},
                   marker={"color": grey, "size": 9, "symbol": "circle-open", "line": {"width": 2}}, **key),
        go.Scatter(name="Date inferred", mode="markers", marker={"color": grey, "size": 9, "symbol": "diamond"}, **key),
    ]


def _selection_trace(frame: pd.DataFrame, selected: str | None, trace: XYTrace) -> list:
    """A ring around the selected event (nothing when it is not in this view)."""
    hit = frame[frame["id"] == selected] if selected else frame.iloc[:0]
    if hit.empty:
        return []
    return [trace(
        x=hit["x"].to_numpy(), y=hit["y"].to_numpy(), mode="markers", name="Selected", showlegend=False,
        customdata=hit["id"].to_numpy(), hoverinfo="skip",
        marker={"symbol": CIRCLE_OPEN, "size": 22, "color": "#111111", "line": {"color": "#111111", "width": 3}},
    )]


def _timeline_layout(fig: go.Figure, categories: tuple[Category, ...], frame: pd.DataFrame) -> None:
    n = len(categories)
    _base_layout(fig, height=440, uirevision="timeline")
    fig.update_layout(
        hovermode="closest", dragmode="zoom", margin={"l": 8, "r": 12, "t": 28, "b": 8}, showlegend=True,
        # the style key under the plot: above it, plotly's modebar would cover its last items
        legend2={**LEGEND_BELOW, "y": -0.13, "font": {"size": 10, "color": MUTED}, "itemwidth": 30,
                 "itemclick": False, "itemdoubleclick": False},
        # light bands on alternate lanes so the eye can follow a lane across the year
        shapes=[{"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": i - 0.5, "y1": i + 0.5,
                 "fillcolor": "#f4f5f7", "line": {"width": 0}, "layer": "below"} for i in range(0, n, 2)],
    )
    fig.update_xaxes(type="date", showgrid=True, gridcolor="#e3e3e3", ticks="outside", automargin=True,
                     **DATE_TICKS, **_min_span(np.concatenate([frame["x0"], frame["x1"]])))
    # two-line labels ('Reconstruction<br>and demining') leave room for the dates on a phone
    fig.update_yaxes(tickmode="array", tickvals=list(range(n)), ticktext=[_wrap_label(c.label) for c in categories],
                     range=[n - 0.5, -0.5], fixedrange=True, showgrid=False, zeroline=False, automargin=True,
                     tickfont={"size": 12})


# Above this many events the timeline draws counts per lane and period instead of single events: the
# payload and the build stay small at any N (~100-200 bars per lane), and zooming in (which the dashboard
# turns into a date filter) redraws single events once fewer than this many are in view.
DETAIL_LIMIT = 3000
MAX_BINS = 200  # the aggregate view takes the shortest period that gives at most this many bins
BIN_UNITS = (("day", 1.0), ("week", 7.0), ("month", 30.44), ("quarter", 91.31), ("year", 365.25))
AGG_BAR_HEIGHT = 0.84  # the tallest bar fills this share of its lane
AGG_MIN_HEIGHT = 0.08  # a bin with a single event still shows


def _bin_unit(x_ms: np.ndarray) -> str:
    """'day', 'week', 'month', 'quarter' or 'year': the shortest giving at most MAX_BINS bins over the data."""
    days = (x_ms.max() - x_ms.min()) / MS_PER_DAY if len(x_ms) else 0.0
    return next((unit for unit, length in BIN_UNITS if days / length < MAX_BINS - 1), "year")


def _bins(x_ms: np.ndarray, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """Calendar bins (weeks start on Monday) of epoch-ms values: (bin start, next bin start) as datetime64[ms]."""
    when = x_ms.astype("int64").astype("datetime64[ms]")
    if unit == "day":
        start = when.astype("datetime64[D]")
        return start.astype("datetime64[ms]"), (start + 1).astype("datetime64[ms]")
    if unit == "week":
        days = when.astype("datetime64[D]").astype("int64")
        start = (days - (days + 3) % 7).astype("datetime64[D]")  # 1970-01-01 was a Thursday
        return start.astype("datetime64[ms]"), (start + 7).astype("datetime64[ms]")
    if unit in ("month", "quarter"):
        months = when.astype("datetime64[M]").astype("int64")
        step = 3 if unit == "quarter" else 1
        start = (months - months % step).astype("datetime64[M]")
        return start.astype("datetime64[ms]"), (start + step).astype("datetime64[ms]")
    start = when.astype("datetime64[Y]")
    return start.astype("datetime64[ms]"), (start + 1).astype("datetime64[ms]")


def _bin_label(start: pd.Timestamp, unit: str) -> str:
    if unit == "day":
        return f"{start.day} {start:%B %Y}"
    if unit == "week":
        return f"week of {start.day} {start:%B %Y}"
    if unit == "month":
        return f"{start:%B %Y}"
    if unit == "quarter":
        return f"Q{start.quarter} {start.year}"
    return f"{start.year}"


def timeline_counts(events: pd.DataFrame, unit: str | None = None) -> pd.DataFrame:
    """Events per (lane, period) as the aggregate timeline draws them: each event counts once, in the
    period of its marker (its day, the start of a span, the middle of a month/year-only date).

    Columns: code (lane index in schema order), start, stop (datetime64[ms]), count; ``unit`` defaults
    to the one chosen from the data's span (``_bin_unit``).
    """
    x = _timeline_frame_x(events)
    codes = _category_codes(events)
    keep = np.isfinite(x) & (codes >= 0)
    x, codes = x[keep], codes[keep]
    unit = unit or _bin_unit(x)
    lo, hi = _bins(x, unit)
    table = pd.DataFrame({"code": codes.astype("int64"), "start": lo, "stop": hi})
    counts = table.groupby(["code", "start", "stop"], sort=True).size().rename("count").reset_index()
    counts.attrs["unit"] = unit
    return counts


def _aggregate_traces(counts: pd.DataFrame, categories: tuple[Category, ...]) -> list[go.Bar]:
    """Per lane, one bar per period, growing up from the lane's floor (the tallest bin of all lanes fills
    AGG_BAR_HEIGHT of a lane). ``customdata`` is '' on every bar: they are not events."""
    unit = counts.attrs["unit"]
    highest = max(int(counts["count"].max()), 1) if len(counts) else 1
    labels = {t: _bin_label(pd.Timestamp(t), unit) for t in counts["start"].unique()}
    traces = []
    for code, category in enumerate(categories):
        rows = counts[counts["code"] == code]
        lo = rows["start"].to_numpy(dtype="datetime64[ms]").astype("int64").astype("float64")
        hi = rows["stop"].to_numpy(dtype="datetime64[ms]").astype("int64").astype("float64")
        n = rows["count"].to_numpy()
        height = np.maximum(AGG_BAR_HEIGHT * n / highest, AGG_MIN_HEIGHT)
        head = f"<b>{_esc(category.label)}</b> · "
        hover = [f"{head}{labels[t]}<br>{c:,} event{'s' if c != 1 else ''} — zoom in to see them"
                 for t, c in zip(rows["start"], n.tolist())]
        traces.append(go.Bar(
            x=(lo + hi) / 2, y=-height, base=code + AGG_BAR_HEIGHT / 2 + 0.01, width=(hi - lo) * 0.9,
            name=category.label, uid=f"{category.value}-counts", legendgroup=category.value, showlegend=False,
            customdata=np.full(len(rows), "", dtype=object), hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
            marker={"color": category.color, "line": {"width": 0}},
        ))
    return traces


def _aggregate_timeline(events: pd.DataFrame, selected: str | None) -> go.Figure:
    """The timeline above DETAIL_LIMIT events: counts per lane and period, and the selected event's ring."""
    categories = load_schema().categories
    counts = timeline_counts(events)
    unit = counts.attrs["unit"]
    fig = go.Figure(_aggregate_traces(counts, categories))
    ends = pd.DataFrame({"x0": _epoch_ms(events["start"]), "x1": _epoch_ms(events["end"])})
    if selected:
        hit = events[events["id"] == selected]
        if len(hit):
            ring = pd.DataFrame({"id": hit["id"].to_numpy(dtype=object), "x": _timeline_frame_x(hit),
                                 "y": _category_codes(hit).astype("float64")})
            fig.add_traces(_selection_trace(ring, selected, go.Scatter))
    _timeline_layout(fig, categories, ends)
    fig.update_layout(barmode="overlay", bargap=0, showlegend=False)
    fig.add_annotation(text=f"{len(events):,} events: showing counts per {unit}; zoom in or filter to see single events",
                       xref="paper", yref="paper", x=0, y=1, xanchor="left", yanchor="bottom", showarrow=False,
                       font={"size": 11, "color": MUTED})
    return fig


def _timeline_frame_x(events: pd.DataFrame) -> np.ndarray:
    """The marker position of each event (as in _timeline_frame), without the rest of the frame."""
    start, end = _epoch_ms(events["start"]), _epoch_ms(events["end"])
    return np.where(_fuzzy(events), (start + end) / 2, start)


def timeline_figure(events: pd.DataFrame, *, selected: str | None = None) -> go.Figure:
    """Events in one lane per category (schema order, top lane first) along a date axis.

    Filled circle: an exact day; thick line: a span of days; translucent band with an open circle in its
    middle: known only to the month or year; diamond: the date is inferred. ``customdata`` is the event id.
    Above DETAIL_LIMIT events: bars of events per lane and period instead (``timeline_counts``).
    """
    if len(events) > DETAIL_LIMIT:
        return _aggregate_timeline(events, selected)
    categories = load_schema().categories
    frame = _timeline_frame(events)
    fig = go.Figure()
    trace = _xy_trace(len(frame))
    for code, category in enumerate(categories):
        fig.add_traces(_lane_traces(frame[frame["code"] == code], category, trace))
    fig.add_traces(_style_key_traces())
    fig.add_traces(_selection_trace(frame, selected, trace))
    _timeline_layout(fig, categories, frame)
    if frame.empty:
        _annotate_empty(fig, NO_EVENTS)
    return fig


# ---------------------------------------------------------------- map

# Ukraine to the Sea of Japan. plotly clips a geo map to its lon/lat box fitted into the plot, so the box
# has the shape of the dashboard's half-width card (about 470 x 360 px, 4:3 in Mercator): the map fills
# the card edge to edge instead of leaving empty bands above and below.
MAP_LON, MAP_LAT = (28, 140), (12, 68)
MAP_HEIGHT = 360
MAP_LABELS = 6  # name at most this many of the busiest places on the map itself; the rest on hover
# Label placement works on a pixel model of the map (close enough to refuse overlaps and clipped edges).
_MAP_PX = (360, 275)  # the narrowest card (a phone): what fits there fits in a wider one
_LABEL_CHAR_PX, _LABEL_LINE_PX = 7.0, 15.0


def _places(events: pd.DataFrame) -> pd.DataFrame:
    """Events per located place, biggest first, with hover text listing up to five escaped titles
    (two when there are too many events to draw one by one: the hover is a sample then, and short)."""
    shown = 5 if len(events) <= DETAIL_LIMIT else 2
    located = events.dropna(subset=["latitude", "longitude"])
    keys = ["place", "latitude", "longitude"]
    counts = located.groupby(keys, sort=False).size().rename("count")
    firsts = located[keys + ["title"]].groupby(keys, sort=False).head(shown)
    firsts = firsts.assign(title="• " + _escape(firsts["title"], wrap=60))
    titles = firsts.groupby(keys, sort=False)["title"].agg("<br>".join)
    places = pd.concat([counts, titles], axis=1).reset_index()
    more = places["count"] - shown
    places["hover"] = ("<b>" + _escape(places["place"]) + "</b><br>"
                       + places["count"].astype(str) + np.where(places["count"] == 1, " event", " events") + "<br>"
                       + places["title"] + np.where(more > 0, "<br>… and " + more.astype(str) + " more", ""))
    # big bubbles first so small ones are drawn on top and stay clickable
    return places.sort_values(["count", "place"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _mercator(lat: float) -> float:
    return float(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))


def _map_xy(lon: float, lat: float) -> tuple[float, float]:
    """Pixel position on the framed map of the card (x right, y down)."""
    w, h = _MAP_PX
    top, bottom = _mercator(MAP_LAT[1]), _mercator(MAP_LAT[0])
    return ((lon - MAP_LON[0]) / (MAP_LON[1] - MAP_LON[0]) * w, (top - _mercator(lat)) / (top - bottom) * h)



def _label_box(x: float, y: float, radius: float, width: float, position: str) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of a label of ``width`` px next to a bubble, for plotly's textposition."""
    vertical, horizontal = position.split()
    half = _LABEL_LINE_PX / 2
    if horizontal == "right":
        x0 = x + radius + 2
    elif horizontal == "left":
        x0 = x - radius - 2 - width
    else:
        x0 = x - width / 2
    if vertical == "top":
        y0 = y - radius - _LABEL_LINE_PX
    elif vertical == "bottom":
        y0 = y + radius
    else:
        y0 = y - half
    return x0, y0, x0 + width, y0 + _LABEL_LINE_PX


def _overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _map_labels(places: pd.DataFrame, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Short escaped names ('Kursk Oblast') for the busiest places, each where it fits.

    Places are taken biggest first; each label tries the side away from the nearer map edge, then the
    other side, above and below its bubble, and is left out (the name stays in the hover) when none fits
    inside the map without touching an earlier label or a bigger bubble. Deterministic.
    """
    short = places["place"].str.split(",").str[0].str.replace(r"\s*\(.*?\)", "", regex=True).str.strip()
    text = np.full(len(places), "", dtype=object)
    position = np.full(len(places), "middle right", dtype=object)
    if places.empty:
        return text, position
    escaped = _escape(short)
    w, h = _MAP_PX
    placed: list[tuple] = []  # label boxes, and boxes around the bubbles of labelled places
    busy = (places.index < MAP_LABELS) & (places["count"] >= 0.1 * places["count"].max())
    for i in np.flatnonzero(busy):
        x, y = _map_xy(places["longitude"].iat[i], places["latitude"].iat[i])
        if not (0 <= x <= w and 0 <= y <= h):
            continue
        radius = sizes[i] / 2
        width = len(short.iat[i]) * _LABEL_CHAR_PX
        sides = ("middle right", "middle left") if x < w / 2 else ("middle left", "middle right")
        for candidate in (*sides, "top center", "bottom center"):
            box = _label_box(x, y, radius, width, candidate)
            inside = box[0] >= 2 and box[2] <= w - 2 and box[1] >= 2 and box[3] <= h - 2
            if inside and not any(_overlaps(box, other) for other in placed):
                text[i], position[i] = escaped[i], candidate
                placed.append(box)
                break
        placed.append((x - radius, y - radius, x + radius, y + radius))
    return text, position


def _outside_note(places: pd.DataFrame) -> str:
    outside = places[~places["longitude"].between(*MAP_LON) | ~places["latitude"].between(*MAP_LAT)]
    if outside.empty:
        return ""
    items = _escape(outside["place"]) + " (" + outside["count"].astype(str) + ")"
    return "Outside this view: " + "; ".join(items)


def map_figure(events: pd.DataFrame) -> go.Figure:
    """Bubbles per place (area grows with the number of events).

    ``customdata`` is the exact, unescaped place name (never rendered: it is there so a click can filter by place).
    """
    places = _places(events)
    size = (8 + 30 * np.sqrt(places["count"] / max(places["count"].max(), 1))).to_numpy() if len(places) else np.zeros(0)
    text, position = _map_labels(places, size)
    fig = go.Figure(go.Scattergeo(
        lon=places["longitude"], lat=places["latitude"], mode="markers+text", name="Places",
        text=text, textposition=position, textfont={"size": 12, "color": "#333333"},
        customdata=places["place"], hovertext=places["hover"], hovertemplate="%{hovertext}<extra></extra>",
        marker={"size": size, "color": "rgba(70,85,105,0.55)", "line": {"color": "white", "width": 1}},
    ))
    _base_layout(fig, height=MAP_HEIGHT, uirevision="map")
    fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, showlegend=False, hovermode="closest")
    fig.update_geos(
        domain={"x": [0, 1], "y": [0, 1]}, projection_type="mercator", resolution=110,
        lonaxis_range=list(MAP_LON), lataxis_range=list(MAP_LAT),
        showland=True, landcolor="#eeeeee", showcountries=True, countrycolor="#b5b5b5", countrywidth=0.6,
        showcoastlines=True, coastlinecolor="#b5b5b5", showocean=True, oceancolor="#f7fbff", showframe=False,
    )
    note = _outside_note(places)
    if note:
        fig.add_annotation(text=note, xref="paper", yref="paper", x=0.01, y=0.01, xanchor="left", yanchor="bottom",
                           showarrow=False, font={"size": 11, "color": MUTED}, bgcolor="rgba(255,255,255,0.8)")
    if places.empty:
        _annotate_empty(fig, "No events with a location match the current filters")
    return fig


# ---------------------------------------------------------------- monthly counts


def _nonzero(counts: pd.Series) -> np.ndarray:
    """Counts with 0 as NaN: no sliver of a bar, and the month's hover lists only categories that occurred."""
    values = counts.to_numpy(dtype="float64")
    values[values == 0] = np.nan
    return values


def _month_ticks(months: int) -> dict:
    """Labels on whole months ('Jan<br>2024', 'Jul<br>2024'), never slanted, at most about 7 (fits 360 px);
    a small tick at every month so each bar still has one."""
    step = next((m for m in (1, 3, 6, 12) if months <= 7 * m), 24)
    return {"tickangle": 0, "dtick": f"M{step}", "tick0": "2000-01-01",
            "tickformat": "%Y" if step >= 12 else "%b<br>%Y",
            "minor": {"dtick": "M1", "ticks": "outside", "ticklen": 3, "showgrid": False}}


def monthly_figure(events: pd.DataFrame) -> go.Figure:
    """Stacked bars of events per calendar month of ``start``; brush horizontally to select months."""
    categories = load_schema().categories
    months = events["start"].to_numpy(dtype="datetime64[M]")
    codes = _category_codes(events)
    if len(months):
        index = np.arange(months.min(), months.max() + 1)  # every month, so gaps show as gaps
    else:
        index = np.array([], dtype="datetime64[M]")
    counts = pd.crosstab(months, codes).reindex(index=index, columns=range(len(categories)), fill_value=0)
    x = index.astype("datetime64[ms]")
    # explicit widths (88% of each month): plotly makes a lone bar 1 ms wide, invisible on a months-wide axis
    width = ((index + 1).astype("datetime64[ms]") - x).astype("float64") * 0.88
    fig = go.Figure([
        go.Bar(x=x, y=_nonzero(counts[code]), width=width, name=category.label, marker_color=category.color,
               xperiod="M1", xperiodalignment="middle", legendgroup=category.value, showlegend=False,
               hovertemplate=f"{_esc(category.label)}: %{{y}}<extra></extra>")
        for code, category in enumerate(categories)
    ])
    # No legend: the colours are the timeline's lanes, and the hover names the category of each part.
    _base_layout(fig, height=360, uirevision="monthly")
    fig.update_layout(
        barmode="stack", bargap=0.12, dragmode="select", selectdirection="h", hovermode="x unified",
        margin={"l": 8, "r": 12, "t": 30, "b": 8}, showlegend=False,
    )
    fig.update_xaxes(type="date", hoverformat="%B %Y", ticks="outside", automargin=True,
                     **_month_ticks(len(index)), **_min_span(x.astype("float64")))
    highest = int(counts.sum(axis=1).max()) if len(index) else 0
    fig.update_yaxes(title_text="Events per month", rangemode="tozero", automargin=True, tickformat=",d",
                     **({"dtick": 1} if highest <= 10 else {}))
    if not len(events):
        _annotate_empty(fig, NO_EVENTS)
    return fig


# ---------------------------------------------------------------- reported figures (claims)


@cache
def claimant_family(claimant: str) -> str:
    """'South Korea', 'Ukraine', 'UK', 'US', 'Russia', 'DPRK', 'Multilateral' or 'Other', from the name."""
    return next(family for family, pattern, _ in CLAIMANT_FAMILIES if re.search(pattern, claimant))


def claimant_color_map(claimants: Iterable[str]) -> dict[str, str]:
    """Claimant -> colour: the family's hue, shades in sorted name order within the family.

    Deterministic: the same set always gets the same colours (pass the full dataset's claimants to pin them).
    """
    shades = {family: colors for family, _, colors in CLAIMANT_FAMILIES}
    seen: dict[str, int] = {}
    out = {}
    for name in sorted({str(c) for c in claimants}):
        family = claimant_family(name)
        i = seen[family] = seen.get(family, -1) + 1
        out[name] = shades[family][i % len(shades[family])]
    return out


def chart_claimants(events: pd.DataFrame) -> list[str]:
    """Sorted claimants of the troop and casualty figures: pass the full dataset's to claims_figure to pin colours."""
    units, groups = load_schema().units, {g for g, _ in CLAIM_GROUPS}
    return sorted({str(f["claimant"]) for figures in events["figures"] if isinstance(figures, (list, tuple))
                   for f in figures if units.get(f["unit"]) in groups})


def _figure_texts(claims: pd.DataFrame) -> np.ndarray:
    """figure_text of each claim, computed once per distinct (qualifier, value, high, unit)."""
    cols = ["qualifier", "value", "high", "unit"]
    codes = claims.groupby(cols, sort=False, dropna=False).ngroup().to_numpy()
    firsts = claims[cols].drop_duplicates()
    texts = [figure_text({"qualifier": q, "value": v, "high": None if pd.isna(h) else h, "unit": u})
             for q, v, h, u in firsts.itertuples(index=False)]
    return np.array(texts + [""], dtype=object)[codes]


def _claims_frame(events: pd.DataFrame) -> pd.DataFrame:
    """One row per personnel/casualty figure: where to plot it (claim date, value); hover by ``_claim_hover``."""
    units = load_schema().units
    # only the events with figures (a fifth at most), flattened without DataFrame.explode (slow on 100k lists)
    cells = events["figures"].to_numpy(dtype=object)
    try:
        counts = np.fromiter(map(len, cells), dtype=np.int64, count=len(cells))  # a list in every cell (load_events)
    except TypeError:  # a missing cell somewhere
        counts = np.fromiter((len(c) if isinstance(c, (list, tuple)) else 0 for c in cells), dtype=np.int64, count=len(cells))
    owner = np.repeat(np.arange(len(cells)), counts)
    claims = pd.DataFrame.from_records([f for c in cells[counts > 0] for f in c],
                                       columns=["qualifier", "value", "high", "unit", "claimant", "date", "note"])
    claims = claims.assign(id=events["id"].to_numpy(dtype=object)[owner], event_date=events["date"].to_numpy(dtype=object)[owner],
                           title=events["title"].to_numpy(dtype=object)[owner])
    claims["group"] = claims["unit"].map(units)
    claims = claims[claims["group"].isin([g for g, _ in CLAIM_GROUPS])].reset_index(drop=True)
    claims["high"] = pd.to_numeric(claims["high"], errors="coerce")
    claims["qualifier"] = claims["qualifier"].fillna("")
    # the claim's own date if given, else the event's; a month/year-only date sits mid-period, not on day 1
    claim_date = claims["date"].fillna("").where(claims["date"].fillna("") != "", claims["event_date"])
    codes, distinct = pd.factorize(claim_date.astype(object))  # parse each distinct date once
    period = parse_partial_dates(pd.Series(distinct, dtype=object))
    x = period["start"].where(period["precision"] == "day", period["start"] + (period["stop"] - period["start"]) / 2)
    claims["x"] = x.to_numpy()[codes] if len(codes) else pd.Series([], dtype="datetime64[us]")
    claims["claim_date"] = claim_date.astype(object)
    return claims


def _claim_hover(claims: pd.DataFrame, *, with_title: bool = True) -> np.ndarray:
    """Hover text of each claim: the figure, who claims it and when, the event's title and the note (escaped).

    Without the title (used when the chart is thinned to a bounded number of points) the hover stays
    short, which keeps a 100k-event page light; clicking the point still opens the event."""
    if claims.empty:
        return np.array([], dtype=object)
    notes = _escape(claims["note"])
    head = ("<b>" + _escape(_figure_texts(claims)) + "</b><br>" + _escape(claims["claimant"]) + " · "
            + _escape(date_labels(pd.DataFrame({"date": claims["claim_date"]}))))
    if not with_title:
        return head
    return head + "<br>" + _escape(claims["title"], wrap=60) + np.where(notes != "", "<br><i>" + notes.astype(str) + "</i>", "")


def _thin_claims(claims: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Above CLAIMS_LIMIT figures: the highest figure per (panel, claimant, period), the shortest period of
    month / quarter / year that keeps at most CLAIMS_LIMIT (then the most cited of those), with ``more``
    = how many other figures it stands for. Deterministic (ties: the latest, then the first)."""
    x = np.nan_to_num(_epoch_ms(claims["x"]), nan=0.0)
    # integer keys (a MultiIndex of tuples costs ~100 ms at 20k claims)
    group, claimant = pd.factorize(claims["group"])[0], pd.factorize(claims["claimant"])[0]
    who = group.astype("int64") * (claimant.max(initial=0) + 1) + claimant
    for unit in ("month", "quarter", "year"):
        start = _bins(x, unit)[0].astype("int64") // MS_PER_DAY
        key = pd.factorize(who * (start.max(initial=0) - start.min(initial=0) + 1) + (start - start.min(initial=0)))[0]
        if key.max(initial=-1) + 1 <= CLAIMS_LIMIT:
            break
    value = claims["value"].to_numpy(dtype="float64")
    order = np.lexsort((np.arange(len(key)), -x, -np.nan_to_num(value, nan=-np.inf), key))
    first = order[np.r_[True, key[order][1:] != key[order][:-1]]]  # the highest of each group (ties: latest, first)
    n = np.bincount(key)[key[first]]
    # still too many (hundreds of claimants): the most cited groups, then by time
    pick = np.sort(first[np.lexsort((first, -n))[:CLAIMS_LIMIT]])
    kept = claims.iloc[pick].copy()
    kept["more"] = np.bincount(key)[key[pick]] - 1
    return kept, unit


def _side_by_side(claims: pd.DataFrame) -> pd.Series:
    """Shift conflicting claims of one day (different claimants) a few days apart so all stay visible."""
    day = claims["x"].dt.floor("D")
    grouped = claims.assign(day=day).groupby(["group", "day"])["claimant"]
    rank = grouped.rank(method="dense") - 1
    n = grouped.transform("nunique")
    return claims["x"] + pd.to_timedelta((rank - (n - 1) / 2) * 5, unit="D")


def _claim_trace(rows: pd.DataFrame, claimant: str, color: str, symbol: str, trace: XYTrace):
    high = rows["high"].to_numpy()
    return trace(
        x=_epoch_ms(rows["x_plot"]), y=rows["value"].to_numpy(dtype="float64"), mode="markers",
        name=_esc(claimant), legendgroup=_esc(claimant), showlegend=False,
        customdata=rows["id"].to_numpy(), hovertext=rows["hover"].to_numpy(), hovertemplate="%{hovertext}<extra></extra>",
        marker={"color": color, "size": 11, "symbol": symbol, "line": {"color": color, "width": 2}},
        # a range ('1,000–3,000') is drawn as a bar up to its high end
        error_y={"type": "data", "symmetric": False, "array": np.nan_to_num(high - rows["value"].to_numpy(dtype="float64")),
                 "arrayminus": np.zeros(len(rows)), "color": color, "thickness": 1.5, "width": 4,
                 "visible": bool(np.isfinite(high).any())},
    )


def _claimant_key_traces(colors: dict[str, str], claimants: Iterable[str]) -> list[go.Scatter]:
    """Legend entries family by family (the order of FAMILY_ORDER), A–Z within a family, a filled dot each.

    Each claimant is its own legend group (a click toggles that claimant). No group titles: in a
    horizontal legend that wraps they land between entries and read as claimants.
    """
    names = sorted(set(claimants), key=lambda name: (FAMILY_ORDER.index(claimant_family(name)), name))
    return [go.Scatter(x=[None], y=[None], mode="markers", name=_esc(name), legendgroup=_esc(name),
                       marker={"color": colors[name], "size": 10}, hoverinfo="skip")
            for name in names]


def _qualifier_key_traces() -> list[go.Scatter]:
    """The symbol key, first in the legend (one legend under the plot: a second one above it would wrap
    under plotly's modebar on a phone). A click hides that symbol's points where one trace per symbol
    draws them (many claimants) and does nothing otherwise (their legend group has no data then)."""
    key = {"x": [None], "y": [None], "hoverinfo": "skip", "mode": "markers"}
    grey = {"color": "#666666", "size": 10, "line": {"color": "#666666", "width": 2}}
    # a legend group each: plotly stacks the entries of one group vertically even in a horizontal legend
    return [go.Scatter(name=name, legendgroup=f"qualifier-{symbol}", marker={**grey, "symbol": symbol}, **key)
            for name, symbol in (
        ("exact", "circle"), ("about", "circle-open"), ("more than / at least", "triangle-up"),
        ("up to / fewer than", "triangle-down"))]


def _symbol_trace(rows: pd.DataFrame, symbol: str, colors: dict[str, str], trace: XYTrace):
    """All claims of one panel drawn with one symbol, coloured per point by claimant (many claimants)."""
    # colours as numbers on a stepped colour scale: plotly checks an array of colour strings one by one
    palette = sorted(set(colors.values()))
    steps = len(palette)
    scale = [[edge, c] for i, c in enumerate(palette) for edge in (i / steps, (i + 1) / steps)]
    index = rows["claimant"].map({name: palette.index(c) for name, c in colors.items()}).to_numpy(dtype="float64") + 0.5
    color = {"color": index, "colorscale": scale, "cmin": 0, "cmax": steps}
    high = rows["high"].to_numpy()
    return trace(
        x=_epoch_ms(rows["x_plot"]), y=rows["value"].to_numpy(dtype="float64"), mode="markers",
        name=SYMBOL_NAMES[symbol], legendgroup=f"qualifier-{symbol}", showlegend=False,
        customdata=rows["id"].to_numpy(), hovertext=rows["hover"].to_numpy(), hovertemplate="%{hovertext}<extra></extra>",
        marker={**color, "showscale": False, "size": 11, "symbol": symbol, "line": {**color, "width": 2}},
        error_y={"type": "data", "symmetric": False, "array": np.nan_to_num(high - rows["value"].to_numpy(dtype="float64")),
                 "arrayminus": np.zeros(len(rows)), "color": "rgba(85,85,85,0.6)", "thickness": 1.5, "width": 4,
                 "visible": bool(np.isfinite(high).any())},
    )


def _family_key_traces(claimants: Iterable[str]) -> list[go.Scatter]:
    """Legend entries per family of claimants (FAMILY_ORDER), in the family's first shade: many claimants."""
    present = {claimant_family(name) for name in claimants}
    shade = {family: shades[0] for family, _, shades in CLAIMANT_FAMILIES}
    return [go.Scatter(x=[None], y=[None], mode="markers", name=family, legendgroup=f"family-{family}",
                       marker={"color": shade[family], "size": 10}, hoverinfo="skip")
            for family in FAMILY_ORDER if family in present]


def claims_figure(events: pd.DataFrame, *, claimants: Iterable[str] | None = None) -> go.Figure:
    """Reported troop and casualty numbers over time, one colour per claimant, log scale.

    ``claimants`` (``chart_claimants`` of the full dataset) pins the colour assignment so that filtering
    keeps colours; by default colours follow the claimants charted from ``events``.

    Bounded at any N: above CLAIMS_LIMIT figures only the highest per claimant, panel and period is drawn
    (an annotation says so); with more than MAX_CLAIM_TRACES (panel, claimant, symbol) groups the points
    are drawn as one trace per panel and symbol with per-point colours, and with more than LEGEND_CLAIMANTS
    claimants the legend names the families instead of each claimant.
    """
    claims = _claims_frame(events)
    total, unit = len(claims), None
    if total > CLAIMS_LIMIT:
        claims, unit = _thin_claims(claims)
        claims = claims.reset_index(drop=True)
    claims["hover"] = _claim_hover(claims, with_title=unit is None)
    if unit is not None and len(claims):
        more = claims["more"].to_numpy()
        label = pd.Series(_bins(np.nan_to_num(_epoch_ms(claims["x"]), nan=0.0), unit)[0]).map(
            lambda t: _bin_label(pd.Timestamp(t), unit))
        claims["hover"] = claims["hover"] + np.where(
            more > 0, "<br>(highest of " + (more + 1).astype(str) + " figures by this claimant in " + label.to_numpy(dtype=object) + ")", "")
    if len(claims):
        claims["x_plot"] = _side_by_side(claims)
    claims["symbol"] = claims["qualifier"].map(QUALIFIER_SYMBOLS).fillna("circle")
    colors = claimant_color_map(claims["claimant"])
    if claimants is not None:
        colors |= claimant_color_map(claimants)
    trace = _xy_trace(len(claims))
    per_claimant = unit is None and claims.groupby(["group", "claimant", "symbol"]).ngroups <= MAX_CLAIM_TRACES
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=[title for _, title in CLAIM_GROUPS])
    # panel titles at the top left of their panel, clear of the dates (which only the bottom panel shows)
    fig.update_annotations(x=0, xanchor="left", font={"size": 13})
    for row, (group, _) in enumerate(CLAIM_GROUPS, start=1):
        in_group = claims[claims["group"] == group]
        if per_claimant:
            for (claimant, symbol), rows in in_group.groupby(["claimant", "symbol"], sort=True):
                fig.add_trace(_claim_trace(rows, claimant, colors[claimant], symbol, trace), row=row, col=1)
        else:
            for symbol, rows in in_group.groupby("symbol", sort=True):
                fig.add_trace(_symbol_trace(rows, symbol, colors, trace), row=row, col=1)
        values = in_group["value"].to_numpy(dtype="float64")
        values = values[values > 0]
        ticks = DECADE_TICKS if len(values) and values.max() / values.min() > 100 else LOG_TICKS
        fig.update_yaxes(tickvals=ticks, ticktext=[f"{v:,}" for v in ticks], row=row, col=1)
        if in_group.empty:
            # plotly.js draws no axes for a subplot without traces: keep the panel, say why it is blank
            # (with no number axis behind the note)
            fig.add_trace(trace(x=[], y=[], name="", showlegend=False, hoverinfo="skip"), row=row, col=1)
            fig.add_annotation(text="No figures of this kind match the current filters", row=row, col=1,
                               xref="x domain", yref="y domain", x=0.5, y=0.5, showarrow=False,
                               font={"size": 14, "color": MUTED})
            fig.update_yaxes(showticklabels=False, showgrid=False, row=row, col=1)
    fig.add_traces(_qualifier_key_traces())
    drawn = set(claims["claimant"])
    if len(drawn) <= LEGEND_CLAIMANTS:
        fig.add_traces(_claimant_key_traces(colors, drawn))
    else:
        fig.add_traces(_family_key_traces(drawn))
    if unit is not None:
        # inside the top panel (above it sit the panel title and plotly's modebar), two short lines for a phone
        fig.add_annotation(text=f"{total:,} figures: the highest per claimant and {unit}<br>filter or narrow the dates to see all",
                           xref="x domain", yref="y domain", x=1, y=1, xanchor="right", yanchor="top", showarrow=False,
                           align="right", font={"size": 11, "color": MUTED}, bgcolor="rgba(255,255,255,0.85)", row=1, col=1)
    _base_layout(fig, height=560, uirevision="claims")
    fig.update_layout(
        hovermode="closest", dragmode="zoom", margin={"l": 8, "r": 12, "t": 40, "b": 8},
        # symbol key and claimants under the plot: it wraps on a phone, and scrolls beyond a third of the height
        legend={**LEGEND_BELOW, "y": -0.16, "tracegroupgap": 0, "maxheight": 0.34},
    )
    x_all = _epoch_ms(claims["x_plot"]) if len(claims) else np.zeros(0)
    fig.update_xaxes(type="date", showgrid=True, gridcolor="#e3e3e3", ticks="outside", automargin=True,
                     **DATE_TICKS, **_min_span(x_all))
    fig.update_xaxes(showticklabels=False, row=1, col=1)
    fig.update_xaxes(showticklabels=not claims.empty, row=2, col=1)  # shared axis: dates under the bottom panel only
    # no y-axis titles: the panel titles say what is counted (and a title would cost a phone 25 px)
    fig.update_yaxes(type="log", tickmode="array", showgrid=True, gridcolor="#e3e3e3", automargin=True, selector=lambda axis: axis.showgrid is not False)
    return fig
