"""The reported-figures chart: numbers as claimed, a panel per quantity, each claimant's estimates joined in time."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ...data.dates import parse_partial_dates
from ..labels import date_labels, figure_text
from ...data.registry import Registry, bundled_registry
from ...data.schema import load_schema
from .common import (
    DATE_TICKS, LEGEND_BELOW, MS_PER_DAY, MUTED, base_layout, _bin_label, _bins, _epoch_ms, _esc, _escape,
    _min_span, _overlaps, _xy_trace,
)
from .palette import claimant_color_map, claimant_family, family_order, legend_key, registry_colors

QUALIFIER_SYMBOLS = {
    "more than": "triangle-up", "at least": "triangle-up", "up to more than": "triangle-up",
    "up to": "triangle-down", "fewer than": "triangle-down", "at most": "triangle-down",
    "almost": "triangle-down", "nearly": "triangle-down",
    "about": "circle-open", "": "circle",
}
LOG_TICKS = [m * 10**e for e in range(8) for m in (1, 2, 5)]  # 1, 2, 5, 10, ... instead of plotly's 2-9 minor digits
DECADE_TICKS = [10**e for e in range(8)]  # for a panel whose numbers span more than two decades
LOG_ABOVE = 20  # a panel whose numbers span more than this factor has a log scale (titled so); else linear from 0
# A panel per quantity, in this order; a unit is never drawn on the axis of another kind of unit. The
# schema's personnel units all count people sent; munitions units count different things (a container
# holds thousands of shells), so each has its own panel. Units of the schema's 'other' group (votes,
# hectares, ...) are not estimates of the war and stay off the chart; a unit with no panel here (one
# added to the schema later) goes to OTHER, where each claimant's line is per unit and names it.
OTHER = "other"
QUANTITIES = (
    ("sent", "Troops and workers sent"),
    ("killed", "Killed"),
    ("wounded", "Wounded"),
    ("casualties", "Casualties (killed + wounded)"),  # (short enough for a phone)
    ("prisoners", "Taken prisoner"),
    ("containers", "Munitions: containers shipped"),
    ("shells", "Munitions: artillery shells"),
    ("missiles", "Weapons: missiles"),
    (OTHER, "Other figures (unit named on each line)"),
)
QUANTITY_TITLES = dict(QUANTITIES)
PANEL_UNITS = {key: key for key in QUANTITY_TITLES} | {"sent": "troops"}  # the unit a panel's lines name no unit for
CLAIMS_HEIGHT = 980  # fixed (the page reserves it): the panels shown share it, by their number of lines
CLAIMS_LIMIT = 3000  # above this many figures, only the highest per claimant, panel and period is drawn
MAX_CLAIM_TRACES = 60  # (panel, claimant) lines at most; beyond, one trace per panel and symbol, without lines
PANEL_GAP_PX = 34  # between panels: room for the next panel's title
_LABEL_CHAR_PX, _LABEL_LINE_PX, _PLOT_PX = 6.6, 14.0, 820.0  # pixel model of a direct label at 1280 px


def quantity_of(unit: str, units: dict[str, str] | None = None) -> str | None:
    """The panel of a figure's unit (QUANTITIES), or None for a unit kept off the chart (schema group 'other')."""
    units = load_schema().units if units is None else units
    if unit in QUANTITY_TITLES and unit != OTHER:
        return unit
    group = units.get(unit)
    if group == "personnel":
        return "sent"
    return None if group == "other" else OTHER


def chart_claimants(events: pd.DataFrame) -> list[str]:
    """Sorted claimants of the charted figures: pass the full dataset's to claims_figure to pin colours."""
    units = load_schema().units
    charted = {unit for unit in set(units) | set(QUANTITY_TITLES) if quantity_of(unit, units) is not None}
    return sorted({str(f["claimant"]) for figures in events["figures"] if isinstance(figures, (list, tuple))
                   for f in figures if f["unit"] in charted or f["unit"] not in units})


def _figure_texts(claims: pd.DataFrame) -> np.ndarray:
    """figure_text of each claim, computed once per distinct (qualifier, value, high, unit)."""
    cols = ["qualifier", "value", "high", "unit"]
    codes = claims.groupby(cols, sort=False, dropna=False).ngroup().to_numpy()
    firsts = claims[cols].drop_duplicates()
    texts = [figure_text({"qualifier": q, "value": v, "high": None if pd.isna(h) else h, "unit": u})
             for q, v, h, u in firsts.itertuples(index=False)]
    return np.array(texts + [""], dtype=object)[codes]


