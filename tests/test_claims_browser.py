"""The reported-figures chart in headless Chromium: a panel per quantity, a step line per claimant."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.app import ids
from dashboard.app.app import create_app
from dashboard.data.filters import Filters, apply_filters
from dashboard.views.describe import claims_text
from dashboard.views.figures import claims_figure
from tests.conftest import show_claims

pytestmark = pytest.mark.browser

GRAPH = f"document.querySelector('#{ids.CLAIMS} .js-plotly-plot')"


def test_db040_claims_chart_draws_a_line_per_claimant_and_quantity(dash_duo, bundled_events):
    dash_duo.start_server(create_app(bundled_events))
    dash_duo.wait_for_text_to_equal(f"#{ids.COUNT}", "Showing 89 of 89 events", timeout=30)
    show_claims(dash_duo)
    WebDriverWait(dash_duo.driver, 30, poll_frequency=0.1).until(lambda d: d.execute_script(
        f"var g = {GRAPH}; return g && g._fullLayout && g.querySelectorAll('.scatterlayer .trace .point').length > 0"))
    expected = [t for t in claims_figure(bundled_events).data if t.customdata is not None and len(t.customdata)]
    drawn = dash_duo.driver.execute_script(f"""
        var g = {GRAPH};
        var groups = Array.from(g.querySelectorAll('.scatterlayer .trace')).filter(function (t) {{
            return t.querySelector('.point'); }});
        var lines = g.data.filter(function (t) {{ return t.customdata && t.customdata.length; }});
        return {{groups: groups.length,
                 steps: groups.filter(function (t) {{ return t.querySelector('.js-line'); }}).length,
                 labels: Array.from(g.querySelectorAll('.scatterlayer .trace .textpoint text')).map(function (t) {{ return t.textContent; }}),
                 keys: lines.map(function (t) {{ return t.yaxis + '|' + t.text[t.text.length - 1]; }}),
                 sorted: lines.every(function (t) {{ var x = Array.from(t.x); return x.every(function (v, i) {{ return i === 0 || x[i - 1] <= v; }}); }}),
                 panels: Object.keys(g._fullLayout).filter(function (k) {{ return /^yaxis\\d*$/.test(k); }}).length}};""")
    # one SVG trace group per claimant and quantity, each with its points in time order
    assert drawn["groups"] == len(expected) == len(set(drawn["keys"]))
    assert drawn["sorted"] and drawn["steps"] == drawn["groups"]
    assert drawn["panels"] == len({t.yaxis for t in expected}) == 7
    # the claimants are named on the chart (each line once, at its latest point), not in a legend
    assert sorted(drawn["labels"]) == sorted(t.text[-1] for t in expected)
    assert {"NIS", "NIS (builders)", "UK Ministry of Defence", "Volodymyr Zelensky"} <= set(drawn["labels"])
    assert dash_duo.get_logs() == []


def test_db041_the_claims_chart_is_drawn_when_it_comes_near_the_screen(dash_duo, bundled_events):
    """The page's heaviest chart sits below the first screen: a visit that never scrolls there does not
    download it (its text alternative is there all along); scrolling near it draws it, and from then on it
    follows the filters. Printed before it is drawn, the page leaves its empty frame out."""
    dash_duo.driver.set_window_size(1280, 800)
    dash_duo.start_server(create_app(bundled_events))
    # a new visit, at the top (opening the address the last test left would be a reload, which keeps its scrolling)
    dash_duo.driver.get("about:blank")
    dash_duo.driver.get(dash_duo.server_url)
    dash_duo.wait_for_text_to_equal(f"#{ids.COUNT}", "Showing 89 of 89 events", timeout=30)
    dash_duo.wait_for_element(f"#{ids.MAP} .geo path", timeout=30)
    below = dash_duo.driver.execute_script(
        f"return document.getElementById('{ids.CLAIMS}').getBoundingClientRect().top > 1.5 * window.innerHeight")
    assert below  # (else this test proves nothing)
    import time
    time.sleep(1)
    points = f"return {GRAPH}.querySelectorAll('.scatterlayer .trace .point').length"
    assert dash_duo.driver.execute_script(points) == 0
    text = f"return document.getElementById('{ids.CLAIMS_TEXT}').textContent"
    assert dash_duo.driver.execute_script(text) == claims_text(bundled_events)
    card = f"return getComputedStyle(document.getElementById('{ids.CLAIMS}').closest('section')).display"
    dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert dash_duo.driver.execute_script(card) == "none"
    dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    show_claims(dash_duo)
    WebDriverWait(dash_duo.driver, 30, poll_frequency=0.1).until(lambda d: d.execute_script(points) > 0)
    dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    WebDriverWait(dash_duo.driver, 10, poll_frequency=0.1).until(lambda d: d.execute_script(card) != "none")
    dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    dash_duo.driver.execute_script("window.scrollTo(0, 0)")
    dash_duo.driver.get(dash_duo.server_url + "/?category=treaty")  # a new page: asked for again once near
    dash_duo.wait_for_text_to_equal(f"#{ids.COUNT}", "Showing 6 of 89 events", timeout=30)
    treaty = claims_text(apply_filters(bundled_events, Filters(categories=("treaty",))))
    WebDriverWait(dash_duo.driver, 30, poll_frequency=0.1).until(lambda d: d.execute_script(text) == treaty)
    show_claims(dash_duo)
    WebDriverWait(dash_duo.driver, 30, poll_frequency=0.1).until(lambda d: d.execute_script(points) > 0)
    assert dash_duo.get_logs() == []
