"""events.csv survives an open/save in LibreOffice Calc (local check; skipped where soffice is missing).

Each round trip imports the CSV with the filter options a user picks in Calc's Text Import
dialog, optionally saves it as ODS or XLSX and reopens that, then saves it as CSV again:
Unicode (UTF-8), comma separator, '"' string delimiter, "Save cell content as shown".
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from dashboard import paths
from dashboard.data.events import load_events
from dashboard.data.schema import load_schema

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")

NAMES = load_schema().names
# Text Import dialog, token by token: separator ',' (44), string delimiter '"' (34), charset UTF-8 (76),
# start at line 1, column types, language (0 = default), "Format quoted field as text" off,
# "Detect special numbers" off, (export-only token), (export-only token), "Trim spaces" off,
# (export-only token), "Evaluate formulas" off.
ALL_TEXT = "/".join(f"{i}/2" for i in range(1, len(NAMES) + 1))  # every column typed "Text"


def import_options(column_types: str = "") -> str:
    return f"CSV:44,34,76,1,{column_types},0,false,false,true,false,false,0,false"


# Export Text File dialog: ',' '"' UTF-8, "Quote all text cells" off, "Save cell content as shown" on, first sheet.
EXPORT = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,0"


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> str:
    """A throwaway LibreOffice user profile, so the test neither reads nor changes the user's settings."""
    return tmp_path_factory.mktemp("lo-profile").as_uri()


def convert(profile: str, source: Path, target: str, outdir: Path, infilter: str | None = None) -> Path:
    command = [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore"]
    if infilter:
        command.append(f"--infilter={infilter}")
    command += ["--convert-to", target, "--outdir", str(outdir), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    out = outdir / f"{source.stem}.{target.split(':')[0]}"
    assert out.is_file(), f"LibreOffice did not write {out}"
    return out


def round_trip(profile: str, source: Path, tmp_path: Path, via: str, column_types: str = "") -> Path:
    """CSV -> (ODS|XLSX ->) CSV, like opening the file in Calc and saving it, optionally through another format."""
    infilter = import_options(column_types)
    if via != "csv":
        source = convert(profile, source, via, tmp_path / via, infilter)
        infilter = None
    return convert(profile, source, EXPORT, tmp_path / "out", infilter)


def frame(path: Path) -> pd.DataFrame:
    return load_events(path).drop(columns="line")


@pytest.mark.parametrize("via", ["csv", "ods", "xlsx"])
def test_sheet001_bundled_events_survive_a_calc_save_with_standard_columns(profile, tmp_path, via):
    original = paths.events_csv()
    saved = round_trip(profile, original, tmp_path, via)
    # Calc turns full dates into date cells and coordinates into numbers; what it writes back must
    # still load to the same events (trailing zeros of a coordinate may go: that is the same number).
    pd.testing.assert_frame_equal(frame(saved), frame(original))


EDGE_ROWS = [
    # trailing zeros, quotes, non-Latin scripts, en dash
    dict(id="e1", date="2024-06-19", title='Kim says "we will win" – 김정은, Шойгу, 金正恩', category="diplomacy",
         latitude="39.0390", longitude="125.7000"),
    # year- and month-only dates; a cell starting with '=' (formula-like)
    dict(id="e2", date="2024", end_date="2024-06", title="=1+1 looks like a formula", category="treaty"),
    # several lines (one blank) in one cell; date-like and number-like text
    dict(id="e3", date="1999-12", title="06/07/2024 conference", category="economic", place="1/2",
         description='-5 degrees; "quoted", comma, and\nsecond line\n\nafter blank line',
         latitude="-0.5", longitude="100"),
    # ids that a spreadsheet reads as numbers or dates
    dict(id="0042", date="2023-07-25", end_date="2023-07-27", title="50%", category="treaty", place="TRUE"),
    dict(id="1e5", date="2023-07-25", title="$1,000 deal", category="treaty", place="'apostrophe first"),
    dict(id="2024-06-19", date="2024-06-19", title="An id that looks like a date", category="treaty"),
]


@pytest.mark.parametrize("via", ["csv", "ods", "xlsx"])
def test_sheet002_text_columns_keep_every_byte(profile, tmp_path, via):
    source = tmp_path / "events.csv"
    with source.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(NAMES)
        sources = "TASS | A title | https://tass.com/1 | 2024-06-19\nKCNA |  | http://www.kcna.kp/en/1 | 2024-06-20"
        figures = "about 6700 | containers | ROK Ministry of National Defence\nup to 3000000 | shells | ROK MND |  | if 152-mm"
        for cells in EDGE_ROWS:
            writer.writerow([{"sources": sources, "figures": figures, **cells}.get(name, "") for name in NAMES])
    load_events(source)  # the fixture itself is valid
    saved = round_trip(profile, source, tmp_path, via, ALL_TEXT)
    assert saved.read_bytes() == source.read_bytes()
