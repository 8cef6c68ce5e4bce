"""Property tests of the loader: any bytes give data or located problems, and no valid row is lost.

The committed setting is modest so the suite stays fast; to hunt for bugs run e.g.
``FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.data.cells import is_http_url
from dashboard.data.events import load_events
from dashboard.data.problems import STRUCTURAL_COLUMNS, EventsError, UnreadableFile
from dashboard.data.schema import load_schema
from tests.conftest import GOOD_SOURCE, HEADER, row

SCHEMA = load_schema()
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
KNOWN_COLUMNS = set(SCHEMA.names) | set(STRUCTURAL_COLUMNS)
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

VALID = ("\n".join([
    HEADER,
    row(description="Two lines,\nwith a comma", figures="about 10 | troops | ROK NIS\n5-7 | killed | US | 2024-06", latitude="39.0392", longitude="125.7625"),
    row(id="e2", date="2024-06", end_date="2024-07", date_certainty="approximate", actors="Kim Jong Un; Putin", place="Pyongyang, DPRK"),
    row(id="e3", date="2025", title='A "quoted" title', sources=GOOD_SOURCE + "\nReuters |  | https://reuters.com/x | 2025-01-02 | wire"),
]) + "\n").encode()


@pytest.fixture(scope="module")
def scratch():
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder) / "events.csv"


def check_frame(events) -> None:
    """What every loaded frame guarantees to the views, whatever file it came from."""
    assert events["start"].notna().all() and (events["end"] > events["start"]).all()
    assert events["id"].is_unique and events["id"].str.fullmatch(SCHEMA.field("id").pattern).all()
    assert not events[["title", "description", "place"]].apply(lambda c: c.str.contains(CONTROL)).any().any()
    assert (events["latitude"].isna() == events["longitude"].isna()).all()
    assert events["latitude"].dropna().between(-90, 90).all() and events["longitude"].dropna().between(-180, 180).all()
    for figures in events["figures"]:
        assert all(math.isfinite(f["value"]) and (f["high"] is None or math.isfinite(f["high"])) for f in figures)
    for sources in events["sources"]:
        assert sources and all(is_http_url(s["url"]) for s in sources)


def check_load(path: Path, data: bytes):
    """Load the bytes; only a frame or a located EventsError/UnreadableFile may come out."""
    path.write_bytes(data)
    try:
        events = load_events(path)
        check_frame(events)
        return events
    except (EventsError, UnreadableFile) as err:
        assert err.problems
        for p in err.problems:
            assert isinstance(p.line, int) and p.line >= 1, p
            assert p.column in KNOWN_COLUMNS, p
            assert p.message.strip(), p
            assert len(p.message) < 2000, p  # values are cut, never echoed whole
        return None


def mutate(data: bytes, edits: list[tuple[int, int, int]]) -> bytes:
    out = bytearray(data)
    for kind, position, value in edits:
        i = position % (len(out) + 1)
        if kind == 0 and i < len(out):
            out[i] = value  # flip a byte
        elif kind == 1:
            out[i:i] = bytes([value])  # insert a byte
        elif i < len(out):
            del out[i]  # delete a byte
    return bytes(out)


# bytes that matter to CSV, UTF-8 and our cell formats, mixed with anything
INTERESTING = st.sampled_from(list(b',"\n\r|;-:.0123456789 \t\x00\x07\xef\xbb\xbf\xff\xfe\xe9\x80') + [0xc3, 0xa9])
EDITS = st.lists(st.tuples(st.integers(0, 2), st.integers(0, len(VALID)), st.one_of(INTERESTING, st.integers(0, 255))), min_size=1, max_size=8)


@FUZZ
@given(data=st.binary(max_size=4096))
def test_fuzz001_any_bytes(scratch, data):
    check_load(scratch, data)


@FUZZ
@given(edits=EDITS)
def test_fuzz002_mutated_valid_file(scratch, edits):
    check_load(scratch, mutate(VALID, edits))


TOKENS = list(',"\n\r|;- :0123456789abcdeT\t\u202e\u200b\u2028\x07') + list(SCHEMA.names) + [GOOD_SOURCE, "2024-06-19", "treaty", "1.0E+3"]
CSV_TEXT = st.lists(st.sampled_from(TOKENS), max_size=200).map("".join)


@FUZZ
@given(body=CSV_TEXT, bom=st.booleans())
def test_fuzz003_csv_like_text_after_a_good_header(scratch, body, bom):
    check_load(scratch, (b"\xef\xbb\xbf" if bom else b"") + (HEADER + "\n" + body).encode())


# --- no valid row is ever lost --------------------------------------------------------------

FREE_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u0085") | st.sampled_from(list(',"\n\t |;\u202e\u2066\u200b\u200f\u2028')), max_size=40)
ONE_LINE = FREE_TEXT.map(lambda s: s.replace("\n", " ").replace("\r", " ")).filter(lambda s: s.strip())
DAY = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))
PARTIAL = st.one_of(DAY.map(lambda d: d.isoformat()), DAY.map(lambda d: d.isoformat()[:7]), DAY.map(lambda d: str(d.year)))
COORD = st.one_of(st.just(("", "")), st.tuples(st.floats(-90, 90).map(lambda x: f"{x:.4f}"), st.floats(-180, 180).map(lambda x: f"{x:.4f}")))
SAFE_PART = FREE_TEXT.map(lambda s: " ".join(s.replace("|", " ").split()))
FIGURE = st.builds(lambda q, n, unit, who: f"{q}{n} | {unit} | {who or 'someone'}", st.sampled_from(["", "about ", "more than "]),
                   st.integers(0, 10**9), st.sampled_from(sorted(SCHEMA.units)), SAFE_PART)
SOURCE = st.builds(lambda pub, title, path, day: f"{pub or 'TASS'} | {title} | https://example.org/{path} | {day}",
                   SAFE_PART, SAFE_PART, st.integers(0, 10**6), st.one_of(st.just(""), PARTIAL))


@st.composite
def valid_event(draw, number: int) -> dict[str, str]:
    lat, lon = draw(COORD)
    date = draw(PARTIAL)
    label = draw(st.one_of(st.just(""), ONE_LINE.map(lambda s: s[:40].strip())))
    return {
        "id": f"e-{number}",
        "date": date,
        "end_date": draw(st.one_of(st.just(""), st.just(date))),
        "date_certainty": draw(st.sampled_from(["", "exact", "inferred", "approximate"])),
        "title": draw(ONE_LINE)[:300],
        "label": label,
        "importance": draw(st.one_of(st.just(""), st.integers(1, 999).map(str))) if label else "",
        "description": draw(FREE_TEXT),
        "category": draw(st.sampled_from(SCHEMA.category_values)),
        "actors": draw(FREE_TEXT),
        "place": draw(ONE_LINE | st.just("")),
        "latitude": lat, "longitude": lon,
        # (a claimant of this event's own: a claim repeated by a later event would need its first date)
        "figures": "\n".join(f"{figure} (e{number})" for figure in draw(st.lists(FIGURE, max_size=3))),
        "sources": "\n".join(draw(st.lists(SOURCE, min_size=1, max_size=3))),
    }


@st.composite
def valid_file(draw):
    count = draw(st.integers(0, 12))
    events = [draw(valid_event(i)) for i in range(count)]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline, quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])))
    writer.writerow(SCHEMA.names)
    for event in events:
        if draw(st.booleans()):
            out.write(newline * draw(st.integers(1, 2)))  # blank lines between rows
        writer.writerow([event[name] for name in SCHEMA.names])
    data = out.getvalue().encode("utf-8")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return data, events


@FUZZ
@given(case=valid_file())
def test_fuzz004_no_valid_row_is_lost(scratch, case):
    data, events = case
    loaded = check_load(scratch, data)
    assert loaded is not None, scratch.read_text(encoding="utf-8-sig")
    assert len(loaded) == len(events)
    assert sorted(loaded["id"]) == sorted(e["id"] for e in events)
    by_id = loaded.set_index("id")
    for event in events:
        assert by_id.at[event["id"], "title"] == event["title"].strip()
        assert len(by_id.at[event["id"], "sources"]) == len(event["sources"].split("\n"))


@st.composite
def file_with_one_bad_row(draw):
    """A valid file whose row number `bad` has an unknown category, and the line that row's category is on.

    Cells may hold LF, CRLF or lone CR line breaks and bidi/zero-width characters; rows end
    with LF or CRLF; blank lines may sit between rows.
    """
    count = draw(st.integers(1, 8))
    bad = draw(st.integers(0, count - 1))
    events = [draw(valid_event(i)) for i in range(count)]
    breaks = st.sampled_from(["\n", "\r\n", "\r"])
    for event in events:
        edges = st.sampled_from(["", "\n", " \r\n ", "\r", "\n\n"])  # stripped from the cell, still lines in the file
        event["description"] = draw(edges) + draw(breaks).join(event["description"].split("\n")) + draw(edges)
    events[bad]["category"] = "nope"
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = HEADER + newline
    expected_line = 0
    for i, event in enumerate(events):
        text += newline * draw(st.integers(0, 2))
        if i == bad:
            before = text + "".join(event[n] for n in ("id", "date", "end_date", "date_certainty", "title", "description"))
            expected_line = len(re.findall(r"\r\n|\r|\n", before)) + 1
        out = io.StringIO()
        csv.writer(out, lineterminator=newline, quoting=csv.QUOTE_ALL).writerow([event[n] for n in SCHEMA.names])
        text += out.getvalue()
    return text.encode("utf-8"), expected_line


@FUZZ
@given(case=file_with_one_bad_row())
def test_fuzz005_errors_name_the_right_line(scratch, case):
    data, expected_line = case
    scratch.write_bytes(data)
    with pytest.raises(EventsError) as info:
        load_events(scratch)
    assert [(p.line, p.column) for p in info.value.problems] == [(expected_line, "category")]


# --- the column-wise fast paths give exactly what the item-by-item parsers give ---------------

def _is_http_url_reference(url: str) -> bool:
    """is_http_url as first written (urlsplit only); the regex fast path must agree with it."""
    from urllib.parse import urlsplit
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"\s", url)


URL_TOKENS = st.sampled_from(["http", "https", "HTTP", "hTtPs", "ftp", ":", "//", "/", "?", "#", "[", "]", "::1", "v1.x",
                              "@", "example.org", "127.0.0.1", " ", "\t", "\n", "\x01", "\x1f", "\x7f", "\x85", "\u00a0",
                              "é", "\u2100", "\uff0f", "ſ", "K", "a", "1", "%20", "|", ";", ","])
URL_LIKE = st.one_of(st.lists(URL_TOKENS, max_size=12).map("".join), st.text(max_size=30),
                     st.builds(lambda a, b: a + "://" + b, st.sampled_from(["http", "https", "HTTPS", " http", "\x00http"]), st.text(max_size=20)))


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")) * 10, deadline=None)
@given(url=URL_LIKE)
def test_fuzz006_http_url_regex_agrees_with_urlsplit(url):
    from dashboard.data.cells import _HTTP_URL
    assert is_http_url(url) == _is_http_url_reference(url)
    if _HTTP_URL.fullmatch(url):
        assert _is_http_url_reference(url)  # the regex alone never accepts more


ITEM_TOKENS = st.sampled_from(["|", " | ", "  ", "\n", "\r\n", "\r", " \n", "\t", "\u2028", "\x85", "\u00a0", "TASS", "UK MoD", "Kim",
                               "https://tass.com/1", "http://x.org/a?b#c", "HTTP://A.B", "https://[::1]/", "https://é.org", "www.x.org",
                               "=HYPERLINK(\"https://a.b\")", "2024", "2024-06", "2024-06-19", "2024-02-30", "0000", "2024-13",
                               "6000", "6,000", "1,000-3,000", "5-7", "7-5", "about", "more than ", "roughly ", "1.0E+3", "1e15",
                               "999999999999999", "9999999999999999", "troops", "killed", "US dollars", "tons", ";", "x", ""])
CELL = st.lists(ITEM_TOKENS, max_size=25).map("".join).map(str.strip)


@FUZZ
@given(cells=st.lists(CELL, max_size=8), kind=st.sampled_from(["figures", "sources"]))
def test_fuzz007_column_parse_equals_item_by_item(cells, kind):
    from dashboard.data.cells import parse_column, parse_figures, parse_sources
    parse = parse_figures if kind == "figures" else parse_sources
    values, slow = parse_column(cells, kind, SCHEMA)
    expected = [parse(cell, SCHEMA) if cell else ([], []) for cell in cells]
    for row, (cell, (items, issues)) in enumerate(zip(cells, expected)):
        if row in slow:
            assert values[row] is None
        else:
            assert not issues, (cell, issues)  # rows with any problem are always left to the parser
            assert values[row] == items, cell


ACTOR_TOKENS = st.sampled_from(["Kim", "Jong Un", ";", "; ", " ;", "  ", "\n", "\u00a0", "\t", "Putin", "x"])


@FUZZ
@given(cells=st.lists(st.lists(ACTOR_TOKENS, max_size=10).map("".join).map(str.strip), max_size=8))
def test_fuzz008_actor_column_equals_split_actors(cells):
    from dashboard.data.cells import split_actor_column, split_actors
    assert split_actor_column(cells) == [split_actors(cell) for cell in cells]


@FUZZ
@given(values=st.lists(st.sampled_from(["", "2024", "2024-06", "2024-06-19", "2024-02-30", "0000", "2024-13", "x", "2023-12-31"]), max_size=30),
       repeat=st.sampled_from([1, 100]))
def test_fuzz009_partial_dates_per_distinct_value_equal_per_row(values, repeat):
    values = values * repeat  # long enough (over 1000 rows) to take the per-distinct-value path
    import pandas as pd
    from pandas.testing import assert_frame_equal
    from dashboard.data.dates import _parse_partial_dates, parse_partial_dates
    series = pd.Series(values, dtype="str", index=pd.RangeIndex(len(values)) + 5)
    assert_frame_equal(parse_partial_dates(series), _parse_partial_dates(series))


@FUZZ
@given(text=st.lists(st.sampled_from(["a", ",", '"', "\n", "\r", "\r\n", "\n\r", "é", " ", "x" * 5]), max_size=60).map("".join),
       chunk=st.integers(1, 8))
def test_fuzz010_chunked_lines_equal_a_newline_stream(text, chunk):
    from dashboard.data.csvfile import _lines
    assert list(_lines(text, chunk)) == list(io.StringIO(text, newline=""))
