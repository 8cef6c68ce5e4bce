"""Filters, their URL round trip, and the dashboard's state transitions."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, strategies as st

from dashboard.data.filters import Filters, all_actors, apply_filters, prepare
from dashboard.data.schema import load_schema
from dashboard.app.state import (date_range_message, from_controls, range_from_relayout, range_from_selection, step_event,
                             year_in_progress)

CATEGORIES = load_schema().category_values
safe_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=20).map(str.strip)


@given(st.builds(
    Filters,
    categories=st.lists(st.sampled_from(CATEGORIES), unique=True).map(tuple),
    actors=st.lists(safe_text.filter(bool), unique=True, max_size=3).map(tuple),
    start=st.sampled_from(["", "2024", "2024-06", "2024-06-19"]),
    end=st.sampled_from(["", "2025", "2025-01", "2025-01-31"]),
    text=safe_text,
    place=safe_text,
), st.sampled_from(["", "treaty-signed"]))
def test_fs001_filters_round_trip_through_the_url(filters, event):
    assert Filters.from_query(filters.to_query(event)) == (filters, event)


def test_fs002_empty_query_means_everything(bundled_events):
    filters, event = Filters.from_query("")
    assert filters.is_empty and event == ""
    assert len(apply_filters(bundled_events, filters)) == len(bundled_events)
    assert Filters().to_query() == ""


def test_fs003_malformed_dates_in_a_link_are_ignored():
    filters, _ = Filters.from_query("?from=yesterday&to=2024-13&q=kursk")
    assert (filters.start, filters.text) == ("", "kursk")


def test_fs004_category_and_date_range_match_pandas(bundled_events):
    filters = Filters(categories=("treaty", "diplomacy"), start="2024-06-19", end="2024-12")
    got = set(apply_filters(bundled_events, filters)["id"])
    e = bundled_events
    expected = set(e[e["category"].isin(["treaty", "diplomacy"]) & (e["end"] > pd.Timestamp("2024-06-19")) & (e["start"] < pd.Timestamp("2025-01-01"))]["id"])
    assert got == expected and "treaty-signed" in got and "treaty-enters-into-force" in got


def test_fs005_search_is_case_insensitive_over_every_text_field(bundled_events):
    events = prepare(bundled_events)
    by_actor = set(apply_filters(events, Filters(text="KHINSHTEIN"))["id"])
    assert "khinshtein-demining-results" in by_actor
    by_place = apply_filters(events, Filters(text="vostochny cosmodrome"))
    assert list(by_place["id"]) == ["kim-putin-vostochny-summit"]
    assert len(apply_filters(events, Filters(text="no-such-word-anywhere"))) == 0


def test_fs006_actor_and_place_filters(bundled_events):
    shoigu = apply_filters(bundled_events, Filters(actors=("Sergei Shoigu",)))
    assert all("Sergei Shoigu" in a for a in shoigu["actors"]) and len(shoigu) >= 5
    kursk = apply_filters(bundled_events, Filters(place="Kursk Oblast, Russia (Kursk city used as proxy point)"))
    assert len(kursk) > 5 and set(kursk["place"]) == {"Kursk Oblast, Russia (Kursk city used as proxy point)"}
    assert all_actors(bundled_events)[0] == "Kim Jong Un"


def test_fs007_month_event_overlaps_a_range_inside_its_month(bundled_events):
    got = set(apply_filters(bundled_events, Filters(start="2024-06-20", end="2024-06-25"))["id"])
    assert "shin-10000-containers" in got  # dated 2024-06 (month only)


def test_st001_previous_and_next_step_through_filtered_events_in_time_order(bundled_events):
    filters = Filters(categories=("treaty",))
    ids = list(apply_filters(bundled_events, filters)["id"])
    assert step_event(bundled_events, filters, ids[0], 1) == ids[1]
    assert step_event(bundled_events, filters, ids[0], -1) == ids[-1]
    assert step_event(bundled_events, filters, "", 1) == ids[0]
    assert step_event(bundled_events, Filters(text="zzzz-none"), "x", 1) == ""


def test_st002_controls_and_brushes():
    assert from_controls(["treaty"], None, "2024-06-19T00:00:00", None, "  Kursk ").text == "Kursk"
    assert range_from_relayout({"xaxis.range[0]": "2024-06-01 12:00", "xaxis.range[1]": "2024-12-31"}) == ("2024-06-01", "2024-12-31")
    assert range_from_relayout({"xaxis.autorange": True}) == ("", "")
    assert range_from_relayout({"autosize": True}) is None
    assert range_from_selection({"range": {"x": ["2024-10-01", "2025-01-15"]}}) == ("2024-10", "2025-01")
    assert range_from_selection({"points": []}) is None


def test_st003_a_monthly_brush_snaps_to_whole_bars():
    """Issue 10, item 17: dragging from mid-September gave from=2024-09-13."""
    def brush(lo, hi, months=1):
        return range_from_selection({"range": {"x": [lo, hi]}}, months)

    assert brush("2024-09-13 10:24:00.123", "2024-11-17") == ("2024-09", "2024-11")
    assert brush("2024-11-17", "2024-09-13") == ("2024-09", "2024-11")  # dragged right to left
    assert brush("2024-09-13", "2024-12-01 00:00:00") == ("2024-09", "2024-11")  # ends where December starts
    assert brush("2024-09-13", "2024-12-01 06:00") == ("2024-09", "2024-12")
    assert brush("2024-09-13", "2024-09-14") == ("2024-09", "2024-09")
    assert brush("2024-02-13", "2024-05-01 08:00", 3) == ("2024-01", "2024-06")  # quarters
    assert brush("2023-12-31", "2025-01-01 08:00", 12) == ("2023-01", "2025-12")  # years
    assert brush("not a date", "2024-09-14") is None
    assert range_from_selection({"range": {"x": ["2024-09-13"]}}) is None


def test_st004_date_inputs_say_why_a_range_selects_nothing(bundled_events):
    """Issue 10, item 15: From after To silently gave 0 events."""
    assert date_range_message("2025-07-01", "2025-06-30", bundled_events) == "From is after To: no events can match; swap them."
    assert date_range_message("2019-07-01", "2019-12-31", bundled_events) == \
        "No event falls between 2019-07-01 and 2019-12-31: the data runs from 2023-07-25 to 2026-03-16."
    assert date_range_message("2027-01-01", None, bundled_events).startswith("No event falls between 2027-01-01 and the last event:")
    for start, end in (("", ""), (None, None), ("2024-06-19", "2024-06-19"), ("2024-06-01", ""), ("", "2024-01-01")):
        assert date_range_message(start, end, bundled_events) == ""
    assert date_range_message("2019-07-01", "", bundled_events.iloc[:0]) == ""  # no data: nothing to say about dates


def test_st005_years_still_being_typed_wait():
    # what Chromium reports while "2025" is typed into a date field's year
    assert [year_in_progress(v) for v in ("0002-07-01", "0020-07-01", "0202-07-01", "2025-07-01")] == [True, True, True, False]
    assert not year_in_progress("") and not year_in_progress(None)


def test_fs008_active_counts_each_filter_value_once():
    from dashboard.app.layout import filters_button_text

    assert Filters().active == 0 and filters_button_text(0) == "Filters"
    f = Filters(categories=("treaty", "diplomacy"), actors=("NIS",), start="2024", end="2025-01", text="kim", place="Kursk", independent=True)
    assert f.active == 8 and filters_button_text(f.active) == "Filters (8 active)"
    assert Filters.from_query(f.to_query("treaty-signed"))[0].active == 8  # the selected event is not a filter
