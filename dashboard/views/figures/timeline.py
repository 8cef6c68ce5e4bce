"""The timeline: one lane per category along a date axis, single events up to DETAIL_LIMIT, counts per
lane and period above it, and captions of key events above the lanes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..labels import date_labels
from ...data.schema import Category, load_schema
from .palette import edge_color
from .captions import BAND_PX, BASE_PX, CAPTION_STYLE, caption_layout, key_events, nominal_range
from .common import (
    DATE_TICKS, LEGEND_BELOW, MS_PER_DAY, MUTED, NO_EVENTS, XYTrace, _annotate_empty, _base_layout, _bin_label, _bins,
    _category_codes, _epoch_ms, _esc, _escape, _min_span, _rgba, _wrap_label, _xy_trace,
)

# Marker symbols: filled = exact day, open = the date is only known to the month or year, diamond = the
# date is inferred or approximate. One trace per symbol rather than a per-point symbol array: plotly
# validates such arrays string by string (seconds at 100k points), and WebGL ignores numeric open codes.
CIRCLE, CIRCLE_OPEN, DIAMOND, DIAMOND_OPEN = "circle", "circle-open", "diamond", "diamond-open"
EVENT_SYMBOLS = (CIRCLE, CIRCLE_OPEN, DIAMOND, DIAMOND_OPEN)

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


def _lane_rows(codes: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """The row of each lane code among the lanes that have events (schema order kept), and those lanes' codes.

    A lane with no events under the current filters is left out, so the others get its room; their
    order never changes.
    """
    present = np.unique(codes[codes >= 0])
    return np.searchsorted(present, codes), present.tolist()


def _lanes(present: list[int]) -> tuple[Category, ...]:
    categories = load_schema().categories
    return tuple(categories[code] for code in present)


def _timeline_frame(events: pd.DataFrame) -> pd.DataFrame:
    """One row per event with everything the lanes need, as numeric columns (vectorised)."""
    start, end = _epoch_ms(events["start"]), _epoch_ms(events["end"])
    fuzzy = _fuzzy(events)
    inferred = events["date_certainty"].astype(object).to_numpy() != "exact"
    codes = _category_codes(events)
    rows, _ = _lane_rows(codes)
    x = np.where(fuzzy, (start + end) / 2, start)
    return pd.DataFrame({
        "id": events["id"].to_numpy(dtype=object), "code": codes, "x": x, "x0": start, "x1": end,
        "y": rows + _stack_offsets(codes, np.where(fuzzy, start, x), np.where(fuzzy | (end - start > MS_PER_DAY), end, x)),
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
            marker={"color": category.color, "size": 9, "symbol": symbol, "line": {"color": edge_color(category.color), "width": 2}},
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
    """Axes, lane labels and bands for the lanes given (the ones with events), top lane first."""
    n = len(categories)
    _base_layout(fig, height=TIMELINE_HEIGHT, uirevision="timeline")
    fig.update_layout(
        hovermode="closest", dragmode="zoom", margin={"l": 8, "r": 12, "t": TOP_PX, "b": 8}, showlegend=True,
        # the style key under the plot, clear of two-line date labels: above it, plotly's modebar would cover its last items
        legend2={**LEGEND_BELOW, "y": -0.17, "font": {"size": 10, "color": MUTED}, "itemwidth": 30,
                 "itemclick": False, "itemdoubleclick": False},
        # light bands on alternate lanes so the eye can follow a lane across the year
        shapes=[{"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": i - 0.5, "y1": i + 0.5,
                 "fillcolor": "#f4f5f7", "line": {"width": 0}, "layer": "below"} for i in range(0, n, 2)],
    )
    fig.update_xaxes(type="date", showgrid=True, gridcolor="#e3e3e3", ticks="outside", automargin=True,
                     **DATE_TICKS, **_min_span(np.concatenate([frame["x0"], frame["x1"]])))
    # two-line labels ('Reconstruction<br>and demining') leave room for the dates on a phone
    fig.update_yaxes(tickmode="array", tickvals=list(range(n)), ticktext=[_wrap_label(c.label) for c in categories],
                     range=[max(n, 1) - 0.5, -0.5], fixedrange=True, showgrid=False, zeroline=False, automargin=True,
                     tickfont={"size": 12})


# Above this many events the timeline draws counts per lane and period instead of single events: the
# payload and the build stay small at any N (~100-200 bars per lane), and zooming in (which the dashboard
# turns into a date filter) redraws single events once fewer than this many are in view.
TIMELINE_HEIGHT = 520  # with the captions' band above the lanes
TOP_PX = 28  # room above the plot for plotly's toolbar (modebar)
NOTE_PX = 18  # a one-line note above the plot (the aggregate view's)
DETAIL_LIMIT = 3000
MAX_BINS = 200  # the aggregate view takes the shortest period that gives at most this many bins
BIN_UNITS = (("day", 1.0), ("week", 7.0), ("month", 30.44), ("quarter", 91.31), ("year", 365.25))
AGG_BAR_HEIGHT = 0.84  # the tallest bar fills this share of its lane
AGG_MIN_HEIGHT = 0.08  # a bin with a single event still shows


def _bin_unit(x_ms: np.ndarray) -> str:
    """'day', 'week', 'month', 'quarter' or 'year': the shortest giving at most MAX_BINS bins over the data."""
    days = (x_ms.max() - x_ms.min()) / MS_PER_DAY if len(x_ms) else 0.0
    return next((unit for unit, length in BIN_UNITS if days / length < MAX_BINS - 1), "year")


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


def _aggregate_traces(counts: pd.DataFrame, categories: tuple[Category, ...], row_of: dict[int, int]) -> list[go.Bar]:
    """Per lane, one bar per period, growing up from the lane's floor (the tallest bin of all lanes fills
    AGG_BAR_HEIGHT of a lane); ``row_of`` maps a lane code to its row. ``customdata`` is '' on every bar:
    they are not events."""
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
            x=(lo + hi) / 2, y=-height, base=row_of.get(code, 0) + AGG_BAR_HEIGHT / 2 + 0.01, width=(hi - lo) * 0.9,
            name=category.label, uid=f"{category.value}-counts", legendgroup=category.value, showlegend=False,
            customdata=np.full(len(rows), "", dtype=object), hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
            marker={"color": category.color, "line": {"width": 0}},
        ))
    return traces


def _aggregate_timeline(events: pd.DataFrame, selected: str | None) -> go.Figure:
    """The timeline above DETAIL_LIMIT events: counts per lane and period, the selected event's ring and
    the captions of the most important key events."""
    categories = load_schema().categories
    counts = timeline_counts(events)
    unit = counts.attrs["unit"]
    present = np.unique(counts["code"]).tolist()  # the lanes with events
    row_of = {code: row for row, code in enumerate(present)}

    def rows(few: pd.DataFrame) -> np.ndarray:  # lane rows of a few events (codes of all of them cost time)
        return np.array([row_of.get(code, 0) for code in _category_codes(few).tolist()], dtype="float64")

    fig = go.Figure(_aggregate_traces(counts, categories, row_of))
    ends = pd.DataFrame({"x0": _epoch_ms(events["start"]), "x1": _epoch_ms(events["end"])})
    if selected:
        hit = events[events["id"] == selected]
        if len(hit):
            ring = pd.DataFrame({"id": hit["id"].to_numpy(dtype=object), "x": _timeline_frame_x(hit), "y": rows(hit)})
            fig.add_traces(_selection_trace(ring, selected, go.Scatter))
    _timeline_layout(fig, _lanes(present), ends)
    fig.update_layout(barmode="overlay", bargap=0, showlegend=False)
    fig.add_annotation(text=f"{len(events):,} events: showing counts per {unit}; zoom in or filter to see single events",
                       xref="paper", yref="paper", x=0, y=1, xanchor="left", yanchor="bottom", showarrow=False,
                       font={"size": 11, "color": MUTED})
    if "label" in events:
        key = events[events["label"].to_numpy(dtype=object) != ""]
        # leader lines end on the lane's floor, where its bars stand
        _add_captions(fig, key_events(key, _timeline_frame_x(key), rows(key) + AGG_BAR_HEIGHT / 2), ends, note=True)
    return fig


def _add_captions(fig: go.Figure, items: pd.DataFrame, frame: pd.DataFrame, *, note: bool = False) -> None:
    """The key events' captions in a band above the plot (set once, with the placement data for
    assets/captions.js); the band's room is added to the top margin."""
    base = BASE_PX + (NOTE_PX if note else 0)
    top = TOP_PX + base + BAND_PX
    annotations, meta = caption_layout(items, x_range=nominal_range(frame["x0"].to_numpy(), frame["x1"].to_numpy()),
                                       lanes=len(fig.layout.yaxis.tickvals or ()), height=TIMELINE_HEIGHT, top=top, base=base)
    if annotations:
        meta["annotation0"] = len(fig.layout.annotations)
        # plain assignments: update_layout walks its paths and costs about 3 times as much here
        fig.layout.annotations = (*fig.layout.annotations, *annotations)
        fig.layout.template.layout.annotationdefaults = CAPTION_STYLE
        fig.layout.meta = {"captions": meta}
        fig.layout.margin.t = top


def _timeline_frame_x(events: pd.DataFrame) -> np.ndarray:
    """The marker position of each event (as in _timeline_frame), without the rest of the frame."""
    start, end = _epoch_ms(events["start"]), _epoch_ms(events["end"])
    return np.where(_fuzzy(events), (start + end) / 2, start)


def timeline_figure(events: pd.DataFrame, *, selected: str | None = None) -> go.Figure:
    """Events in one lane per category (schema order, top lane first) along a date axis.

    Filled circle: an exact day; thick line: a span of days; translucent band with an open circle in its
    middle: known only to the month or year; diamond: the date is inferred. ``customdata`` is the event id.
    Above DETAIL_LIMIT events: bars of events per lane and period instead (``timeline_counts``). Either way
    key events (with a label) are captioned above the lanes (``figures.captions``).
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
    _timeline_layout(fig, _lanes(_lane_rows(frame["code"].to_numpy())[1]), frame)
    if frame.empty:
        _annotate_empty(fig, NO_EVENTS)
    _add_captions(fig, key_events(events, frame["x"].to_numpy(), frame["y"].to_numpy()), frame)
    return fig
