"""Each source's archived copy, offered as a lookup link (never as a verified archive), wherever sources are shown."""

from __future__ import annotations

import csv
import io
import re

import pytest

from dashboard.data.archive import HINT, LABEL, archive_lookup_url
from dashboard.views.detail import download_csv, event_detail
from dashboard.data.events import load_events
from dashboard.data.filters import Filters
from dashboard.publish.report import report_html
from tests.conftest import HEADER, row


@pytest.mark.parametrize("url, date, expected", [
    ("https://tass.com/politics/2055235", "2025-12-06", "https://web.archive.org/web/20251206/https://tass.com/politics/2055235"),
    ("https://tass.com/a", "2025-12", "https://web.archive.org/web/202512/https://tass.com/a"),
    ("http://tass.com/a", "2025", "https://web.archive.org/web/2025/http://tass.com/a"),
    ("https://tass.com/a", "", "https://web.archive.org/web/*/https://tass.com/a"),
    ("https://tass.com/a?b=1&c=2#top", "2024-06-19", "https://web.archive.org/web/20240619/https://tass.com/a?b=1&c=2#top"),
    ("https://example.org/a?q=<b>&x=\"1\"", "2024", "https://web.archive.org/web/2024/https://example.org/a?q=%3Cb%3E&x=%221%22"),
    ("https://ko.example/뉴스/쇼이구", "", "https://web.archive.org/web/*/https://ko.example/%EB%89%B4%EC%8A%A4/%EC%87%BC%EC%9D%B4%EA%B5%AC"),
])
def test_arc001_lookup_url_from_url_and_date(url, date, expected):
    assert archive_lookup_url(url, date) == expected


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "//evil.example/x", "", "data:text/html,x"])
def test_arc002_only_http_urls_get_a_lookup(url):
    assert archive_lookup_url(url, "2024-06-19") is None


def test_arc003_a_date_that_is_not_a_partial_date_is_not_put_in_the_path():
    assert archive_lookup_url("https://tass.com/a", "../../x") == "https://web.archive.org/web/*/https://tass.com/a"


def _links(component) -> list:
    """Every html.A below a Dash component."""
    found = []
    children = getattr(component, "children", None)
    if type(component).__name__ == "A":
        found.append(component)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            found += _links(child)
    return found


def test_arc004_detail_panel_offers_a_lookup_per_source_labelled_as_such(bundled_events):
    event = bundled_events[bundled_events["id"] == "ukmod-6000"].iloc[0]
    links = [a for part in event_detail(event) for a in _links(part)]
    lookups = [a for a in links if a.children == LABEL]
    assert len(lookups) == len(event["sources"])
    for source, a in zip(event["sources"], lookups):
        assert a.href == archive_lookup_url(source["url"], source["date"])
        assert a.href.startswith("https://web.archive.org/web/")
        assert a.title == HINT and "not a verified archive" in a.title
        assert a.rel == "noopener noreferrer"


def test_arc005_csv_download_puts_each_lookup_beside_its_source(bundled_events):
    events = bundled_events.head(5)
    table = list(csv.DictReader(io.StringIO(download_csv(events))))
    assert len(table) == 5
    for record, sources in zip(table, events["sources"]):
        urls, lookups = record["sources"].split("\n"), record["archive_lookup"].split("\n")
        assert len(urls) == len(lookups) == len(sources)
        assert all(lookup == archive_lookup_url(url, s["date"]) for url, lookup, s in zip(urls, lookups, sources))


def test_arc006_report_links_each_source_lookup_escaped_and_explains_it_once(write_csv):
    source = "P | T | https://example.org/a?q=<b>&x=\"1\" | 2024-10-01\nQ | U | https://tass.com/1"
    events = load_events(write_csv(HEADER + "\n" + row(sources=source) + "\n"))
    html = report_html(events, Filters(), plotlyjs="cdn")
    links = re.findall(r'<a class="ar" href="([^"]*)" rel="noopener noreferrer" target="_blank">([^<]*)</a>', html)
    assert links == [("https://web.archive.org/web/20241001/https://example.org/a?q=%3Cb%3E&amp;x=%221%22", LABEL),
                     ("https://web.archive.org/web/*/https://tass.com/1", LABEL)]
    assert html.count("not a verified archive") == 1
