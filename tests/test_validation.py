"""One test per validation rule: a small CSV and the exact error line(s) it must produce."""

from __future__ import annotations

import pytest

from dashboard.data.events import load_events
from dashboard.data.problems import EventsError, UnreadableFile
from tests.conftest import HEADER, row


def errors_of(path) -> list[str]:
    with pytest.raises(EventsError) as info:
        load_events(path)
    return [str(p) for p in info.value.problems]


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def test_val001_valid_minimal_file_loads(write_csv):
    events = load_events(write_csv(csv_text(row())))
    assert list(events["id"]) == ["e1"]
    assert str(events["start"].iat[0].date()) == "2024-06-19"
    assert events["sources"].iat[0] == [{"publisher": "TASS", "title": "A title", "url": "https://tass.com/1", "date": "2024-06-19", "note": ""}]


def test_val002_missing_required_column(write_csv):
    path = write_csv("id,date,title,category\ne1,2024-06-19,T,treaty\n")
    assert errors_of(path) == [f"{path}:1: header: missing required column 'sources'; add it (required columns: id, date, title, category, sources)"]


def test_val003_unknown_column_suggests_the_close_name(write_csv):
    path = write_csv("id,date,title,category,sources,lattitude\ne1,2024-06-19,T,treaty," + '"' + "TASS | T | https://t.com | 2024" + '"' + ",1\n")
    assert errors_of(path)[0].startswith(f"{path}:1: header: unknown column 'lattitude'; did you mean 'latitude'? the columns are: id, date,")


def test_val004_duplicated_column(write_csv):
    path = write_csv("id,date,title,title,category,sources\n")
    assert errors_of(path) == [f"{path}:1: header: column 'title' appears twice (columns 3 and 4); keep one"]


def test_val005_empty_required_cell(write_csv):
    path = write_csv(csv_text(row(title="")))
    assert errors_of(path) == [f"{path}:2: title: is empty; every event needs a title (e.g. 'Treaty on Comprehensive Strategic Partnership signed in Pyongyang')"]


@pytest.mark.parametrize("value, message", [
    ("2025-02-30", "'2025-02-30' is not a real date (2025-02 has no day 30); write YYYY-MM-DD for a day, YYYY-MM for a month or YYYY for a year (e.g. 2024-06-19, 2024-06, 2024)"),
    ("2025-15-06", "'2025-15-06' is not a real date (there is no month 15); if you meant day 15 of month 6, write 2025-06-15"),
    ("19/06/2024", "'19/06/2024' is not in YYYY-MM-DD form; for day 19 of month 6 write 2024-06-19 (a spreadsheet may have reformatted the cell: format the column as Text)"),
    ("45462", "'45462' looks like a spreadsheet's date number (2024-06-19); format the column as Text and write 2024-06-19"),
])
def test_val006_impossible_or_malformed_date(write_csv, value, message):
    path = write_csv(csv_text(row(date=value)))
    assert errors_of(path) == [f"{path}:2: date: {message}"]


def test_val007_end_before_start(write_csv):
    path = write_csv(csv_text(row(date="2024-06-19", end_date="2024-06-18")))
    assert errors_of(path) == [f"{path}:2: end_date: is before the date; the end date must be on or after the date (swap them?)"]


def test_val008_end_inside_a_month_is_fine(write_csv):
    events = load_events(write_csv(csv_text(row(date="2024-06", end_date="2024-06-10"))))
    assert str(events["end"].iat[0].date()) == "2024-06-11"


def test_val009_unknown_category(write_csv):
    path = write_csv(csv_text(row(category="diplomcy")))
    assert errors_of(path) == [f"{path}:2: category: 'diplomcy' is not allowed; did you mean 'diplomacy'? use one of: diplomacy, treaty, military-deployment, combat-casualties, reconstruction-demining, commemoration, economic, arms-transfer, sanctions"]


def test_val010_duplicate_id_names_the_first_line(write_csv):
    path = write_csv(csv_text(row(), row(title="Other")))
    assert errors_of(path) == [f"{path}:3: id: 'e1' is used twice (first on line 2); every event needs its own id"]


def test_val011_invalid_id(write_csv):
    path = write_csv(csv_text(row(id="Treaty Signed!")))
    assert errors_of(path) == [f"{path}:2: id: 'Treaty Signed!' is not a valid id; use lower-case letters, digits and hyphens, e.g. 'treaty-signed'"]


