"""The dashboard on a phone (390 px) and on paper, in headless Chromium: the timeline on the first screen,
filters behind a button that counts them, table rows as cards, nothing scrolling sideways, whole year
labels; printing leaves out the controls; a reader who prefers dark gets a dark page in the dashboard
and the report, with the charts on their light paper."""

from __future__ import annotations

import pytest

from dashboard.app import ids
from dashboard.app.app import create_app
from tests.test_export_browser import driver, export, open_report  # noqa: F401 (driver is a fixture)
from tests.test_views_browser import settled, wait_until
from tests.conftest import show_claims, show_table

pytestmark = pytest.mark.browser

PHONE = (390, 844)


def _display(dash_duo, selector: str) -> str:
    return dash_duo.driver.execute_script(f"return getComputedStyle(document.querySelector({selector!r})).display")


def test_ph001_a_phone_sees_the_timeline_first_and_opens_the_filters_from_a_button(dash_duo, bundled_events):
    dash_duo.driver.set_window_size(*PHONE)
    dash_duo.start_server(create_app(bundled_events))
    dash_duo.driver.get(dash_duo.server_url + "/?category=treaty&q=treaty")
    dash_duo.wait_for_text_to_equal(f"#{ids.FILTERS_TOGGLE}", "Filters (2 active)", timeout=30)
    dash_duo.wait_for_element(f"#{ids.TIMELINE} .scatterlayer .point", timeout=30)
    settled(dash_duo)
    script = dash_duo.driver.execute_script
    # the title, the one-line summary and the timeline's top on the first screen; the filters closed
    assert script(f"return document.getElementById({ids.TIMELINE!r}).getBoundingClientRect().top") < script("return window.innerHeight")
    assert "sourced events from" in dash_duo.find_element("header.top").text
    assert _display(dash_duo, f"#{ids.FILTERS}") == "none"
    # nothing scrolls sideways, and the year labels under the timeline are whole (not under its style key)
    assert script("return document.documentElement.scrollWidth") <= script("return window.innerWidth")
    years = script(f"""return Array.from(document.querySelectorAll('#{ids.TIMELINE} .xtick text')).map(function (t) {{
        var r = t.getBoundingClientRect(); return [t.textContent, r.bottom]; }})""")
    key_top = script(f"return document.querySelector('#{ids.TIMELINE} .infolayer .legend2').getBoundingClientRect().top")
    assert years and all(bottom <= key_top for _, bottom in years), (years, key_top)

    toggle = dash_duo.find_element(f"#{ids.FILTERS_TOGGLE}")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    wait_until(dash_duo, f"getComputedStyle(document.getElementById({ids.FILTERS!r})).display !== 'none'")
    assert toggle.get_attribute("aria-expanded") == "true"
    dash_duo.find_element(f"#{ids.CLEAR}").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.FILTERS_TOGGLE}", "Filters", timeout=20)
    toggle.click()
    wait_until(dash_duo, f"getComputedStyle(document.getElementById({ids.FILTERS!r})).display === 'none'")
    assert dash_duo.get_logs() == []


def test_ph002_table_rows_are_cards_on_a_phone_and_printing_leaves_out_the_controls(dash_duo, bundled_events):
    dash_duo.driver.set_window_size(*PHONE)
    dash_duo.start_server(create_app(bundled_events))
    show_table(dash_duo)
    dash_duo.wait_for_element(f"#{ids.TABLE_BODY} tr", timeout=30)
    row = f"#{ids.TABLE_BODY} tr"
    assert _display(dash_duo, row) == "flex"
    # the title leads each card; the other columns are named in it
    first = dash_duo.driver.execute_script(f"""var tr = document.querySelector({row!r});
        var th = tr.querySelector('th'), place = tr.querySelector('td[data-label=Place]');
        return [th.getBoundingClientRect().top <= tr.querySelector('td').getBoundingClientRect().top,
                getComputedStyle(place, '::before').content];""")
    assert first == [True, '"Place: "']
    assert dash_duo.driver.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
    # the claimants' direct labels would overlap at this width: a tap names the claimant instead
    show_claims(dash_duo)
    dash_duo.wait_for_element(f"#{ids.CLAIMS} .scatterlayer .textpoint", timeout=30)
    assert _display(dash_duo, f"#{ids.CLAIMS} .scatterlayer .textpoint") == "none"

    dash_duo.driver.set_window_size(1280, 900)
    assert _display(dash_duo, f"#{ids.CLAIMS} .scatterlayer .textpoint") != "none"
    dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert _display(dash_duo, f"#{ids.FILTERS}") == "none"
        assert _display(dash_duo, ".pager") == "none" and _display(dash_duo, ".modebar-container") == "none"
        assert _display(dash_duo, f"#{ids.TIMELINE}") != "none"
    finally:
        dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert _display(dash_duo, f"#{ids.FILTERS}") != "none"


DARK = {"features": [{"name": "prefers-color-scheme", "value": "dark"}]}
# the luminance contrast of two computed CSS colours (WCAG 2's formula)
CONTRAST = """
function lum(c) { var v = c.match(/[0-9.]+/g).slice(0, 3).map(function (x) { x = x / 255;
  return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; }
function bg(el) { while (el) { var b = getComputedStyle(el).backgroundColor; if (b !== 'rgba(0, 0, 0, 0)') return b; el = el.parentElement; } return 'rgb(255, 255, 255)'; }
var el = document.querySelector(arguments[0]), a = lum(getComputedStyle(el).color), b = lum(bg(el));
return [bg(el), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
"""


def test_ph003_a_reader_who_prefers_dark_gets_a_dark_page_with_the_charts_on_light_paper(dash_duo, driver, bundled_events, tmp_path):
    dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", DARK)
    dash_duo.start_server(create_app(bundled_events))
    dash_duo.wait_for_element(f"#{ids.TIMELINE} .scatterlayer .point", timeout=30)
    page = dash_duo.driver.execute_script("return getComputedStyle(document.documentElement).backgroundColor")
    header, _ = dash_duo.driver.execute_script(CONTRAST, "h1")
    assert (page, header) == ("rgb(17, 21, 28)", "rgb(26, 32, 41)")
    for text in (f"#{ids.CATEGORY} label", f"#{ids.COUNT}", "header.top p", "section.card h2"):
        background, ratio = dash_duo.driver.execute_script(CONTRAST, text)
        assert ratio >= 4.5, (text, background, ratio)
    chart_card, _ = dash_duo.driver.execute_script(CONTRAST, f"section:has(#{ids.TIMELINE}) h2")
    assert chart_card == "rgb(255, 255, 255)"  # the category colours keep the paper they were chosen for
    assert dash_duo.get_logs() == []

    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", DARK)
    try:
        open_report(driver, export(tmp_path))
        body, ratio = driver.execute_script(CONTRAST, "h1")
        assert body == "rgb(17, 21, 28)" and ratio >= 4.5
        assert driver.execute_script("return getComputedStyle(document.querySelector('.chart')).backgroundColor") == "rgb(255, 255, 255)"
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
