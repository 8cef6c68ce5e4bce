"""Static HTML export: a report that opens offline and stays interactive, plus one file per chart.

``export_files`` builds every file in memory (deterministic: the same data and options give the
same bytes); ``write_files`` writes them atomically; the CLI's ``export`` command is on top (cli.py).
The dashboard's "Download HTML" calls ``report_html`` through the same code path.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Collection, Mapping
from html import escape
from pathlib import Path

import pandas as pd
import plotly.io as pio

from ..data.dates import HOW, PARTIAL_RE, parse_partial_dates
from ..data.filters import Filters, apply_filters
from ..data.registry import Registry, bundled_registry
from ..data.schema import load_schema
from ..views.describe import chart_texts
from ..views.figures import chart_claimants
from .datafiles import data_files
from .embed import EMBED_FILE, chart_embeddable, embed_page
from .plotlyjs import BUNDLE, bundle_for, bundle_js, trace_types
from .report import (PLOT_CONFIG, TITLE, captions_tag, chart_specs, dashboard_url_problem, plotlyjs_tag,
                     report_html, topojson_tag)

__all__ = ["report_html", "chart_html", "export_files", "write_files", "option_problems"]

PLOTLYJS_FILE = "plotly.min.js"
_HIDDEN = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap"  # (visually hidden)


def _lean(chart: dict) -> dict:
    """The figure of a standalone chart page: event ids (``customdata``, the captions' ids) go, since
    nothing there reads them."""
    figure = chart["figure"]
    captions = (figure.get("layout", {}).get("meta") or {}).get("captions")
    if captions:
        items = [{k: v for k, v in item.items() if k != "id"} for item in captions["items"]]
        meta = {**figure["layout"]["meta"], "captions": {**captions, "items": items}}
        figure = {**figure, "layout": {**figure["layout"], "meta": meta}}
    if chart["kind"] != "points":
        return figure
    data = [{k: v for k, v in trace.items() if k != "customdata"} if points is not None else trace
            for trace, points in zip(figure["data"], chart["points"])]
    return {**figure, "data": data}


def chart_html(figure, name: str, title: str, *, plotlyjs: str = "inline", topojson: bool = False,
               captions: bool = False, description: str = "") -> str:
    """One chart as a standalone page with a fixed div id (so the bytes do not change between runs).

    ``figure`` is a plotly figure or its JSON dict (as ``chart_specs`` holds it); ``captions`` adds the
    script that places the timeline's key-event captions at the page's width; ``description``, the chart in
    words (dashboard/views/describe.py), is read out by screen readers and not shown.
    """
    # inline: the smallest of our partial bundles that draws this figure, in place of the full plotly.js
    include = {"inline": False, "directory": "directory", "cdn": "cdn"}[plotlyjs]
    page = pio.to_html(figure, include_plotlyjs=include, full_html=True, div_id=name,
                       config={**PLOT_CONFIG, "toImageButtonOptions": {"filename": name}}, validate=False)
    if plotlyjs == "inline":
        page = page.replace("<body>", "<body>\n" + plotlyjs_tag("inline", bundle_for(trace_types([figure]))), 1)
    head = f'<html lang="en">\n<head>\n<meta charset="utf-8" />\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{escape(title)}</title>'
    page = page.replace('<html>\n<head>\n    <meta charset="utf-8" />', head, 1)
    if description:
        page = page.replace("<body>", f'<body>\n<p style="{_HIDDEN}">{escape(description)}</p>', 1)
    if topojson:  # the map's outlines must be in place before plotly.js draws it
        page = page.replace("<body>", "<body>\n" + topojson_tag(), 1)
    if captions:
        page = page.replace("</body>", captions_tag() + "\n</body>", 1)
    return chart_embeddable(page, name)


def export_files(events_all: pd.DataFrame, filters: Filters = Filters(), *, plotlyjs: str = "inline",
                 registry: Registry | None = None, retired: Mapping[str, str] | None = None,
                 dashboard_url: str = "", formats: Collection[str] = ("html",)) -> dict[str, str | bytes]:
    """Every exported file by name: for the format 'html', index.html, one page per chart, embed.html and,
    for 'directory', plotly.min.js (our partial plotly.js bundle, plotlyjs.py); then the file of each
    data format in ``formats`` (datafiles.py).

    The filtered events and the charts are built once and shared by the report and the chart pages.
    ``registry`` (the bundled one by default) names, colours and tags as in the dashboard;
    ``retired`` (retired id -> replacement) keeps the report's links to retired ids working;
    ``dashboard_url``: where readers find the dashboard ('' for no link; see ``report_html``).
    """
    plotlyjs_tag(plotlyjs)  # rejects an unknown mode before any work
    registry = registry or bundled_registry()
    events = apply_filters(events_all, filters).reset_index(drop=True)
    if "html" not in formats:
        return data_files(events, events_all, filters, formats)
    charts = chart_specs(events, registry, chart_claimants(events_all))
    texts = chart_texts(events)
    files: dict[str, str | bytes] = {"index.html": report_html(events_all, filters, plotlyjs=plotlyjs, events=events,
                                                                charts=charts, registry=registry, retired=retired,
                                                                dashboard_url=dashboard_url)}
    for chart in charts:
        files[chart["file"]] = chart_html(_lean(chart), chart["file"].removesuffix(".html"),
                                          f"{TITLE}: {chart['title']}", plotlyjs=plotlyjs, topojson=chart["name"] == "map",
                                          captions=chart["captions"] is not None, description=texts[chart["name"]])
    files[EMBED_FILE] = embed_page(charts, events, TITLE)
    if plotlyjs == "directory":
        files[PLOTLYJS_FILE] = bundle_js(BUNDLE)
    return {**files, **data_files(events, events_all, filters, formats)}


def write_files(files: Mapping[str, str | bytes], out_dir: str | Path,
                progress: Callable[[Path, int], None] | None = None) -> list[Path]:
    """Write each file into out_dir atomically: a temp file in the same folder, then os.replace.

    A failure part-way leaves every earlier file complete, the failing file's old version (if any)
    untouched and no temp file behind. ``progress(path, size)`` is called after each file.
    Raises OSError when out_dir cannot be created or written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = out / name
        fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)  # mkstemp makes 0600; published files are world-readable
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(target)
        if progress:
            progress(target, len(data))
    return written


def option_problems(categories: tuple[str, ...], start: str, end: str, dashboard_url: str | None = None) -> list[str]:
    """Every mistake in the filter options, as messages (empty when they are all usable)."""
    problems = []
    if dashboard_url is not None and dashboard_url_problem(dashboard_url):
        problems.append(f"--dashboard-url '{dashboard_url}' {dashboard_url_problem(dashboard_url)}; "
                        "give the dashboard's address, e.g. https://example.org/dprk-timeline/")
    known = load_schema().category_values
    for category in categories:
        if category not in known:
            problems.append(f"--category '{category}' is not a category; use one of: {', '.join(known)}")
    bounds = parse_partial_dates(pd.Series([start, end], dtype=object).fillna(""))
    for option, value, i in (("--from", start, 0), ("--to", end, 1)):
        if value and (not PARTIAL_RE.fullmatch(value) or pd.isna(bounds["start"].iat[i])):
            problems.append(f"{option} '{value}' is not a date; {HOW}")
    if start and end and pd.notna(bounds["start"].iat[0]) and pd.notna(bounds["stop"].iat[1]) \
            and bounds["start"].iat[0] >= bounds["stop"].iat[1]:
        problems.append(f"--from '{start}' is after --to '{end}'")
    return problems