def _claims_frame(events: pd.DataFrame) -> pd.DataFrame:
    """One row per charted figure: its panel (``group``, a QUANTITIES key), where to plot it (claim date,
    value) and ``line`` (the claimant's line it belongs to); hover by ``_claim_hover``."""
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
    kinds = claims["unit"].drop_duplicates()
    claims["group"] = claims["unit"].map(dict(zip(kinds, (quantity_of(u, units) for u in kinds))))
    claims = claims[claims["group"].notna()].reset_index(drop=True)
    # a claimant's successive estimates of one unit form its line: 'NIS' for its panel's own unit (troops
    # for the people sent), 'NIS (builders)' for another (never a step from 11,000 troops to 1,000 builders)
    claims["line"] = claims["claimant"]
    other = (claims["unit"] != claims["group"].map(PANEL_UNITS)).to_numpy()
    if other.any():
        claims.loc[other, "line"] = claims.loc[other, "claimant"] + " (" + claims.loc[other, "unit"].astype(str) + ")"
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


ALSO_CITED = 3  # events named in the hover of a claim that several events cite, besides the first


def _merge_repeated(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per claim: figures of several events with the same claim date, claimant, unit and amount are
    one claim cited again (``validate`` makes a repeated figure carry the date it was first made), drawn
    once. The row kept is the first event's (``events`` is in time order: the earliest), so a click opens
    it; ``also`` (escaped hover text) names the other events that cite it."""
    keys = [claims["claim_date"], claims["claimant"], claims["unit"], claims["value"], claims["high"].fillna(-1.0)]
    codes = pd.MultiIndex.from_arrays(keys).factorize()[0] if len(claims) else np.zeros(0, dtype=np.int64)
    repeat = pd.Series(codes).duplicated().to_numpy()
    if not repeat.any():
        return claims.assign(also="")
    others = claims[repeat].assign(code=codes[repeat])
    lines = ("<br>· " + _escape(others["title"], wrap=60) + " ("
             + _escape(date_labels(pd.DataFrame({"date": others["event_date"]}))) + ")")
    also = {}
    for code, group in pd.Series(lines, index=others["code"].to_numpy()).groupby(level=0):
        shown = "".join(group.iloc[:ALSO_CITED])
        more = len(group) - ALSO_CITED
        also[code] = "<br>Also cited in:" + shown + (f"<br>· and {more} more" if more > 0 else "")
    kept = claims[~repeat].copy()
    kept["also"] = pd.Series(codes[~repeat]).map(also).fillna("").to_numpy(dtype=object)
    return kept.reset_index(drop=True)


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
    also = claims["also"].to_numpy(dtype=object) if "also" in claims else ""
    return (head + "<br>" + _escape(claims["title"], wrap=60) + np.where(notes != "", "<br><i>" + notes.astype(str) + "</i>", "")
            + also)


def _thin_claims(claims: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Above CLAIMS_LIMIT figures: the highest figure per (panel, claimant, period), the shortest period of
    month / quarter / year that keeps at most CLAIMS_LIMIT (then the most cited of those), with ``more``
    = how many other figures it stands for. Deterministic (ties: the latest, then the first)."""
    x = np.nan_to_num(_epoch_ms(claims["x"]), nan=0.0)
    # integer keys (a MultiIndex of tuples costs ~100 ms at 20k claims)
    group, claimant = pd.factorize(claims["group"])[0], pd.factorize(claims["line"])[0]
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


def _error_bars(rows: pd.DataFrame, color: str, *, compact: bool = False) -> dict:
    """A range ('1,000–3,000') is drawn as a bar from its low end, where the point sits, up to its high end.
    ``compact``: the arrays as their smallest exact typed arrays (see _exact_small)."""
    high = rows["high"].to_numpy(dtype="float64")
    up, down = np.nan_to_num(high - rows["value"].to_numpy(dtype="float64")), np.zeros(len(rows))
    if compact:
        up, down = _exact_small(up), down.astype(np.uint8)
    return {"type": "data", "symmetric": False, "array": up, "arrayminus": down, "color": color, "thickness": 1.5,
            "width": 4, "visible": bool(np.isfinite(high).any())}


def _claimant_line(rows: pd.DataFrame, line: str, color: str, label: str, gl: bool) -> dict:
    """One claimant's estimates of one quantity in time order: a step line (an estimate holds until the
    claimant gives the next), a symbol per point for its qualifier, the line named at the latest point
    ('NIS', 'NIS (builders)'); the trace's name is the claimant's."""
    claimant = rows["claimant"].iat[0]
    text = np.full(len(rows), "", dtype=object)
    text[-1] = _esc(line)
    return {
        "type": "scattergl" if gl else "scatter", "x": _epoch_ms(rows["x_plot"]), "y": rows["value"].to_numpy(dtype="float64"), "mode": "lines+markers+text",
        "name": _esc(claimant), "legendgroup": _esc(claimant), "showlegend": False, "cliponaxis": False,
        "line": {"shape": "hv", "color": color, "width": 1.5},
        "text": text, "textposition": label, "textfont": {"color": color, "size": 11},
        "customdata": rows["id"].to_numpy(dtype=object), "hovertext": rows["hover"].to_numpy(dtype=object),
        "hovertemplate": "%{hovertext}<extra></extra>",
        "marker": {"color": color, "size": 10, "symbol": rows["symbol"].to_numpy(dtype=object),
                   "line": {"color": color, "width": 2}},
        "error_y": _error_bars(rows, color),
    }


def _label_box(x: float, y: float, width: float, position: str) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) in px (y up) of a label of ``width`` px at plotly's textposition next to a point."""
    vertical, horizontal = position.split()
    x0 = x + 6 if horizontal == "right" else x - 6 - width
    yc = y + {"top": _LABEL_LINE_PX, "middle": 0.0, "bottom": -_LABEL_LINE_PX}[vertical]
    return x0, yc - _LABEL_LINE_PX / 2, x0 + width, yc + _LABEL_LINE_PX / 2


