"""The static HTML export: CLI options and exit codes, atomic writes, determinism, plotly.js modes, escaping."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from plotly.offline import get_plotlyjs, get_plotlyjs_version

from dashboard.publish import export as export_module
from dashboard.data.events import load_events
from dashboard.cli import export_command
from dashboard.publish.export import export_files, write_files
from dashboard.publish.plotlyjs import BUNDLE, bundle_js
from dashboard.data.filters import Filters, apply_filters
from dashboard.publish.report import captions_tag, report_html, script_json
from tests.conftest import HEADER, row

CHART_FILES = ("timeline.html", "map.html", "monthly.html", "claims.html")
HTML_FILES = ("index.html",) + CHART_FILES
EXPORTED = HTML_FILES + ("embed.html",)  # (embed.html holds no chart: it gives the code that embeds each)
PLOTLYJS_HEAD = get_plotlyjs()[:300]  # the start of the full plotly.js bundle
PLOTLYJS_END = "\nwindow.Plotly = Plotly;\nreturn Plotly;\n}));"  # the end of every bundle, full or partial
BASIC = "plotly-custom-basic.min.js"  # the partial bundle of scatter and bar only

SCRIPT = "</script><script>window.__xss=1</script>"
IMG = '"><img src=x onerror="window.__xss=2">'
HOSTILE = SCRIPT + IMG
RAW_PAYLOADS = ("<script>window.__xss", "<img src=x onerror", "onerror=\"window")


def run(*args: str):
    return CliRunner().invoke(export_command, list(args))


def hostile_csv(write_csv) -> Path:
    """Every free-text field of two valid events carries script and markup payloads."""
    figure = f"about 100 | troops | {HOSTILE} | 2024-10 | {HOSTILE}"
    source = f"{HOSTILE} | {HOSTILE} | https://example.org/a?q=<b>&x=\"1\" | 2024-10-01 | {HOSTILE}"
    rows = [
        row(id="e1", title=HOSTILE, description=HOSTILE, actors=f"{HOSTILE}; Kim Jong Un", place=HOSTILE,
            latitude="51.7", longitude="36.2", figures=figure, sources=source, category="military-deployment"),
        row(id="e2", date="2024-11", title="plain " + IMG, description="&amp; &lt;b&gt; stays literal",
            category="treaty", place="Moscow", latitude="55.75", longitude="37.6"),
    ]
    return write_csv(HEADER + "\n" + "\n".join(rows) + "\n")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """One inline export of the bundled data, shared by the read-only tests."""
    out = tmp_path_factory.mktemp("export") / "out"
    result = run("--out", str(out))
    assert result.exit_code == 0, result.output
    return out, result


# ---------------------------------------------------------------- CLI and exit codes


def test_exp001_writes_every_file_with_progress_and_summary(bundled):
    out, result = bundled
    assert sorted(p.name for p in out.iterdir()) == sorted(EXPORTED)
    progress = [line for line in result.stderr.splitlines() if line.startswith("wrote ")]
    assert [Path(line.split()[1]).name for line in progress] == list(EXPORTED)
    assert result.stdout == f"exported 89 of 89 events to {out / 'index.html'}\n"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "89 of 89 events" in index and "How to cite" in index and "2026-03-16" in index
    assert index.count('<li class="ev ') == 89


def test_exp002_filter_options_narrow_the_report(tmp_path):
    result = run("--out", str(tmp_path), "--plotlyjs", "cdn", "--category", "treaty", "--category", "diplomacy",
                 "--from", "2024-06", "--to", "2024-12-31", "--search", "Putin", "--actor", "Vladimir Putin")
    assert result.exit_code == 0, result.output
    filters = Filters(categories=("treaty", "diplomacy"), actors=("Vladimir Putin",), start="2024-06", end="2024-12-31", text="Putin")
    kept = apply_filters(load_events(), filters)
    assert 0 < len(kept) < 89
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert f"{len(kept)} of the 89 events in the data" in index
    assert f"{len(kept)} of {len(kept)} events" in index
    assert index.count('<li class="ev ') == len(kept)
    assert "Categories: Treaty, Diplomacy" in index and "Search: “Putin”" in index and "From: 2024-06" in index
    data = json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)</script>', index).group(1))
    assert len(base64.b64decode(data["events"]["start"]["bdata"])) == 4 * len(kept)  # int32 days
    assert set(data["events"]) == {"category", "start", "end", "indep"}  # lean: only what the filters need, as typed arrays
    assert all(set(column) == {"dtype", "bdata"} for column in data["events"].values())


def test_exp003_default_out_is_export_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("--plotlyjs", "cdn").exit_code == 0
    assert (tmp_path / "export" / "index.html").is_file()


def test_exp004_invalid_csv_exits_1_listing_every_problem(write_csv, tmp_path):
    path = write_csv("\n".join([HEADER, row(date="2025-02-30"), row(id="e2", category="nope")]) + "\n")
    result = run("--events", str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{path}:2: date:") and lines[1].startswith(f"{path}:3: category:")
    assert not (tmp_path / "out").exists()
    assert "Traceback" not in result.output


def test_exp005_bad_options_exit_1_listing_every_problem(tmp_path):
    result = run("--out", str(tmp_path / "out"), "--category", "nope", "--category", "other", "--from", "2024-13", "--to", "June")
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert errors[0].startswith("error: --category 'nope' is not a category; use one of: diplomacy, treaty")
    assert errors[1].startswith("error: --category 'other'")
    assert errors[2].startswith("error: --from '2024-13' is not a date")
    assert errors[3].startswith("error: --to 'June' is not a date")
    assert not (tmp_path / "out").exists()
    assert run("--out", str(tmp_path / "o2"), "--from", "2025", "--to", "2024-06").exit_code == 1


def test_exp006_unreadable_events_exit_2(tmp_path):
    result = run("--events", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'missing.csv'}: no such file\n"


def test_exp007_out_is_a_file_exits_2(tmp_path):
    target = tmp_path / "taken"
    target.write_text("not a folder")
    result = run("--out", str(target), "--plotlyjs", "cdn")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith(f"error: cannot write to {target}:")
    assert target.read_text() == "not a folder"


def test_exp008_unwritable_out_exits_2(tmp_path, monkeypatch):
    out = tmp_path / "ro"
    out.mkdir()
    if os.geteuid() != 0:  # root ignores directory permissions, so there a refused write is simulated
        out.chmod(0o500)
    else:
        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")
        monkeypatch.setattr(export_module.tempfile, "mkstemp", refuse)
    try:
        result = run("--out", str(out), "--plotlyjs", "cdn")
    finally:
        out.chmod(0o700)
    assert result.exit_code == 2
    assert "Permission denied" in result.stderr and "Traceback" not in result.output
    assert list(out.iterdir()) == []


def test_exp009_command_runs_as_a_subprocess(tmp_path):
    code = "from dashboard.cli import export_command; export_command()"
    proc = subprocess.run([sys.executable, "-c", code, "--out", str(tmp_path), "--plotlyjs", "cdn", "--category", "treaty"],
                          capture_output=True, text=True, cwd=Path(__file__).parent.parent, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("exported 6 of 89 events")
    assert proc.stderr.count("wrote ") == 6


def test_exp010_help_has_an_example():
    result = run("--help")
    assert result.exit_code == 0 and "Example:" in result.output and "--plotlyjs [inline|directory|cdn]" in result.output


# ---------------------------------------------------------------- atomic writes and determinism


def test_exp011_write_files_leaves_no_temp_files(tmp_path):
    seen = []
    write_files({"a.html": "é", "b.bin": b"\x00\x01"}, tmp_path / "new" / "dir", progress=lambda p, n: seen.append((p.name, n)))
    assert sorted(p.name for p in (tmp_path / "new" / "dir").iterdir()) == ["a.html", "b.bin"]
    assert seen == [("a.html", 2), ("b.bin", 2)]
    assert (tmp_path / "new" / "dir" / "a.html").stat().st_mode & 0o777 == 0o644


def test_exp012_failure_mid_write_keeps_the_old_file_and_leaves_no_partial_file(tmp_path, monkeypatch):
    write_files({"index.html": "old report", "map.html": "old map"}, tmp_path)
    real_fdopen = os.fdopen

    class Breaks:
        """A file handle that writes half of the data, then fails like a full disk."""

        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            raise OSError(28, "No space left on device")

    calls = []

    def fdopen(fd, *args, **kwargs):
        calls.append(fd)
        handle = real_fdopen(fd, *args, **kwargs)
        return Breaks(handle) if len(calls) == 2 else handle

    monkeypatch.setattr(export_module.os, "fdopen", fdopen)
    with pytest.raises(OSError, match="No space left"):
        write_files({"index.html": "new report " * 1000, "map.html": "new map " * 1000}, tmp_path)
    assert (tmp_path / "index.html").read_text() == "new report " * 1000  # finished before the failure
    assert (tmp_path / "map.html").read_text() == "old map"  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html", "map.html"]  # no temp file left


def test_exp013_cli_failure_mid_write_exits_2_without_partial_files(tmp_path, monkeypatch):
    (tmp_path / "index.html").write_text("previous export")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_module.os, "replace", fail)
    result = run("--out", str(tmp_path), "--plotlyjs", "cdn")
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]
    assert (tmp_path / "index.html").read_text() == "previous export"


def test_exp014_same_input_gives_byte_identical_files(tmp_path, bundled):
    out, _ = bundled
    again = tmp_path / "again"
    assert run("--out", str(again)).exit_code == 0
    for name in EXPORTED:
        assert (again / name).read_bytes() == (out / name).read_bytes(), name
    for name in CHART_FILES:  # fixed div ids, never plotly's per-run uuid
        text = (out / name).read_text(encoding="utf-8")
        div_ids = re.findall(r'<div id="([^"]+)" class="plotly-graph-div"', text)
        assert div_ids == [name.removesuffix(".html")]


# ---------------------------------------------------------------- plotly.js modes and offline maps


def test_exp015_inline_embeds_plotlyjs_once_per_file_and_the_map_outlines(bundled):
    """Each file embeds one partial plotly.js: the one with every trace type we draw, or, for a chart page
    that draws only scatter and bar traces, the smaller one; never the full plotly.js."""
    out, _ = bundled
    for name in HTML_FILES:
        text = (out / name).read_text(encoding="utf-8")
        assert text.count(PLOTLYJS_END) == 1 and PLOTLYJS_HEAD not in text, name
        assert 'src="plotly.min.js"' not in text and "cdn.plot.ly/plotly-" not in text
    for name, bundle in (("index.html", BUNDLE), ("map.html", BUNDLE), ("timeline.html", BASIC), ("monthly.html", BASIC)):
        assert bundle_js(bundle) in (out / name).read_text(encoding="utf-8"), name
    for name in ("index.html", "map.html"):
        text = (out / name).read_text(encoding="utf-8")
        start = text.index('<script>window.PlotlyGeoAssets={topojson:{"world_110m":')
        assert start < text.index("Plotly.newPlot(")
        assets = text[start + len("<script>"): text.index("</script>", start)]
        assert "</" not in assets  # the outlines cannot end their script early
    for name in CHART_FILES:
        assert '<html lang="en">\n<head>\n<meta charset="utf-8" />\n<meta name="viewport"' in (out / name).read_text(encoding="utf-8")
    for name in ("timeline.html", "monthly.html", "claims.html"):
        assert 'window.PlotlyGeoAssets={topojson:{"world_110m"' not in (out / name).read_text(encoding="utf-8")


def test_exp016_the_map_figure_fetches_nothing(bundled):
    out, _ = bundled
    text = (out / "map.html").read_text(encoding="utf-8")
    call = text[text.index("Plotly.newPlot("):]
    assert "topojsonURL" not in call and "cdn.plot.ly" not in call and "http" not in call.split("</script>")[0]


def test_exp017_directory_mode_shares_one_plotly_min_js(tmp_path):
    assert run("--out", str(tmp_path), "--plotlyjs", "directory").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(EXPORTED + ("plotly.min.js",))
    assert (tmp_path / "plotly.min.js").read_text(encoding="utf-8") == bundle_js(BUNDLE)
    for name in HTML_FILES:
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert text.count('src="plotly.min.js"') == 1 and PLOTLYJS_END not in text
        assert len(text) < 1_000_000
    assert 'window.PlotlyGeoAssets={topojson:{"world_110m"' in (tmp_path / "map.html").read_text(encoding="utf-8")


def test_exp018_cdn_mode_references_the_cdn(tmp_path):
    assert run("--out", str(tmp_path), "--plotlyjs", "cdn").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(EXPORTED)
    url = f"https://cdn.plot.ly/plotly-{get_plotlyjs_version()}.min.js"
    for name in HTML_FILES:
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert text.count(f'src="{url}"') == 1 and PLOTLYJS_END not in text


def test_exp019_unknown_mode_is_rejected():
    assert run("--plotlyjs", "bundle").exit_code == 2  # click's usage error
    with pytest.raises(ValueError, match="plotlyjs must be one of"):
        export_files(load_events(), plotlyjs="bundle")


# ---------------------------------------------------------------- safety


def test_exp020_script_json_cannot_end_its_script():
    text = script_json({"t": "</script><script>alert(1)</script> & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"t": "</script><script>alert(1)</script> & \u2028"}


def test_exp021_hostile_text_in_every_field_appears_only_escaped(write_csv, tmp_path):
    path = hostile_csv(write_csv)
    result = run("--events", str(path), "--out", str(tmp_path), "--plotlyjs", "directory")
    assert result.exit_code == 0, result.output
    for name in EXPORTED:
        text = (tmp_path / name).read_text(encoding="utf-8")
        for payload in RAW_PAYLOADS:
            assert payload not in text, (name, payload)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    shown = "&lt;/script&gt;&lt;script&gt;window.__xss=1&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=&quot;window.__xss=2&quot;&gt;"
    # title, description, actors, place, figure claimant and note, source publisher, title and note
    assert index.count(shown) >= 9
    assert "&amp;amp; &amp;lt;b&amp;gt; stays literal" in index  # entities in the data are text too
    assert 'href="https://example.org/a?q=&lt;b&gt;&amp;x=&quot;1&quot;"' in index
    assert index.count("<script") == index.count("</script>") == 5  # plotly.js, outlines, data, captions.js, report.js


def test_exp022_non_http_urls_are_never_links(bundled):
    events = load_events()
    bad = ["javascript:alert(1)", "JaVaScRiPt:alert(2)", "data:text/html,<script>alert(3)</script>", "ftp://example.org/x", "//evil.example/x"]
    events.at[0, "sources"] = [{"publisher": "P", "title": f"T{i}", "url": url, "date": "", "note": ""} for i, url in enumerate(bad)]
    html = report_html(events, Filters(), plotlyjs="cdn")
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith(("https://", "http://")) for h in hrefs)
    assert "T0 (javascript:alert(1))" in html and "alert(3)&lt;/script&gt;" in html
    assert all('rel="noopener noreferrer" target="_blank"' in a for a in re.findall(r"<a [^>]*>", html))


def test_exp023_embedded_data_holds_only_escaped_text(write_csv):
    events = load_events(hostile_csv(write_csv))
    html = report_html(events, Filters(), plotlyjs="cdn")
    data = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in data and ">" not in data and "&" not in data.replace("\\u0026", "")
    parsed = json.loads(data)
    assert "window.__xss" not in json.dumps(parsed["events"])  # the search reads the (escaped) event list instead


def test_exp024_empty_selection_still_exports(tmp_path):
    result = run("--out", str(tmp_path), "--plotlyjs", "cdn", "--search", "no-such-word-anywhere")
    assert result.exit_code == 0, result.output
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "0 of the 89 events in the data" in index and "0 of 0 events" in index


# ---------------------------------------------------------------- scale: linear mapping, charts built once, lean files


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """Synthetic events: 2,500 (single events on the timeline) and 3,500 (above figures.DETAIL_LIMIT)."""
    from dashboard.data.synthetic import write_synthetic

    folder = tmp_path_factory.mktemp("synthetic")
    return {n: load_events(write_synthetic(folder / f"s{n}.csv", n)) for n in (2500, 3500)}


def _decode(spec) -> list[int]:
    import numpy as np

    return np.frombuffer(base64.b64decode(spec["bdata"]), dtype="<i4").tolist()


def test_exp025_every_timeline_segment_belongs_to_its_own_event(synthetic):
    """Each span/period segment maps to the event it draws: same lane, same ends, and each event once."""
    import numpy as np

    from dashboard.views.figures import timeline_figure
    from dashboard.publish.report import _event_points

    events = synthetic[2500].reset_index(drop=True)
    fig = timeline_figure(events)
    points = _event_points(fig, events)
    start = events["start"].to_numpy(dtype="datetime64[ms]").view("int64").astype(float)
    end = events["end"].to_numpy(dtype="datetime64[ms]").view("int64").astype(float)
    segments = 0
    for trace, idx in zip(fig.data, points):
        if getattr(trace, "mode", None) != "lines" or idx is None or not len(idx):
            continue
        x = np.asarray(trace.x, dtype=float)
        owners = np.asarray(idx)[0::3]
        assert (owners >= 0).all() and len(set(owners.tolist())) == len(owners)
        assert (events["category"].astype(str).to_numpy()[owners] == trace.legendgroup).all()
        assert np.array_equal(x[0::3], start[owners]) and np.array_equal(x[1::3], end[owners])
        segments += len(owners)
    assert segments > 500


def test_exp026_charts_are_built_once_per_export(monkeypatch):
    from dashboard.publish import report

    calls = []
    real = report.chart_specs
    monkeypatch.setattr(export_module, "chart_specs", lambda events, *more: calls.append(len(events)) or real(events, *more))
    monkeypatch.setattr(report, "chart_specs", lambda events, *more: pytest.fail("report_html rebuilt the charts"))
    files = export_files(load_events(), plotlyjs="cdn")
    assert calls == [89] and set(files) == set(EXPORTED)


def test_exp027_aggregate_timeline_is_recounted_per_event(synthetic):
    """Above figures.DETAIL_LIMIT the timeline is counts per lane and period: every event is in exactly
    one bar of its lane, and the bars' counts are what the figure draws."""
    from dashboard.views.figures import timeline_counts
    from dashboard.publish.report import chart_specs

    events = synthetic[3500].reset_index(drop=True)
    timeline = chart_specs(events)[0]
    assert timeline["name"] == "timeline" and timeline["kind"] == "groups" and not timeline["opaque"]
    counted = [0] * len(events)
    bars = 0
    for trace, owner in zip(timeline["figure"]["data"], timeline["points"]):
        if owner is None:
            continue
        for i in (owner >= 0).nonzero()[0]:
            counted[i] += 1
        bars += int(owner.max()) + 1 if (owner >= 0).any() else 0
    assert counted == [1] * len(events)
    assert bars == len(timeline_counts(events))
    assert "zoom in" not in json.dumps(timeline["figure"])  # no hint the static page cannot follow


