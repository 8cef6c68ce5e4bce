"""The benchmark (bench/run.py) runs end to end at a tiny N, so it cannot rot.

It checks that every section is measured and the numbers are sane, not that they are fast.
The browser part runs too when Chromium is installed (in CI it must be).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.publish.plotlyjs import BUNDLE, bundles

ROOT = Path(__file__).resolve().parent.parent
HAS_BROWSER = bool(shutil.which("chromium") and shutil.which("chromedriver"))


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    if not HAS_BROWSER and os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail("the benchmark's browser part needs chromium and chromium-driver (CI never skips it)")
    out = tmp_path_factory.mktemp("bench")
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--sizes", "200",
                           "--out", str(out / "performance.md"), "--json", str(out / "performance.json")],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((out / "performance.json").read_text()), (out / "performance.md").read_text(), done


def test_bench001_every_section_is_measured(bench):
    report, _, _ = bench
    assert report["quick"] is True and len(report["sizes"]) == 1
    size = report["sizes"][0]
    assert size["events"] == 200 and size["file_bytes"] > 10_000
    assert 0 < size["read_csv_ms"] and 0 < size["load_ms"] < 60_000
    names = [row["interaction"] for row in size["server"]]
    assert names[:5] == ["initial view (all events)", "category filter", "text search", "date range (zoom/brush)", "select event"]
    for row in size["server"][:5]:
        assert 0 < row["ms"] < 60_000 and row["bytes"] > row["gzip"] > 0, row
        assert row["base_ms"] > 0 and row["base_bytes"] > row["base_gzip"] > 0, row
    assert size["server"][0]["events"] == 200 and 0 < size["server"][1]["events"] < 200
    export = size["export"]
    assert "error" not in export, export
    # inline: a plotly.js in each of the 5 files (a chart page may carry a smaller bundle than the shared one)
    assert export["inline_bytes"] > 3 * export["plotlyjs_bytes"] > export["directory_bytes"] - export["plotlyjs_bytes"] > 0
    assert export["directory_files"]["plotly.min.js"] == export["plotlyjs_bytes"]
    assert export["timeline_per_event"] > 0 and export["all_per_event"] > export["charts_per_event"] > 0
    for key in ("mem_after_load", "mem_after_interactions"):
        assert 30 < size[key]["VmHWM"] < 4000, size.get("browser_error")
    assert size["mem_after_interactions"]["VmHWM"] >= size["mem_after_load"]["VmHWM"]
    # the whole validate command and its baseline, a whole read_csv process
    assert size["validate_cmd_ms"] > 0 and size["read_csv_cmd_ms"] > 0, size.get("validate_cmd_error")


@pytest.mark.skipif(not HAS_BROWSER, reason="chromium/chromedriver not installed (apt-get install chromium chromium-driver)")
def test_bench002_browser_numbers(bench):
    report, _, _ = bench
    size = report["sizes"][0]
    assert "browser_error" not in size, size.get("browser_error")
    assert 100 < report["floor_ms"] < 60_000
    assert 100 < size["first_paint_ms"] < 60_000 and 100 < size["px_first_paint_ms"] < 60_000
    assert 0 < size["zoom_redraw_ms"] < 30_000 and 0 < size["px_zoom_ms"] < 30_000
    assert size["zoom_settled_ms"] >= size["zoom_redraw_ms"]
    # the page weight counts plotly.js itself (our partial bundle, not the full plotly.min.js), compressed,
    # plus the rest of the page
    assert 500_000 < size["page_plotly"] < report["plotlyjs"]["bytes"]
    assert size["page_bytes"] > size["page_plotly"] and size["page_decoded"] > bundles()[BUNDLE].size
    # the baseline is the full plotly.js as the same server compresses it, larger than our bundle sent
    assert size["page_plotly"] < size["full_plotly_served"] < report["plotlyjs"]["bytes"]


def test_bench003_report_lists_machine_tables_and_targets(bench):
    report, text, done = bench
    for heading in ("## Machine", "## Targets (issues 5 and 13)", "## Validate + load", "## Server: interactions",
                    "## Browser: first paint and zoom", "## Page weight of a first load", "## Export", "## Server memory"):
        assert heading in text
    assert "| N = 200 |" in text and report["machine"]["cores"] >= 1 and report["machine"]["python"] in text
    assert [t["key"] for t in report["targets"]] == ["first_paint", "server_time", "zoom", "load", "page_weight",
                                                     "page_weight_full", "export_overhead", "memory", "export_inline",
                                                     "first_paint_px", "validate_cmd", "zoom_views", "bundled"]
    for target in report["targets"]:
        assert target["status"] in ("met", "NOT met", "n/a")
        assert f"| {target['target']} | **{target['status']}** |" in text
    assert "100k not measured in this run" in text  # a tiny run never claims the 100k targets
    assert "<!-- bench-json" in text  # the next run compares the bundled size with these numbers
    assert "| load_events" in done.stdout or "`load_events`" in done.stdout  # the table is printed too
