"""The monthly chart: stacked bars of events per calendar month and category."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..dates import parse_partial_dates
from ..schema import load_schema
from .common import NO_EVENTS, _annotate_empty, _base_layout, _category_codes, _esc, _min_span


MONTHLY_HEIGHT = 360


def _nonzero(counts: pd.Series) -> list:
    """Counts with 0 as missing: no sliver of a bar, and the month's hover lists only categories that occurred.

    A list with None, which reaches plotly.js as null: in a typed array a missing count would be NaN,
    and plotly.js stacks the bars above a NaN from 0 again, hiding the ones below.
    """
    return [int(n) if n else None for n in counts.to_numpy()]


def _month_ticks(months: int) -> dict:
    """Labels on whole months ('Jan<br>2024', 'Jul<br>2024'), never slanted, at most about 7 (fits 360 px);
    a small tick at every month so each bar still has one."""
    step = next((m for m in (1, 3, 6, 12) if months <= 7 * m), 24)
    return {"tickangle": 0, "dtick": f"M{step}", "tick0": "2000-01-01",
            "tickformat": "%Y" if step >= 12 else "%b<br>%Y",
            "minor": {"dtick": "M1", "ticks": "outside", "ticklen": 3, "showgrid": False}}


def bar_months(fig: go.Figure) -> int:
    """Months per bar of a chart from ``monthly_figure``, read from its bars' period ('M1'): a brush snaps to them."""
    period = next((str(t.xperiod) for t in fig.data if t.xperiod), "M1")
    return int(period[1:]) if period[:1] == "M" and period[1:].isdigit() else 1


def _highlight(fig: go.Figure, x: np.ndarray, date_range: tuple[str, str]) -> None:
    """Bars of the months the date filter touches stay solid, the others dim, behind them a band over the
    range: the whole span stays in view, so a brush can widen the selection again."""
    if not len(x):
        return
    ends = (x.astype("datetime64[M]") + bar_months(fig)).astype("datetime64[ms]")
    bounds = parse_partial_dates(pd.Series(list(date_range), dtype=object))
    lo, hi = bounds["start"].iat[0], bounds["stop"].iat[1]
    lo = max(np.datetime64(lo, "ms"), x[0]) if pd.notna(lo) else x[0]
    hi = min(np.datetime64(hi, "ms"), ends[-1]) if pd.notna(hi) else ends[-1]
    fig.update_traces(selectedpoints=np.flatnonzero((x < hi) & (ends > lo)).tolist(),
                      unselected={"marker": {"opacity": 0.3}})
    if lo < hi:
        fig.add_shape(type="rect", xref="x", yref="paper", x0=str(lo), x1=str(hi), y0=0, y1=1, layer="below",
                      fillcolor="rgba(51, 34, 136, 0.08)", line={"width": 0})
    # a new range clears the box the brush drew, so the band shows the snapped months alone
    fig.update_layout(selectionrevision="|".join(date_range))


def monthly_figure(events: pd.DataFrame, *, date_range: tuple[str, str] = ("", "")) -> go.Figure:
    """Stacked bars of events per calendar month of ``start``; brush horizontally to select months.

    ``date_range`` (the date filter's from and to, partial dates or ''): those months are highlighted.
    """
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
    _base_layout(fig, height=MONTHLY_HEIGHT, uirevision="monthly")
    fig.update_layout(
        barmode="stack", bargap=0.12, dragmode="select", selectdirection="h", hovermode="x unified",
        margin={"l": 8, "r": 12, "t": 30, "b": 8}, showlegend=False,
    )
    fig.update_xaxes(type="date", hoverformat="%B %Y", ticks="outside", automargin=True,
                     **_month_ticks(len(index)), **_min_span(x.astype("float64")))
    highest = int(counts.sum(axis=1).max()) if len(index) else 0
    fig.update_yaxes(title_text="Events per month", rangemode="tozero", automargin=True, tickformat=",d",
                     **({"dtick": 1} if highest <= 10 else {}))
    if any(date_range):
        _highlight(fig, x, date_range)
    if not len(events):
        _annotate_empty(fig, NO_EVENTS)
    return fig
