"""The charts' toolbars in the dashboard download SVG as well as PNG, named after what each chart shows."""

from __future__ import annotations

import os

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.app import ids
from dashboard.app.app import create_app
from tests.conftest import show_claims

pytestmark = pytest.mark.browser

SVG_BUTTON = '.modebar-btn[data-title="Download plot as an SVG (for print)"]'
PNG_BUTTON = '.modebar-btn[data-title="Download plot as a PNG"]'


def test_ib001_every_chart_downloads_svg_and_png_named_after_its_view(dash_duo, bundled_events):
    dash_duo.start_server(create_app(bundled_events))
    dash_duo.wait_for_text_to_equal(f"#{ids.COUNT}", "Showing 89 of 89 events", timeout=30)
    dash_duo.driver.get(dash_duo.server_url + "/?category=treaty")
    dash_duo.wait_for_text_to_equal(f"#{ids.COUNT}", "Showing 6 of 89 events", timeout=30)
    show_claims(dash_duo)
    names = {ids.TIMELINE: "events", ids.MAP: "places", ids.MONTHLY: "events-per-month", ids.CLAIMS: "reported-figures"}
    for graph, word in names.items():
        expected = f"dprk-timeline-{word}-treaty-2024-06-to-2024-12"
        WebDriverWait(dash_duo.driver, 30, poll_frequency=0.1).until(lambda d: d.execute_script(
            "var g = document.querySelector('#%s .js-plotly-plot');"
            "return g && g.layout && g.layout.meta && g.layout.meta.filename;" % graph) == expected)
        dash_duo.wait_for_element(f"#{graph} {SVG_BUTTON}", timeout=10)
        dash_duo.wait_for_element(f"#{graph} {PNG_BUTTON}", timeout=10)
        # one PNG button per chart: ours, in place of plotly's camera (which has the same title)
        assert len(dash_duo.driver.find_elements("css selector", f"#{graph} {PNG_BUTTON}")) == 1
    # the SVG button really downloads the chart as an SVG file of that name
    dash_duo.driver.execute_script("document.querySelector('#%s %s').click();" % (ids.TIMELINE, SVG_BUTTON))
    path = os.path.join(dash_duo.download_path, "dprk-timeline-events-treaty-2024-06-to-2024-12.svg")
    WebDriverWait(dash_duo.driver, 30, poll_frequency=0.1).until(lambda _: os.path.exists(path) and os.path.getsize(path) > 0)
    with open(path, encoding="utf-8") as f:
        assert f.read(200).lstrip().startswith("<svg")
    assert dash_duo.get_logs() == []
