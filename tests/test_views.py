"""What the views show for a URL: the CSV download (no browser)."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from dashboard import ids
from dashboard.app import create_app
from dashboard.detail import download_csv, spreadsheet_safe
from dashboard.filters import Filters, apply_filters, prepare
from dashboard.table import TableView, sort_events


@pytest.fixture(scope="module")
def client(bundled_events):
    return create_app(bundled_events).server.test_client()


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
