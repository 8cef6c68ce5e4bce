"""Helpers every chart of the package uses: text escaping, epoch milliseconds, the base layout, date axes
and calendar periods, the SVG/WebGL choice and the schema's category colours and lanes."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import cache

import copy
from functools import cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from ...data.schema import load_schema



def _template() -> go.layout.Template:
    """plotly_white with only what these charts use: its layout without 3-D, polar, ternary and
    colour-scale defaults, and trace defaults of the four trace types drawn. Setting the whole
    template (defaults for ~40 trace types) cost ~50 ms per figure and ~7 kB in every chart sent."""
    white = pio.templates["plotly_white"].to_plotly_json()
    unused = {"polar", "ternary", "scene", "coloraxis", "colorscale"}
    return go.layout.Template(
        layout={k: v for k, v in white["layout"].items() if k not in unused},
        data={k: v for k, v in white["data"].items() if k in TRACE_TYPES})


TRACE_TYPES = ("scatter", "scattergl", "bar", "scattergeo")  # every trace type the figures draw
TEMPLATE = _template()
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

# As plotly.express's render_mode="auto": SVG draws a few hundred points sooner than WebGL, whose
# start-up alone (a context, compiled shaders) costs ~0.3 s with software rendering; WebGL draws
# thousands faster.
WEBGL_ABOVE = 1000


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


def _overlaps(a: tuple, b: tuple) -> bool:
    """Whether two (x0, y0, x1, y1) boxes overlap (label placement on the map and the claims chart)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def empty_note(text: str) -> dict:
    """The note in the middle of a chart with nothing to draw."""
    return {"text": text, "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5, "showarrow": False,
            "font": {"size": 16, "color": MUTED}}


def _annotate_empty(fig: go.Figure, text: str) -> None:
    fig.update_xaxes(showticklabels=False)  # an empty date axis would otherwise show the year 2000
    fig.add_annotation(**empty_note(text))


def base_layout(*, height: int, uirevision: str) -> dict:
    """What every chart's layout starts with, as a plain dict (for figures built without validation)."""
    return {"template": copy.deepcopy(_template_dict()), **_layout_defaults(height=height, uirevision=uirevision)}


def _layout_defaults(*, height: int, uirevision: str) -> dict:
    """base_layout without its template."""
    return {"font": dict(FONT), "height": height, "uirevision": uirevision,
            "hoverlabel": {"align": "left", "namelength": 0}, "paper_bgcolor": "white"}


@cache
def _template_dict() -> dict:
    return TEMPLATE.to_plotly_json()


def _base_layout(fig: go.Figure, *, height: int, uirevision: str) -> None:
    # the template as the validated object it is: given as a dict, plotly would validate every property of
    # it again (~50 ms a chart, ~130 ms under load, on every change of the filters)
    fig.layout.template = TEMPLATE
    fig.update_layout(_layout_defaults(height=height, uirevision=uirevision))


# ---------------------------------------------------------------- calendar periods (aggregate timeline, thinned claims)


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
