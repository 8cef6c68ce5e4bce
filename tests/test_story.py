"""Story mode's pure parts: the slides from a frame, the title slide's text, ?story=N in the URL."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given, strategies as st

from dashboard.app import ids
from dashboard.app.link import Known, read_link
from dashboard.app.state import read_story, step_story, with_story
from dashboard.data.events import load_events
from dashboard.data.filters import Filters
from dashboard.views.labels import date_label
from dashboard.views.story import (focus_range, intro, position_text, slide, slide_count, slide_event, story_events,
                                   story_timeline)
from tests.conftest import HEADER, row


def _frame(tmp_path, rows: list[str]) -> pd.DataFrame:
    path = tmp_path / "events.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return load_events(path)


def test_story001_key_events_in_time_order_whatever_their_rank(tmp_path):
    events = _frame(tmp_path, [
        row(id="a", date="2024-01-05", label="First", importance="3"),
        row(id="b", date="2024-03", label="Month only", importance="1"),
        row(id="c", date="2024-02-01"),  # no label: not a key event
        row(id="d", date="2024-02-10", end_date="2024-02-12", label="Span", importance="2"),
    ])
    assert story_events(events)["id"].tolist() == ["a", "d", "b"]
    assert slide_count(events) == 3
    assert slide_event(events, 0) is None and slide_event(events, 4) is None
    assert slide_event(events, 2)["id"] == "d"
    assert position_text(0, 3) == "Introduction (slide 0 of 3)" and position_text(2, 3) == "Key event 2 of 3"


def test_story002_title_slide_names_the_period_counts_and_newest_date(bundled_events):
    text = intro(bundled_events)
    keys = int((bundled_events["label"] != "").sum())
    assert keys == 19
    assert text.heading == "The story in 19 key events"
    assert text.counts == f"{len(bundled_events)} events in the data, 19 of them key events."
    first = bundled_events["date"].iat[0]
    last = bundled_events.loc[bundled_events["end"].idxmax()]
    assert text.period == f"Period: {date_label(first)} to {date_label(last['end_date'] or last['date'])}."
    assert text.newest == f"Newest event: {date_label(last['end_date'] or last['date'])}."
    assert "slide 0" in text.steps and "slides 1 to 19" in text.steps and "Escape" in text.steps


def test_story003_event_slide_shows_the_date_as_precise_as_the_source_and_escapes_text(tmp_path):
    hostile = '<img src=x onerror="alert(1)">'
    events = _frame(tmp_path, [
        row(id="m", date="2024-06", title=hostile, description=hostile, label="A <b>caption</b>", importance="1",
            figures="about 10 | troops | NIS",
            sources="NIS | Title | https://example.org/a | 2024-06-19"),
    ])
    shown = json.dumps([c.to_plotly_json() for c in slide(events, 1)], default=lambda o: o.to_plotly_json())
    assert "June 2024" in shown and "2024-06-01" not in shown  # never a made-up day
    assert hostile.replace('"', '\\"') in shown  # as text: Dash renders children as text, never as HTML
    assert '"href": "https://example.org/a"' in shown  # (detail.py's source_item: only http(s) become links)
    assert "about 10 troops" in shown and "NIS" in shown
    assert "A <b>caption</b>" in shown


def test_story004_timeline_rings_the_slide_event_and_frames_it(bundled_events):
    keys = story_events(bundled_events)
    fig = story_timeline(bundled_events, 3)
    ring = [t for t in fig.data if t.name == "Selected"]
    assert [list(t.customdata) for t in ring] == [[keys["id"].iat[2]]]
    lo, hi = fig.layout.xaxis.range
    assert lo < keys["date"].iat[2] < hi and fig.layout.xaxis.autorange is False
    assert (lo, hi) == focus_range(keys.iloc[2])
    title = story_timeline(bundled_events, 0)
    assert not [t for t in title.data if t.name == "Selected"] and title.layout.xaxis.range is None
    assert fig.layout.uirevision != title.layout.uirevision  # each slide frames its own event


@pytest.mark.parametrize("query, expected", [
    ("", (None, "")), ("?story=0", (0, "")), ("?story=3", (3, "")), ("?story=19", (19, "")), ("?story=03", (3, "")),
    ("?category=treaty&story=2&event=x", (2, "")),
    ("?story=abc", (None, "not a slide number: 0 to 19")), ("?story=-1", (None, "not a slide number: 0 to 19")),
    ("?story=1.5", (None, "not a slide number: 0 to 19")), ("?story=%D9%A3", (None, "not a slide number: 0 to 19")),
    ("?story=20", (None, "no such slide: 0 to 19")), ("?story=" + "9" * 1000, (None, "no such slide: 0 to 19")),
])
def test_story005_story_in_the_url(query, expected):
    assert read_story(query, 19) == expected


@given(st.integers(0, 19), st.sampled_from(["", "?category=treaty", "?from=2024-06&q=kim&event=treaty-signed"]))
def test_story006_story_round_trips_after_the_filters(step, query):
    url = with_story(query, step)
    assert url.endswith(f"story={step}") and url.startswith("?")
    assert read_story(url, 19) == (step, "")
    assert Filters.from_query(url) == Filters.from_query(query)  # the filters are untouched
    assert with_story(query, None) == query


def test_story007_bad_story_in_a_link_is_named_and_dropped(bundled_events):
    known = Known.of(bundled_events)
    assert known.slides == 19
    link = read_link("?category=treaty&story=abc", known)
    assert link.story is None and link.filters == Filters(categories=("treaty",))
    assert link.ignored == ("story 'abc' (not a slide number: 0 to 19)",)
    assert read_link("?story=25", known).ignored == ("story '25' (no such slide: 0 to 19)",)
    good = read_link("?category=treaty&event=treaty-signed&story=4", known)
    assert (good.story, good.event, good.ignored) == (4, "treaty-signed", ())


def test_story008_buttons_step_within_the_slides():
    assert step_story(ids.STORY_START, None, 19) == 0
    assert step_story(ids.STORY_NEXT, 3, 19) == 4 and step_story(ids.STORY_NEXT, 19, 19) == 19
    assert step_story(ids.STORY_PREV, 3, 19) == 2 and step_story(ids.STORY_PREV, 0, 19) == 0
    assert step_story(ids.STORY_LEAVE, 5, 19) is None
    assert step_story(ids.STORY_NEXT, None, 19) is None  # no story under way: nothing to step


def test_story009_no_key_events_no_story(tmp_path):
    events = _frame(tmp_path, [row(id="a")])
    assert slide_count(events) == 0 and intro(events).heading == "The story in 0 key events"
    assert read_story("?story=0", 0) == (0, "")
    assert read_story("?story=1", 0) == (None, "no key events to tell")


def test_story010_report_carries_the_same_slides(bundled_events, tmp_path):
    from dashboard.publish.report import report_html, story_data

    events = bundled_events.reset_index(drop=True)
    data = story_data(events)
    keys = story_events(events)
    assert [events["id"].iat[i] for i in data["events"]] == keys["id"].tolist()
    assert data["captions"] == keys["label"].tolist() and data["positions"][3] == "Key event 3 of 19"
    # a filtered report tells the story of its own key events; CSV text is escaped in the title slide
    hostile = _frame(tmp_path, [row(id="x", date="2024-06", label="<script>alert(1)</script>", importance="1")])
    page = report_html(hostile)
    assert '<section class="story" id="story" hidden' in page and "The story in 1 key event<" in page
    assert "<script>alert(1)" not in page and "\\u003cscript\\u003ealert(1)" in page
