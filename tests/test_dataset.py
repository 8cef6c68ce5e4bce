"""The bundled events.csv: valid, cited, and true to the seed article's verified facts."""

from __future__ import annotations

import re

import pytest

from dashboard.data.cells import is_http_url
from dashboard.data.events import events_to_csv, load_events
from dashboard import paths


def by_id(events, event_id):
    match = events[events["id"] == event_id]
    assert len(match) == 1, event_id
    return match.iloc[0]


def test_ds001_bundled_file_is_valid_and_complete(bundled_events):
    assert len(bundled_events) == 89
    assert bundled_events["id"].is_unique


def test_ds002_every_event_has_an_http_source(bundled_events):
    for sources in bundled_events["sources"]:
        assert sources and all(is_http_url(s["url"]) for s in sources)


def test_ds003_bundled_file_is_in_canonical_form(bundled_events):
    # what events_to_csv writes is exactly the file: edits keep a clean diff
    assert events_to_csv(bundled_events) == paths.events_csv().read_text(encoding="utf-8")


@pytest.mark.parametrize("event_id, date, end_date", [
    ("treaty-signed", "2024-06-19", ""),
    ("duma-ratifies-treaty", "2024-10-24", ""),
    ("federation-council-ratifies", "2024-11-06", ""),
    ("putin-signs-ratification", "2024-11-09", ""),
    ("dprk-ratifies-treaty", "2024-11-11", ""),
    ("treaty-enters-into-force", "2024-12-04", ""),
    ("first-troops-shipped-vladivostok", "2024-10-08", "2024-10-13"),
    ("shoigu-kim-2025-03-21", "2025-03-21", ""),
    ("shoigu-kim-2025-06-04", "2025-06-04", ""),
    ("ukmod-6000", "2025-06-15", ""),
    ("shoigu-kim-2025-06-17-deminers-builders", "2025-06-17", ""),
])
def test_ds004_seed_article_events_have_verified_dates(bundled_events, event_id, date, end_date):
    event = by_id(bundled_events, event_id)
    assert (event["date"], event["end_date"]) == (date, end_date)


def test_ds004b_kcnas_report_of_5_june_lives_in_the_meeting_it_reported():
    # the KCNA report of 5 June 2025 was its own event until version 0.2.0, merged into the 4 June meeting
    from dashboard.data.retired import load_retired
    events = load_events()
    assert load_retired(paths.events_csv(), events) == {"kcna-unconditional-support": "shoigu-kim-2025-06-04"}
    assert "unconditionally support" in by_id(events, "shoigu-kim-2025-06-04")["description"]


def test_ds005_seed_translation_errors_are_corrected(bundled_events):
    text = " ".join(bundled_events["title"]) + " " + " ".join(bundled_events["description"])
    for garbled in ("Kurdish", "Szojgu", "Shoygu", "Pjongjang", "Pjongyang", "replacement activities"):
        assert garbled not in text
    announcement = by_id(bundled_events, "shoigu-kim-2025-06-17-deminers-builders")
    assert "Kursk" in announcement["description"] and "Pyongyang" in announcement["place"]
    assert "Sergei Shoigu" in announcement["actors"]
    assert {(f["value"], f["unit"], f["claimant"]) for f in announcement["figures"]} == {
        (1000.0, "sappers", "Sergei Shoigu"), (5000.0, "builders", "Sergei Shoigu")}
    assert "memorial complex with a museum" in announcement["description"]


def test_ds006_uk_mod_casualties_are_a_claim_not_deaths(bundled_events):
    update = by_id(bundled_events, "ukmod-6000")
    figures = {f["unit"]: f for f in update["figures"]}
    assert (figures["casualties"]["qualifier"], figures["casualties"]["value"]) == ("more than", 6000.0)
    assert figures["casualties"]["claimant"] == "UK Ministry of Defence"
    assert "killed" not in figures


def test_ds007_conflicting_casualty_claims_sit_side_by_side(bundled_events):
    event = by_id(bundled_events, "zelensky-3000-jcs-1100")
    assert {f["claimant"]: f["value"] for f in event["figures"]} == {
        "Volodymyr Zelensky": 3000.0, "ROK Joint Chiefs of Staff": 1100.0}


def test_ds008_month_precision_is_kept(bundled_events):
    months = bundled_events[bundled_events["precision"] == "month"]
    assert set(months["id"]) >= {"shin-10000-containers", "msmt-launched", "engineer-regiment-deploys"}
    assert all(re.fullmatch(r"\d{4}-\d{2}", d) for d in months["date"])


def test_ds009_inferred_dates_are_marked(bundled_events):
    inferred = set(bundled_events.loc[bundled_events["date_certainty"] == "inferred", "id"])
    assert inferred == {"nis-100-killed", "ukmod-5000", "nis-deploy-july-august"}


def test_ds010_untitled_sources_are_left_empty_not_invented(bundled_events):
    titles = [s["title"] for sources in bundled_events["sources"] for s in sources]
    assert "" in titles
    assert not any("title not captured" in t for t in titles)


def test_ds011_key_events_are_curated(bundled_events):
    """12-20 key events with a short one-line label each, ranked 1..N without gaps."""
    keys = bundled_events[bundled_events["label"] != ""]
    assert 12 <= len(keys) <= 20
    assert all(len(label) <= 40 and "\n" not in label for label in keys["label"])
    assert sorted(keys["importance"].astype(int)) == list(range(1, len(keys) + 1))
    assert bundled_events.loc[bundled_events["label"] == "", "importance"].isna().all()
    ranked = keys.sort_values("importance")["id"].tolist()
    assert ranked[0] == "treaty-signed"
    # the treaty's signing, ratification and entry into force are key events
    assert {"treaty-signed", "duma-ratifies-treaty", "dprk-ratifies-treaty", "treaty-enters-into-force"} <= set(ranked)

