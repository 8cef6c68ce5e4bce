"""Property: any valid dataset survives writing to CSV and loading back unchanged."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings, strategies as st

from dashboard.data.events import events_to_csv, load_events
from dashboard.data.schema import load_schema

SCHEMA = load_schema()
# Text as people type it: any printable character except the cell delimiters, no edge spaces.
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"), exclude_characters="|;"), max_size=30).map(str.strip)
words = text.filter(bool)
day = st.dates(min_value=pd.Timestamp("1950-01-01").date(), max_value=pd.Timestamp("2090-12-31").date())


@st.composite
def partial_date(draw):
    d = draw(day)
    return draw(st.sampled_from([d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]]))


@st.composite
def event(draw, index):
    start = draw(partial_date())
    end = draw(st.one_of(st.just(""), partial_date().filter(lambda e: e >= start)))
    lat = draw(st.one_of(st.none(), st.floats(-90, 90, allow_nan=False)))
    label = draw(text)
    return {
        "id": f"event-{index}",
        "date": start,
        "end_date": end,
        "date_certainty": draw(st.sampled_from(["", "exact", "inferred", "approximate"])),
        "title": draw(words),
        "label": label,
        "importance": draw(st.one_of(st.just(""), st.integers(1, 999).map(str))) if label else "",
        "description": draw(st.lists(text, max_size=3).map("\n".join)).strip(),
        "category": draw(st.sampled_from(SCHEMA.category_values)),
        "actors": draw(st.lists(words, max_size=3)),
        "place": draw(text),
        "latitude": float("nan") if lat is None else lat,
        "longitude": float("nan") if lat is None else draw(st.floats(-180, 180, allow_nan=False)),
        "figures": draw(st.lists(st.fixed_dictionaries({
            "qualifier": st.sampled_from(("",) + SCHEMA.qualifiers),
            # (the last digit is the event's: a claim repeated by a later event would need its first date)
            "value": st.integers(0, 10**8).map(lambda v, i=index: float(v * 10 + i)),
            "high": st.none(),
            "unit": st.sampled_from(list(SCHEMA.units)),
            "claimant": words,
            "date": st.one_of(st.just(""), partial_date()),
            "note": text,
        }), max_size=3)),
        "sources": draw(st.lists(st.fixed_dictionaries({
            "publisher": words,
            "title": text,
            "url": st.from_regex(r"https?://[a-z]{1,10}\.[a-z]{2,4}/[a-z0-9/_-]{0,20}", fullmatch=True),
            "date": st.one_of(st.just(""), partial_date()),
            "note": text,
        }), min_size=1, max_size=3)),
    }


datasets = st.integers(1, 8).flatmap(lambda n: st.tuples(*[event(i) for i in range(n)]))


def _as_written(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns="line").reset_index(drop=True)


@settings(max_examples=60, deadline=None)
@given(datasets)
def test_rt001_valid_datasets_round_trip(tmp_path_factory, records):
    path = tmp_path_factory.mktemp("rt") / "events.csv"
    first = _write_and_load(path, records)
    path.write_text(events_to_csv(first), encoding="utf-8")
    second = load_events(path)
    pd.testing.assert_frame_equal(_as_written(first), _as_written(second))
    assert sorted(first["id"]) == sorted(r["id"] for r in records)
    for loaded in first.to_dict("records"):
        original = next(r for r in records if r["id"] == loaded["id"])
        for key in ("title", "label", "description", "actors", "place", "figures", "sources"):
            assert loaded[key] == original[key], key
        assert (pd.isna(loaded["importance"]) and not original["importance"]) or loaded["importance"] == float(original["importance"])


def _write_and_load(path, records):
    import csv
    import io
    from dashboard.data.cells import format_figure, format_source
    from dashboard.data.events import _cell
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SCHEMA.names)
    for r in records:
        writer.writerow([r["id"], r["date"], r["end_date"], r["date_certainty"], r["title"], r["label"], r["importance"], r["description"],
                         r["category"], "; ".join(r["actors"]), r["place"],
                         _cell(r["latitude"]), _cell(r["longitude"]),
                         "\n".join(format_figure(f) for f in r["figures"]),
                         "\n".join(format_source(s) for s in r["sources"])])
    path.write_text(out.getvalue(), encoding="utf-8")
    return load_events(path)
