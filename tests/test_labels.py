"""Date and figure labels: as precise as the data, never a made-up day."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.views import labels
from dashboard.views.labels import date_label, date_labels, figure_text


@pytest.mark.parametrize(("date", "end_date", "expected"), [
    ("2024-06-19", "", "19 June 2024"),
    ("2024-06-01", "", "1 June 2024"),
    ("2024-06", "", "June 2024"),
    ("2024", "", "2024"),
    ("2024-10-08", "2024-10-13", "8–13 October 2024"),
    ("2023-09-15", "2023-10-02", "15 September – 2 October 2023"),
    ("2024-12-30", "2025-01-02", "30 December 2024 – 2 January 2025"),
    ("2025-06", "2025-08", "June – August 2025"),
    ("2024-11", "2025-02", "November 2024 – February 2025"),
    ("2024", "2025", "2024–2025"),
    ("2024-06", "2024-07-03", "June 2024 – 3 July 2024"),
    ("2024-06-19", "2024-06-19", "19 June 2024"),
])
def test_lab001_date_label(date, end_date, expected):
    assert date_label(date, end_date) == expected


def test_lab002_date_label_leaves_non_dates_alone():
    assert date_label("sometime") == "sometime"
    assert date_label("2024-13") == "2024-13"


def test_lab003_date_labels_match_row_by_row_and_keep_the_index():
    frame = pd.DataFrame({"date": ["2024-06", "2024-10-08", "2024-06", "2025"],
                          "end_date": ["", "2024-10-13", "", ""]}, index=[10, 11, 12, 13])
    out = date_labels(frame)
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out.tolist() == ["June 2024", "8–13 October 2024", "June 2024", "2025"]


def test_lab004_date_labels_compute_once_per_distinct_pair(monkeypatch):
    calls = []
    real = labels.date_label
    monkeypatch.setattr(labels, "date_label", lambda d, e="": calls.append((d, e)) or real(d, e))
    frame = pd.DataFrame({"date": ["2024-06-19", "2024-06"] * 50_000, "end_date": [""] * 100_000})
    out = date_labels(frame)
    assert len(calls) == 2
    assert out.iloc[-1] == "June 2024"


def test_lab005_date_labels_of_empty_frame_and_frame_without_end_dates():
    assert date_labels(pd.DataFrame({"date": [], "end_date": []})).empty
    assert date_labels(pd.DataFrame({"date": ["2024-06-19"]})).tolist() == ["19 June 2024"]


def test_lab006_date_labels_of_the_bundled_month_event(bundled_events):
    out = date_labels(bundled_events)
    month_rows = bundled_events["precision"].astype(str) == "month"
    assert month_rows.any()
    assert all(label[0].isalpha() for label in out[month_rows])  # 'June 2024', never '1 June 2024'


def _fig(qualifier="", value=1.0, high=None, unit="troops"):
    return {"qualifier": qualifier, "value": value, "high": high, "unit": unit, "claimant": "X", "date": "", "note": ""}


@pytest.mark.parametrize(("figure", "expected"), [
    (_fig("more than", 6000.0, unit="casualties"), "more than 6,000 casualties"),
    (_fig("about", 1000.0, 3000.0), "about 1,000–3,000 troops"),
    (_fig("", 9.0, unit="killed"), "9 killed"),
    (_fig("", 25000.0, 30000.0), "25,000–30,000 troops"),
    (_fig("about", 10900.0), "about 10,900 troops"),
    (_fig("", 2.5, unit="hectares"), "2.5 hectares"),
    (_fig("more than", 12_000_000.0, unit="shells"), "more than 12 million shells"),
    (_fig("", 1_500_000.0, unit="explosive devices"), "1.5 million explosive devices"),
    (_fig("", 1_234_567.0, unit="US dollars"), "1,234,567 US dollars"),
    (_fig("", 3000.0, float("nan")), "3,000 troops"),  # a missing high end is no range
])
def test_lab007_figure_text(figure, expected):
    assert figure_text(figure) == expected
