"""What the views show for a URL: the event panel, the link notice and the CSV download (no browser)."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from dashboard.app import ids
from dashboard.app.app import create_app
from dashboard.views.detail import INTRO, download_csv, spreadsheet_safe
from dashboard.data.filters import Filters, apply_filters, prepare
from dashboard.app.link import Known, notice_text, read_link
from dashboard.views.table import TableView, sort_events
from tests.conftest import render


@pytest.fixture(scope="module")
def client(bundled_events):
    return create_app(bundled_events).server.test_client()


def sync(client, search: str, trigger: tuple[str, str, object] | None = None) -> dict:
    """The URL/controls callback as the browser calls it on page load (or after ``trigger``): {id: {prop: value}}."""
    dep = next(d for d in client.get("/_dash-dependencies").get_json() if d["output"].startswith("..url.search"))
    values = {(ids.URL, "search"): search}
    if trigger:
        values[trigger[:2]] = trigger[2]
    inputs = [{**spec, "value": values.get((spec["id"], spec["property"]))} for spec in dep["inputs"]]
    outputs = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in dep["output"].strip(".").split("...")]
    body = {"output": dep["output"], "outputs": outputs, "inputs": inputs, "state": [],
            "changedPropIds": [f"{trigger[0]}.{trigger[1]}"] if trigger else []}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.data[:300]
    return response.get_json()["response"]


def text_of(children) -> str:
    return json.dumps(children, ensure_ascii=False)


# --- the CSV download: what the table holds, numbers kept, formulas neutralised ----------------

def test_vw001_formula_guard_leaves_numbers_alone():
    for number in ("-73.968", "+1", "-5", "-0.5", "-1e5", ".5", "40.7489"):
        assert spreadsheet_safe(number) == number
    for formula in ("=1+1", "=HYPERLINK(\"http://x\")", "-5 degrees", "+cmd", "@SUM(A1)", "\t=1", "\r=1", "-", "-1+1", "=5"):
        assert spreadsheet_safe(formula) == "'" + formula


def _download(client, search: str, table: TableView) -> str:
    body = {"output": f"{ids.TABLE_DOWNLOAD}.data", "outputs": {"id": ids.TABLE_DOWNLOAD, "property": "data"},
            "inputs": [{"id": ids.TABLE_DOWNLOAD_BUTTON, "property": "n_clicks", "value": 1}],
            "state": [{"id": ids.URL, "property": "search", "value": search},
                      {"id": ids.TABLE_STATE, "property": "data", "value": table.__dict__}],
            "changedPropIds": [f"{ids.TABLE_DOWNLOAD_BUTTON}.n_clicks"]}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.data[:300]
    data = response.get_json()["response"][ids.TABLE_DOWNLOAD]["data"]
    assert data["filename"] == "dprk-timeline-events.csv" and not data["base64"]
    return data["content"]


@pytest.mark.parametrize("search, table", [
    ("", TableView(search="Kursk")),  # the table's own search narrows the file as it narrows the table
    ("?category=diplomacy", TableView(sort="title", descending=True)),
    ("", TableView()),
])
def test_vw002_csv_download_holds_the_table_rows_and_reads_back(client, bundled_events, tmp_path, search, table):
    content = _download(client, search, table)
    path = tmp_path / "download.csv"
    path.write_bytes(content.encode("utf-8"))  # as the browser saves dcc.send_string's text
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark, for Excel
    expected = sort_events(apply_filters(prepare(bundled_events), Filters.from_query(search)[0]), table)
    if table.search == "Kursk":
        assert 0 < len(expected) < len(bundled_events)

    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(frame["id"]) == list(expected["id"])
    assert list(frame["date"]) == list(expected["date"])
    assert list(frame["end_date"]) == list(expected["end_date"].fillna(""))
    assert list(frame["date_certainty"]) == [str(c) for c in expected["date_certainty"]]
    assert list(frame["title"]) == list(expected["title"])
    assert [f.count("\n") + 1 if f else 0 for f in frame["figures"]] == [len(f) for f in expected["figures"]]
    numbers = pd.read_csv(path, encoding="utf-8-sig", usecols=["latitude", "longitude"])
    pd.testing.assert_series_equal(numbers["longitude"], expected["longitude"].reset_index(drop=True), check_names=False)
    pd.testing.assert_series_equal(numbers["latitude"], expected["latitude"].reset_index(drop=True), check_names=False)

    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["id"] for r in rows] == list(expected["id"])
    assert rows == frame.to_dict("records")


def test_vw003_csv_download_keeps_negative_coordinates_and_readable_dates(bundled_events):
    new_york = bundled_events[bundled_events["longitude"] < 0]
    assert len(new_york) >= 2  # the two UN New York events
    rows = list(csv.DictReader(io.StringIO(download_csv(new_york).removeprefix("\ufeff"))))
    assert {r["longitude"] for r in rows} == {"-73.968"}
    spans = download_csv(bundled_events[bundled_events["id"] == "shoigu-pyongyang-2023"])
    assert "25–27 July 2023" in spans and ",2023-07-25,2023-07-27," in spans


# --- the event panel always shows what the URL says ---------------------------------------------

def test_vw004_panel_shows_the_intro_without_an_event(client):
    # back to a URL without an event (or "Clear filters"): the panel empties, it does not keep the last one
    assert INTRO in text_of(render(client, "")[ids.DETAIL]["children"])
    assert INTRO in text_of(render(client, "?q=no-such-word-anywhere")[ids.DETAIL]["children"])


def test_vw005_panel_says_when_the_event_is_outside_the_filters(client):
    inside = text_of(render(client, "?category=treaty&event=treaty-signed")[ids.DETAIL]["children"])
    assert "Treaty on Comprehensive Strategic Partnership" in inside and "outside the current filters" not in inside
    for search in ("?category=sanctions&event=treaty-signed", "?q=no-such-word-anywhere&event=treaty-signed"):
        outside = text_of(render(client, search)[ids.DETAIL]["children"])
        assert "Treaty on Comprehensive Strategic Partnership" in outside and "outside the current filters" in outside
        assert '"href": "?event=treaty-signed"' in outside  # the way to see it among all events


def test_vw006_clear_filters_drops_the_event_from_the_url(client):
    out = sync(client, "?category=sanctions&event=treaty-signed", (ids.CLEAR, "n_clicks", 1))
    assert out[ids.URL]["search"] == ""
    assert INTRO in text_of(render(client, "")[ids.DETAIL]["children"])


# --- values in a link that the data does not have are named and dropped ----------------------

def test_vw007_unknown_link_values_are_named_and_dropped(bundled_events):
    known = Known.of(bundled_events)
    link = read_link("?category=bogus&category=treaty&actor=Nobody&actor=Kim Jong Un&place=Atlantis"
                     "&event=no-such-event&from=2024-13&to=0001-01-01&q=kursk", known)
    assert link.filters == Filters(categories=("treaty",), actors=("Kim Jong Un",), text="kursk")
    assert link.event == ""
    assert link.ignored == (
        "category 'bogus' (no such category)", "actor 'Nobody' (no such actor in the data)",
        "place 'Atlantis' (no such place in the data)", "event 'no-such-event' (no such event in the data)",
        "from '2024-13' (not a date: write YYYY-MM-DD, YYYY-MM or YYYY)", "to '0001-01-01' (outside the years 1900–2100)")
    good = "?category=treaty&actor=Kim+Jong+Un&from=2024-06&to=2024&event=treaty-signed"
    assert read_link(good, known).ignored == () and read_link(good, known).filters.to_query("treaty-signed") == good
    assert notice_text(link.ignored[:1]) == "Ignored in the link: category 'bogus' (no such category)."
    many = notice_text(tuple(f"category '{i}' (no such category)" for i in range(8)))
    assert many.endswith("; and 3 more.") and "'5'" not in many


def test_vw008_page_load_names_the_ignored_value_and_cleans_the_url(client):
    out = sync(client, "?category=bogus")
    assert out[ids.LINK_NOTICE] == {"children": "Ignored in the link: category 'bogus' (no such category).", "hidden": False}
    assert out[ids.URL]["search"] == ""
    assert render(client, "?category=bogus")[ids.COUNT]["children"] == "Showing 89 of 89 events"
    # the timeline's first draw (an autosize relayout) changes nothing and leaves the notice up
    out = sync(client, "", (ids.TIMELINE, "relayoutData", {"autosize": True}))
    assert ids.LINK_NOTICE not in out
    # "Clear filters" or another change of view takes it away
    assert sync(client, "", (ids.CLEAR, "n_clicks", 1))[ids.LINK_NOTICE] == {"children": "", "hidden": True}
    assert sync(client, "", (ids.SEARCH, "value", "kursk"))[ids.LINK_NOTICE] == {"children": "", "hidden": True}
    # a date the inputs cannot show is not kept as a hidden filter
    out = sync(client, "?from=0001-01-01&category=treaty")
    assert out[ids.URL]["search"] == "?category=treaty"
    assert "from '0001-01-01' (outside the years 1900–2100)" in out[ids.LINK_NOTICE]["children"]
    assert ids.DATE_FROM not in out or out[ids.DATE_FROM]["value"] is None
    # a good link: no notice
    out = sync(client, "?category=treaty&event=treaty-signed")
    assert out[ids.LINK_NOTICE] == {"children": "", "hidden": True} and ids.URL not in out


def test_vw009_notice_text_is_text_never_markup(client):
    hostile = '<img src=x onerror="window.__xss=1">'
    out = sync(client, "?" + "&".join(f"{k}={v}" for k, v in (("actor", hostile), ("place", hostile))).replace(" ", "+"))
    notice = out[ids.LINK_NOTICE]["children"]
    assert isinstance(notice, str)  # a plain string child: React renders it as text
    assert "actor '<img src=x onerror=\"window.__xss=1\">' (no such actor in the data)" in notice


def test_vw010_a_typed_date_outside_the_supported_years_is_dropped(client):
    # (a year below 1000 is taken for one still being typed and waits: see state.year_in_progress)
    out = sync(client, "", (ids.DATE_FROM, "value", "2999-01-01"))
    assert ids.URL not in out  # stays without a date filter
    assert out[ids.DATE_FROM]["value"] is None  # and the input shows it has none
    assert out[ids.LINK_NOTICE]["children"] == "Ignored: from '2999-01-01' (outside the years 1900–2100)."