def _label_positions(ends: pd.DataFrame, points: pd.DataFrame, x_span: tuple[float, float], log: bool,
                     height_px: float) -> list[str]:
    """plotly textposition of each line's label at its latest point (``ends``: x in ms, value, line, level;
    ``points``: x_plot and value of every point of the panel).

    A pixel model of the panel: a label goes right of its point where it fits inside the plot, else left
    (above the point first when the line comes in level, so the label does not sit on its own line); then
    the other vertical places, the first that touches no label placed before and no point. Never dropped:
    if every place touches, the first choice is kept. Deterministic."""
    lo, hi = x_span
    lo, hi = lo - (hi - lo) * 0.05, hi + (hi - lo) * 0.05  # plotly's autorange pads the markers
    values = points["value"].to_numpy(dtype="float64")
    if log:
        scale = lambda v: np.log10(np.clip(v, 1e-9, None))  # noqa: E731
        bottom, top = (scale(values).min(), scale(values).max()) if len(values) else (0.0, 1.0)
    else:
        scale = lambda v: v  # noqa: E731
        bottom, top = 0.0, max(values.max(initial=0.0), 1.0)

    def px(x, v) -> tuple[np.ndarray, np.ndarray]:
        return ((np.asarray(x, dtype="float64") - lo) / ((hi - lo) or 1.0) * _PLOT_PX,
                (scale(np.asarray(v, dtype="float64")) - bottom) / ((top - bottom) or 1.0) * height_px * 0.8 + height_px * 0.1)

    xs, ys = px(ends["x"], ends["value"])
    marks = [(x - 5, y - 5, x + 5, y + 5) for x, y in zip(*px(_epoch_ms(points["x_plot"]), values))]
    placed: list[tuple[float, float, float, float]] = []
    out = []
    for x, y, name, level in zip(xs, ys, ends["line"], ends["level"]):
        width = len(name) * _LABEL_CHAR_PX
        right = ("middle right", "top right", "bottom right")
        left = ("top left", "bottom left", "middle left") if level else ("middle left", "top left", "bottom left")
        sides = right + left if x + 8 + width <= _PLOT_PX else left + right

        def cost(position: str) -> tuple[int, int]:
            box = _label_box(x, y, width, position)
            outside = box[0] < 0 or box[2] > _PLOT_PX
            return (3 * sum(_overlaps(box, b) for b in placed) + sum(_overlaps(box, m) for m in marks) + 5 * outside,
                    sides.index(position))

        chosen = min(sides, key=cost)
        placed.append(_label_box(x, y, width, chosen))
        out.append(chosen)
    return out


