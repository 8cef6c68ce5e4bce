"""The event panel, the link notice, the CSV download and long words, as a reader sees them in Chromium."""

from __future__ import annotations

import csv
import io
import os

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.app import ids
from dashboard.app.app import create_app
from dashboard.views.detail import INTRO
from tests.conftest import HEADER, row, show_table

pytestmark = pytest.mark.browser


def wait_until(dash_duo, script: str, timeout: float = 20, show: str = "null"):
    """Wait until a JavaScript expression is true in the page (on timeout, say what ``show`` was)."""
    try:
        WebDriverWait(dash_duo.driver, timeout, poll_frequency=0.1).until(lambda d: d.execute_script("return " + script))
    except TimeoutException:
        raise AssertionError(f"{script} (found {dash_duo.driver.execute_script('return ' + show)})") from None


def settled(dash_duo) -> None:
    """Every chart drawn and no callback pending, so a click is not overtaken by the page's first updates."""
    dash_duo.wait_for_element(f"#{ids.TIMELINE} .main-svg", timeout=30)
    drawn = "!document.documentElement.classList.contains('claims-pending')"  # (assets/drawn.js)
    if not dash_duo.driver.execute_script("return " + drawn):
        # the claims chart is drawn once it comes near the screen (tests/test_claims_browser.py): asked for
        # here as the page does, without scrolling, which would move where the next Tab starts
        wait_until(dash_duo, "!!(window.dash_clientside && typeof window.dash_clientside.set_props === 'function')", 30)
        dash_duo.driver.execute_script("window.dash_clientside.set_props(arguments[0], {data: true})", ids.CLAIMS_WANTED)
        wait_until(dash_duo, drawn, 30)
    # the table follows the view only while it is near the screen: told it is, as the page would when it comes near
    wait_until(dash_duo, "document.documentElement.hasAttribute('data-table-near')", 30)
    dash_duo.driver.execute_script("window.dash_clientside.set_props(arguments[0], {data: true})", ids.TABLE_WANTED)
    wait_until(dash_duo, f"document.getElementById('{ids.TABLE_PAGE_TEXT}').textContent.length > 0", 30)
    wait_until(dash_duo, "document.querySelectorAll('[data-dash-is-loading=\"true\"]').length === 0", 30)


def top_of(selector: str) -> str:
    return f"document.querySelector({selector!r}).getBoundingClientRect().top"


def test_vb001_panel_follows_the_url_and_a_bad_link_is_named(dash_duo, bundled_events):
    dash_duo.start_server(create_app(bundled_events))
    dash_duo.driver.get(dash_duo.server_url + "/?event=treaty-signed")
    dash_duo.wait_for_contains_text(f"#{ids.DETAIL}", "Treaty on Comprehensive Strategic Partnership", timeout=30)
    settled(dash_duo)
    dash_duo.find_element(f"#{ids.CATEGORY} input[value='sanctions']").click()
    dash_duo.wait_for_contains_text(f"#{ids.DETAIL}", "This event is outside the current filters", timeout=20)
    assert "Treaty on Comprehensive Strategic Partnership" in dash_duo.find_element(f"#{ids.DETAIL}").text
    dash_duo.find_element(f"#{ids.CLEAR}").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.DETAIL}", INTRO, timeout=20)
    wait_until(dash_duo, "window.location.search === ''")

    # a link naming values the data does not have: shown and dropped, the rest of the link applies
    hostile = "%3Cimg+src%3Dx+onerror%3D%22window.__xss%3D1%22%3E"
    dash_duo.driver.get(dash_duo.server_url + f"/?category=bogus&actor={hostile}&category=treaty")
    dash_duo.wait_for_text_to_equal(
        f"#{ids.LINK_NOTICE}", "Ignored in the link: category 'bogus' (no such category); "
        "actor '<img src=x onerror=\"window.__xss=1\">' (no such actor in the data).", timeout=30)
    dash_duo.wait_for_text_to_equal(f"#{ids.COUNT}", "Showing 6 of 89 events", timeout=20)
    wait_until(dash_duo, "window.location.search === '?category=treaty'")
    assert dash_duo.driver.execute_script("return window.__xss === undefined && !document.querySelector('img[src=x]')")
    # the next change of view takes the notice away
    settled(dash_duo)
    dash_duo.find_element(f"#{ids.CLEAR}").click()
    wait_until(dash_duo, f"document.getElementById({ids.LINK_NOTICE!r}).hidden")

    # a date the inputs cannot show is dropped, never left as an invisible filter
    dash_duo.driver.get(dash_duo.server_url + "/?from=0001-01-01")
    dash_duo.wait_for_contains_text(f"#{ids.LINK_NOTICE}", "from '0001-01-01' (outside the years 1900–2100)", timeout=30)
    wait_until(dash_duo, "window.location.search === ''")
    assert dash_duo.find_element(f"#{ids.DATE_FROM}").get_attribute("value") == ""
    assert dash_duo.get_logs() == []


