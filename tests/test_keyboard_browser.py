"""The whole dashboard with the keyboard only, in headless Chromium: Tab and Shift-Tab reach every control in
page order with a visible focus ring, never a hidden element, and never get stuck; the skip link comes first;
Enter, Space and the arrow keys choose an event, open its sources, step the story, set and clear filters,
sort and page the table."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.app import ids
from dashboard.app.app import create_app
from dashboard.views.table import PAGE_SIZE
from tests.test_views_browser import settled, wait_until

pytestmark = pytest.mark.browser

# what has focus: its id (or tag and text), whether it is shown, and whether its focus ring shows
FOCUSED = """
var el = document.activeElement;
if (!el || el === document.body) return null;
var ancestors = [];  // the ids of the element and of the elements around it
for (var a = el; a; a = a.parentElement) if (a.id) ancestors.push(a.id);
var style = getComputedStyle(el), box = el.getBoundingClientRect();
// (an input's or the dropdown's ring is drawn round its container)
var ringed = getComputedStyle(el.closest('.dash-input-container, .dash-dropdown-wrapper') || el);
var hidden = !!el.closest('[hidden], [aria-hidden="true"], [inert]') || style.visibility === 'hidden' ||
             !el.getClientRects().length || box.width * box.height === 0;
for (var up = el; up && !hidden; up = up.parentElement) hidden = getComputedStyle(up).opacity === '0';
var ring = [style, ringed].some(function (s) {
  return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
});
return {id: el.id, key: el.id || (el.tagName.toLowerCase() + ':' + (el.value || el.textContent || '').trim().slice(0, 40)),
        tag: el.tagName, hidden: hidden, ring: ring, inside: ancestors};
