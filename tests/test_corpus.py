"""The corpus of broken CSVs: each tests/corpus/NAME.csv and the exact lines it must produce.

NAME.expected holds the problems as ``{path}:LINE: COLUMN: message`` (one per line, in
the order reported), or ``valid: N events`` (``valid: 1 event``) for a file that must load. The path is written
as ``{path}``. Two cases are made by the test instead of committed: a large file of random
bytes and a file with a 200 kB title.

Decisions recorded here: a header-only file is valid with 0 events; blank lines and rows
whose cells are all empty (a spreadsheet's trailing ``,,,,``) hold no event and are skipped.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from dashboard.data.events import load_events
from dashboard.data.problems import STRUCTURAL_COLUMNS, EventsError, UnreadableFile
from dashboard.data.schema import load_schema
from tests.conftest import HEADER, row

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p.name.removesuffix(".csv") for p in CORPUS.glob("*.csv"))
KNOWN_COLUMNS = set(load_schema().names) | set(STRUCTURAL_COLUMNS)


def outcome(path: Path) -> list[str]:
    """What loading the file gives, as the lines stored in NAME.expected."""
    try:
        events = load_events(path)
    except (EventsError, UnreadableFile) as err:
        assert err.problems, "an error must carry at least one problem"
        for p in err.problems:
            assert p.line >= 1 and p.column in KNOWN_COLUMNS and p.message
        return [str(p).replace(str(path), "{path}", 1) for p in err.problems]
    return [f"valid: {len(events)} event{'' if len(events) == 1 else 's'}"]


def test_corpus_is_big_enough():
    assert len(CASES) >= 35
    missing = [name for name in CASES if not (CORPUS / f"{name}.expected").is_file()]
    assert not missing, f"no .expected file for: {missing}"


@pytest.mark.parametrize("name", CASES)
def test_corpus_case(name):
    expected = (CORPUS / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    assert outcome(CORPUS / f"{name}.csv") == expected


def test_directory_is_unreadable_not_invalid():
    with pytest.raises(UnreadableFile, match="is a directory, not a CSV file"):
        load_events(CORPUS / "directory-not-a-file.csv")


def test_large_file_of_random_bytes(tmp_path):
    path = tmp_path / "random.csv"
    path.write_bytes(random.Random(6).randbytes(5 * 1024 * 1024))
    assert outcome(path) == ["{path}:1: file: this is a binary file, not a CSV text file; export the table as 'CSV UTF-8'"]


def test_large_file_of_random_text_bytes(tmp_path):
    """Random printable bytes (no zero byte): not a binary file, still one clear error, fast."""
    rng = random.Random(7)
    path = tmp_path / "noise.csv"
    path.write_bytes(bytes(rng.choice(b"abc,;\"\n\r |0123456789-") for _ in range(1024 * 1024)))
    lines = outcome(path)
    assert lines and all(line.startswith("{path}:") for line in lines)


def test_huge_title_cell(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text("\n".join([HEADER, row(title="x" * 200_000), row(id="e2", category="x")]) + "\n", encoding="utf-8")
    assert outcome(path) == [
        "{path}:2: title: is 200,000 characters long; shorten it to at most 300 characters",
        "{path}:3: category: 'x' is not allowed; use one of: diplomacy, treaty, military-deployment, combat-casualties, reconstruction-demining, commemoration, economic, arms-transfer, sanctions",
    ]


def test_huge_unknown_values_are_cut_in_messages(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text("\n".join([HEADER, row(id="X" * 100_000, category="y" * 100_000)]) + "\n", encoding="utf-8")
    lines = outcome(path)
    assert len(lines) == 3 and max(len(line) for line in lines) < 400
