"""Print-ready chart images (PNG, SVG, PDF) drawn by kaleido, plotly's own image export, in Debian's Chromium.

The figure builders stay as the dashboard uses them: ``print_figure`` copies a figure and sets what a
printed page needs (a title, a source line, a fixed size, a white background, no buttons).
``write_images`` draws every chart in every format through one browser session: starting Chromium
and its page costs more than drawing a chart (one PNG alone took 6-9 s on a busy 2-core machine,
all twelve images 19-23 s).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from .. import paths
from ..data.registry import Registry
from ..data.summary import date_span
from ..views.figures import chart_claimants, claims_figure, map_figure, monthly_figure, timeline_figure
from ..views.labels import date_label
from . import IMAGE_SCALE, IMAGE_WIDTH
from .report import TITLE

WIDTH, SCALE = IMAGE_WIDTH, IMAGE_SCALE  # (why these: publish/__init__.py)
TITLES = {"timeline": "Timeline", "map": "Places", "monthly": "Events per month",
          "claims": "Reported figures: who claims what"}
IMAGE_TIMEOUT_S = 300
HEADER_PX = 72  # room above the plot for the title and the source line
# the map's plot keeps the shape of its Mercator view (112° of longitude by 12°-68° of latitude)
MIN_PLOT_HEIGHT = {"map": 580}


class ImageError(RuntimeError):
    """An image could not be drawn; the message says why."""


class BrowserMissing(ImageError):
    """No Chromium to draw images with, or it would not start: the message says what to do."""


FIX = "install Debian's chromium (apt-get install chromium) or set BROWSER_PATH to a Chromium or Chrome program"


def browser_missing_message(problem: str = "no Chromium found to draw PNG, SVG and PDF images") -> str:
    return f"{problem}; {FIX}"


def source_line(shown: pd.DataFrame, events_all: pd.DataFrame) -> str:
    """'Source: dprk-timeline, 76 events, data as of 5 January 2026'.

    N is what the chart draws (the filtered events); the date is the newest event of the whole dataset,
    which says how current the data is whatever the filters. (A file's date would not: a checkout or an
    install sets it to the day of copying.)
    """
    newest = date_span(events_all)[1]
    count = f"{len(shown):,} event" + ("" if len(shown) == 1 else "s")
    return f"Source: dprk-timeline, {count}" + (f", data as of {date_label(newest)}" if newest else "")


def chart_figures(events: pd.DataFrame, events_all: pd.DataFrame, registry: Registry | None = None) -> dict[str, go.Figure]:
    """The four charts of ``events`` by name, as the dashboard draws them (claimant colours fixed by
    ``events_all``)."""
    return {"timeline": timeline_figure(events), "map": map_figure(events), "monthly": monthly_figure(events),
            "claims": claims_figure(events, claimants=chart_claimants(events_all), registry=registry)}


def print_figure(fig: go.Figure, name: str, source: str, width: int = WIDTH) -> go.Figure:
    """A copy of a chart for print: title and source line on top, fixed size, white, no buttons.

    The source line sits under the title as plotly's subtitle: there it can never collide with a
    legend, which plotly places below the plot at a height only known once it is drawn.
    """
    out = go.Figure(fig)
    margin = out.layout.margin
    top = (margin.t if margin.t is not None else 80) + HEADER_PX
    plot_height = max((out.layout.height or 450) - (margin.t or 0) - (margin.b or 0), MIN_PLOT_HEIGHT.get(name, 0))
    out.update_layout(
        title={"text": f"<b>{TITLES.get(name, name)}</b> · {TITLE}", "x": 0.01, "xanchor": "left",
               "yref": "container", "y": 0.995, "yanchor": "top", "font": {"size": 19},
               "subtitle": {"text": source, "font": {"size": 12, "color": "#555555"}}},
        width=width, height=plot_height + top + (margin.b or 0), margin={"t": top},
        # (the chart's own template stays: it is already white, and the timeline's captions take their size
        # from it; plotly_white's bigger default text made them overlap)
        paper_bgcolor="white", plot_bgcolor="white",
        dragmode=False,
    )
    out.layout.updatemenus = ()  # the map's view buttons do nothing on paper
    captions = out.layout.meta.get("captions") if isinstance(out.layout.meta, dict) else None
    if captions and captions.get("range") and out.layout.xaxis.range is None:
        # no browser script places the timeline's captions on paper: show the dates they were placed for,
        # or plotly's own autorange would shift them off their events
        out.update_xaxes(range=captions["range"], autorange=False)
    return out


def _topojson_url() -> str:
    # the map's country outlines, from the package (kaleido would fetch them from a CDN)
    return paths.world_topojson().parent.as_uri() + "/"


async def _draw(jobs: list[dict], browser: Path) -> tuple:
    """Draw every job in one Chromium; the errors of the images that failed (empty when all were written)."""
    import kaleido  # (only the image export needs it)

    # mathjax=False: no formula is ever drawn, and kaleido would load MathJax from a CDN.
    # timeout: kaleido's 90 s per image is too short for the reported-figures SVG of 100k events on
    # a busy machine (about a minute measured); 300 s still ends a hung drawing
    k = kaleido.Kaleido(path=str(browser), mathjax=False, timeout=IMAGE_TIMEOUT_S)
    try:
        await k.open()
    except (OSError, RuntimeError) as err:
        reason = err.args[0] if err.args and isinstance(err.args[0], str) else type(err).__name__
        raise BrowserMissing(browser_missing_message(f"{browser} did not start ({reason.rstrip('.')})")) from err
    try:
        return await k.write_fig_from_object(jobs, cancel_on_error=False)
    finally:
        await k.close()


def write_images(figures: Mapping[str, go.Figure], out_dir: Path, formats: tuple[str, ...], width: int = WIDTH,
                 scale: float = SCALE, source_line: str = "") -> list[Path]:
    """Write NAME.FORMAT for every figure and format into out_dir, through one Chromium; return the paths.

    Raises BrowserMissing when there is no Chromium (or it cannot start), ImageError when a chart could
    not be drawn, OSError when out_dir cannot be written.
    """
    browser = paths.chromium()
    if browser is None:
        chosen = os.environ.get("BROWSER_PATH", "").strip()
        raise BrowserMissing(browser_missing_message(f"BROWSER_PATH '{chosen}' is not a program") if chosen
                             else browser_missing_message())
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    # kaleido writes each file as it goes (an empty file first): drawn into a hidden folder beside the
    # targets and moved into place only when all are done, a failure leaves the old images untouched
    staging = Path(tempfile.mkdtemp(dir=out, prefix=".images."))
    try:
        jobs, written = [], []
        for name, fig in figures.items():
            printed = print_figure(fig, name, source_line, width)
            for fmt in formats:
                jobs.append({"fig": printed, "path": staging / f"{name}.{fmt}", "topojson": _topojson_url(),
                             "opts": {"format": fmt, "width": width, "height": printed.layout.height, "scale": scale}})
                written.append(out / f"{name}.{fmt}")
        errors = asyncio.run(_draw(jobs, browser))
        if errors:
            if isinstance(errors[0], OSError):
                raise errors[0]
            raise ImageError(f"{len(errors)} of {len(jobs)} images could not be drawn: {errors[0]}")
        for job, target in zip(jobs, written):
            os.chmod(job["path"], 0o644)  # published files are world-readable
            os.replace(job["path"], target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written

