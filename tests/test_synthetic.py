"""The synthetic events generator: valid, deterministic, and the promised mix."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from dashboard.data.cells import is_http_url
from dashboard.data.events import load_events
from dashboard.data.schema import load_schema
from dashboard.data.synthetic import PLACES, synthetic_events_csv, write_synthetic

N = 5000


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    return load_events(write_synthetic(tmp_path_factory.mktemp("synthetic") / "events.csv", N, seed=3))


def test_syn001_valid_and_complete(events):
    # load_events raises EventsError on any problem, so getting here means the file is valid
    assert len(events) == N
    assert events["id"].is_unique
    assert set(events["category"].astype(str)) == set(load_schema().category_values)


def test_syn002_deterministic():
    assert synthetic_events_csv(500, seed=7) == synthetic_events_csv(500, seed=7)
    assert synthetic_events_csv(500, seed=7) != synthetic_events_csv(500, seed=8)
    assert synthetic_events_csv(0) == ",".join(load_schema().names) + "\n"


def test_syn003_date_mix(events):
    precision = events["precision"].astype(str).value_counts(normalize=True)
    single_days = ((events["precision"] == "day") & (events["end_date"] == "")).mean()
    spans = (events["end_date"] != "").mean()
    assert 0.55 <= single_days <= 0.65
    assert 0.2 <= spans <= 0.35
    assert 0.07 <= precision["month"] <= 0.15
    assert 0.005 <= precision["year"] <= 0.06
    certainty = events["date_certainty"].astype(str).value_counts(normalize=True)
    assert 0.03 <= certainty["inferred"] <= 0.12 and "approximate" in certainty
    assert (events["end"] > events["start"]).all()


def test_syn004_actors_places_sources_figures(events):
    per_event = events["actors"].map(len)
    assert per_event.between(1, 3).all() and set(per_event) == {1, 2, 3}
    assert events["actors"].map(lambda a: len(set(a)) == len(a)).all()
    assert 200 <= events["actors"].explode().nunique() <= 500
    assert len(PLACES) == 200
    located = events.dropna(subset=["latitude", "longitude"])
    assert 0.9 <= len(located) / N < 1 and located["place"].nunique() > 150
    assert located["latitude"].between(-90, 90).all() and located["longitude"].between(-180, 180).all()
    sources = events["sources"].map(len)
    assert sources.between(1, 3).all() and set(sources) == {1, 2, 3}
    assert all(is_http_url(s["url"]) for row in events["sources"] for s in row)
    with_figures = (events["figures"].map(len) > 0).mean()
    assert 0.15 <= with_figures <= 0.25
    units = {f["unit"] for row in events["figures"] for f in row}
    assert units <= set(load_schema().units) and len(units) > 10
    assert {f["qualifier"] for row in events["figures"] for f in row} - {""}
    assert events["title"].str.len().between(30, 300).all()
    assert events["description"].str.len().median() > 100


def test_syn005_command_line(tmp_path):
    out = tmp_path / "ten.csv"
    done = subprocess.run([sys.executable, "-m", "dashboard.data.synthetic", "10", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert len(load_events(out)) == 10
    assert pd.read_csv(out).shape == (10, len(load_schema().names))