def test_vb002_choosing_an_event_far_away_brings_the_panel_and_a_way_back(dash_duo, bundled_events):
    dash_duo.start_server(create_app(bundled_events))
    dash_duo.wait_for_text_to_equal(f"#{ids.COUNT}", "Showing 89 of 89 events", timeout=30)
    settled(dash_duo)
    panel = f"#{ids.DETAIL_PANEL}"
    in_view = f"({top_of(panel)} >= -1 && {top_of(panel)} < window.innerHeight / 2)"

    # a point of the reported-figures chart, well below the panel
    point = dash_duo.find_element(f"#{ids.CLAIMS} .scatterlayer .point")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", point)
    card = f"#{ids.CLAIMS}"
    before = dash_duo.driver.execute_script(f"return {top_of(panel)}")
    assert before < 0  # the panel is out of sight, above
    # where the chart is on screen when clicked (selenium may scroll to reach the point)
    card_top = f"document.querySelector({card!r}).closest('section').getBoundingClientRect().top"
    dash_duo.driver.execute_script(f"document.addEventListener('pointerdown', function () {{ window.__chartTop = {card_top}; }}, true)")
    ActionChains(dash_duo.driver).move_to_element(point).click().perform()
    chart_top = dash_duo.driver.execute_script("return window.__chartTop")
    wait_until(dash_duo, "window.location.search.indexOf('event=') >= 0")
    dash_duo.wait_for_contains_text(f"#{ids.DETAIL}", "Sources (", timeout=20)
    settled(dash_duo)
    wait_until(dash_duo, in_view)
    assert dash_duo.driver.execute_script("return document.activeElement.id") == ids.DETAIL_PANEL
    back = dash_duo.find_element(f"#{ids.DETAIL_BACK}")
    assert back.is_displayed() and back.text == "↩ Back to the reported figures"
    back.click()
    wait_until(dash_duo, f"Math.abs({card_top} - {chart_top}) < 3", show=card_top)
    assert dash_duo.driver.execute_script(f"return document.activeElement === document.querySelector({card!r}).closest('section')")
    assert not back.is_displayed()

    # a title in the table: the page used to jump to its top, losing the reader's place
    link = dash_duo.find_elements(f"#{ids.TABLE_BODY} tr th a")[20]
    event, title = link.find_element("xpath", "./ancestor::tr").get_attribute("data-event"), link.text
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    row_top = dash_duo.driver.execute_script("return arguments[0].getBoundingClientRect().top", link)
    link.click()
    wait_until(dash_duo, f"window.location.search.indexOf('event={event}') >= 0")
    dash_duo.wait_for_contains_text(f"#{ids.DETAIL}", title, timeout=20)
    settled(dash_duo)
    wait_until(dash_duo, in_view)
    assert dash_duo.driver.execute_script("return document.activeElement.id") == ids.DETAIL_PANEL
    assert back.text == "↩ Back to the table"
    back.click()
    again = f'#{ids.TABLE_BODY} tr[data-event="{event}"] a'
    wait_until(dash_duo, f"Math.abs({top_of(again)} - {row_top}) < 3", show=top_of(again))
    assert dash_duo.driver.execute_script(f"return document.activeElement === document.querySelector({again!r})")
    assert dash_duo.get_logs() == []


def test_vb003_csv_download_is_what_the_table_shows(dash_duo, bundled_events):
    dash_duo.start_server(create_app(bundled_events))
    show_table(dash_duo)
    dash_duo.wait_for_text_to_equal(f"#{ids.TABLE_PAGE_TEXT}", "Rows 1–25 of 89", timeout=30)
    settled(dash_duo)
    dash_duo.find_element(f"#{ids.TABLE_SEARCH}").send_keys("Kursk\n")
    dash_duo.wait_for_text_to_equal(f"#{ids.TABLE_PAGE_TEXT}", "Rows 1–25 of 36", timeout=20)
    shown = [tr.get_attribute("data-event") for tr in dash_duo.find_elements(f"#{ids.TABLE_BODY} tr")]
    dash_duo.find_element(f"#{ids.TABLE_DOWNLOAD_BUTTON}").click()
    path = dash_duo.download_path + "/dprk-timeline-events.csv"
    WebDriverWait(dash_duo.driver, 20, poll_frequency=0.1).until(lambda _: os.path.exists(path) and os.path.getsize(path) > 0)
    with open(path, "rb") as f:
        data = f.read()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    # every row the table holds, on every page, in its order: this page first
    assert len(rows) == 36
    assert [r["id"] for r in rows][:len(shown)] == shown
    assert dash_duo.get_logs() == []


LONG = "X" * 294


def test_vb004_a_long_word_never_widens_the_page(dash_duo, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(HEADER + "\n" + row(id="long", title=LONG, description=LONG, actors=LONG, place=LONG,
                                        latitude="39.0", longitude="125.7", figures=f"about 10 | troops | {LONG}",
                                        sources=f"{LONG} | {LONG} | https://example.org/{LONG} | 2024-06-19") + "\n", encoding="utf-8")
    dash_duo.start_server(create_app(csv_path=path))
    dash_duo.driver.get(dash_duo.server_url + f"/?event=long&actor={LONG}&place={LONG}")
    dash_duo.wait_for_contains_text(f"#{ids.DETAIL}", LONG[:50], timeout=30)
    dash_duo.wait_for_contains_text(f"#{ids.COUNT}", "Showing 1 of 1 events", timeout=30)
    settled(dash_duo)
    for width in (1280, 360):
        dash_duo.driver.set_window_size(width, 900)
        # (the charts follow a new window width a moment later: wait for them)
        wait_until(dash_duo, f"window.innerWidth <= {width} && document.documentElement.scrollWidth <= window.innerWidth", 10,
                   show="[document.documentElement.scrollWidth, window.innerWidth]")
    # a phone keeps the filters (with the long actor and place in them) closed until asked: open them too
    dash_duo.find_element(f"#{ids.FILTERS_TOGGLE}").click()
    wait_until(dash_duo, f"getComputedStyle(document.getElementById({ids.FILTERS!r})).display !== 'none' && "
                         "document.documentElement.scrollWidth <= window.innerWidth", 10,
               show="[document.documentElement.scrollWidth, window.innerWidth]")
    assert dash_duo.get_logs() == []
