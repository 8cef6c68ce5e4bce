"""The charts in words (dashboard/views/describe.py): what a screen reader says each chart shows, in the
dashboard (through its callbacks), the report and the chart files."""

from __future__ import annotations

from html import escape

import pytest

from dashboard.app import ids
from dashboard.app.app import create_app
from dashboard.data.events import load_events
from dashboard.data.filters import Filters, apply_filters
from dashboard.publish.export import export_files
from dashboard.views.describe import NONE, chart_texts, claims_text, map_text, monthly_text, timeline_text
from tests.conftest import HEADER, render, row


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("describe") / "events.csv"
    rows = [row(id="a", date="2024-06-19", category="treaty", place="Pyongyang, DPRK", latitude="39.0", longitude="125.7"),
            row(id="b", date="2024-11", category="diplomacy", place="Moscow (Kremlin), Russia", latitude="55.7", longitude="37.6"),
            row(id="c", date="2024-11-05", category="diplomacy", place="Moscow, Russia", latitude="55.7", longitude="37.6"),
            row(id="d", date="2025-01-02", category="diplomacy")]
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return load_events(path)


def test_describe001_timeline_says_how_many_from_when_to_when_and_the_busiest_month(small):
    assert timeline_text(small) == ("4 events from June 2024 to January 2025; busiest month: November 2024, 2 events. "
                                    "Most in Diplomacy 3 and Treaty 1.")
    assert timeline_text(small.iloc[:1]) == "1 event in June 2024; busiest month: June 2024, 1 event. All in Treaty."
    assert timeline_text(small.iloc[:0]) == NONE


def test_describe002_map_names_the_places_as_the_map_does(small):
    # two names at one point are one place, named by the name most of its events give, shortened
    assert map_text(small) == "3 of 4 events have a place, at 2 places; most at Moscow 2 and Pyongyang 1."
    assert map_text(small.iloc[3:]) == "None of the 1 event has a place on the map."


def test_describe003_monthly_says_its_period_and_the_dates_it_highlights(small):
    assert monthly_text(small) == "Events per month from June 2024 to January 2025; busiest: November 2024, 2 events."
    assert monthly_text(small, ("2024-11", "")).endswith(" Highlighted: November 2024 to the end.")
    assert monthly_text(small.iloc[:0]) == NONE


def test_describe004_claims_count_figures_claimants_and_quantities(bundled_events):
    text = claims_text(bundled_events)
    assert " reported figures by " in text and text.split()[0].isdigit()
    assert "Most on Troops and workers sent " in text
    assert claims_text(bundled_events.iloc[:0]) == "No reported figures among these events."


def test_describe005_texts_follow_the_filters_in_the_dashboard(bundled_events):
    client = create_app(bundled_events).server.test_client()
    shown = render(client, "?category=treaty")
    treaty = apply_filters(bundled_events, Filters(categories=("treaty",)))
    assert shown[ids.TIMELINE_TEXT]["children"] == timeline_text(treaty)
    assert shown[ids.TIMELINE_TEXT]["children"].startswith(f"{len(treaty)} events from ")
    assert shown[ids.MAP_TEXT]["children"] == map_text(treaty)
    assert shown[ids.CLAIMS_TEXT]["children"] == claims_text(treaty)
    assert shown[ids.MONTHLY_TEXT]["children"] == monthly_text(treaty)
    everything = render(client, "")
    assert everything[ids.TIMELINE_TEXT]["children"].startswith(f"{len(bundled_events)} events from ")


def test_describe006_report_and_chart_files_carry_the_texts(bundled_events):
    treaty = Filters(categories=("treaty",))
    files = export_files(bundled_events, treaty, plotlyjs="cdn")
    texts = chart_texts(apply_filters(bundled_events, treaty).reset_index(drop=True))
    for name, text in texts.items():
        assert f'aria-describedby="text-chart-{name}"' in files["index.html"]
        assert f'id="text-chart-{name}">As exported: {escape(text)}</p>' in files["index.html"]
        assert f">{escape(text)}</p>" in files[f"{name}.html"]


def test_describe008_a_map_point_is_named_by_the_name_most_of_its_events_give(write_csv):
    """Several names at one point: the commonest, the first in sort order of a tie; events without a name
    count as a name of their own (''), and a point named '' is counted but not listed."""
    at = {"latitude": "55.7", "longitude": "37.6"}
    rows = [row(id="a", place="Moscow, Russia", **at), row(id="b", place="Kremlin, Moscow", **at),
            row(id="c", place="Moscow, Russia", **at), row(id="d", place="Kremlin, Moscow", **at),
            row(id="e", place="Kursk", latitude="51.7", longitude="36.2"), row(id="f", latitude="51.7", longitude="36.2"),
            row(id="j", place="Kursk Oblast", latitude="51.7", longitude="36.2"), row(id="k", place="Kursk", latitude="51.7", longitude="36.2"),
            row(id="g", latitude="40.0", longitude="120.0"), row(id="h", place="Khasan", latitude="40.0", longitude="120.0"),
            row(id="i", latitude="40.0", longitude="120.0")]
    events = load_events(write_csv(HEADER + "\n" + "\n".join(rows) + "\n"))
    assert map_text(events) == "11 of 11 events have a place, at 3 places; most at Kremlin 4 and Kursk 4."
