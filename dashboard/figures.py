"""Plotly figures of the events: pure functions of an events frame (any filtered subset, even empty).

No I/O and no Dash here: the app, the HTML export and the tests call the same builders.
Rules every builder keeps:

* Colours, lane order and labels come from the schema, so filtering never moves or recolours a category.
* Every text that comes from the CSV is passed through ``html.escape`` before it reaches hover text or
  labels, because plotly renders a pseudo-HTML subset there (<a>, <b>, <br>); ``<br>`` and ``<b>`` in
  the output are only ever ours.
* Per-event work is vectorised (numpy/pandas), and per-event traces are WebGL (``Scattergl``) with
  numeric arrays (dates as epoch milliseconds), so 100,000 events still build and draw quickly.
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

# Marker symbols: filled = exact day, open = the date is only known to the month or year, diamond = the
# date is inferred or approximate. One trace per symbol rather than a per-point symbol array: plotly
# validates such arrays string by string (seconds at 100k points), and WebGL ignores numeric open codes.
CIRCLE, CIRCLE_OPEN, DIAMOND, DIAMOND_OPEN = "circle", "circle-open", "diamond", "diamond-open"
EVENT_SYMBOLS = (CIRCLE, CIRCLE_OPEN, DIAMOND, DIAMOND_OPEN)

# Claimant colours: Okabe–Ito then Paul Tol's muted set, both designed to stay distinct for colour-blind readers.
CLAIMANT_PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000",
    "#332288", "#117733", "#882255", "#999933", "#44AA99", "#AA4499", "#DDCC77", "#661100", "#6699CC",
)
QUALIFIER_SYMBOLS = {
    "more than": "triangle-up", "at least": "triangle-up",
    "up to": "triangle-down", "fewer than": "triangle-down", "at most": "triangle-down",
    "about": "circle-open", "": "circle",
}
LOG_TICKS = [m * 10**e for e in range(8) for m in (1, 2, 5)]  # 1, 2, 5, 10, ... instead of plotly's 2-9 minor digits
CLAIM_GROUPS = (("personnel", "Troops and workers sent (reported)"), ("casualties", "Casualties (reported)"))


# ---------------------------------------------------------------- shared helpers


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


def _annotate_empty(fig: go.Figure, text: str) -> None:
    fig.update_xaxes(showticklabels=False)  # an empty date axis would otherwise show the year 2000
    fig.add_annotation(text=text, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                       font={"size": 16, "color": MUTED})


def _base_layout(fig: go.Figure, *, height: int, uirevision: str) -> None:
    fig.update_layout(template=TEMPLATE, font=FONT, height=height, uirevision=uirevision,
                      hoverlabel={"align": "left", "namelength": 0}, paper_bgcolor="white")


# ---------------------------------------------------------------- timeline


def _stack_offsets(codes: np.ndarray, x_ms: np.ndarray) -> np.ndarray:
    """Deterministic vertical offsets so events of one lane on one day sit side by side, not on top."""
    keys = pd.DataFrame({"lane": codes, "day": np.floor_divide(np.nan_to_num(x_ms), MS_PER_DAY)})
    grouped = keys.groupby(["lane", "day"], sort=False)["lane"]
    rank = grouped.cumcount().to_numpy(dtype="float64")
    size = grouped.transform("size").to_numpy(dtype="float64")
    step = np.minimum(0.2, 0.6 / np.maximum(size - 1, 1))  # the whole stack stays inside ±0.3 of the lane
    return (rank - (size - 1) / 2) * step


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


def _timeline_frame(events: pd.DataFrame) -> pd.DataFrame:
    """One row per event with everything the lanes need, as numeric columns (vectorised)."""
    start, end = _epoch_ms(events["start"]), _epoch_ms(events["end"])
    end_precision = events["end_precision"].astype(object).to_numpy() if "end_precision" in events else None
    # Known only to the month/year at either end: draw the whole period, never a made-up day.
    fuzzy = events["precision"].astype(object).to_numpy() != "day"
    if end_precision is not None:
        fuzzy |= np.isin(end_precision, ["month", "year"])
    inferred = events["date_certainty"].astype(object).to_numpy() != "exact"
    codes = _category_codes(events)
    x = np.where(fuzzy, (start + end) / 2, start)
    return pd.DataFrame({
        "id": events["id"].to_numpy(dtype=object), "code": codes, "x": x, "x0": start, "x1": end,
        "y": codes + _stack_offsets(codes, x), "fuzzy": fuzzy,
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


def _lane_traces(rows: pd.DataFrame, category: Category) -> list[go.Scattergl | go.Scatter]:
    """A lane: translucent bands for month/year periods, thick lines for day spans, the markers, a legend key."""
    group = {"legendgroup": category.value, "showlegend": False}
    px, py = _segments(rows[rows["fuzzy"]])
    sx, sy = _segments(rows[rows["span"]])
    # uid: a fixed identity per trace, so legend toggles survive filtering (uirevision)
    return [
        go.Scattergl(x=px, y=py, name=f"{category.label}: periods", uid=f"{category.value}-periods", mode="lines",
                     hoverinfo="skip", line={"color": _rgba(category.color, 0.35), "width": 12}, **group),
        go.Scattergl(x=sx, y=sy, name=f"{category.label}: spans", uid=f"{category.value}-spans", mode="lines",
                     hoverinfo="skip", line={"color": category.color, "width": 5}, **group),
        *(go.Scattergl(
            x=part["x"].to_numpy(), y=part["y"].to_numpy(), mode="markers", name=category.label,
            uid=f"{category.value}-{symbol}", customdata=part["id"].to_numpy(), hovertext=part["hover"].to_numpy(),
            hovertemplate="%{hovertext}<extra></extra>", **group,
            marker={"color": category.color, "size": 10, "symbol": symbol, "line": {"color": category.color, "width": 2}},
        ) for symbol in EVENT_SYMBOLS for part in (rows[rows["symbol"] == symbol],)),
        # A separate legend entry: it keeps a filled circle whatever the first event's symbol is, and it
        # stays listed when the lane is empty (plotly leaves traces without points out of the legend).
        # Clicking it toggles the whole lane (legendgroup).
        go.Scatter(x=[None], y=[None], mode="markers", name=category.label, legendgroup=category.value,
                   uid=f"{category.value}-key", marker={"color": category.color, "size": 10}, hoverinfo="skip"),
    ]


def _style_key_traces() -> list[go.Scatter]:
    """Legend-only entries (second legend) that explain the marker styles; they hold no data."""
    grey = "#666666"
    key = {"x": [None], "y": [None], "legend": "legend2", "hoverinfo": "skip"}
    return [
        go.Scatter(name="Exact day", mode="markers", marker={"color": grey, "size": 9}, **key),
        go.Scatter(name="Span of days", mode="lines+markers", marker={"color": grey, "size": 9},
                   line={"color": grey, "width": 5}, **key),
        go.Scatter(name="Month or year only", mode="lines+markers", line={"color": "rgba(102,102,102,0.3)", "width": 10},
                   marker={"color": grey, "size": 9, "symbol": "circle-open", "line": {"width": 2}}, **key),
        go.Scatter(name="Date inferred", mode="markers", marker={"color": grey, "size": 9, "symbol": "diamond"}, **key),
    ]


def _selection_trace(frame: pd.DataFrame, selected: str | None) -> list[go.Scattergl]:
    """A ring around the selected event (nothing when it is not in this view)."""
    hit = frame[frame["id"] == selected] if selected else frame.iloc[:0]
    if hit.empty:
        return []
    return [go.Scattergl(
        x=hit["x"].to_numpy(), y=hit["y"].to_numpy(), mode="markers", name="Selected", showlegend=False,
        customdata=hit["id"].to_numpy(), hoverinfo="skip",
        marker={"symbol": CIRCLE_OPEN, "size": 22, "color": "#111111", "line": {"color": "#111111", "width": 3}},
    )]


def _timeline_layout(fig: go.Figure, categories: tuple[Category, ...]) -> None:
    n = len(categories)
    _base_layout(fig, height=420, uirevision="timeline")
    fig.update_layout(
        hovermode="closest", dragmode="zoom", margin={"l": 10, "r": 10, "t": 36, "b": 10},
        legend={"title": {"text": "Category"}, "tracegroupgap": 2, "font": {"size": 12}},
        legend2={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.01, "yanchor": "bottom",
                 "font": {"size": 11, "color": MUTED}, "itemclick": False, "itemdoubleclick": False},
        # light bands on alternate lanes so the eye can follow a lane across the year
        shapes=[{"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": i - 0.5, "y1": i + 0.5,
                 "fillcolor": "#f4f5f7", "line": {"width": 0}, "layer": "below"} for i in range(0, n, 2)],
    )
    fig.update_xaxes(type="date", showgrid=True, gridcolor="#e3e3e3", ticks="outside", automargin=True)
    fig.update_yaxes(tickmode="array", tickvals=list(range(n)), ticktext=[c.label for c in categories],
                     range=[n - 0.5, -0.5], fixedrange=True, showgrid=False, zeroline=False, automargin=True)


def timeline_figure(events: pd.DataFrame, *, selected: str | None = None) -> go.Figure:
    """Events in one lane per category (schema order, top lane first) along a date axis.

    Filled circle: an exact day; thick line: a span of days; translucent band with an open circle in its
    middle: known only to the month or year; diamond: the date is inferred. ``customdata`` is the event id.
    """
    categories = load_schema().categories
    frame = _timeline_frame(events)
    fig = go.Figure()
    for code, category in enumerate(categories):
        fig.add_traces(_lane_traces(frame[frame["code"] == code], category))
    fig.add_traces(_style_key_traces())
    fig.add_traces(_selection_trace(frame, selected))
    _timeline_layout(fig, categories)
    if frame.empty:
        _annotate_empty(fig, NO_EVENTS)
    return fig


# ---------------------------------------------------------------- map

MAP_LON, MAP_LAT = (20, 145), (20, 65)
MAP_LABELS = 6  # name at most this many of the busiest places on the map itself; the rest on hover


def _places(events: pd.DataFrame) -> pd.DataFrame:
    """Events per located place, biggest first, with hover text listing up to five escaped titles."""
    located = events.dropna(subset=["latitude", "longitude"])
    keys = ["place", "latitude", "longitude"]
    counts = located.groupby(keys, sort=False).size().rename("count")
    firsts = located[keys + ["title"]].groupby(keys, sort=False).head(5)
    firsts = firsts.assign(title="• " + _escape(firsts["title"], wrap=60))
    titles = firsts.groupby(keys, sort=False)["title"].agg("<br>".join)
    places = pd.concat([counts, titles], axis=1).reset_index()
    more = places["count"] - 5
    places["hover"] = ("<b>" + _escape(places["place"]) + "</b><br>"
                       + places["count"].astype(str) + np.where(places["count"] == 1, " event", " events") + "<br>"
                       + places["title"] + np.where(more > 0, "<br>… and " + more.astype(str) + " more", ""))
    # big bubbles first so small ones are drawn on top and stay clickable
    return places.sort_values(["count", "place"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _map_labels(places: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Short escaped names ('Kursk Oblast') for the busiest places, placed away from the map's edge."""
    short = places["place"].str.split(",").str[0].str.replace(r"\s*\(.*?\)", "", regex=True).str.strip()
    busy = (places.index < MAP_LABELS) & (places["count"] >= 0.1 * places["count"].max())
    text = np.where(busy, _escape(short), "")
    return text, np.where(places["longitude"] > 140, "middle left", "middle right")


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
    size = 8 + 30 * np.sqrt(places["count"] / max(places["count"].max(), 1)) if len(places) else []
    text, position = _map_labels(places)
    fig = go.Figure(go.Scattergeo(
        lon=places["longitude"], lat=places["latitude"], mode="markers+text", name="Places",
        text=text, textposition=position, textfont={"size": 12, "color": "#333333"},
        customdata=places["place"], hovertext=places["hover"], hovertemplate="%{hovertext}<extra></extra>",
        marker={"size": size, "color": "rgba(70,85,105,0.55)", "line": {"color": "white", "width": 1}},
    ))
    _base_layout(fig, height=420, uirevision="map")
    fig.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 0}, showlegend=False, hovermode="closest")
    fig.update_geos(
        projection_type="natural earth", resolution=110, lonaxis_range=list(MAP_LON), lataxis_range=list(MAP_LAT),
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
    fig = go.Figure([
        go.Bar(x=x, y=_nonzero(counts[code]), name=category.label, marker_color=category.color,
               xperiod="M1", xperiodalignment="middle", legendgroup=category.value,
               hovertemplate=f"{_esc(category.label)}: %{{y}}<extra></extra>")
        for code, category in enumerate(categories)
    ])
    _base_layout(fig, height=300, uirevision="monthly")
    fig.update_layout(
        barmode="stack", bargap=0.12, dragmode="select", selectdirection="h", hovermode="x unified",
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"font": {"size": 11}, "tracegroupgap": 0},
    )
    fig.update_xaxes(type="date", hoverformat="%B %Y", ticks="outside", automargin=True)
    fig.update_yaxes(title_text="Events per month", rangemode="tozero", automargin=True)
    if not len(events):
        _annotate_empty(fig, NO_EVENTS)
    return fig