def _qualifier_key_traces() -> list[dict]:
    """The symbol key: the legend under the plot (one above it would wrap under plotly's modebar on a
    phone). A key only: the chart's legend does not toggle traces (claimants are named on the lines)."""
    key = {"x": [None], "y": [None], "hoverinfo": "skip", "mode": "markers"}
    grey = {"color": "#666666", "size": 10, "line": {"color": "#666666", "width": 2}}
    # a legend group each: plotly stacks the entries of one group vertically even in a horizontal legend
    return [{"type": "scatter", "name": name, "legendgroup": f"qualifier-{symbol}", "marker": {**grey, "symbol": symbol}, **key}
            for name, symbol in (
        ("exact", "circle"), ("about", "circle-open"), ("more than / at least", "triangle-up"),
        ("up to / fewer than / almost", "triangle-down"))]


def _exact_small(values: np.ndarray) -> np.ndarray:
    """``values`` as the smallest typed array that holds each of them exactly: whole numbers from 0 as
    uint8/16/32 (plotly.js reads every typed array as plain numbers), else float64 as given. Sent as
    base64, 8-byte floats of small whole numbers are mostly zero bytes that compress badly."""
    values = np.asarray(values, dtype="float64")
    if len(values) and np.isfinite(values).all() and (values >= 0).all() and (values == np.round(values)).all():
        for dtype in (np.uint8, np.uint16, np.uint32):
            if values.max() <= np.iinfo(dtype).max:
                return values.astype(dtype)
    return values


def _date_strings(times: pd.Series) -> np.ndarray:
    """Datetimes as the shortest text plotly reads as the same instant on a date axis ('2025-01-06',
    '2025-01-06 12:00', to the millisecond if need be). A column of nearby dates in time order shares
    most of its characters, so it compresses to about half of the same dates as 8-byte numbers."""
    ms = times.to_numpy(dtype="datetime64[ms]")
    stamps = pd.DatetimeIndex(ms)
    out = np.asarray(stamps.strftime("%Y-%m-%d %H:%M:%S.%f").str[:-3], dtype=object)  # to the millisecond
    whole_minute = (ms.view("int64") % 60_000) == 0
    out[whole_minute] = np.asarray(stamps[whole_minute].strftime("%Y-%m-%d %H:%M"), dtype=object)
    whole_day = (ms.view("int64") % MS_PER_DAY) == 0
    out[whole_day] = np.asarray(stamps[whole_day].strftime("%Y-%m-%d"), dtype=object)
    out[np.isnat(ms)] = None  # no date: not drawn, as NaN milliseconds
    return out


def _symbol_trace(rows: pd.DataFrame, colors: dict[str, str], gl: bool) -> dict:
    """All claims of one panel in one trace, a symbol per point, coloured per point by claimant (many claimants).

    This is the chart of a big dataset (thousands of points), so its arrays are sent small, drawn and
    hovered as before: colours as one-byte numbers, values as JSON numbers (whole ones without '.0':
    the CSV's short numbers compress to less as text than as base64 floats), dates as text,
    and the hover's figure ('about 9,095 sappers', bold) apart from the rest, its claimant, date and note:
    two columns of like text compress better than one of them interleaved."""
    # colours as numbers on a stepped colour scale: plotly checks an array of colour strings one by one
    palette = sorted(set(colors.values()))
    steps = len(palette)
    scale = [[edge, c] for i, c in enumerate(palette) for edge in (i / steps, (i + 1) / steps)]
    # palette index i at the middle of its step: cmin -0.5 puts i at (i + 0.5) / steps
    index = _exact_small(rows["claimant"].map({name: palette.index(c) for name, c in colors.items()}).to_numpy(dtype="float64"))
    color = {"color": index, "colorscale": scale, "cmin": -0.5, "cmax": steps - 0.5}
    # (_claim_hover: '<b>figure</b><br>claimant · date…'; the figure is escaped, so holds no '</b>')
    parts = rows["hover"].str.removeprefix("<b>").str.split("</b><br>", n=1, regex=False)
    figure, rest = parts.str[0], parts.str[1]
    return {
        "type": "scattergl" if gl else "scatter",
        "x": _date_strings(rows["x_plot"]), "y": _exact_small(rows["value"].to_numpy(dtype="float64")).tolist(), "mode": "markers",
        "name": "claims", "showlegend": False,
        "customdata": rows["id"].to_numpy(dtype=object),
        "text": figure.to_numpy(dtype=object), "hovertext": rest.to_numpy(dtype=object),
        "hovertemplate": "<b>%{text}</b><br>%{hovertext}<extra></extra>",
        "marker": {**color, "showscale": False, "size": 11,
                   # (by name: plotly.js's WebGL traces draw its number for 'circle-open', 100, filled)
                   "symbol": rows["symbol"].to_numpy(dtype=object),
                   "line": {**color, "width": 2}},
        "error_y": _error_bars(rows, "rgba(85,85,85,0.6)", compact=True),
    }