"""


def _from_top(driver) -> None:
    """Start the next Tab from the top of the page, on the skip link (as after a fresh load and one Tab)."""
    driver.execute_script("window.scrollTo(0, 0); document.getElementById(arguments[0]).focus()", ids.SKIP)


def _press(dash_duo, *keys: str) -> dict | None:
    """Press a key (Keys.SHIFT first: held down while the rest are pressed); what has focus then."""
    actions = ActionChains(dash_duo.driver)
    if keys[0] == Keys.SHIFT:
        actions.key_down(Keys.SHIFT).send_keys(*keys[1:]).key_up(Keys.SHIFT).perform()
    else:
        actions.send_keys(*keys).perform()
    return dash_duo.driver.execute_script(FOCUSED)


def _tab_to(dash_duo, test, limit: int = 120, back: bool = False) -> dict:
    """Tab (or Shift-Tab) until ``test(focused)`` holds; every stop on the way must be visible and ringed."""
    key = (Keys.SHIFT, Keys.TAB) if back else (Keys.TAB,)
    for _ in range(limit):
        focused = _press(dash_duo, *key)
        if focused is None:
            continue  # (past the end of the page: the browser's own controls)
        assert not focused["hidden"], f"focus on a hidden element: {focused}"
        assert focused["ring"], f"no visible focus ring: {focused}"
        if test(focused):
            return focused
    raise AssertionError(f"not reached by {'Shift-' if back else ''}Tab in {limit} presses")


def test_db063_the_whole_dashboard_works_from_the_keyboard(dash_duo, bundled_events):
    dash_duo.start_server(create_app(bundled_events))
    dash_duo.wait_for_text_to_equal(f"#{ids.COUNT}", "Showing 89 of 89 events", timeout=30)
    settled(dash_duo)
    driver = dash_duo.driver

    # the skip link is the first stop, and leads past the filters to the timeline
    first = _press(dash_duo, Keys.TAB)
    assert first and first["id"] == ids.SKIP and first["ring"] and not first["hidden"], first
    assert _press(dash_duo, Keys.ENTER)["id"] == ids.TIMELINE_CARD

    # one walk through the page, top to bottom, from the top again: every stop shown and ringed, and it ends
    _from_top(driver)
    stops: list[dict] = [driver.execute_script(FOCUSED)]
    for _ in range(400):
        focused = _press(dash_duo, Keys.TAB)
        if focused is None:
            break  # past the last control: the page let go of the focus (no trap)
        assert not focused["hidden"], f"focus on a hidden element: {focused}"
        assert focused["ring"], f"no visible focus ring: {focused}"
        stops.append(focused)
    else:
        raise AssertionError(f"Tab never left the page: {stops[-5:]}")
    reached = [s["key"] for s in stops]
    expected = [ids.SKIP, ids.STORY_START, ids.ACTOR, ids.DATE_FROM, ids.DATE_TO, ids.SEARCH, ids.CLEAR,
                ids.HTML_DOWNLOAD_BUTTON, ids.NEXT, ids.TABLE_SEARCH, ids.TABLE_DOWNLOAD_BUTTON, ids.TABLE_NEXT]
    positions = [reached.index(name) if name in reached else -1 for name in expected]
    assert -1 not in positions and positions == sorted(positions), list(zip(expected, positions))
    boxes = [s for s in stops if ids.CATEGORY in s["inside"]]
    assert len(boxes) == 9 and any(ids.INDEPENDENT in s["inside"] for s in stops)
    assert sum(ids.TABLE in s["inside"] for s in stops) >= 20  # sort buttons and the rows' event links
    # Shift-Tab goes back the same way
    _from_top(driver)
    for stop in reached[1:8]:
        assert _press(dash_duo, Keys.TAB)["key"] == stop
    for stop in reversed(reached[:7]):
        assert _press(dash_duo, Keys.SHIFT, Keys.TAB)["key"] == stop

    # set a filter with Space, clear it with Enter
    _from_top(driver)
    _tab_to(dash_duo, lambda f: ids.CATEGORY in f["inside"] and f["key"].endswith("treaty"))
    _press(dash_duo, Keys.SPACE)
    dash_duo.wait_for_text_to_equal(f"#{ids.COUNT}", "Showing 6 of 89 events", timeout=15)
    wait_until(dash_duo, f"document.getElementById({ids.ANNOUNCE!r}).textContent === 'Showing 6 of 89 events.'")
    _tab_to(dash_duo, lambda f: f["id"] == ids.CLEAR)
    _press(dash_duo, Keys.ENTER)
    dash_duo.wait_for_text_to_equal(f"#{ids.COUNT}", "Showing 89 of 89 events", timeout=15)

    # the actors list opens with Enter and closes with Escape, focus back on it
    _from_top(driver)
    _tab_to(dash_duo, lambda f: f["id"] == ids.ACTOR)
    _press(dash_duo, Keys.ENTER)
    wait_until(dash_duo, f"document.getElementById({ids.ACTOR!r}).getAttribute('aria-expanded') === 'true'")
    _press(dash_duo, Keys.ESCAPE)
    wait_until(dash_duo, f"document.getElementById({ids.ACTOR!r}).getAttribute('aria-expanded') === 'false'")
    wait_until(dash_duo, f"document.activeElement.id === {ids.ACTOR!r}")

    # sort the table and page it
    caption = driver.find_element("id", ids.TABLE_CAPTION).get_attribute("textContent")
    _tab_to(dash_duo, lambda f: ids.TABLE in f["inside"] and f["tag"] == "BUTTON")
    _press(dash_duo, Keys.ENTER)
    wait_until(dash_duo, f"document.getElementById({ids.TABLE_CAPTION!r}).textContent !== {caption!r}")
    _tab_to(dash_duo, lambda f: f["id"] == ids.TABLE_NEXT)
    _press(dash_duo, Keys.ENTER)
    wait_until(dash_duo, f"document.getElementById({ids.TABLE_PAGE_TEXT!r}).textContent.indexOf('Rows {PAGE_SIZE + 1}–') === 0",
               show=f"document.getElementById({ids.TABLE_PAGE_TEXT!r}).textContent")

    # choose an event from the table with Enter: the panel shows it, focus moves there, the title is announced
    link = _tab_to(dash_duo, lambda f: ids.TABLE in f["inside"] and f["tag"] == "A", back=True)
    _press(dash_duo, Keys.ENTER)
    wait_until(dash_duo, "location.search.indexOf('event=') >= 0")
    wait_until(dash_duo, f"document.activeElement.id === {ids.DETAIL_PANEL!r}")
    wait_until(dash_duo, f"document.getElementById({ids.ANNOUNCE!r}).textContent.indexOf('Event: ') > 0")
    title = driver.find_element("id", ids.DETAIL).find_element("tag name", "h3").text
    assert title and link["key"].startswith("a:" + title[:20]), (title, link)
    # its sources: links that open in a new tab, reached by Tab from the panel
    source = _tab_to(dash_duo, lambda f: ids.DETAIL in f["inside"] and f["tag"] == "A"
                     and driver.execute_script("return !!document.activeElement.closest('.sources')"))
    windows = len(driver.window_handles)
    main = driver.current_window_handle
    _press(dash_duo, Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: len(d.window_handles) == windows + 1, f"source {source} did not open")
    for handle in driver.window_handles:
        if handle != main:
            driver.switch_to.window(handle)
            driver.close()
    driver.switch_to.window(main)
    # Back returns to the table row the event was chosen from
    _tab_to(dash_duo, lambda f: f["id"] == ids.DETAIL_BACK, back=True)
    _press(dash_duo, Keys.ENTER)
    wait_until(dash_duo, f"!!document.activeElement.closest('#{ids.TABLE}')")
    # → steps to the next event (focus stays where it is)
    chosen = driver.execute_script("return location.search")
    _press(dash_duo, Keys.ARROW_RIGHT)
    wait_until(dash_duo, f"location.search !== {chosen!r} && location.search.indexOf('event=') >= 0")
    wait_until(dash_duo, f"!!document.activeElement.closest('#{ids.TABLE}')")

    # the story: Enter on Story, the arrow keys step, Escape leaves with focus kept on the page
    _from_top(driver)
    _tab_to(dash_duo, lambda f: f["id"] == ids.STORY_START)
    _press(dash_duo, Keys.ENTER)
    wait_until(dash_duo, f"!document.getElementById({ids.STORY!r}).hidden")
    position = driver.find_element("id", ids.STORY_POSITION)
    wait_until(dash_duo, f"document.getElementById({ids.STORY_POSITION!r}).textContent !== ''")
    before = position.text
    _press(dash_duo, Keys.ARROW_RIGHT)
    wait_until(dash_duo, f"document.getElementById({ids.STORY_POSITION!r}).textContent.indexOf('Key event 1 of') === 0",
               show=f"document.getElementById({ids.STORY_POSITION!r}).textContent")
    assert position.text != before
    nxt = _tab_to(dash_duo, lambda f: f["id"] == ids.STORY_NEXT)
    assert nxt["ring"]
    _press(dash_duo, Keys.ENTER)
    wait_until(dash_duo, f"document.getElementById({ids.STORY_POSITION!r}).textContent.indexOf('Key event 2 of') === 0")
    _press(dash_duo, Keys.ESCAPE)
    wait_until(dash_duo, f"document.getElementById({ids.STORY!r}).hidden")
    focused = driver.execute_script(FOCUSED)
    assert focused is None or not focused["hidden"], focused  # the Leave button vanished: focus is not left on it
    assert dash_duo.get_logs() == []
