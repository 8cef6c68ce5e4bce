"""The Dash app factory."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from dash import Dash

from . import guard

from .. import paths
from .callbacks import register_callbacks
from ..data.datasource import EventsSource, Snapshot, StaticSource
from .layout import make_layout, topojson_url as map_outlines_url
from .security import add_security_headers


def _index_page(prefix: str) -> str:
    """Dash's page, in English, asking for the graph code at once: Dash would only start fetching it
    after its own scripts have run and the first graph has mounted. plotly.js itself is our partial
    bundle, a plain script tag from assets/ (see create_app)."""
    suites = f"{prefix}_dash-component-suites"
    return f"""<!DOCTYPE html>
<html lang="en">
    <head>
        {{%metas%}}
        <title>{{%title%}}</title>
        <link rel="preload" as="script" href="{suites}/dash/dcc/async-graph.js">
        {{%favicon%}}
        {{%css%}}
    </head>
    <body>
        {{%app_entry%}}
        <footer>
            {{%config%}}
            {{%scripts%}}
            {{%renderer%}}
        </footer>
    </body>
</html>"""


_DASH_TABLE = re.compile(r'<script src="[^"]*/dash/dash_table/[^"]*"></script>\n?')
_POLYFILL = re.compile(r'<script src="[^"]*/dash/deps/polyfill@[^"]*"></script>\n?')


class _Dash(Dash):
    def interpolate_index(self, **kwargs):
        # Dash lists dash_table's bundle on every page; no DataTable is used here, and 10 kB
        # less script is a lighter first load.
        # Dash's Babel polyfill (36 kB, core-js and regenerator-runtime for browsers without ES2015+)
        # too: a browser that draws the charts' WebGL has all of it natively, except the global
        # regeneratorRuntime that Dash's lazy-component loader calls, which assets/regenerator.js defines
        kwargs["scripts"] = _POLYFILL.sub("", _DASH_TABLE.sub("", kwargs["scripts"]))
        return super().interpolate_index(**kwargs)


def create_app(events: pd.DataFrame | None = None, *, csv_path: Path | None = None,
               retired: Mapping[str, str] | None = None) -> Dash:
    """A dashboard on a fixed frame (``events``, with its ``retired`` ids) or on a CSV file that is re-read
    when it or the retired.csv beside it changes.

    Raises UnreadableFile / EventsError when the CSV (or its retired.csv) cannot be served at start.
    """
    source = StaticSource(events, retired) if events is not None else EventsSource(csv_path or paths.events_csv())
    app = _Dash(
        __name__,
        title="Russia–North Korea cooperation timeline",
        assets_folder=str(paths.assets_dir()),
        # assets/plotly-custom.min.js, our partial plotly.js, is a script tag before Dash's own, so
        # dcc.Graph finds window.Plotly and never fetches the full bundle (this holds only with Dash's
        # default eager_loading=False). The smaller plotly-custom-*.min.js are for exported pages only.
        assets_ignore=r"^plotly-custom-.*\.js$",
        compress=True,
        update_title=None,
    )
    app.index_string = _index_page(app.config.requests_pathname_prefix)
    topojson_url = map_outlines_url(app)
    # Dash copies the layout into every page to check callback ids against; the layout of no
    # events has every id, without the data (e.g. thousands of actor names) that would weigh the page down
    app.validation_layout = make_layout(Snapshot(source.current().events.iloc[:0]), topojson_url=topojson_url)
    # a function, so every page load (and refresh) renders the current data; the same data always
    # gives the same page, so it is built once per version (at 100k events, counting the actors for
    # the actor filter alone took ~0.3 s per page load)
    # (per snapshot, not per version: a failed reload keeps the version and adds the errors to show)
    built: list = [None, None]  # [snapshot, its page]

    def layout():
        snapshot, (last, page) = source.current(), built
        if snapshot is not last:
            page = make_layout(snapshot, topojson_url=topojson_url, opening=opening_timeline(snapshot))
            built[:] = [snapshot, page]
        return page

    app.layout = layout
    warm, opening_timeline = register_callbacks(app, source)
    guard.install(app)
    add_security_headers(app)
    warm()
    return app
