"""The CSV download, as a reader gets it in Chromium."""

from __future__ import annotations

import csv
import io
import os

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import ids
from dashboard.app import create_app

pytestmark = pytest.mark.browser


def wait_until(dash_duo, script: str, timeout: float = 20, show: str = "null"):
    """Wait until a JavaScript expression is true in the page (on timeout, say what ``show`` was)."""
    try:
        WebDriverWait(dash_duo.driver, timeout, poll_frequency=0.1).until(lambda d: d.execute_script("return " + script))
    except TimeoutException:
        raise AssertionError(f"{script} (found {dash_duo.driver.execute_script('return ' + show)})") from None


def settled(dash_duo) -> None:
    """Every chart drawn and no callback pending, so a click is not overtaken by the page's first updates."""
    for graph in (ids.TIMELINE, ids.CLAIMS):
        dash_duo.wait_for_element(f"#{graph} .main-svg", timeout=30)
    wait_until(dash_duo, "document.querySelectorAll('[data-dash-is-loading=\"true\"]').length === 0", 30)


def top_of(selector: str) -> str:
    return f"document.querySelector({selector!r}).getBoundingClientRect().top"


def test_vb003_csv_download_is_what_the_table_shows(dash_duo, bundled_events):
    dash_duo.start_server(create_app(bundled_events))
    dash_duo.wait_for_text_to_equal(f"#{ids.TABLE_PAGE_TEXT}", "Rows 1–50 of 76", timeout=30)
    settled(dash_duo)
    dash_duo.find_element(f"#{ids.TABLE_SEARCH}").send_keys("Kursk\n")
    dash_duo.wait_for_text_to_equal(f"#{ids.TABLE_PAGE_TEXT}", "Rows 1–32 of 32", timeout=20)
    shown = [tr.get_attribute("data-event") for tr in dash_duo.find_elements(f"#{ids.TABLE_BODY} tr")]
    dash_duo.find_element(f"#{ids.TABLE_DOWNLOAD_BUTTON}").click()
    path = dash_duo.download_path + "/dprk-timeline-events.csv"
    WebDriverWait(dash_duo.driver, 20, poll_frequency=0.1).until(lambda _: os.path.exists(path) and os.path.getsize(path) > 0)
    with open(path, "rb") as f:
        data = f.read()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r["id"] for r in rows] == shown
    assert dash_duo.get_logs() == []
