"""Read a CSV file into raw text cells, remembering the line each record starts on.

Python's csv module is used rather than pandas.read_csv because it reports ragged
rows instead of guessing, and its line counter lets every error name the line a text
editor shows, even when quoted cells span several lines.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .problems import EventsError, Problem, UnreadableFile

# Allow long cells (a description, many sources); the schema's maxLength rules catch abuse
# with a located message instead of csv's bare "field larger than field limit".
csv.field_size_limit(16 * 1024 * 1024)

_SNIFF_BYTES = 8192


@dataclass
class RawTable:
    header: list[str]
    rows: list[list[str]]
    starts: list[int]  # 1-based line on which each row begins; the header is line 1


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFile(path, "no such file") from None
    except IsADirectoryError:
        raise UnreadableFile(path, "is a directory, not a CSV file") from None
    except PermissionError:
        raise UnreadableFile(path, "permission denied: the file cannot be read") from None
    except OSError as exc:
        raise UnreadableFile(path, f"cannot be read ({exc.strerror or exc})") from None


def decode(path: Path, data: bytes) -> str:
    """UTF-8 text of the file (a BOM is fine), or one clear error for empty, binary or other encodings."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if not body.strip():
        raise EventsError(path, [Problem(1, "file", "the file is empty; it needs a header line such as id,date,title,category,sources and one line per event")])
    if b"\x00" in body[:_SNIFF_BYTES]:
        raise EventsError(path, [Problem(_line_of_offset(data, data.index(b"\x00")), "file", "this is a binary file, not a CSV text file; export the table as 'CSV UTF-8'")])
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(data) - len(body))
        line = _line_of_offset(data, offset)
        column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
        raise EventsError(path, [Problem(line, "file", f"the file is not UTF-8 text (byte 0x{data[offset]:02x} at character {column}); save it as 'CSV UTF-8' (in LibreOffice: Character set 'Unicode (UTF-8)')")]) from None


def read_table(path: Path) -> RawTable:
    """Split the file into header and rows of stripped cells, with each row's first line."""
    text = decode(path, read_bytes(path))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    starts: list[int] = []
    next_start = 1
    try:
        for record in reader:
            start, next_start = next_start, reader.line_num + 1
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # blank line
            cells = [c.strip() for c in record]
            if header is None:
                header = cells
            else:
                rows.append(cells)
                starts.append(start)
    except csv.Error as exc:
        raise EventsError(path, [Problem(next_start, "row", f"broken CSV quoting ({exc}); a cell that contains commas, quotes or line breaks must be wrapped in double quotes, with each quote inside it doubled (\"\")")]) from None
    if header is None:
        raise EventsError(path, [Problem(1, "file", "the file has no header line")])
    return RawTable(header, rows, starts)
