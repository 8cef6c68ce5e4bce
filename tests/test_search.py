"""The search rule (dashboard/data/search.py): whole words and word prefixes, case- and accent-blind,
bounded in words and characters, so a hostile search costs a small multiple of a normal one."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.data.filters import Filters, apply_filters, canonical, prepare
from dashboard.app.link import Known
from dashboard.data.search import MAX_SEARCH_WORDS, fold, haystacks, search_is_cut, search_words
from dashboard.views.table import TableView, sort_events


@pytest.fixture(scope="module")
def events(bundled_events):
    return prepare(bundled_events)


def _ids(events, text: str) -> set[str]:
    return set(apply_filters(events, Filters(text=text))["id"])


def test_se001_a_word_matches_word_starts_never_the_inside_of_words(events):
    nis = apply_filters(events, Filters(text="NIS"))
    assert 0 < len(nis) < 20
    assert all(" nis" in h for h in nis["_haystack"])  # e.g. "NIS" (the South Korean service), never "Minister"
    minister_only = events[events["_haystack"].str.contains(" minister") & ~events["_haystack"].str.contains(" nis")]
    assert len(minister_only) and not set(minister_only["id"]) & set(nis["id"])
    assert _ids(events, "UN") == set(events[events["_haystack"].str.contains(" un")]["id"])
    assert "kursk" not in " ".join(events[events["id"].isin(_ids(events, "ursk"))]["_haystack"])
    assert _ids(events, "kurs") == _ids(events, "Kursk") and len(_ids(events, "kursk")) > 5


def test_se002_case_and_accents_do_not_matter(events):
    assert _ids(events, "Shoígu") == _ids(events, "SHOIGU") == _ids(events, "shoigu") != set()
    assert fold("Straße İstanbul ΟΔΥΣΣΕΥΣ Ǆemal ﬁrst") == "strasse istanbul οδυσσευσ dzemal first"
    assert fold("Kim_Jong-un, (2024)") == "kim jong un   2024 "
    assert haystacks(["Café Müller", "A\x1eB"]) == [" cafe muller", " a b"]


def test_se003_search_words_are_distinct_capped_and_bounded():
    assert search_words("Kursk kursk KURSK") == ["kursk"]
    assert search_words("kurs kursk") == ["kursk"]  # a word that starts another adds nothing
    many = " ".join(f"w{i}x" for i in range(50))
    assert search_words(many) == [f"w{i}x" for i in range(MAX_SEARCH_WORDS)]
    assert search_words("a" * 100_000) == ["a" * 200]
    assert search_is_cut(many) and search_is_cut("a" * 200) and not search_is_cut("kursk pyongyang")
    assert Filters.from_query("?q=" + "b" * 5000)[0].text == "b" * 200


def test_se004_the_table_search_follows_the_same_rule(events):
    rows = sort_events(events, TableView(search="NIS"))
    assert set(rows["id"]) == _ids(events, "NIS")
    assert set(sort_events(events, TableView(search="MINIS"))["id"]) == _ids(events, "minis") >= _ids(events, "minister")


def test_se005_a_hostile_search_costs_a_small_multiple_of_a_normal_one(tmp_path):
    from dashboard.data.events import load_events
    from dashboard.data.synthetic import write_synthetic

    path = tmp_path / "events.csv"
    write_synthetic(path, 10_000)
    big = prepare(load_events(path))

    def cost(query: str) -> float:  # the whole request's search: reading the URL, then filtering
        best = float("inf")
        for _ in range(5):
            started = time.perf_counter()
            apply_filters(big, Filters.from_query(query)[0])
            best = min(best, time.perf_counter() - started)
        return best

    normal = cost("?q=kursk+pyongyang")
    hostile = cost("?q=" + "+".join(f"w{i}" for i in range(15_000)))  # 100 kB of distinct words
    assert hostile < 3 * normal, (hostile, normal)
    # the worst a search can do: as many words as count, each found in most events
    worst = cost("?q=" + "+".join("aeiostnrdl"))
    assert worst < 12 * normal, (worst, normal)


def test_se006_cache_keys_hold_only_known_values(events):
    known = Known.of(events)
    raw = Filters(categories=("treaty", "bogus"), actors=("Kim Jong Un", "x" * 5000), start="2024-13", end="2025",
                  text="Kursk KURSK " + "y" * 150, place="nowhere")
    key, event = canonical(raw, "z" * 30_000, known)
    assert key == Filters(categories=("treaty",), actors=("Kim Jong Un",), end="2025", text="kursk " + "y" * 150)
    assert event == ""
    assert canonical(Filters(), "treaty-signed", known)[1] == "treaty-signed"
    # the same view, however it was written, is one cache entry
    assert canonical(Filters(categories=("treaty", "diplomacy")), "", known) == canonical(Filters(categories=("diplomacy", "treaty")), "", known)


def test_se007_the_dashboard_says_when_a_search_is_cut(bundled_events):
    from dashboard.app import ids
    from dashboard.app.app import create_app
    from tests.conftest import render

    client = create_app(bundled_events).server.test_client()
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "Search uses the first 8 words (200 characters)." in layout and '"maxLength": 200' in layout.replace('":200', '": 200')
    long_search = render(client, "?q=" + "+".join(f"kursk{i}" for i in range(9)))
    assert long_search[ids.SEARCH_NOTE]["hidden"] is False
    assert render(client, "?q=kursk+troops")[ids.SEARCH_NOTE]["hidden"] is True


def _reference_fold(text: str) -> str:
    """The rule as its docstring states it, applied to the whole text at once (slow, plain)."""
    import re as _re
    import unicodedata
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c)[0] != "M").casefold()
    return "".join(c if (c.isalnum() if c.isascii() else _re.match(r"\w", c)) else " " for c in text)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
@settings(max_examples=400, deadline=None)
def test_se007_folding_runs_of_non_ascii_text_is_the_same_as_folding_the_whole(text):
    # fold() only decomposes the non-ASCII runs, so that 100k events with one accented alias stay
    # linear; it must give exactly what the rule gives for the whole text
    assert fold(text) == _reference_fold(text)


def test_se008_the_separator_survives_and_every_text_is_folded_alone():
    texts = ["Шойгу in Pyongyang", "e\u0301cole", "plain ASCII", "İ ǅ ﬃ", ""]
    assert haystacks(texts) == [" " + fold(t) for t in texts]
    assert haystacks(texts)[1] == " ecole"


def test_se009_haystacks_are_the_same_a_chunk_at_a_time():
    texts = [f"Event {i} Шойгу\x1e" if i == 7 else f"Event {i} Café" for i in range(25)]
    assert haystacks(texts, chunk=4) == haystacks(texts, chunk=1000) == [" " + fold(t) for t in texts]