def _family_key_traces(claimants: Iterable[str], colors: dict[str, str], registry: Registry) -> list[dict]:
    """Legend entries per country of the claimants (palette.family_order), in the colour of its first
    claimant in legend order: many claimants."""
    first: dict[str, str] = {}
    for name in sorted(set(claimants), key=lambda name: legend_key(name, registry)):
        first.setdefault(claimant_family(name, registry), colors[name])
    return [{"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": family, "legendgroup": f"family-{family}",
             "marker": {"color": first[family], "size": 10}, "hoverinfo": "skip"}
            for family in family_order(registry) if family in first]


def _panel_axis(values: np.ndarray) -> dict:
    """y-axis settings of one panel: log (titled so) when its numbers span more than LOG_ABOVE, else linear from 0."""
    values = values[np.isfinite(values) & (values > 0)]
    if len(values) and values.max() / values.min() > LOG_ABOVE:
        ticks = DECADE_TICKS if values.max() / values.min() > 100 else LOG_TICKS
        return {"type": "log", "tickmode": "array", "tickvals": ticks, "ticktext": [f"{v:,}" for v in ticks],
                "title": {"text": "log scale", "font": {"size": 10, "color": MUTED}, "standoff": 4}}
    return {"type": "linear", "rangemode": "tozero", "tickformat": ",d", "nticks": 4}


def _panel_heights(lines: list[int], plot_px: float) -> np.ndarray:
    """Pixel height of each panel: a panel with many claimants' lines gets up to three times the room of one."""
    weights = np.clip(np.asarray(lines, dtype="float64") / 4, 1, 3)
    return weights / weights.sum() * (plot_px - PANEL_GAP_PX * (len(lines) - 1))


def _panel_layout(panels: list[tuple[str | None, str]], axes: list[dict], heights: np.ndarray, x_axis: dict,
                  plot_px: float) -> dict:
    """Layout of the stacked panels: one shared date axis (dates under the bottom panel only), a y axis and
    a title at the top left of each panel (built as a dict: plotly's make_subplots and per-axis updates
    cost more than the rest of the chart)."""
    n = len(panels)
    gap = min(0.3, PANEL_GAP_PX / plot_px) if n > 1 else 0.0
    layout: dict = {"annotations": []}
    top = 1.0
    for row, ((_, title), axis, height) in enumerate(zip(panels, axes, heights / plot_px), start=1):
        if row > 1:
            top -= gap
        suffix = "" if row == 1 else str(row)
        layout[f"xaxis{suffix}"] = {**x_axis, "anchor": f"y{suffix}", "domain": [0, 1], "showticklabels": False,
                                    **({"matches": "x"} if row > 1 else {})}
        layout[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "domain": [max(top - height, 0.0), top],
                                    "showgrid": True, "gridcolor": "#e3e3e3", "automargin": True, **axis}
        layout["annotations"].append({"text": _esc(title), "x": 0, "xanchor": "left", "xref": "paper", "y": top,
                                      "yanchor": "bottom", "yref": "paper", "showarrow": False, "font": {"size": 13}})
        top -= height
    layout["xaxis" + ("" if n == 1 else str(n))]["showticklabels"] = True
    return layout


