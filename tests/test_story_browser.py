"""Story mode in headless Chromium: a link opens a slide, the buttons and arrow keys step through the key
events (the URL and the timeline's ring follow), Escape and Leave story give back the filters as they were."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.app import ids
from dashboard.app.app import create_app
from dashboard.views.story import story_events
from tests.test_dashboard_browser import _settled

pytestmark = pytest.mark.browser

# the event the timeline rings and the dates it shows
TIMELINE_STATE = """
var gd = document.querySelector('#timeline .js-plotly-plot');
if (!gd || !gd.data || !gd._fullLayout || !gd._fullLayout.xaxis) return null;
var ring = gd.data.find(function (t) { return t.name === 'Selected'; });
return {ring: ring ? Array.from(ring.customdata) : [], range: gd._fullLayout.xaxis.range.map(String)};
"""


def _wait(dash_duo, predicate, message: str, timeout: float = 15):
    return WebDriverWait(dash_duo.driver, timeout, poll_frequency=0.05).until(predicate, message)


def _on_slide(dash_duo, query_part: str, position: str, event_id: str | None, date: str | None) -> None:
    """Wait until the URL, the slide's position and the timeline's ring all show one slide."""
    _wait(dash_duo, lambda d: d.current_url.endswith(query_part), f"URL ending {query_part}")
    dash_duo.wait_for_text_to_equal(f"#{ids.STORY_POSITION}", position, timeout=15)

    def ringed(d):
        state = d.execute_script(TIMELINE_STATE)
        if state is None or state["ring"] != ([event_id] if event_id else []):
            return False
        return date is None or state["range"][0][:10] < date < state["range"][1][:10]  # in view
    _wait(dash_duo, ringed, f"timeline ringing {event_id}")


def _press(dash_duo, key: str) -> None:
    ActionChains(dash_duo.driver).send_keys(key).perform()


def test_db040_story_link_opens_a_slide_and_steps_by_buttons_and_keys(dash_duo, bundled_events):
    keys = story_events(bundled_events)
    n = len(keys)
    ids_, dates = keys["id"].tolist(), keys["date"].tolist()
    dash_duo.start_server(create_app(bundled_events))
    dash_duo.driver.get(dash_duo.server_url + "/?category=treaty&story=3")
    # the third key event: the title slide counts as 0
    _on_slide(dash_duo, "/?category=treaty&story=3", f"Key event 3 of {n}", ids_[2], dates[2])
    dash_duo.wait_for_contains_text(f"#{ids.STORY_SLIDE}", keys["title"].iat[2], timeout=10)
    links = dash_duo.find_elements(f"#{ids.STORY_SLIDE} .sources a")
    assert links and all(a.get_attribute("href").startswith(("http://", "https://")) for a in links)
    # the filters of the link stay (the timeline shows every event meanwhile)
    dash_duo.wait_for_text_to_equal(f"#{ids.COUNT}", "Showing 6 of 89 events", timeout=15)
    assert dash_duo.find_element(f"#{ids.CATEGORY} input[value='treaty']").is_selected()
    assert not dash_duo.find_element(f"#{ids.STORY_START}").is_displayed()

    dash_duo.find_element(f"#{ids.STORY_NEXT}").click()
    _on_slide(dash_duo, "story=4", f"Key event 4 of {n}", ids_[3], dates[3])
    dash_duo.find_element(f"#{ids.STORY_PREV}").click()
    _on_slide(dash_duo, "story=3", f"Key event 3 of {n}", ids_[2], dates[2])
    dash_duo.find_element(f"#{ids.STORY_PREV}").click()
    _on_slide(dash_duo, "story=2", f"Key event 2 of {n}", ids_[1], dates[1])

    _press(dash_duo, Keys.ARROW_RIGHT)
    _on_slide(dash_duo, "story=3", f"Key event 3 of {n}", ids_[2], dates[2])
    _press(dash_duo, Keys.ARROW_LEFT)
    _on_slide(dash_duo, "story=2", f"Key event 2 of {n}", ids_[1], dates[1])
    _press(dash_duo, Keys.ARROW_LEFT)
    _on_slide(dash_duo, "story=1", f"Key event 1 of {n}", ids_[0], dates[0])
    _press(dash_duo, Keys.ARROW_LEFT)
    _on_slide(dash_duo, "story=0", f"Introduction (slide 0 of {n})", None, None)
    _press(dash_duo, Keys.ARROW_LEFT)  # (on the title slide ← does nothing)
    _on_slide(dash_duo, "story=0", f"Introduction (slide 0 of {n})", None, None)
    dash_duo.wait_for_contains_text(f"#{ids.STORY_SLIDE}", f"89 events in the data, {n} of them key events", timeout=10)
    assert dash_duo.find_element(f"#{ids.STORY_PREV}").get_attribute("disabled") == "true"

    # Escape: back to the explorer exactly as the link had it
    _press(dash_duo, Keys.ESCAPE)
    _wait(dash_duo, lambda d: d.current_url == dash_duo.server_url + "/?category=treaty", "URL without the story")
    _wait(dash_duo, lambda d: not d.find_element("id", ids.STORY).is_displayed(), "slide panel hidden")
    _wait(dash_duo, lambda d: (d.execute_script(TIMELINE_STATE) or {}).get("range", ["2023"])[0][:4] >= "2024",
          "timeline back to the treaty events")
    dash_duo.wait_for_text_to_equal(f"#{ids.COUNT}", "Showing 6 of 89 events", timeout=15)
    assert dash_duo.find_element(f"#{ids.CATEGORY} input[value='treaty']").is_selected()
    # arrow keys step through events again, not slides
    _press(dash_duo, Keys.ARROW_RIGHT)
    _wait(dash_duo, lambda d: "event=" in d.current_url and "story" not in d.current_url, "an event selected")
    _settled(dash_duo)  # (a server stopped mid-request fails the test run)
    assert dash_duo.get_logs() == []


def test_db041_story_button_bad_story_link_and_leave_button(dash_duo, bundled_events):
    n = len(story_events(bundled_events))
    dash_duo.start_server(create_app(bundled_events))
    dash_duo.driver.get(dash_duo.server_url + "/?q=treaty&story=abc")
    dash_duo.wait_for_contains_text(f"#{ids.LINK_NOTICE}", "story 'abc' (not a slide number: 0 to 19)", timeout=20)
    _wait(dash_duo, lambda d: d.current_url.endswith("/?q=treaty"), "the bad story dropped from the URL")
    assert not dash_duo.find_element(f"#{ids.STORY}").is_displayed()
    dash_duo.driver.get(dash_duo.server_url + f"/?q=treaty&story={n + 1}")
    dash_duo.wait_for_contains_text(f"#{ids.LINK_NOTICE}", f"story '{n + 1}' (no such slide: 0 to {n})", timeout=20)

    dash_duo.find_element(f"#{ids.STORY_START}").click()
    _on_slide(dash_duo, "/?q=treaty&story=0", f"Introduction (slide 0 of {n})", None, None)
    dash_duo.wait_for_contains_text(f"#{ids.STORY_SLIDE}", "Newest event:", timeout=10)
    dash_duo.find_element(f"#{ids.STORY_NEXT}").click()
    first = story_events(bundled_events).iloc[0]
    _on_slide(dash_duo, "story=1", f"Key event 1 of {n}", first["id"], first["date"])
    dash_duo.find_element(f"#{ids.STORY_LEAVE}").click()
    _wait(dash_duo, lambda d: d.current_url.endswith("/?q=treaty"), "URL without the story")
    assert dash_duo.find_element(f"#{ids.SEARCH}").get_attribute("value") == "treaty"
    _wait(dash_duo, lambda d: d.find_element("id", ids.STORY_START).is_displayed(), "Story button back")
    _settled(dash_duo)  # (a server stopped mid-request fails the test run)
    assert dash_duo.get_logs() == []



QUICK_CLICKS = "var b = document.getElementById('{}'); b.click(); setTimeout(function () {{ b.click(); }}, 60); " \
               "setTimeout(function () {{ b.click(); }}, 120);"


def test_db044_quick_clicks_are_as_many_steps_and_stop_at_the_ends(dash_duo, bundled_events):
    # clicks 60 ms apart, before a server could have answered the first, are as many slides (the step is
    # worked out from the URL as it is at each click)
    n = len(story_events(bundled_events))
    dash_duo.start_server(create_app(bundled_events))
    dash_duo.driver.get(dash_duo.server_url + "/?story=1")
    first = story_events(bundled_events).iloc[0]
    _on_slide(dash_duo, "story=1", f"Key event 1 of {n}", first["id"], first["date"])
    dash_duo.driver.execute_script(QUICK_CLICKS.format(ids.STORY_NEXT))
    fourth = story_events(bundled_events).iloc[3]
    _on_slide(dash_duo, "story=4", f"Key event 4 of {n}", fourth["id"], fourth["date"])
    dash_duo.driver.get(dash_duo.server_url + f"/?story={n - 1}")
    _wait(dash_duo, lambda d: f"Key event {n - 1} of {n}" in d.find_element("id", ids.STORY_POSITION).text, "the next-to-last slide")
    dash_duo.driver.execute_script(QUICK_CLICKS.format(ids.STORY_NEXT))
    _wait(dash_duo, lambda d: d.current_url.endswith(f"story={n}"), "the last slide, never past it")
    _wait(dash_duo, lambda d: d.find_element("id", ids.STORY_NEXT).get_attribute("disabled") is not None, "Next disabled")
    assert dash_duo.driver.current_url.endswith(f"story={n}")
    _settled(dash_duo)
    assert dash_duo.get_logs() == []


def test_db043_on_a_phone_the_slide_is_brought_into_view(dash_duo, bundled_events):
    dash_duo.start_server(create_app(bundled_events))
    dash_duo.driver.set_window_size(390, 844)
    dash_duo.driver.get(dash_duo.server_url + "/?story=5")
    dash_duo.wait_for_text_to_equal(f"#{ids.STORY_POSITION}", f"Key event 5 of {len(story_events(bundled_events))}", timeout=20)
    # the slide's heading and buttons on the first screen (the filters stay closed behind their button)
    _wait(dash_duo, lambda d: 0 <= d.execute_script(
        "return document.getElementById('story').getBoundingClientRect().top") < 300, "story panel on screen")
    _settled(dash_duo)  # (a server stopped mid-request fails the test run)
    assert dash_duo.get_logs() == []
