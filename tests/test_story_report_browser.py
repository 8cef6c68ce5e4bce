"""Story mode in the exported report, opened from file:// in headless Chromium with the network blocked: the
same slides as the dashboard, ?story=N in the address, buttons and arrow keys, Escape, the filters left alone."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.views.story import story_events
from tests.test_export_browser import console, driver, export, open_report  # noqa: F401 (driver is a fixture)

pytestmark = pytest.mark.browser


REPORT_STATE = """
var gd = document.getElementById('chart-timeline');
if (!gd || !gd._fullLayout) return null;
var rings = (gd.layout.shapes || []).filter(function (s) { return s.type === 'circle'; });
return {position: document.getElementById('story-position').textContent, shown: !document.getElementById('story').hidden,
        search: location.search, rings: rings.map(function (s) { return [String(s.xanchor), s.yanchor]; }),
        range: gd._fullLayout.xaxis.range.map(String), slide: document.getElementById('story-slide').textContent};
"""


def _report_slide(driver, search: str, position: str, title: str | None, date: str | None) -> dict:
    def ready(d):
        state = d.execute_script(REPORT_STATE)
        ok = (state and state["search"] == search and state["position"] == position and state["shown"]
              and (title is None or title in state["slide"])
              and (date is None or (len(state["rings"]) == 1 and state["range"][0][:10] < date < state["range"][1][:10])))
        return state if ok else False
    return WebDriverWait(driver, 15, poll_frequency=0.05).until(ready, f"report on {search}")


def test_db042_exported_report_has_the_same_story_offline(driver, tmp_path, bundled_events):
    keys = story_events(bundled_events)
    n = len(keys)
    url = export(tmp_path)
    open_report(driver, url + "?story=3")
    _report_slide(driver, "?story=3", f"Key event 3 of {n}", keys["title"].iat[2], keys["date"].iat[2])
    slide = driver.find_element("id", "story-slide")
    assert keys["label"].iat[2] in slide.get_attribute("textContent")
    assert all(a.get_attribute("href").startswith(("http://", "https://")) for a in slide.find_elements("css selector", "a"))
    driver.find_element("id", "story-next").click()
    _report_slide(driver, "?story=4", f"Key event 4 of {n}", keys["title"].iat[3], keys["date"].iat[3])
    driver.find_element("id", "story-prev").click()
    _report_slide(driver, "?story=3", f"Key event 3 of {n}", keys["title"].iat[2], keys["date"].iat[2])
    ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
    _report_slide(driver, "?story=4", f"Key event 4 of {n}", keys["title"].iat[3], keys["date"].iat[3])
    ActionChains(driver).send_keys(Keys.ARROW_LEFT).perform()
    _report_slide(driver, "?story=3", f"Key event 3 of {n}", keys["title"].iat[2], keys["date"].iat[2])

    # the report's own filters are left alone, and Escape gives back the whole timeline
    driver.find_element("css selector", "#categories input[value='1']").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_element("id", "count").text != "89 of 89 events")
    count = driver.find_element("id", "count").text
    driver.execute_script("document.activeElement.blur()")  # (keys typed into a form control are its own)
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.getElementById('story').hidden && location.search === ''"))
    assert driver.execute_script("return (document.getElementById('chart-timeline').layout.shapes || []).filter(s => s.type === 'circle').length") == 0
    assert driver.find_element("id", "count").text == count

    # the Story button opens the title slide; a bad step in a link is named and dropped
    driver.find_element("id", "story-start").click()
    state = _report_slide(driver, "?story=0", f"Introduction (slide 0 of {n})", f"The story in {n} key events", None)
    assert f"{len(bundled_events)} events in the data, {n} of them key events." in state["slide"]
    open_report(driver, url + "?story=abc")
    WebDriverWait(driver, 10).until(lambda d: d.find_element("id", "story-notice").is_displayed())
    assert driver.find_element("id", "story-notice").text == f"Ignored in the link: story 'abc' (not a slide number: 0 to {n})."
    assert driver.execute_script("return location.search") == "" and not driver.find_element("id", "story").is_displayed()
    assert console(driver) == []
