"""dprk-timeline diff: events added, removed and changed between two events files, field by field."""

from __future__ import annotations

from click.testing import CliRunner

from dashboard.cli import cli
from dashboard.data.diff import MAX_EVENTS, MAX_ITEMS, FieldChange, diff_events, diff_lines
from dashboard.data.events import load_events
from tests.conftest import GOOD_SOURCE, HEADER, row

SECOND = "RIA | Another | https://ria.ru/2 | 2024-06-20"


def csv_text(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def run(*args: str):
    return CliRunner().invoke(cli, ["diff", *args])


def frames(write_csv, old: str, new: str):
    return load_events(write_csv(old, "old.csv")), load_events(write_csv(new, "new.csv"))


def test_dif001_equal_tables_have_no_difference(write_csv):
    old, new = frames(write_csv, csv_text(row(), row(id="e2")), csv_text(row(id="e2"), row()))
    result = diff_events(old, new)
    assert result.equal
    assert diff_lines(result, old, new) == ["OLD and NEW hold the same 2 events"]


def test_dif002_added_removed_and_changed_by_id_field_by_field(write_csv):
    old, new = frames(write_csv,
                      csv_text(row(id="kept", actors="Putin; Kim", latitude="39.0392", longitude="125.7625"), row(id="gone")),
                      csv_text(row(id="kept", title="New title", actors="Kim; Shoigu", latitude="39.04", longitude="125.7625",
                                   sources=GOOD_SOURCE + "\n" + SECOND), row(id="new", date="2025-01")))
    result = diff_events(old, new)
    assert (result.added, result.removed) == (("new",), ("gone",))
    ((event, changes),) = result.changed
    assert event == "kept"
    assert changes == (
        FieldChange("title", "An event", "New title"),
        FieldChange("actors", added=("Shoigu",), removed=("Putin",), multi=True),
        FieldChange("latitude", "39.0392", "39.04"),
        FieldChange("sources", added=(SECOND,), multi=True),
    )


def test_dif003_a_new_order_of_items_is_said_as_such(write_csv):
    old, new = frames(write_csv, csv_text(row(sources=GOOD_SOURCE + "\n" + SECOND)), csv_text(row(sources=SECOND + "\n" + GOOD_SOURCE)))
    ((_, (change,)),) = diff_events(old, new).changed
    assert change.reordered and change.field == "sources"
    assert "    sources: same items, new order" in diff_lines(diff_events(old, new), old, new)


def test_dif004_output_is_readable_and_bounded(write_csv):
    long_old, long_new = "x" * 5000 + " old ending", "x" * 5000 + " new ending"
    actors_old = "; ".join(f"A{i}" for i in range(30))
    old, new = frames(write_csv, csv_text(*[row(id=f"e{i}", description=long_old, actors=actors_old) for i in range(MAX_EVENTS + 5)]),
                      csv_text(*[row(id=f"e{i}", description=long_new) for i in range(MAX_EVENTS + 5)]))
    result = diff_events(old, new)
    lines = diff_lines(result, old, new, names=("a.csv", "b.csv"))
    assert lines[0] == f"a.csv → b.csv: {MAX_EVENTS + 5} → {MAX_EVENTS + 5} events; 0 added, 0 removed, {MAX_EVENTS + 5} changed"
    assert max(map(len, lines)) < 200
    assert "old ending" in "\n".join(lines) and "new ending" in "\n".join(lines)  # cut around the change, not at the start
    assert lines[-1] == "  … and 5 more (--all lists every one)"
    assert lines.count(f"      - … and {30 - MAX_ITEMS} more") == MAX_EVENTS
    assert len(diff_lines(result, old, new, limit=None)) > len(lines)


def test_dif005_removed_ids_that_were_retired_say_what_replaces_them(write_csv):
    old, new = frames(write_csv, csv_text(row(id="dup"), row(id="main")), csv_text(row(id="main")))
    lines = diff_lines(diff_events(old, new), old, new, retired={"dup": "main"})
    assert "  - dup  2024-06-19  'An event'  (retired: replaced by main)" in lines


def test_dif006_cli_exit_0_when_equal(write_csv):
    path = write_csv(csv_text(row()))
    result = run(str(path), str(path))
    assert result.exit_code == 0
    assert result.output == f"{path} and {path} hold the same 1 event\n"


def test_dif007_cli_exit_1_when_they_differ(write_csv):
    old, new = write_csv(csv_text(row()), "old.csv"), write_csv(csv_text(row(title="Changed")), "new.csv")
    result = run(str(old), str(new))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{old} → {new}: 1 → 1 events; 0 added, 0 removed, 1 changed", "", "Changed (1):",
        "  ~ e1  2024-06-19  'Changed'", "    title: 'An event' → 'Changed'",
    ]


def test_dif008_cli_exit_2_on_a_missing_file(write_csv, tmp_path):
    path = write_csv(csv_text(row()))
    result = run(str(path), str(tmp_path / "missing.csv"))
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'missing.csv'}: no such file\n"


def test_dif009_cli_exit_2_on_invalid_input_listing_its_problems(write_csv):
    good, bad = write_csv(csv_text(row()), "good.csv"), write_csv(csv_text(row(date="2025-02-30")), "bad.csv")
    result = run(str(bad), str(good))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{bad}:2: date: '2025-02-30' is not a real date")
    assert result.stdout == "" and "Traceback" not in result.output


def test_dif010_cli_needs_two_files():
    result = run("only-one.csv")
    assert result.exit_code == 2 and "Missing argument 'NEW'" in result.output
