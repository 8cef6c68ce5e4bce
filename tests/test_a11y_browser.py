"""Accessibility, measured by axe-core in headless Chromium: no violation of impact serious or critical and
none of the WCAG 2.0/2.1/2.2 A and AA rules, in the dashboard (on load, with filters set, with an event
selected, in story mode, with the data-error banner), the exported report and each chart file, at 1280 px
and 390 px, in light and dark mode. A failure lists each rule, the element and the fix axe suggests."""

from __future__ import annotations

import os

import pytest

from dashboard.app import ids
from dashboard.app.app import create_app
from tests.axe import DARK, LIGHT, describe, violations
from tests.conftest import HEADER, row
from tests.test_export_browser import driver, export, open_report  # noqa: F401 (driver is a fixture)
from tests.test_views_browser import settled, wait_until

pytestmark = pytest.mark.browser

WIDTHS = {"1280 px": (1280, 900), "390 px": (390, 844)}
MODES = {"light": LIGHT, "dark": DARK}


def _pages(events) -> dict[str, tuple[str, str]]:
    """Name -> (URL query, a script that is true once the page shows it)."""
    first = events.sort_values("start").iloc[0]
    shown = "(document.getElementById('%s') || {textContent: ''}).textContent.indexOf(%r) >= 0"
    return {
        "on load": ("", shown % (ids.COUNT, f"Showing {len(events)} of")),
        "with filters set": ("?category=treaty&category=diplomacy&from=2024-01&to=2025-06&q=kim",
                             shown % (ids.FILTERS_TOGGLE, "active")),
        "with an event selected": (f"?event={first['id']}", shown % (ids.DETAIL, first["title"][:30])),
        "in story mode": ("?story=1", shown % (ids.STORY_POSITION, "Key event 1")),
    }


def _check_dashboard(dash_duo, pages: dict, where: str, problems: list[str], *, open_filters: bool) -> None:
    for name, (query, ready) in pages.items():
        dash_duo.driver.get(dash_duo.server_url + "/" + query)
        wait_until(dash_duo, ready, 30)
        settled(dash_duo)
        if open_filters:  # on a phone the filters are behind a button: check them open too
            dash_duo.find_element(f"#{ids.FILTERS_TOGGLE}").click()
            wait_until(dash_duo, f"getComputedStyle(document.getElementById({ids.FILTERS!r})).display !== 'none'")
        for mode, media in MODES.items():
            dash_duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", media)
            problems += describe(f"{name}, {where}, {mode}", violations(dash_duo.driver))


def test_db060_the_dashboard_has_no_accessibility_violations(dash_duo, bundled_events):
    dash_duo.start_server(create_app(bundled_events))
    pages = _pages(bundled_events)
    problems: list[str] = []
    for where, size in WIDTHS.items():
        dash_duo.driver.set_window_size(*size)
        _check_dashboard(dash_duo, pages, where, problems, open_filters=size[0] < 900)
    assert not problems, "\n".join(problems)
    assert dash_duo.get_logs() == []


def test_db061_the_data_error_banner_has_no_accessibility_violations(dash_duo, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + "\n" + row() + "\n", encoding="utf-8")
    dash_duo.start_server(create_app(csv_path=path))
    dash_duo.wait_for_text_to_equal(f"#{ids.COUNT}", "Showing 1 of 1 events", timeout=20)
    path.write_text(HEADER + "\n" + row(date="2025-02-30") + "\n", encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 2_000_000_000))
    pages = {"with the banner": ("", f"(document.getElementById({ids.BANNER!r}) || {{textContent: ''}}).textContent.indexOf('not a real date') >= 0")}
    problems: list[str] = []
    for where, size in WIDTHS.items():
        dash_duo.driver.set_window_size(*size)
        _check_dashboard(dash_duo, pages, where, problems, open_filters=False)
    assert not problems, "\n".join(problems)


def test_db062_the_exported_report_and_chart_files_have_no_accessibility_violations(driver, tmp_path):  # noqa: F811
    index = export(tmp_path)
    charts = sorted(p.name for p in tmp_path.glob("*.html") if p.name not in ("index.html", "embed.html"))
    assert charts == ["claims.html", "map.html", "monthly.html", "timeline.html"]
    problems: list[str] = []
    try:
        for where, size in WIDTHS.items():
            driver.set_window_size(*size)
            for mode, media in MODES.items():
                driver.execute_cdp_cmd("Emulation.setEmulatedMedia", media)
                open_report(driver, index)
                problems += describe(f"report, {where}, {mode}", violations(driver))
                for name in charts:
                    driver.get((tmp_path / name).as_uri())
                    assert wait_for_plot(driver), name
                    problems += describe(f"{name}, {where}, {mode}", violations(driver))
                # the page of embed codes (it draws no chart)
                driver.get((tmp_path / "embed.html").as_uri())
                problems += describe(f"embed.html, {where}, {mode}", violations(driver))
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
        driver.set_window_size(1280, 1000)
    assert not problems, "\n".join(problems)


def wait_for_plot(driver) -> bool:
    from tests.test_export_browser import wait_for
    return wait_for(driver, "!!(document.querySelector('.js-plotly-plot') || {})._fullLayout")