# ---------------------------------------------------------------- reported figures (claims)


def claimant_color_map(claimants: Iterable[str]) -> dict[str, str]:
    """Claimant -> colour, assigned in sorted name order so the same set always gets the same colours."""
    names = sorted({str(c) for c in claimants})
    return {name: CLAIMANT_PALETTE[i % len(CLAIMANT_PALETTE)] for i, name in enumerate(names)}


def chart_claimants(events: pd.DataFrame) -> list[str]:
    """Sorted claimants of the troop and casualty figures: pass the full dataset's to claims_figure to pin colours."""
    return sorted(set(_claims_frame(events)["claimant"]))


def _figure_texts(claims: pd.DataFrame) -> np.ndarray:
    """figure_text of each claim, computed once per distinct (qualifier, value, high, unit)."""
    cols = ["qualifier", "value", "high", "unit"]
    codes = claims.groupby(cols, sort=False, dropna=False).ngroup().to_numpy()
    firsts = claims[cols].drop_duplicates()
    texts = [figure_text({"qualifier": q, "value": v, "high": None if pd.isna(h) else h, "unit": u})
             for q, v, h, u in firsts.itertuples(index=False)]
    return np.array(texts + [""], dtype=object)[codes]


def _claims_frame(events: pd.DataFrame) -> pd.DataFrame:
    """One row per personnel/casualty figure: where to plot it (claim date, value) and its hover text."""
    units = load_schema().units
    flat = events[["id", "date", "title", "figures"]].explode("figures").dropna(subset=["figures"])
    claims = pd.DataFrame.from_records(flat["figures"].tolist(),
                                       columns=["qualifier", "value", "high", "unit", "claimant", "date", "note"])
    claims = claims.assign(id=flat["id"].to_numpy(), event_date=flat["date"].to_numpy(), title=flat["title"].to_numpy())
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
    notes = _escape(claims["note"])
    claims["hover"] = ("<b>" + _escape(_figure_texts(claims)) + "</b><br>" + _escape(claims["claimant"]) + " · "
                       + _escape(date_labels(pd.DataFrame({"date": claim_date}))) + "<br>"
                       + _escape(claims["title"], wrap=60) + np.where(notes != "", "<br><i>" + notes.astype(str) + "</i>", ""))
    return claims


