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

Modules by chart: ``common`` (escaping, epoch milliseconds, layout and date-axis helpers shared by the
charts), ``timeline`` (with ``captions``, the key events' captions), ``map``, ``monthly``, ``claims``
(reported figures) and ``palette`` (claimant colours from the actor registry). The public builders and
constants are re-exported here.
"""

from __future__ import annotations

from .claims import CLAIMS_HEIGHT, CLAIMS_LIMIT, chart_claimants, claims_figure
from .common import MS_PER_DAY, WEBGL_ABOVE, category_color_map
from .map import MAP_HEIGHT, MAP_LAT, MAP_LON, map_figure
from .monthly import MONTHLY_HEIGHT, monthly_figure, monthly_periods
from .palette import claimant_color_map, claimant_family, family_order, registry_colors
from .timeline import CIRCLE_OPEN, DETAIL_LIMIT, TIMELINE_HEIGHT, DIAMOND, MAX_BINS, timeline_counts, timeline_figure

__all__ = [
    "CIRCLE_OPEN", "CLAIMS_HEIGHT", "CLAIMS_LIMIT", "DETAIL_LIMIT", "DIAMOND",
    "MAP_HEIGHT", "MAP_LAT", "MAP_LON", "MAX_BINS", "MONTHLY_HEIGHT", "MS_PER_DAY",
    "TIMELINE_HEIGHT", "WEBGL_ABOVE",
    "category_color_map", "chart_claimants", "claimant_color_map", "claimant_family", "claims_figure", "family_order",
    "registry_colors",
    "map_figure", "monthly_figure", "monthly_periods", "timeline_counts", "timeline_figure",
]