def test_exp028_files_stay_lean(synthetic, tmp_path):
    """index.html: no inline style per event, typed arrays for the data; chart pages: no event ids."""
    events = synthetic[2500]
    files = export_files(events, plotlyjs="directory")
    index = files["index.html"]
    assert index.count('<li class="ev c') == len(events) and ' style="' not in index.split('<ol class="events"')[1]
    data = json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)</script>', index).group(1))
    assert "\n" not in json.dumps(data, separators=(",", ":"))
    timeline = data["charts"][0]
    assert all(p is None or set(p) == {"dtype", "bdata"} for p in timeline["points"])
    assert sorted(i for p in timeline["points"] if p for i in _decode(p) if i >= 0)[:3] == [0, 1, 2]
    for name in CHART_FILES:
        text = files[name]
        assert text.replace(captions_tag(), "").count("\n") < 40, name  # compact JSON: no indentation
    events_ids = set(events["id"])
    page = files["timeline.html"]
    assert not any(f'"{event_id}"' in page for event_id in list(events_ids)[:50])  # ids only matter to the report
    assert len(page) < 2_500 * 400  # hover text is the bulk (about 300 B per event); no other per-event text


# ---------------------------------------------------------------- the dashboard link and download names


def test_exp029_no_dashboard_link_unless_given(tmp_path):
    """Issue 10, item 19: a CLI export linked to http://127.0.0.1:8050, which means nothing to its readers."""
    result = run("--out", str(tmp_path / "a"), "--plotlyjs", "cdn", "--category", "treaty")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "a" / "index.html").read_text(encoding="utf-8")
    assert "127.0.0.1" not in page and "Same view in the dashboard" not in page

    result = run("--out", str(tmp_path / "b"), "--plotlyjs", "cdn", "--category", "treaty",
                 "--dashboard-url", "https://example.org/dprk-timeline/")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "b" / "index.html").read_text(encoding="utf-8")
    assert ('<dt>Same view in the dashboard</dt><dd><a href="https://example.org/dprk-timeline/?category=treaty" '
            'rel="noopener noreferrer" target="_blank">') in page
    result = run("--out", str(tmp_path / "c"), "--plotlyjs", "cdn", "--dashboard-url", "https://example.org")
    assert 'href="https://example.org/"' in (tmp_path / "c" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("url, problem", [
    ("javascript:alert(1)", "is not an http(s) address"),
    ("ftp://example.org/", "is not an http(s) address"),
    ("example.org", "is not an http(s) address"),
    ("", "is not an http(s) address"),
    ("https://example.org/?x=1", "must not have a ?query or #fragment"),
    ("https://example.org/#top", "must not have a ?query or #fragment"),
])
def test_exp030_dashboard_url_must_be_http(tmp_path, url, problem):
    result = run("--out", str(tmp_path / "out"), "--dashboard-url", url, "--category", "nope")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (f"error: --dashboard-url '{url}' {problem}; give the dashboard's address, "
                                             "e.g. https://example.org/dprk-timeline/")
    assert "--category 'nope'" in result.stderr  # every problem at once
    assert not (tmp_path / "out").exists()


def test_exp031_download_names_say_what_the_report_holds():
    from dashboard.publish.report import SLUG_MAX, report_filename

    assert report_filename(Filters()) == "dprk-timeline.html"
    assert report_filename(Filters(categories=("treaty",), start="2024-06", end="2024-12")) == \
        "dprk-timeline-treaty-2024-06-to-2024-12.html"
    assert report_filename(Filters(actors=("Kim Jong Un",), end="2024"), "treaty-signed") == \
        "dprk-timeline-kim-jong-un-to-2024-event-treaty-signed.html"
    assert report_filename(Filters(place="Kursk Oblast", start="2024-10-01", text="Réunion  casualties")) == \
        "dprk-timeline-kursk-oblast-from-2024-10-01-search-reunion-casualties.html"
    hostile = report_filename(Filters(text="../../etc/passwd <script> " + "x" * 500, actors=("Ким Чен Ын", "CON")))
    assert re.fullmatch(r"[a-z0-9-]+\.html", hostile) and len(hostile) <= SLUG_MAX + 5
    assert hostile == "dprk-timeline-con-search-etc-passwd-script.html"