def _side_by_side(claims: pd.DataFrame) -> pd.Series:
    """Shift conflicting claims of one day (different claimants) a few days apart so all stay visible."""
    day = claims["x"].dt.floor("D")
    grouped = claims.assign(day=day).groupby(["group", "day"])["claimant"]
    rank = grouped.rank(method="dense") - 1
    n = grouped.transform("nunique")
    return claims["x"] + pd.to_timedelta((rank - (n - 1) / 2) * 5, unit="D")


def _claim_trace(rows: pd.DataFrame, claimant: str, color: str, symbol: str) -> go.Scattergl:
    high = rows["high"].to_numpy()
    return go.Scattergl(
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
    """Legend entries, A–Z, a filled dot each (the qualifier symbols are explained in the second legend)."""
    return [go.Scatter(x=[None], y=[None], mode="markers", name=_esc(name), legendgroup=_esc(name),
                       marker={"color": colors[name], "size": 10}, hoverinfo="skip")
            for name in sorted(set(claimants))]


def _qualifier_key_traces() -> list[go.Scatter]:
    key = {"x": [None], "y": [None], "legend": "legend2", "hoverinfo": "skip", "mode": "markers"}
    grey = {"color": "#666666", "size": 10, "line": {"color": "#666666", "width": 2}}
    return [go.Scatter(name=name, marker={**grey, "symbol": symbol}, **key) for name, symbol in (
        ("exact", "circle"), ("about", "circle-open"), ("more than / at least", "triangle-up"),
        ("up to / fewer than", "triangle-down"))]


def claims_figure(events: pd.DataFrame, *, claimants: Iterable[str] | None = None) -> go.Figure:
    """Reported troop and casualty numbers over time, one colour per claimant, log scale.

    ``claimants`` (``chart_claimants`` of the full dataset) pins the colour assignment so that filtering
    keeps colours; by default colours follow the claimants charted from ``events``.
    """
    claims = _claims_frame(events)
    if len(claims):
        claims["x_plot"] = _side_by_side(claims)
    claims["symbol"] = claims["qualifier"].map(QUALIFIER_SYMBOLS).fillna("circle")
    colors = claimant_color_map(claims["claimant"])
    if claimants is not None:
        colors |= claimant_color_map(claimants)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1,
                        subplot_titles=[title for _, title in CLAIM_GROUPS])
    for row, (group, _) in enumerate(CLAIM_GROUPS, start=1):
        in_group = claims[claims["group"] == group]
        for (claimant, symbol), rows in in_group.groupby(["claimant", "symbol"], sort=True):
            fig.add_trace(_claim_trace(rows, claimant, colors[claimant], symbol), row=row, col=1)
        if in_group.empty:
            # plotly.js draws no axes for a subplot without traces: keep the panel, say why it is blank
            fig.add_trace(go.Scattergl(x=[], y=[], name="", showlegend=False, hoverinfo="skip"), row=row, col=1)
            fig.add_annotation(text="No figures of this kind match the current filters", row=row, col=1,
                               xref="x domain", yref="y domain", x=0.5, y=0.5, showarrow=False,
                               font={"size": 14, "color": MUTED})
    fig.add_traces(_claimant_key_traces(colors, claims["claimant"]))
    fig.add_traces(_qualifier_key_traces())
    _base_layout(fig, height=560, uirevision="claims")
    fig.update_layout(
        hovermode="closest", dragmode="zoom", margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"title": {"text": "Claimant"}, "font": {"size": 11}, "tracegroupgap": 2},
        legend2={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.06, "yanchor": "bottom",
                 "font": {"size": 11, "color": MUTED}, "itemclick": False, "itemdoubleclick": False},
    )
    fig.update_xaxes(type="date", showgrid=True, gridcolor="#e3e3e3", ticks="outside")
    fig.update_xaxes(showticklabels=not claims.empty, row=2, col=1)  # shared axis: dates under the bottom panel only
    fig.update_yaxes(type="log", title_text="Reported number", tickmode="array", tickvals=LOG_TICKS,
                     ticktext=[f"{v:,}" for v in LOG_TICKS], showgrid=True, gridcolor="#e3e3e3", automargin=True)
    return fig
