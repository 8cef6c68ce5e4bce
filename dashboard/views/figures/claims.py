"""The reported-figures chart: troop and casualty numbers as claimed, one colour per claimant, log scale."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ...data.dates import parse_partial_dates
from ..labels import date_labels, figure_text
from ...data.registry import Registry, bundled_registry
from ...data.schema import load_schema
from .common import (
    DATE_TICKS, LEGEND_BELOW, MS_PER_DAY, MUTED, XYTrace, _base_layout, _bin_label, _bins, _epoch_ms, _esc, _escape,
    _min_span, _xy_trace,
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
CLAIM_GROUPS = (("personnel", "Troops and workers sent (reported)"), ("casualties", "Casualties (reported)"))
SYMBOL_NAMES = {"circle": "exact", "circle-open": "about", "triangle-up": "more than / at least",
                "triangle-down": "up to / fewer than / almost"}
CLAIMS_HEIGHT = 560
CLAIMS_LIMIT = 3000  # above this many figures, only the highest per claimant, panel and period is drawn
MAX_CLAIM_TRACES = 48  # (panel, claimant, symbol) traces at most; beyond, one trace per panel and symbol
LEGEND_CLAIMANTS = 24  # beyond this many claimants the legend lists their countries


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


def _claimant_key_traces(colors: dict[str, str], claimants: Iterable[str], registry: Registry) -> list[go.Scatter]:
    """Legend entries country by country (palette.family_order), body by body within a country, a filled dot each.

    Each claimant is its own legend group (a click toggles that claimant). No group titles: in a
    horizontal legend that wraps they land between entries and read as claimants.
    """
    names = sorted(set(claimants), key=lambda name: legend_key(name, registry))
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
        ("up to / fewer than / almost", "triangle-down"))]


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


def _family_key_traces(claimants: Iterable[str], colors: dict[str, str], registry: Registry) -> list[go.Scatter]:
    """Legend entries per country of the claimants (palette.family_order), in the colour of its first
    claimant in legend order: many claimants."""
    first: dict[str, str] = {}
    for name in sorted(set(claimants), key=lambda name: legend_key(name, registry)):
        first.setdefault(claimant_family(name, registry), colors[name])
    return [go.Scatter(x=[None], y=[None], mode="markers", name=family, legendgroup=f"family-{family}",
                       marker={"color": first[family], "size": 10}, hoverinfo="skip")
            for family in family_order(registry) if family in first]


def claims_figure(events: pd.DataFrame, *, claimants: Iterable[str] | None = None,
                  registry: Registry | None = None) -> go.Figure:
    """Reported troop and casualty numbers over time, one colour per claimant, log scale.

    Colours come from the actor registry (default: the bundled one; see figures.palette), the same in
    every view. ``claimants`` (``chart_claimants`` of the full dataset) pins the greys of names the
    registry does not know, so that filtering keeps those too.

    Bounded at any N: above CLAIMS_LIMIT figures only the highest per claimant, panel and period is drawn
    (an annotation says so); with more than MAX_CLAIM_TRACES (panel, claimant, symbol) groups the points
    are drawn as one trace per panel and symbol with per-point colours, and with more than LEGEND_CLAIMANTS
    claimants the legend names the families instead of each claimant.
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
        fig.add_traces(_claimant_key_traces(colors, drawn, registry))
    else:
        fig.add_traces(_family_key_traces(drawn, colors, registry))
    if unit is not None:
        # inside the top panel (above it sit the panel title and plotly's modebar), two short lines for a phone
        fig.add_annotation(text=f"{total:,} figures: the highest per claimant and {unit}<br>filter or narrow the dates to see all",
                           xref="x domain", yref="y domain", x=1, y=1, xanchor="right", yanchor="top", showarrow=False,
                           align="right", font={"size": 11, "color": MUTED}, bgcolor="rgba(255,255,255,0.85)", row=1, col=1)
    _base_layout(fig, height=CLAIMS_HEIGHT, uirevision="claims")
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