@pytest.mark.parametrize("lat, lon, expected", [
    ("91", "10", "latitude: 91 is out of range; latitude runs from -90 to 90"),
    ("10", "-181", "longitude: -181 is out of range; longitude runs from -180 to 180"),
    ("39.0", "", "longitude: is empty but latitude is given; give both or neither"),
    ("", "125.7", "latitude: is empty but longitude is given; give both or neither"),
    ("39,04", "125.7", "latitude: '39,04' is not a decimal number; write degrees with a dot as decimal mark, e.g. 39.0392"),
])
def test_val012_coordinates(write_csv, lat, lon, expected):
    path = write_csv(csv_text(row(latitude=lat, longitude=lon)))
    assert errors_of(path) == [f"{path}:2: {expected}"]


def test_val013_source_url_must_be_http(write_csv):
    path = write_csv(csv_text(row(sources="TASS | T | javascript:alert(1) | 2024-06-19")))
    assert errors_of(path) == [f"{path}:2: sources: source 1: 'javascript:alert(1)' is not a web address; a source URL must start with http:// or https://"]


def test_val014_malformed_source_names_its_own_line(write_csv):
    sources = "TASS | T | https://tass.com/1 | 2024-06-19\nReuters | only two parts"
    path = write_csv(csv_text(row(description="two\nlines", sources=sources)))
    # the row starts on line 2; description adds a line; the bad source is the cell's 2nd line
    assert errors_of(path) == [f"{path}:4: sources: source 2 has 2 parts separated by '|'; write PUBLISHER | TITLE | URL | DATE (| NOTE), e.g. 'TASS | Treaty takes effect | https://tass.com/1 | 2024-12-04'"]


def test_val015_url_in_title_place_gets_a_hint(write_csv):
    path = write_csv(csv_text(row(sources="TASS | https://tass.com/1 | 2024-06-19")))
    assert errors_of(path) == [f"{path}:2: sources: source 1: the URL is in the title's place; if the title is unknown leave it empty: 'TASS |  | https://tass.com/1 | 2024-06-19'"]


def test_val016_malformed_figure(write_csv):
    path = write_csv(csv_text(row(figures="several | missiles | US")))
    assert errors_of(path) == [f"{path}:2: figures: figure 1: amount 'several' is not a number; write e.g. '9', 'about 11000', 'more than 6,000' or '1000-3000'"]


def test_val017_figure_unit_and_claimant(write_csv):
    path = write_csv(csv_text(row(figures="about 10 | soldiers |  ")))
    message = errors_of(path)[0]
    assert message.startswith(f"{path}:2: figures: figure 1: unit 'soldiers' is not one of: troops,")
    assert message.endswith("; names no claimant; say who gives the number")


def test_val018_figures_parse_to_numbers(write_csv):
    events = load_events(write_csv(csv_text(row(figures="more than 6,000 | casualties | UK MoD\n1000-3000 | troops | ROK media | 2025-02"))))
    low, span = events["figures"].iat[0]
    assert (low["qualifier"], low["value"], low["high"], low["claimant"]) == ("more than", 6000.0, None, "UK MoD")
    assert (span["value"], span["high"], span["date"]) == (1000.0, 3000.0, "2025-02")


def test_val019_non_numeric_coordinate_and_certainty(write_csv):
    path = write_csv(csv_text(row(latitude="north", longitude="1", date_certainty="maybe")))
    assert errors_of(path) == [
        f"{path}:2: date_certainty: 'maybe' is not allowed; use one of: exact, inferred, approximate",
        f"{path}:2: latitude: 'north' is not a decimal number; write degrees with a dot as decimal mark, e.g. 39.0392",
    ]


def test_val020_ragged_row(write_csv):
    path = write_csv(csv_text(row(), row(id="e2") + ",extra"))
    n = len(HEADER.split(","))
    assert errors_of(path) == [f"{path}:3: row: this row has {n + 1} cells but the header has {n}; a cell that contains a comma must be wrapped in double quotes"]


def test_val021_all_errors_at_once_with_lines_after_multiline_cells(write_csv):
    path = write_csv(csv_text(row(description="a\nb\nc"), row(id="e2", date="2024-13-01"), row(id="e3", category="x")))
    assert [e.split(": ")[0] for e in errors_of(path)] == [f"{path}:5", f"{path}:6"]


def test_val022_bom_and_crlf_are_fine(write_csv):
    text = csv_text(row(description="line one\nline two"), row(id="e2")).replace("\n", "\r\n")
    events = load_events(write_csv(b"\xef\xbb\xbf" + text.encode()))
    assert list(events["id"]) == ["e1", "e2"]
    assert events["description"].iat[0] == "line one\r\nline two"


