"""Key-event captions in headless Chromium: drawn on load without hovering, apart from each other, above the
lanes and inside the chart, on a laptop's and a phone's width, in the dashboard and the exported report."""

from __future__ import annotations

import math

import numpy as np
import pytest
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.app import ids
from dashboard.app.app import create_app
from dashboard.views.figures.captions import place_captions
from tests.test_export_browser import driver, export, open_report  # noqa: F401 (driver is a fixture)

pytestmark = pytest.mark.browser

# Each caption's box (its annotation's text group), the chart's box and the plot's top, in page pixels.
CAPTIONS = """
var graph = document.querySelector(arguments[0]);
if (!graph || !graph._fullLayout || !graph._fullLayout._size || !window.dprkCaptions) return null;
var outer = graph.getBoundingClientRect(), size = graph._fullLayout._size;
return {
  width: window.innerWidth, settled: window.dprkCaptions.settled(graph), drawnWidth: graph._fullLayout.width,
  chart: [outer.left, outer.top, outer.right, outer.bottom], plotTop: outer.top + size.t,
  captions: Array.from(graph.querySelectorAll('.annotation-text-g')).map(function (g) {
    var r = g.getBoundingClientRect();
    return {text: g.textContent, box: [r.left, r.top, r.right, r.bottom]};
  })
};
"""


def settled_captions(driver, selector: str, width: int, timeout: float = 30) -> dict:
    """The captions once assets/captions.js has placed them for the chart as drawn at this width."""
    def ready(d):
        found = d.execute_script(CAPTIONS, selector)
        ok = (found is not None and found["width"] == width and found["settled"] == len(found["captions"])
              and found["chart"][2] <= width + 1
              and abs(found["drawnWidth"] - (found["chart"][2] - found["chart"][0])) < 2)  # plotly has caught up
        return found if ok else False
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(ready)


def assert_readable(found: dict, labels: set[str]) -> None:
    """Every caption is a key event's label, and the boxes are apart, above the lanes and inside the chart."""
    boxes = [c["box"] for c in found["captions"]]
    assert all(c["text"].replace(" ", "") in {label.replace(" ", "") for label in labels} for c in found["captions"])
    left, top, right, bottom = found["chart"]
    for x0, y0, x1, y1 in boxes:
        assert left - 0.5 <= x0 and x1 <= right + 0.5 and top - 0.5 <= y0 and y1 <= bottom + 0.5, found  # never cut
        assert y1 <= found["plotTop"] + 0.5  # in the band above the plot: never over a marker
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] + 0.5 or b[2] <= a[0] + 0.5 or a[3] <= b[1] + 0.5 or b[3] <= a[1] + 0.5, (a, b)


def test_db020_key_event_captions_on_load_apart_and_inside_at_1280_and_390(dash_duo, bundled_events):
    labels = set(bundled_events.loc[bundled_events["label"] != "", "label"])
    selector = f"#{ids.TIMELINE} .js-plotly-plot"
    dash_duo.start_server(create_app(bundled_events))
    shown = {}
    for width, reload in ((1280, True), (390, False), (390, True)):  # (390, False): the window shrinks
        dash_duo.driver.set_window_size(width, 900)  # (Chromium's --window-size stops at 500 px; this does not)
        if reload:
            dash_duo.driver.get(dash_duo.server_url)
            # (the count is in the filters, which a phone keeps closed: their text, not what is on screen)
            WebDriverWait(dash_duo.driver, 30).until(lambda d: d.execute_script(
                f"var e = document.getElementById({ids.COUNT!r}); return e && e.textContent") == "Showing 89 of 89 events")
        found = settled_captions(dash_duo.driver, selector, width)
        assert_readable(found, labels)
        texts = [c["text"].replace(" ", "") for c in found["captions"]]
        assert "TreatysignedinPyongyang" in texts  # importance 1 is always shown
        shown[width] = len(texts)
    assert 3 <= shown[390] < shown[1280]
    assert dash_duo.get_logs() == []


def test_db021_the_browser_places_captions_as_python_does(dash_duo, bundled_events):
    dash_duo.start_server(create_app(bundled_events))
    settled_captions(dash_duo.driver, f"#{ids.TIMELINE} .js-plotly-plot", 1280)
    rng = np.random.default_rng(7)
    for _ in range(30):
        n = int(rng.integers(0, 25))
        x = [None if rng.random() < 0.1 else float(v) for v in rng.uniform(-40, 940, n)]
        widths = rng.uniform(30, 280, n).tolist()
        levels = int(rng.integers(1, 5))
        browser = dash_duo.driver.execute_script(
            "return window.dprkCaptions.place(arguments[0], arguments[1], 2, 898, arguments[2], 6)", x, widths, levels)
        python = place_captions([math.nan if v is None else v for v in x], widths, lo=2, hi=898, levels=levels, gap=6)
        assert [tuple(spot) for spot in browser] == python


def test_expb010_report_captions_follow_the_width_and_the_filters(driver, tmp_path, bundled_events):  # noqa: F811
    labels = set(bundled_events.loc[bundled_events["label"] != "", "label"])
    url = export(tmp_path)
    try:
        for width in (1280, 390):
            driver.set_window_size(width, 900)
            open_report(driver, url)
            found = settled_captions(driver, "#chart-timeline", width)
            assert_readable(found, labels)
            assert "TreatysignedinPyongyang" in [c["text"].replace(" ", "") for c in found["captions"]]
        # unticking the Treaty lane hides its events, and so their captions; the others are placed again
        driver.find_element("css selector", "#categories input[value='1']").click()
        WebDriverWait(driver, 30, poll_frequency=0.05).until(lambda d: "TreatysignedinPyongyang" not in [
            c["text"].replace(" ", "") for c in settled_captions(d, "#chart-timeline", 390)["captions"]])
        assert_readable(settled_captions(driver, "#chart-timeline", 390), labels)
    finally:
        driver.set_window_size(1280, 1000)
