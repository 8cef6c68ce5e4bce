"""The exported report in a real browser: opened from file:// in headless Chromium with the network blocked."""

from __future__ import annotations

import shutil
import time

import pytest
from click.testing import CliRunner

from dashboard.data.events import load_events
from dashboard.cli import export_command
from dashboard.data.filters import Filters, apply_filters
from tests.test_export import hostile_csv

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--window-size=1280,1000",
                # the timeline is WebGL: opt in to software WebGL, else Chromium warns on the console
                "--enable-unsafe-swiftshader",
                # no network at all: every host name fails to resolve and every proxy connection is refused
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(options=options)
    yield browser
    browser.quit()


def export(tmp_path, *args: str):
    result = CliRunner().invoke(export_command, ["--out", str(tmp_path), *args])
    assert result.exit_code == 0, result.output
    return (tmp_path / "index.html").as_uri()


def wait_for(driver, script: str, timeout: float = 20):
    """Poll a JS expression until it is truthy (no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script("return " + script)
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


PLOTTED = "['chart-timeline','chart-map','chart-monthly','chart-claims'].every(id => document.getElementById(id)._fullLayout)"
# points of the timeline's event markers (traces whose customdata holds event ids)
TIMELINE_POINTS = ("document.getElementById('chart-timeline').data"
                   ".filter(t => t.customdata && t.mode === 'markers').reduce((n, t) => n + t.customdata.length, 0)")
MONTHLY_TOTAL = ("document.getElementById('chart-monthly').data"
                 ".reduce((n, t) => n + Array.from(t.y || []).reduce((a, v) => a + (v || 0), 0), 0)")
MAP_TOTAL = "document.getElementById('chart-map').data[0].customdata.length"


def console(driver) -> list[dict]:
    """The page's console messages, minus software GL's performance notes ('GPU stall due to ReadPixels')."""
    return [entry for entry in driver.get_log("browser")
            if not (entry.get("source") == "rendering" and "GL Driver Message" in entry["message"])]


def count_text(driver) -> str:
    return driver.find_element("id", "count").text


def open_report(driver, url: str) -> None:
    driver.get_log("browser")  # drop messages of an earlier page
    driver.get(url)
    assert wait_for(driver, PLOTTED), "the charts were not drawn"


def set_value(driver, element_id: str, value: str) -> None:
    """Set a date input the way a user's picker does (typing dates depends on the browser's locale)."""
    driver.execute_script("var el = document.getElementById(arguments[0]); el.value = arguments[1];"
                          "el.dispatchEvent(new Event('change', {bubbles: true}));", element_id, value)


def test_expb001_offline_report_filters_charts_and_list_together(driver, tmp_path):
    events = load_events()
    open_report(driver, export(tmp_path))
    assert count_text(driver) == "89 of 89 events"
    assert driver.execute_script("return " + TIMELINE_POINTS) == 89  # the timeline draws every event
    assert driver.execute_script("return " + MONTHLY_TOTAL) == 89
    assert driver.execute_script("return document.querySelectorAll('#chart-timeline canvas, #chart-timeline .main-svg').length") > 0
    assert driver.execute_script("return document.querySelectorAll('#chart-map .geo .countries path, #chart-map .geo path').length") > 10

    # a category toggle
    driver.find_element("css selector", "#categories input[value='0']").click()  # diplomacy off
    expected = apply_filters(events, Filters(categories=tuple(c for c in events["category"].cat.categories if c != "diplomacy")))
    n = len(expected)
    assert wait_for(driver, f"document.getElementById('count').textContent === '{n} of 89 events'")
    assert driver.execute_script("return " + TIMELINE_POINTS) == n
    assert driver.execute_script("return " + MONTHLY_TOTAL) == n
    assert driver.execute_script("return document.querySelectorAll('#events li.ev:not([hidden])').length") == n

    # a date range
    driver.find_element("id", "reset").click()
    assert wait_for(driver, "document.getElementById('count').textContent === '89 of 89 events'")
    set_value(driver, "from", "2024-06-19")
    set_value(driver, "to", "2024-12-31")
    n = len(apply_filters(events, Filters(start="2024-06-19", end="2024-12-31")))
    assert 0 < n < 89
    assert wait_for(driver, f"document.getElementById('count').textContent === '{n} of 89 events'")
    assert driver.execute_script("return " + TIMELINE_POINTS) == n
    assert driver.execute_script("return " + MONTHLY_TOTAL) == n

    # search: every word, case-insensitive, in title, description, actors and place
    driver.find_element("id", "reset").click()
    driver.find_element("id", "search").send_keys("KURSK troops")
    n = len(apply_filters(events, Filters(text="KURSK troops")))
    assert 0 < n < 89
    assert wait_for(driver, f"document.getElementById('count').textContent === '{n} of 89 events'")
    assert driver.execute_script("return " + TIMELINE_POINTS) == n
    assert driver.execute_script("return " + MAP_TOTAL) < 15

    # nothing matches
    driver.find_element("id", "search").send_keys(" zzzz")
    assert wait_for(driver, "document.getElementById('count').textContent === '0 of 89 events'")
    assert driver.find_element("id", "no-events").is_displayed()
    assert driver.execute_script("return " + TIMELINE_POINTS) == 0

    assert console(driver) == []
    requests = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert not [r for r in requests if r.startswith(("http:", "https:"))]


def test_expb002_clicking_an_event_shows_its_sources(driver, tmp_path):
    open_report(driver, export(tmp_path, "--category", "treaty"))
    assert count_text(driver) == "6 of 6 events"
    first = driver.find_element("css selector", "#events li.ev")
    sources = first.find_element("css selector", "details.s")
    assert not sources.get_attribute("open")
    first.find_element("css selector", "h3").click()
    assert sources.get_attribute("open")
    link = sources.find_element("css selector", "a")
    assert link.get_attribute("href").startswith("http") and link.get_attribute("rel") == "noopener noreferrer"

    # a click on a timeline marker (plotly's own event, as a user's click emits it)
    driver.execute_script("""
        var gd = document.getElementById('chart-timeline');
        var t = gd.data.findIndex(t => t.customdata && t.customdata.length && t.mode === 'markers');
        gd.emit('plotly_click', {points: [{curveNumber: t, pointNumber: 0, customdata: gd.data[t].customdata[0]}]});
    """)
    panel = driver.find_element("id", "selected")
    assert panel.is_displayed()
    assert panel.find_element("css selector", "details.s").get_attribute("open")
    assert panel.find_elements("css selector", "details.s a[rel='noopener noreferrer'][target='_blank']")
    assert console(driver) == []


def test_expb003_hostile_text_never_runs(driver, tmp_path, write_csv):
    from selenium.common.exceptions import NoAlertPresentException

    open_report(driver, export(tmp_path, "--events", str(hostile_csv(write_csv))))
    assert count_text(driver) == "2 of 2 events"
    driver.find_element("css selector", "#events li.ev h3").click()
    driver.execute_script("""
        var gd = document.getElementById('chart-timeline');
        var t = gd.data.findIndex(t => t.customdata && t.customdata.length && t.mode === 'markers');
        gd.emit('plotly_click', {points: [{curveNumber: t, pointNumber: 0}]});
    """)
    driver.find_element("id", "search").send_keys("script")
    assert wait_for(driver, "document.getElementById('count').textContent === '1 of 2 events'")
    assert driver.execute_script("return typeof window.__xss") == "undefined"
    assert driver.execute_script("return document.querySelectorAll('img').length") == 0
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 (accessing it is the check)
    title = driver.find_element("css selector", "#events li.ev h3").text
    assert title == "</script><script>window.__xss=1</script>\"><img src=x onerror=\"window.__xss=2\">"
    assert console(driver) == []


TIMELINE_BARS = ("document.getElementById('chart-timeline').data.filter(t => t.type === 'bar')"
                 ".reduce((n, t) => n + Array.from(t.customdata || []).reduce((a, v) => a + (+v || 0), 0), 0)")


def test_expb004_aggregate_timeline_recounts_with_the_filters(driver, tmp_path):
    """Above figures.DETAIL_LIMIT events the timeline is bars of counts per lane and period: the report
    recounts them for the visible events, with the list, the count and the monthly chart."""
    from dashboard.data.synthetic import write_synthetic

    path = write_synthetic(tmp_path / "s.csv", 3500)
    events = load_events(path)
    open_report(driver, export(tmp_path / "out", "--events", str(path), "--plotlyjs", "directory"))
    assert count_text(driver) == "3500 of 3500 events"
    assert driver.execute_script("return " + TIMELINE_BARS) == 3500
    assert driver.execute_script("return " + MONTHLY_TOTAL) == 3500

    driver.find_element("css selector", "#categories input[value='0']").click()  # the first lane off
    first = load_schema_first_category()
    n = int((events["category"].astype(str) != first).sum())
    assert wait_for(driver, f"document.getElementById('count').textContent === '{n} of 3500 events'")
    assert driver.execute_script("return " + TIMELINE_BARS) == n
    assert driver.execute_script("return " + MONTHLY_TOTAL) == n

    driver.find_element("id", "reset").click()
    word = events["title"].iat[0].split()[0]
    driver.find_element("id", "search").send_keys(word)
    n = len(apply_filters(events, Filters(text=word)))
    assert 0 < n < 3500
    assert wait_for(driver, f"document.getElementById('count').textContent === '{n} of 3500 events'")
    assert driver.execute_script("return " + TIMELINE_BARS) == n
    assert driver.execute_script("return document.querySelectorAll('#events li.ev:not([hidden])').length") == n
    note = driver.execute_script("return document.getElementById('chart-timeline').layout.annotations.map(a => a.text).join(' ')")
    assert f"{n} of 3500 events" in note
    assert console(driver) == []


def load_schema_first_category() -> str:
    from dashboard.data.schema import load_schema

    return load_schema().category_values[0]


def test_expb005_independently_sourced_and_transliterated_search(driver, tmp_path):
    events = load_events()
    open_report(driver, export(tmp_path))
    driver.find_element("id", "indep").click()
    n = len(apply_filters(events, Filters(independent=True)))
    assert n == 85
    assert wait_for(driver, f"document.getElementById('count').textContent === '{n} of 89 events'")
    assert driver.execute_script("return document.querySelectorAll('#events li.ev:not([hidden])').length") == n
    driver.find_element("id", "reset").click()
    assert wait_for(driver, "document.getElementById('count').textContent === '89 of 89 events'")
    for spelling in ("Szojgu", "Шойгу", "쇼이구"):
        search = driver.find_element("id", "search")
        search.clear()
        search.send_keys(spelling)
        n = len(apply_filters(events, Filters(actors=("Sergei Shoigu",))))
        assert wait_for(driver, f"document.getElementById('count').textContent === '{n} of 89 events'"), spelling
    assert driver.execute_script("return document.querySelectorAll('#events .pt.st').length") > 10  # state media tagged
    assert console(driver) == []


SEARCHES = ["NIS", "UN", "kursk", "Kurs", "SHOÍGU pyongyang", "minister", "treaty signed", "kim jong-un",
            "Kursk kursk KURSK", "zzzz", "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 kursk", "(2024)", "Straße"]


def test_expb006_the_report_searches_by_the_dashboards_rule(driver, tmp_path, bundled_events):
    from dashboard.data.filters import prepare
    from dashboard.data.search import fold

    open_report(driver, export(tmp_path))
    events = prepare(bundled_events)
    for text in SEARCHES:
        shown = driver.execute_script(
            "var box = document.getElementById('search'); box.value = arguments[0];"
            "box.form.dispatchEvent(new Event('change'));"
            "return Array.from(document.querySelectorAll('#events li.ev')).map(li => !li.hidden);", text)
        expected = apply_filters(events, Filters(text=text))
        assert [i for i, s in enumerate(shown) if s] == [int(events.index.get_loc(i)) for i in expected.index], text
    note = driver.execute_script("return document.getElementById('search-note').hidden")
    assert note is True  # the last search was short
    driver.execute_script("var box = document.getElementById('search'); box.value = arguments[0];"
                          "box.form.dispatchEvent(new Event('change'));", " ".join(f"w{i}" for i in range(9)))
    assert driver.execute_script("return document.getElementById('search-note').hidden") is False
    # the fold itself, character by character, over every character both Unicode versions know
    import sys
    import unicodedata
    chars = [chr(c) for c in range(0x20, 0x30000) if unicodedata.category(chr(c)) not in ("Cn", "Cs", "Co")]
    folded = driver.execute_script("return arguments[0].map(window.reportSearch.fold)", chars)
    differ = [(hex(ord(c)), fold(c), js) for c, js in zip(chars, folded) if fold(c) != js]
    assert differ == [], (len(differ), differ[:20], sys.version)


XRANGE = "document.getElementById(arguments[0])._fullLayout.xaxis.range.map(v => String(v).slice(0, 10)).join(' to ')"


def x_range(driver, chart: str) -> str:
    return driver.execute_script("return " + XRANGE, chart)


def test_expb007_date_axes_follow_the_date_filter(driver, tmp_path):
    """The timeline's axis shows the chosen days and the monthly chart the chosen months (issue 10, item 13):
    before, the axis kept the export's full range, so a late range left half the width empty."""
    open_report(driver, export(tmp_path))
    full = {chart: x_range(driver, chart) for chart in ("chart-timeline", "chart-monthly")}
    first, last = full["chart-timeline"].split(" to ")
    assert first < "2023-06-30" and last > "2026-01-05"  # every event of the data

    set_value(driver, "from", "2025-07-01")
    set_value(driver, "to", "2025-12-31")
    assert wait_for(driver, f"({XRANGE.replace('arguments[0]', repr('chart-timeline'))}) === '2025-07-01 to 2026-01-01'"), \
        x_range(driver, "chart-timeline")
    assert x_range(driver, "chart-monthly") == "2025-07-01 to 2026-01-01"

    # one end open: the other follows the events; the monthly chart snaps to whole months
    set_value(driver, "to", "")
    set_value(driver, "from", "2025-09-15")
    assert wait_for(driver, f"({XRANGE.replace('arguments[0]', repr('chart-monthly'))}).startsWith('2025-09-01 to ')")
    start, end = x_range(driver, "chart-timeline").split(" to ")
    assert start == "2025-09-15" and end >= "2026-01-05"  # the newest event (2026-01-05) stays in view

    # a category toggle keeps the range; "Show all" brings back the full range
    driver.find_element("css selector", "#categories input[value='0']").click()
    assert x_range(driver, "chart-timeline").startswith("2025-09-15 to ")
    driver.find_element("id", "reset").click()
    assert wait_for(driver, f"({XRANGE.replace('arguments[0]', repr('chart-timeline'))}) === {full['chart-timeline']!r}"), \
        x_range(driver, "chart-timeline")
    assert x_range(driver, "chart-monthly") == full["chart-monthly"]

    # From after To: the list says why nothing matches, and the axes keep their full range
    set_value(driver, "from", "2025-12-31")
    set_value(driver, "to", "2025-07-01")
    assert wait_for(driver, "document.getElementById('count').textContent === '0 of 89 events'")
    assert driver.find_element("id", "no-events").text == "From is after To: no events can match; swap them."
    assert x_range(driver, "chart-timeline") == full["chart-timeline"]
    assert console(driver) == []


def test_expb008_report_opens_on_the_selected_event(driver, tmp_path):
    """A report downloaded from the dashboard with an event selected opens on that event (issue 10, item 19)."""
    from dashboard.publish.plotlyjs import bundle_js
    from dashboard.publish.report import report_html

    page = tmp_path / "report.html"
    page.write_text(report_html(load_events(), Filters(categories=("treaty",)), event="duma-ratifies-treaty",
                                plotlyjs="directory"), encoding="utf-8")
    (tmp_path / "plotly.min.js").write_text(bundle_js(), encoding="utf-8")  # as the export writes it
    open_report(driver, page.as_uri())
    panel = driver.find_element("id", "selected")
    assert panel.is_displayed() and "Duma" in panel.find_element("css selector", "h3").text
    chosen = driver.find_elements("css selector", "#events li.ev.is-selected")
    assert len(chosen) == 1 and "Duma" in chosen[0].find_element("css selector", "h3").text
    assert chosen[0].find_element("css selector", "details.s").get_attribute("open")
    # scrolled to: the panel is on screen
    assert driver.execute_script("var r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight", panel)
    assert console(driver) == []