def test_val023_quoted_comma_and_newline(write_csv):
    events = load_events(write_csv(csv_text(row(title="Talks, then a treaty", place="Pyongyang, DPRK"))))
    assert events["title"].iat[0] == "Talks, then a treaty"


def test_val024_not_utf8(write_csv):
    path = write_csv(csv_text(row(title="Caf\u00e9")).encode("latin-1"))
    assert errors_of(path) == [f"{path}:2: file: the file is not UTF-8 text (byte 0xe9 at character 20, which is 'é' in Windows-1252/Latin-1); save it as 'CSV UTF-8' (in LibreOffice: Character set 'Unicode (UTF-8)')"]


def test_val025_empty_file(write_csv):
    path = write_csv(b"")
    assert errors_of(path) == [f"{path}:1: file: the file is empty; it needs a header line such as id,date,title,category,sources and one line per event"]


def test_val026_binary_file(write_csv):
    path = write_csv(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert errors_of(path) == [f"{path}:3: file: this is a binary file, not a CSV text file; export the table as 'CSV UTF-8'"]


def test_val027_missing_file_and_directory(tmp_path):
    with pytest.raises(UnreadableFile, match="no such file"):
        load_events(tmp_path / "nope.csv")
    with pytest.raises(UnreadableFile, match="is a directory"):
        load_events(tmp_path)


def test_val028_broken_quoting(write_csv):
    path = write_csv(HEADER + "\n" + 'e1,2024-06-19,,,"An "event" title,,treaty\n')
    assert errors_of(path)[0].startswith(f"{path}:2: row: broken CSV quoting")


def test_val029_title_is_one_line(write_csv):
    path = write_csv(csv_text(row(title="first\nsecond")))
    assert errors_of(path) == [f"{path}:2: title: runs over several lines; a title is one line (put details in description)"]


def test_val030_optional_columns_may_be_left_out(write_csv):
    path = write_csv('id,date,title,category,sources\ne1,2024-06,Month event,economic,"Yonhap | T | https://en.yna.co.kr/x | 2024-06"\n')
    events = load_events(path)
    assert events["precision"].iat[0] == "month"
    assert events["actors"].iat[0] == []


def test_val031_no_row_is_dropped(write_csv):
    rows = [row(id=f"e{i}", date=f"2024-{(i % 12) + 1:02d}") for i in range(50)]
    events = load_events(write_csv(csv_text(*rows, "", "")))
    assert len(events) == 50


def test_val032_label_is_a_short_single_line(write_csv):
    path = write_csv(csv_text(row(id="ok", label="x" * 40, importance="1"), row(id="long", label="y" * 41),
                              row(id="lines", label="Treaty\nsigned")))
    assert errors_of(path) == [
        f"{path}:3: label: is 41 characters long; shorten it to at most 40 characters",
        f"{path}:4: label: runs over several lines; a label is one short line (the title and description say more)",
    ]


def test_val033_importance_is_a_rank_of_a_labelled_event(write_csv):
    path = write_csv(csv_text(row(id="a", label="A", importance="first"), row(id="b", label="B", importance="0"),
                              row(id="c", label="C", importance="1.5"), row(id="d", importance="2"),
                              row(id="e", label="E", importance="12")))
    hint = "is not a rank; write a whole number from 1 (the most important key event) up, e.g. 1"
    assert errors_of(path) == [
        f"{path}:2: importance: 'first' {hint}",
        f"{path}:3: importance: '0' {hint}",
        f"{path}:4: importance: '1.5' {hint}",
        f"{path}:5: importance: is given but label is empty; a rank only orders the labels of key events (add a label or clear the rank)",
    ]


def test_val034_files_without_label_or_importance_load(write_csv):
    source = '"TASS | T | https://tass.com/1 | 2024"'
    without = load_events(write_csv(f"id,date,title,category,sources\ne1,2024-06-19,T,treaty,{source}\n", "a.csv"))
    assert without["label"].tolist() == [""] and without["importance"].isna().all()
    only_label = load_events(write_csv(f"id,date,title,label,category,sources\ne1,2024-06-19,T,Signed,treaty,{source}\n", "b.csv"))
    assert only_label["label"].tolist() == ["Signed"] and only_label["importance"].isna().all()
    ranked = load_events(write_csv(csv_text(row(label="Signed", importance="3")), "c.csv"))
    assert ranked["importance"].tolist() == [3.0]
