"""Claims as claims: a repeated figure carries the date it was first made, and the chart draws each claim once."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from dashboard.data.cells import parse_figures
from dashboard.data.events import load_events
from dashboard.views.figures import claims_figure
from dashboard.views.figures.claims import ALSO_CITED, QUALIFIER_SYMBOLS
from dashboard.data.problems import EventsError
from dashboard.data.repeats import find_repeats
from dashboard.data.schema import load_schema
from tests.conftest import HEADER, row

NIS = "about 600 | killed | NIS"


def csv_text(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def errors_of(path) -> list[str]:
    with pytest.raises(EventsError) as info:
        load_events(path)
    return [str(p) for p in info.value.problems]


def test_clm001_repeat_without_claim_date_is_reported_at_its_line(write_csv):
    path = write_csv(csv_text(
        row(id="first", date="2025-04-30", figures=NIS),
        row(id="later", date="2025-06-30", figures="9 | troops | KCNA\n\n" + NIS + " | | cited by a lawmaker"),
    ))
    assert errors_of(path) == [
        f"{path}:5: figures: figure 2 repeats a claim first made in event 'first' (line 2); add the date it was first "
        "made: 'about 600 | killed | NIS | 2025-04-30 | cited by a lawmaker' (or this event's date if 'NIS' made the claim again then)"
    ]


def test_clm002_the_file_order_does_not_matter_and_the_first_claims_own_date_is_offered(write_csv):
    path = write_csv(csv_text(
        row(id="later", date="2025-10-23", figures="at least 600 | killed | NIS"),
        row(id="first", date="2025-05", figures=NIS + " | 2025-04-30"),
    ))
    (error,) = errors_of(path)
    assert error.startswith(f"{path}:2: figures: figure 1 repeats a claim first made in event 'first' (line 3)")
    assert "'at least 600 | killed | NIS | 2025-04-30'" in error  # the qualifier may differ: the amount is the claim


@pytest.mark.parametrize("second", [
    NIS + " | 2025-04-30",  # carries the date it was first made
    NIS + " | 2025-06-30",  # the claimant said it again (a new claim, dated)
    "about 600 | wounded | NIS",  # another unit
    "about 600 | killed | UK Ministry of Defence",  # another claimant
    "600-700 | killed | NIS",  # another amount (a range)
])
def test_clm003_a_dated_repeat_or_another_claim_is_valid(write_csv, second):
    path = write_csv(csv_text(row(id="first", date="2025-04-30", figures=NIS), row(id="later", date="2025-06-30", figures=second)))
    assert len(load_events(path)) == 2


def test_clm004_same_day_and_same_event_are_not_repeats(write_csv):
    same_day = csv_text(row(id="a", date="2025-04-30", figures=NIS), row(id="b", date="2025-04-30", figures=NIS))
    assert len(load_events(write_csv(same_day))) == 2
    same_event = csv_text(row(id="a", date="2025-04-30", figures=NIS + "\n" + NIS))
    assert len(load_events(write_csv(same_event, "one.csv"))) == 1


def test_clm005_find_repeats_is_one_pass_over_many_figures():
    n = 200_000  # every event repeats the first one's claim; half of them carry its date
    figure = {"qualifier": "", "value": 600.0, "high": None, "unit": "killed", "claimant": "NIS", "note": ""}
    figures = [[{**figure, "date": "2025-01-01" if i % 2 else ""}] for i in range(n)]
    dates = ["2025-01-01"] + ["2025-02-01"] * (n - 1)
    starts = pd.to_datetime(pd.Series(dates)).to_numpy()
    began = time.perf_counter()
    repeats = find_repeats(figures, dates, starts)
    took = time.perf_counter() - began
    assert [r.row for r in repeats] == list(range(2, n, 2))
    assert {(r.first_row, r.first_date, r.index) for r in repeats} == {(0, "2025-01-01", 0)}
    assert took < 5, f"{took:.1f} s for {n:,} figures: not linear?"  # ~0.3 s on the project's machine


@pytest.mark.parametrize("amount, qualifier, value, high", [
    ("almost 5000000", "almost", 5e6, None),
    ("nearly 1,000", "nearly", 1000.0, None),
    ("up to more than 6000000", "up to more than", 6e6, None),
    ("1000-3000", "", 1000.0, 3000.0),
    ("about 1,000 – 3,000", "about", 1000.0, 3000.0),
])
def test_clm006_qualifiers_cover_the_sources_words(amount, qualifier, value, high):
    (figure,), issues = parse_figures(f"{amount} | troops | NIS", load_schema())
    assert issues == []
    assert (figure["qualifier"], figure["value"], figure["high"]) == (qualifier, value, high)
    assert qualifier in QUALIFIER_SYMBOLS


def test_clm007_qualifiers_come_from_the_schema_and_each_has_a_symbol():
    qualifiers = load_schema().qualifiers
    assert {"almost", "nearly", "up to more than"} <= set(qualifiers)
    assert set(qualifiers) <= set(QUALIFIER_SYMBOLS)
    assert QUALIFIER_SYMBOLS["almost"] == QUALIFIER_SYMBOLS["up to"] and QUALIFIER_SYMBOLS["up to more than"] == QUALIFIER_SYMBOLS["more than"]


def claim_points(fig) -> list[tuple[str, float, str]]:
    return [(t.customdata[i], t.y[i], t.hovertext[i]) for t in fig.data if t.customdata is not None for i in range(len(t.x))]


def test_clm008_the_chart_draws_a_claim_cited_by_several_events_once(write_csv):
    path = write_csv(csv_text(
        row(id="first", date="2025-04-30", title="NIS briefing", figures=NIS),
        row(id="coffins", date="2025-06-30", title="Coffins <b>shown</b>", figures=NIS + " | 2025-04-30"),
        row(id="wall", date="2025-08-21", title="Memorial wall", figures=NIS + " | 2025-04-30"),
        row(id="again", date="2025-09-02", title="NIS again", figures=NIS + " | 2025-09-02"),
    ))
    points = claim_points(claims_figure(load_events(path)))
    assert sorted((event, value) for event, value, _ in points) == [("again", 600.0), ("first", 600.0)]
    hover = next(h for event, _, h in points if event == "first")
    assert "Also cited in:<br>· Coffins &lt;b&gt;shown&lt;/b&gt; (30 June 2025)<br>· Memorial wall (21 August 2025)" in hover
    assert "NIS again" not in hover and "<b>shown" not in hover


def test_clm009_a_claim_cited_many_times_names_a_few_and_counts_the_rest(write_csv):
    rows = [row(id="first", date="2025-04-30", figures=NIS)]
    rows += [row(id=f"e{i}", date=f"2025-05-{i + 10}", title=f"Event {i}", figures=NIS + " | 2025-04-30") for i in range(ALSO_CITED + 2)]
    fig = claims_figure(load_events(write_csv(csv_text(*rows))))
    (point,) = claim_points(fig)
    assert point[0] == "first"
    assert point[2].count("<br>· Event") == ALSO_CITED and point[2].endswith("<br>· and 2 more")


def test_clm010_bundled_claims_are_each_drawn_once(bundled_events):
    points = claim_points(claims_figure(bundled_events))
    claims = [(h.split("<br>")[0], h.split("<br>")[1]) for _, _, h in points]  # figure, claimant and date
    assert len(claims) == len(set(claims))
    nis = [h for _, _, h in points if h.startswith("<b>about 600 killed</b><br>NIS · 30 April 2025")]
    assert len(nis) == 1 and "Treaty-anniversary event" in nis[0]
    assert np.isfinite([v for _, v, _ in points]).all()


def test_clm011_claim_dates_at_the_ends_of_the_supported_years_compare_right(write_csv):
    # (years outside 1900-2100 are refused by validate; at its ends the comparison must still hold)
    path = write_csv(csv_text(row(id="old", date="1900", figures=NIS), row(id="later", date="2100-12-31", figures=NIS)))
    assert [e.split(": figures: ")[1][:56] for e in errors_of(path)] == ["figure 1 repeats a claim first made in event 'old' (line"]
    dated = csv_text(row(id="old", date="2100", figures=NIS + " | 1900"), row(id="later", date="1950", figures=NIS))
    assert errors_of(write_csv(dated, "dated.csv"))[0].endswith("add the date it was first made: 'about 600 | killed | NIS | 1900' "
                                                                  "(or this event's date if 'NIS' made the claim again then)")
