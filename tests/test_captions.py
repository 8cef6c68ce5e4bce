"""Key-event captions on the timeline: where they are placed, which are left out, and what the figure carries."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from dashboard.data.events import load_events
from dashboard.views.figures import timeline_figure
from dashboard.views.figures.captions import (
    BAND_PX, EDGE_PX, GAP_PX, MAX_CAPTIONS, NARROW_BELOW, NOMINAL_WIDTH, STEP_PX, chart_placement, key_events, nominal_range,
    place_captions, two_lines,
)
from dashboard.views.figures.timeline import TOP_PX, _timeline_frame
from tests.conftest import HEADER, row

# The timeline chart's width and its plot's left and right margins (px) in the dashboard in a browser window
# 1280 px wide (the main column beside the filters) and 390 px wide (a phone), as measured in Chromium.
CHARTS = {1280: (905, 110, 12), 390: (325, 110, 12)}
HOSTILE = "<img src=x onerror=alert(1)>"


def boxes(spots, x, widths):
    """(level, left, right) of each placed caption."""
    out = []
    for (level, anchor), at, width in zip(spots, x, widths):
        if level >= 0:
            left = {"center": at - width / 2, "left": at, "right": at - width}[anchor]
            out.append((level, left, left + width))
    return out


def assert_apart_and_inside(spots, x, widths, lo, hi, gap=GAP_PX):
    placed = boxes(spots, x, widths)
    for level, left, right in placed:
        assert lo <= left and right <= hi  # never cut at the chart's edges
    for i, (level, left, right) in enumerate(placed):
        for other, l2, r2 in placed[i + 1:]:
            if other == level:
                assert right + gap <= l2 or r2 + gap <= left, (left, right, l2, r2)
    for (level, anchor), at, width in zip(spots, x, widths):  # each leader line rises into its own caption
        if level >= 0:
            left = {"center": at - width / 2, "left": at, "right": at - width}[anchor]
            assert left - 1e-9 <= at <= left + width + 1e-9


def blocked(i, spots, x, widths, lo, hi, levels, gap=GAP_PX) -> bool:
    """Whether caption i had no free place once the more important captions (those before it) were placed."""
    earlier = boxes(spots[:i], x[:i], widths[:i])
    for level in range(levels):
        for left in (x[i] - widths[i] / 2, x[i], x[i] - widths[i]):
            right = left + widths[i]
            if lo <= left and right <= hi and not any(lv == level and left < r + gap and l < right + gap for lv, l, r in earlier):
                return False
    return True


@pytest.fixture(scope="module")
def items(bundled_events):
    frame = _timeline_frame(bundled_events)
    return key_events(bundled_events, frame["x"].to_numpy(), frame["y"].to_numpy()), nominal_range(frame["x0"], frame["x1"])


@pytest.mark.parametrize("window", [1280, 390])
def test_cap001_captions_never_overlap_and_stay_inside_the_chart(items, window):
    captions, x_range = items
    width, left, right = CHARTS[window]
    spots, x, widths, lines = chart_placement(captions, x_range=x_range, width=width, left=left, right=right)
    assert lines == (2 if window == 390 else 1)
    assert_apart_and_inside(spots, x, widths, EDGE_PX, width - EDGE_PX)
    assert max(level for level, _ in spots) < BAND_PX // STEP_PX[lines - 1]  # inside the band above the plot


def test_cap002_fewer_on_a_phone_and_the_most_important_first(items):
    captions, x_range = items
    placed = {}
    for window, (width, left, right) in CHARTS.items():
        spots, x, widths, lines = chart_placement(captions, x_range=x_range, width=width, left=left, right=right)
        placed[window] = [captions["id"].iat[i] for i, (level, _) in enumerate(spots) if level >= 0]
        assert spots[0][0] == 0  # the most important caption always gets the lowest level
        levels = int(BAND_PX // STEP_PX[lines - 1])
        for i, (level, _) in enumerate(spots):  # a caption is left out only where the more important ones leave no room
            if level < 0:
                assert blocked(i, spots, x, widths, EDGE_PX, width - EDGE_PX, levels), captions["label"].iat[i]
    assert 3 <= len(placed[390]) < len(placed[1280]) <= len(captions)
    assert placed[390][0] == placed[1280][0] == "treaty-signed"  # importance 1


def test_cap003_key_events_come_by_importance_then_time(write_csv):
    lines = [row(id="late", date="2025-01-01", label="Late, rank 2", importance="2"),
             row(id="early", date="2024-01-01", label="Early, rank 2", importance="2"),
             row(id="first", date="2024-06-01", label="Rank 1", importance="1"),
             row(id="unranked", date="2023-01-01", label="No rank"),
             row(id="plain", date="2023-06-01")]
    lines += [row(id=f"other{i}", date=f"2022-{i % 12 + 1:02d}-01") for i in range(MAX_CAPTIONS)]
    events = load_events(write_csv("\n".join([HEADER, *lines]) + "\n"))
    frame = _timeline_frame(events)
    chosen = key_events(events, frame["x"].to_numpy(), frame["y"].to_numpy())
    assert chosen["id"].tolist() == ["first", "early", "late", "unranked"]  # events without a label are not key events
    # a small view (zoomed in, or narrowed by filters) offers its other events too, titles shortened, after the key events
    few = events[events["id"].isin(["late", "plain", "first"])]
    frame = _timeline_frame(few)
    assert key_events(few, frame["x"].to_numpy(), frame["y"].to_numpy())["id"].tolist() == ["first", "late", "plain"]


def test_cap004_many_key_events_are_capped(bundled_events):
    many = bundled_events.assign(label="A caption", importance=np.arange(len(bundled_events), 0, -1.0))
    frame = _timeline_frame(many)
    chosen = key_events(many, frame["x"].to_numpy(), frame["y"].to_numpy())
    assert len(chosen) == MAX_CAPTIONS and chosen["id"].tolist() == many["id"].tolist()[::-1][:MAX_CAPTIONS]


def test_cap005_the_figure_carries_escaped_captions_and_their_placement_data(write_csv):
    lines = [row(id="k1", date="2024-06-19", label=f"{HOSTILE} & co", importance="1"),
             row(id="k2", date="2024-12-04", label="Treaty enters into force", importance="2", category="diplomacy"),
             row(id="plain", date="2024-09-01", title="x" * 60, category="sanctions")]
    events = load_events(write_csv("\n".join([HEADER, *lines]) + "\n"))
    big = pd.concat([events] * 10, ignore_index=True).assign(id=[f"e{i}" for i in range(30)])  # more than MAX_CAPTIONS
    fig = timeline_figure(big)
    text = fig.to_json()
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; co" in text and "<img" not in text and "\\u003cimg" not in text
    spec = fig.layout.meta["captions"]
    notes = fig.layout.annotations[spec["annotation0"]:]
    assert len(notes) == len(spec["items"]) == MAX_CAPTIONS
    # meta items in importance order; the annotations placed for the nominal width, highest level first
    assert [item["id"] for item in spec["items"][:2]] == ["e0", "e3"]  # rank 1 first (time order: k1, plain, k2, k1, ...)
    frame = _timeline_frame(big)
    items = key_events(big, frame["x"].to_numpy(), frame["y"].to_numpy())
    spots, _, _, _ = chart_placement(items, x_range=nominal_range(frame["x0"], frame["x1"]), width=NOMINAL_WIDTH)
    order = sorted(range(len(spots)), key=lambda i: -spots[i][0])
    assert [n.text for n in notes] == [spec["items"][i]["text"][0] for i in order]
    assert [n.visible is not False for n in notes] == [spots[i][0] >= 0 for i in order]
    shown = [n for n in notes if n.visible is not False]
    assert shown and all(n.xref == "paper" and 0 <= n.x <= 1 and n.ax == 0 and n.ay < 0 for n in shown)
    style = fig.layout.template.layout.annotationdefaults  # what all captions share, set once
    assert style.yanchor == "bottom" and style.bgcolor == "white" and style.font.size == 11
    assert fig.layout.margin.t == TOP_PX + spec["base"] + BAND_PX
    # the two-line form is broken at a space, each half escaped
    assert spec["items"][0]["text"][1].replace("<br>", " ") == spec["items"][0]["text"][0]
    json.loads(text)


def test_cap006_no_key_events_no_captions(bundled_events):
    plain = bundled_events.assign(label="")
    fig = timeline_figure(plain)
    assert not fig.layout.annotations and fig.layout.meta is None and fig.layout.margin.t == TOP_PX
    older = bundled_events.drop(columns=["label", "importance"])  # a frame made before the columns existed
    assert not timeline_figure(older).layout.annotations


def test_cap007_two_lines_break_near_the_middle():
    assert two_lines("Treaty signed in Pyongyang") == "Treaty signed\nin Pyongyang"
    assert two_lines("Pyongyang") == "Pyongyang"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.floats(-50, 450), st.just(float("nan"))), st.floats(20, 260)), max_size=25),
       st.integers(1, 4))
def test_cap008_placement_rules_hold_for_any_input(captions, levels):
    x = [c[0] for c in captions]
    widths = [c[1] for c in captions]
    spots = place_captions(x, widths, lo=EDGE_PX, hi=400 - EDGE_PX, levels=levels)
    assert len(spots) == len(captions)
    assert all(level < levels for level, _ in spots)
    assert all(level == -1 for (level, _), at in zip(spots, x) if np.isnan(at))  # not in view: not shown
    assert_apart_and_inside(spots, x, widths, EDGE_PX, 400 - EDGE_PX)
    for i, ((level, _), at) in enumerate(zip(spots, x)):
        if level < 0 and not np.isnan(at):
            assert blocked(i, spots, x, widths, EDGE_PX, 400 - EDGE_PX, levels)


def test_cap009_narrow_charts_use_two_lines():
    assert NARROW_BELOW > CHARTS[390][0] and NARROW_BELOW < CHARTS[1280][0]
