"""Correctness at 100,000 events (not speed): filters, counts and selection agree with plain pandas.

One synthetic file of 100k valid events is generated and loaded once for the module. Each filter
combination is checked against a straightforward pandas computation written independently of
``dashboard.data.filters``, and the dashboard's own callback is asked through the HTTP endpoint.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.app import ids
from dashboard.app.app import create_app
from dashboard.data.events import load_events
from dashboard.data.filters import Filters, filter_mask, prepare
from dashboard.data.schema import load_schema
from dashboard.data.synthetic import write_synthetic
from tests.conftest import render

N = 100_000
CATEGORIES = load_schema().category_values
WORDS = ("kursk", "port", "satellite", "petrov", "rail link", "ministry of defence", "kim", "zzz-nothing", "delegations discussed")


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    path = write_synthetic(tmp_path_factory.mktemp("scale") / "events-100k.csv", N, seed=11)
    return prepare(load_events(path))


@pytest.fixture(scope="module")
def pools(events):
    actors = events["actors"].explode().value_counts()
    places = events["place"][events["place"] != ""].value_counts()
    return {"actors": list(actors.index[:5]) + list(actors.index[-5:]), "places": list(places.index[:10])}


def _bounds(text: str, side: str) -> pd.Timestamp:
    """First day of a partial date ('from'), or the day after its last day ('to')."""
    period = pd.Period(text, freq={4: "Y", 7: "M", 10: "D"}[len(text)])
    return period.start_time if side == "from" else (period + 1).start_time


def expected_mask(events: pd.DataFrame, f: Filters) -> np.ndarray:
    """The filters' meaning, computed the plain way, column by column."""
    keep = pd.Series(True, index=events.index)
    if f.categories:
        keep &= events["category"].astype(str).isin(f.categories)
    if f.actors:
        exploded = events["actors"].explode()
        keep &= exploded.isin(f.actors).groupby(level=0).any().reindex(events.index, fill_value=False)
    if f.place:
        keep &= events["place"] == f.place
    if f.start:
        keep &= events["end"] > _bounds(f.start, "from")
    if f.end:
        keep &= events["start"] < _bounds(f.end, "to")
    columns = [events["title"], events["description"], events["actors"].map("; ".join), events["place"]]
    for word in re.findall(r"[^\W_]+", f.text.lower()):  # a word matches the start of a word (search.py)
        keep &= np.logical_or.reduce([c.str.contains(r"(?:^|[\W_])" + re.escape(word), case=False, regex=True) for c in columns])
    return keep.to_numpy()


def partial_dates():
    days = st.dates(min_value=pd.Timestamp("2014-06-01").date(), max_value=pd.Timestamp("2026-06-01").date())
    return st.one_of(st.just(""), days.map(lambda d: d.isoformat()), days.map(lambda d: d.isoformat()[:7]),
                     days.map(lambda d: d.isoformat()[:4]))


@st.composite
def filter_sets(draw, pools):
    return Filters(
        categories=tuple(draw(st.lists(st.sampled_from(CATEGORIES), max_size=3, unique=True))),
        actors=tuple(draw(st.lists(st.sampled_from(pools["actors"]), max_size=2, unique=True))),
        start=draw(partial_dates()), end=draw(partial_dates()),
        text=draw(st.one_of(st.just(""), st.sampled_from(WORDS))),
        place=draw(st.one_of(st.just(""), st.sampled_from(pools["places"]))),
    )


def test_scale001_filters_match_pandas(events, pools):
    @settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(filter_sets(pools))
    def check(filters):
        # through the URL too, the way the dashboard and shared links carry the filters
        parsed, _ = Filters.from_query(filters.to_query())
        assert parsed == filters
        got = filter_mask(events, parsed)
        want = expected_mask(events, filters)
        assert got.sum() == want.sum()
        assert (got == want).all()

    check()


def test_scale002_each_filter_alone_selects_something(events, pools):
    # guards the property test above against only ever comparing empty selections
    for f in (Filters(categories=(CATEGORIES[0],)), Filters(actors=(pools["actors"][0],)), Filters(place=pools["places"][0]),
              Filters(start="2020-03", end="2020-06-15"), Filters(text="kursk")):
        count = int(filter_mask(events, f).sum())
        assert 0 < count < N and count == int(expected_mask(events, f).sum()), f


def test_scale003_dashboard_count_and_selection(events, pools):
    client = create_app(events).server.test_client()
    chosen = events.iloc[N // 3]
    f = Filters(categories=(str(chosen["category"]), CATEGORIES[0]), start=chosen["date"][:7], end=chosen["date"][:7],
                text=chosen["actors"][0].split()[0])
    result = render(client, f.to_query(chosen["id"]))
    want = int(expected_mask(events, f).sum())
    assert want > 0
    assert result[ids.COUNT]["children"] == f"Showing {want:,} of {N:,} events"
    assert result[ids.TABLE_PAGE_TEXT]["children"].endswith(f" of {want:,}")
    detail = json.dumps(result[ids.DETAIL]["children"])
    assert json.dumps(chosen["title"])[1:-1] in detail
    assert all(json.dumps(s["url"])[1:-1] in detail for s in chosen["sources"])