def claims_figure(events: pd.DataFrame, *, claimants: Iterable[str] | None = None,
                  registry: Registry | None = None) -> go.Figure:
    """Reported numbers over time: a panel per quantity (QUANTITIES; panels without figures are left out),
    each claimant's estimates of it joined in time order by a step line named at its latest point.

    Colours come from the actor registry (default: the bundled one; see figures.palette), the same in
    every view. ``claimants`` (``chart_claimants`` of the full dataset) pins the greys of names the
    registry does not know, so that filtering keeps those too. Every point carries its event id in
    ``customdata`` (a click opens the event; the export links points to events the same way).

    Bounded at any N: above CLAIMS_LIMIT figures only the highest per claimant, panel and period is drawn
    (an annotation says so); with more than MAX_CLAIM_TRACES (panel, claimant) lines the points are drawn
    as one trace per panel and symbol with per-point colours and no lines, and the legend names the
    claimants' countries.
    """
    claims = _merge_repeated(_claims_frame(events))
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
    registry = registry or bundled_registry()
    colors = claimant_color_map(claims["claimant"], registry)
    if claimants is not None:
        colors |= claimant_color_map(claimants, registry)
    gl = _xy_trace(len(claims)) is go.Scattergl
    per_line = unit is None and claims.groupby(["group", "line"]).ngroups <= MAX_CLAIM_TRACES
    panels = [(key, title) for key, title in QUANTITIES if (claims["group"] == key).any()] or [(None, "Reported figures")]
    n = len(panels)
    plot_px = CLAIMS_HEIGHT - 130  # less the margins, the dates and the legend
    x_all = _epoch_ms(claims["x_plot"]) if len(claims) else np.zeros(0)
    span = (x_all.min(), x_all.max()) if len(x_all) else (0.0, 1.0)
    in_panels = [claims[claims["group"] == group] if group else claims for group, _ in panels]
    heights = _panel_heights([rows["line"].nunique() for rows in in_panels], plot_px)
    traces, axes = [], []
    for row, (in_group, panel_px) in enumerate(zip(in_panels, heights), start=1):
        axis = _panel_axis(in_group["value"].to_numpy(dtype="float64"))
        axes.append(axis)
        refs = {"xaxis": "x" if row == 1 else f"x{row}", "yaxis": "y" if row == 1 else f"y{row}"}
        if per_line and len(in_group):
            lines = list(in_group.sort_values(["line", "x_plot"], kind="stable").groupby("line", sort=True))
            ends = pd.DataFrame([(rows["x_plot"].iat[-1], rows["value"].iat[-1], line,
                                  len(rows) > 1 and rows["value"].iat[-1] == rows["value"].iat[-2]) for line, rows in lines],
                                columns=["x", "value", "line", "level"])
            ends["x"] = _epoch_ms(ends["x"])
            labels = _label_positions(ends, in_group, span, axis["type"] == "log", panel_px)
            for (line, rows), label in zip(lines, labels):
                traces.append(_claimant_line(rows, line, colors[rows["claimant"].iat[0]], label, gl) | refs)
        elif len(in_group):
            traces.append(_symbol_trace(in_group.sort_values("x_plot", kind="stable"), colors, gl) | refs)
    traces += _qualifier_key_traces()
    drawn = set(claims["claimant"])
    if not per_line and drawn:
        traces += _family_key_traces(drawn, colors, registry)
    x_axis = {"type": "date", "showgrid": True, "gridcolor": "#e3e3e3", "ticks": "outside", "automargin": True,
              **DATE_TICKS, **_min_span(x_all)}
    layout = _panel_layout(panels, axes, heights, x_axis, plot_px)
    if claims.empty:
        # plotly.js draws no axes for a subplot without traces: keep the panel, say why it is blank
        traces.append({"type": "scatter", "x": [], "y": [], "name": "", "showlegend": False, "hoverinfo": "skip"})
        layout["annotations"].append({"text": "No reported figures match the current filters", "xref": "x domain",
                                      "yref": "y domain", "x": 0.5, "y": 0.5, "showarrow": False,
                                      "font": {"size": 14, "color": MUTED}})
        layout["xaxis"]["showticklabels"] = False  # an empty date axis would otherwise show the year 2000
        layout["yaxis"].update(showticklabels=False, showgrid=False)
    if unit is not None:
        # inside the top panel (above it sit the panel title and plotly's modebar), two short lines for a phone
        layout["annotations"].append({
            "text": f"{total:,} figures: the highest per claimant and {unit}<br>filter or narrow the dates to see all",
            "xref": "x domain", "yref": "y domain", "x": 1, "y": 1, "xanchor": "right", "yanchor": "top",
            "showarrow": False, "align": "right", "font": {"size": 11, "color": MUTED}, "bgcolor": "rgba(255,255,255,0.85)"})
    layout.update(
        base_layout(height=CLAIMS_HEIGHT, uirevision="claims"),
        hovermode="closest", dragmode="zoom", margin={"l": 8, "r": 12, "t": 40, "b": 8},
        # only the symbol key (and countries when there are too many claimants to name each): under the plot
        legend={**LEGEND_BELOW, "y": -48 / plot_px, "tracegroupgap": 0, "maxheight": 0.12,
                "itemclick": False, "itemdoubleclick": False},
    )
    # the traces and layout are ours and of known types and properties: built without plotly's validation of
    # every property and array item (which cost more than the rest of the chart; tests validate the result)
    return go.Figure(data=traces, layout=layout, _validate=False)
