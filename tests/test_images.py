"""Print-ready chart images: the print copy of each chart, the --format option, and real PNG/SVG/PDF
drawn by kaleido in Debian's Chromium (marked browser: CI=true fails without Chromium, never skips)."""

from __future__ import annotations

import json

import os
import re
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from dashboard import paths
from dashboard.app.app import create_app
from dashboard.cli import cli
from dashboard.data.filters import Filters, apply_filters
from dashboard.publish.formats import FORMATS, parse_formats
from dashboard.publish.images import TITLES, chart_figures, print_figure, source_line
from dashboard.views.filenames import chart_filename
from tests.conftest import render

CHARTS = ("timeline", "map", "monthly", "claims")
MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF"}


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk (right after the 8-byte signature)."""
    data = path.read_bytes()[:24]
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_img001_print_copy_has_title_source_line_and_fixed_size_and_leaves_the_figure_alone(bundled_events):
    figures = chart_figures(bundled_events, bundled_events)
    line = source_line(bundled_events, bundled_events)
    assert line == "Source: dprk-timeline, 89 events, data as of 16 March 2026"
    for name, fig in figures.items():
        before = fig.to_json()
        printed = print_figure(fig, name, line, width=700)
        assert TITLES[name] in printed.layout.title.text
        assert printed.layout.title.subtitle.text == line
        assert printed.layout.width == 700
        assert printed.layout.height >= (fig.layout.height or 0) and printed.layout.margin.t > (fig.layout.margin.t or 0)
        assert printed.layout.paper_bgcolor == "white" and printed.layout.plot_bgcolor == "white"
        assert printed.layout.updatemenus == ()  # (the map's view buttons)
        assert fig.to_json() == before  # the builders' figure is not changed
        assert len(printed.data) == len(fig.data)
    # on paper no script places the timeline's captions: the image shows the dates they were placed for, in
    # the chart's own caption style (plotly_white's bigger default text made them overlap)
    timeline = figures["timeline"]
    printed = print_figure(timeline, "timeline", line)
    assert list(printed.layout.xaxis.range) == timeline.layout.meta["captions"]["range"] and printed.layout.xaxis.autorange is False
    assert timeline.layout.xaxis.range is None
    assert printed.layout.template.layout.annotationdefaults == timeline.layout.template.layout.annotationdefaults
    assert printed.layout.template.layout.annotationdefaults.font.size is not None


def test_img002_source_line_counts_the_shown_events_and_dates_the_whole_dataset(bundled_events):
    one = bundled_events.iloc[:1]
    assert source_line(one, bundled_events) == "Source: dprk-timeline, 1 event, data as of 16 March 2026"
    assert source_line(bundled_events.iloc[:0], bundled_events.iloc[:0]) == "Source: dprk-timeline, 0 events"


def test_img003_parse_formats_keeps_order_drops_repeats_and_lists_every_unknown_name():
    assert FORMATS == ("html", "png", "svg", "pdf", "timelinejs", "geojson", "json")
    assert parse_formats("html") == (("html",), [])
    assert parse_formats(" PNG, svg,png ,pdf") == (("png", "svg", "pdf"), [])
    formats, problems = parse_formats("png,tiff,eps")
    assert formats == ("png",)
    assert [p.split(" is ")[0] for p in problems] == ["--format 'tiff'", "--format 'eps'"]
    assert parse_formats(" , ")[0] == () and "empty" in parse_formats(" , ")[1][0]


def test_img004_unknown_format_is_an_option_problem_exit_1_and_writes_nothing(tmp_path):
    result = run("export", "--format", "html,tiff", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "error: --format 'tiff' is not a format; use one or more of: html, png, svg, pdf" in result.stderr
    assert not (tmp_path / "out").exists()
    assert "Traceback" not in result.output


def test_img005_browser_path_names_the_browser_and_a_wrong_one_is_not_replaced(tmp_path, monkeypatch):
    program = tmp_path / "chrome"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(program))
    assert paths.chromium() == program
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "missing"))
    assert paths.chromium() is None


def test_img006_no_browser_is_a_clear_message_and_exit_2_without_a_traceback(tmp_path):
    # a separate process, as a user runs it: BROWSER_PATH names nothing and PATH holds no chromium,
    # so neither we nor kaleido's own search may fall back to another browser
    env = {**os.environ, "BROWSER_PATH": str(tmp_path / "no-such-chromium"), "PATH": str(Path(sys.executable).parent)}
    done = subprocess.run([sys.executable, "-m", "dashboard", "export", "--format", "png", "--out", str(tmp_path / "out")],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert f"error: BROWSER_PATH '{tmp_path / 'no-such-chromium'}' is not a program; install Debian's chromium" in done.stderr
    assert "BROWSER_PATH" in done.stderr.splitlines()[-1] and "Traceback" not in done.stderr
    assert not list(tmp_path.rglob("*.png"))


def test_img007_a_browser_that_does_not_start_is_exit_2_too(tmp_path):
    env = {**os.environ, "BROWSER_PATH": shutil.which("true") or "/bin/true"}
    done = subprocess.run([sys.executable, "-m", "dashboard", "export", "--format", "svg", "--out", str(tmp_path / "out")],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "did not start" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.browser
def test_img008_png_svg_pdf_of_every_chart_in_one_run(tmp_path, capsys):
    out = tmp_path / "print"
    started = time.perf_counter()
    result = run("export", "--format", "png,svg,pdf", "--width", "700", "--scale", "2", "--out", str(out),
                 "--from", "2024-06")
    seconds = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    with capsys.disabled():
        print(f"\n4 charts x 3 formats in one run: {seconds:.1f} s")
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{c}.{f}" for c in CHARTS for f in ("png", "svg", "pdf"))
    assert not (out / "index.html").exists() and not (out / "timeline.html").exists()  # html was not asked for
    for chart in CHARTS:
        assert (out / f"{chart}.png").read_bytes().startswith(MAGIC["png"])
        assert png_size(out / f"{chart}.png")[0] == 700 * 2
        assert (out / f"{chart}.pdf").read_bytes().startswith(MAGIC["pdf"])
        svg = (out / f"{chart}.svg").read_text(encoding="utf-8")
        assert svg.lstrip().startswith("<svg") and 'width="700"' in svg[:300]
        # the title and the source line are drawn into the image itself (SVG text)
        assert TITLES[chart].split(":")[0] in svg and "Source: dprk-timeline, " in svg and "data as of 16 March 2026" in svg
    assert "exported" in result.output


def test_img009_chart_file_names_say_what_the_chart_shows_and_are_safe(bundled_events):
    treaty = Filters(categories=("treaty",))
    assert chart_filename("timeline", apply_filters(bundled_events, treaty), treaty) == "dprk-timeline-events-treaty-2024-06-to-2024-12"
    assert chart_filename("map", bundled_events) == "dprk-timeline-places-2023-07-to-2026-03"
    later = Filters(categories=("treaty",), start="2024-07")
    # the months the chart's events span, not the filter's bounds
    assert chart_filename("claims", apply_filters(bundled_events, later), later) == "dprk-timeline-reported-figures-treaty-2024-10-to-2024-12"
    odd = Filters(place="Île de <Pyongyang>/../x" + "y" * 200)
    name = chart_filename("timeline", bundled_events.iloc[:1], odd)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name) and len(name) <= 80 and name.startswith("dprk-timeline-events-ile-de-pyongyang-")
    assert name.endswith("-2023-07")  # the months stay whatever the choice
    assert chart_filename("monthly", bundled_events.iloc[:0]) == "dprk-timeline-events-per-month"


def test_img010_each_chart_is_sent_with_the_name_of_its_downloads(bundled_events):
    # the name rides in the figure (layout.meta.filename): the config stays the same for every view, since a
    # new config makes plotly draw the chart again from scratch
    client = create_app(bundled_events).server.test_client()
    rendered = render(client, "?category=treaty")
    for chart, word in (("timeline", "events"), ("map", "places"), ("monthly", "events-per-month"), ("claims", "reported-figures")):
        assert rendered[chart]["figure"]["layout"]["meta"]["filename"] == f"dprk-timeline-{word}-treaty-2024-06-to-2024-12"
        assert "config" not in rendered[chart]
    assert "captions" in rendered["timeline"]["figure"]["layout"]["meta"]  # (the captions' own meta is kept)
    layout = json.dumps(client.get("/_dash-layout").get_json())
    assert layout.count('"modeBarButtonsToRemove": ["toImage"]') == 4  # plotly's camera gives way to ours
    assert '"topojsonURL": "/assets/topojson/"' in layout  # the map still finds its outlines
