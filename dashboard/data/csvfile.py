"""Read a CSV file into raw text cells, remembering the line each record starts on.

Python's csv module is used rather than pandas.read_csv because it reports ragged
rows instead of guessing, and its line counter lets every error name the line a text
editor shows, even when quoted cells span several lines.

A line ends at CRLF, LF or a lone CR (as for the csv module and text editors);
``LINE_BREAK``, ``count_breaks`` and ``split_lines`` apply that rule wherever lines are counted.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from itertools import chain, repeat
from dataclasses import dataclass, field
from pathlib import Path

from .problems import EventsError, Problem, UnreadableFile

# Allow long cells (a description, many sources); the schema's maxLength rules catch abuse
# with a located message instead of csv's bare "field larger than field limit".
csv.field_size_limit(16 * 1024 * 1024)

_SNIFF_BYTES = 8192
# The largest file read: 4x the 100,000-event benchmark file (63 MB), which loads in ~0.4 GB of memory.
# Bigger is not an events file (or not one this tool can serve); reading it would only exhaust memory.
MAX_FILE_BYTES = 256 * 1024 * 1024
# An events file has the schema's 13 columns; a header (or row) of more is not one. Rows are cut to this
# many cells as they are read (their real width is kept for the message), so a line of millions of commas
# costs no memory; a header this wide gives one message instead of one per column.
MAX_COLUMNS = 100
_BOM = b"\xef\xbb\xbf"
LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LEADING_SPACE = re.compile(r"\s*+")  # what str.lstrip() removes (without copying the rest of the cell)
SAVE_AS_UTF8 = "save it as 'CSV UTF-8' (in LibreOffice: Character set 'Unicode (UTF-8)')"
_SEPARATORS = {";": "';'", "\t": "tabs", "|": "'|'"}
# C0 controls other than tab, LF and CR; DEL; C1 controls. Bidi and zero-width characters are data.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# every byte except the C0 controls (other than tab, LF, CR), DEL and 0xC2 (which starts U+0080..U+00BF)
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not (b < 0x20 and b not in (9, 10, 13) or b in (0x7f, 0xc2)))
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")


@dataclass
class RawTable:
    header: list[str]
    rows: list[list[str]]  # cells as written in the file (not stripped); see stripped_columns
    starts: list[int]  # 1-based line on which each row begins
    header_line: int = 1  # line of the header (later than 1 only after blank lines)
    # False when the text holds no control character at all, so per-cell checks can be skipped
    has_control: bool = True
    # row index -> real number of cells, for the rows cut to MAX_COLUMNS + 1 cells when read
    widths: dict[int, int] = field(default_factory=dict)

    def line_of(self, row: int, position: int, offset: int = 0) -> int:
        """The line of line `offset` of the (stripped) cell at `position` in `row`."""
        record = self.rows[row]
        before = sum(count_breaks(c) for c in record[:position] if "\n" in c or "\r" in c)
        lead = 0
        if position < len(record):
            cell = record[position]
            lead = count_breaks(cell[:_LEADING_SPACE.match(cell).end()])
        return self.starts[row] + before + lead + offset

    def stripped_columns(self, keep: list[int], width: int) -> list[list[str]]:
        """The stripped cells of the rows in `keep` (each `width` cells long), column by column."""
        rows = self.rows if len(keep) == len(self.rows) else [self.rows[i] for i in keep]
        # strip all cells in one C loop, row after row, then take every width-th cell: about
        # twice as fast as transposing with zip(*rows) and stripping column by column
        cells = list(map(str.strip, chain.from_iterable(rows)))
        return [cells[position::width] for position in range(width)]


def count_breaks(text: str) -> int:
    """Number of line breaks (CRLF, LF or lone CR) in text."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def split_lines(text: str) -> list[str]:
    """text split at CRLF, LF or lone CR."""
    return text.split("\n") if "\r" not in text else LINE_BREAK.split(text)


def _line_of_offset(data: bytes, offset: int) -> int:
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def has_control(data: bytes) -> bool:
    """Whether UTF-8 data holds any character CONTROL matches (one pass in C over the bytes)."""
    found = data.translate(None, _NOT_CONTROL_BYTES)
    if found.strip(b"\xc2"):
        return True
    return bool(found) and _C1_UTF8.search(data) is not None


_NOT_REGULAR = ((stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
                (stat.S_ISFIFO, "a pipe (FIFO)"), (stat.S_ISSOCK, "a socket"))


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file (a symbolic link is followed) of at most ``limit`` bytes (MAX_FILE_BYTES).

    Devices, pipes and sockets are refused without reading: /dev/zero or /dev/urandom never end, and a
    pipe (or FIFO) with no writer would block forever. The file is opened non-blocking so that even a
    FIFO put in place of the file after a check cannot hang the open.
    """
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise UnreadableFile(path, "no such file") from None
    except IsADirectoryError:
        raise UnreadableFile(path, "is a directory, not a CSV file") from None
    except PermissionError:
        raise UnreadableFile(path, "permission denied: the file cannot be read") from None
    except OSError as exc:
        raise UnreadableFile(path, f"cannot be read ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise UnreadableFile(path, "is a directory, not a CSV file")
        if not stat.S_ISREG(st.st_mode):
            what = next((name for test, name in _NOT_REGULAR if test(st.st_mode)), "not a regular file")
            raise UnreadableFile(path, f"is {what}, not a regular file; give the path of a CSV file (to check data from a pipe, save it to a file first)")
        if st.st_size > limit:
            raise UnreadableFile(path, _too_large(st.st_size, limit))
        with open(fd, "rb", closefd=False) as f:
            data = f.read(st.st_size + 1)  # (a byte more than its size tells a file that grew since)
            if len(data) > st.st_size:
                data += f.read(limit + 1 - len(data))
    except OSError as exc:
        raise UnreadableFile(path, f"cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if len(data) > limit:  # (it grew while being read)
        raise UnreadableFile(path, _too_large(None, limit))
    return data


def _too_large(size: int | None, limit: int) -> str:
    what = f"is {_size(size)}, larger than" if size is not None else "is larger than"
    return f"{what} the {_size(limit)} this tool reads at most; an events file of 100,000 events is about 60 MB"


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def _wide_encoding(data: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' if the bytes are in one of those encodings (by BOM or zero-byte pattern)."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    sniff = data[:_SNIFF_BYTES]
    if len(sniff) >= 8:
        # ASCII text in UTF-16 has a zero byte in every other position
        for half in (sniff[0::2], sniff[1::2]):
            if half.count(0) >= 0.9 * len(half) and sniff.count(0) <= 0.6 * len(sniff):
                return "UTF-16"
    return None


def _valid_utf8_prefix(sniff: bytes) -> bool:
    try:
        sniff.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(sniff) - 3 and exc.reason == "unexpected end of data"
    return True


def _fail(path: Path, data: bytes, offset: int, message: str):
    raise EventsError(path, [Problem(_line_of_offset(data, offset), "file", message)])


def _checked_body(path: Path, data: bytes) -> bytes:
    """The bytes after any BOM, or one clear error for empty, binary, UTF-16 or UTF-32 files (UTF-8 is checked by decode)."""
    if wide := _wide_encoding(data):
        _fail(path, data, 0, f"the file is {wide} text (Excel's 'Unicode Text'), not UTF-8; {SAVE_AS_UTF8}")
    body = data
    while body.startswith(_BOM):
        body = body[len(_BOM):]
    skipped = len(data) - len(body)
    if not body[:64].strip() and not body.strip():  # (the whole-body strip copies it: only when it may be empty)
        _fail(path, data, 0, "the file is empty; it needs a header line such as id,date,title,category,sources and one line per event")
    sniff = body[:_SNIFF_BYTES]
    if b"\x00" in sniff:
        if not body.strip(b"\x00 \t\r\n"):
            _fail(path, data, 0, "the file holds only zero bytes (a write was probably interrupted), not CSV text; restore it from a copy")
        if not _valid_utf8_prefix(sniff) or sniff.count(0) > max(8, len(sniff) // 100):
            _fail(path, data, skipped + body.index(b"\x00"), "this is a binary file, not a CSV text file; export the table as 'CSV UTF-8'")
    return body


def decode(path: Path, data: bytes) -> str:
    """UTF-8 text of the file (a BOM is fine), or one clear error for empty, binary or other encodings."""
    body = _checked_body(path, data)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + len(data) - len(body)
        line_start = max(data.rfind(b"\n", 0, offset), data.rfind(b"\r", 0, offset)) + 1
        column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
        byte = data[offset]
        guess = bytes([byte]).decode("cp1252", errors="replace")
        hint = f", which is '{guess}' in Windows-1252/Latin-1" if byte >= 0xa0 or (guess.isprintable() and guess != "\ufffd") else ""
        _fail(path, data, offset, f"the file is not UTF-8 text (byte 0x{byte:02x} at character {column}{hint}); {SAVE_AS_UTF8}")


def _check_separator(path: Path, text: str) -> None:
    """One clear error when the file is split by ';' or tabs (a spreadsheet's locale default), not commas."""
    from .schema import load_schema

    lines = LINE_BREAK.split(text[:65536])
    number, first = next(((n, line) for n, line in enumerate(lines, start=1) if line.strip()), (1, ""))
    if "," in first:
        return
    names = set(load_schema().names)
    for sep, called in _SEPARATORS.items():
        cells = [c.strip().strip('"').strip() for c in first.split(sep)]
        if len(cells) > 1 and sum(c in names for c in cells) >= 2:
            raise EventsError(path, [Problem(number, "header", f"the file seems to use {called} as separator; save it with commas (in LibreOffice: Field delimiter ','; in Excel: 'CSV UTF-8 (Comma delimited)')")])


def read_table(path: Path) -> RawTable:
    """Split the file into header and rows of cells, with each row's first line.

    Blank lines, and lines whose cells are all empty (a spreadsheet's trailing ',,,,'),
    hold no event and are skipped.
    """
    data = read_bytes(path)
    control = has_control(data)
    if data.isascii():
        # ASCII is UTF-8 without a BOM: decoding it whole would only check its start and copy it. The csv
        # module reads the bytes through a newline="" decoding stream instead (lines end at CRLF, LF or a
        # lone CR), which is quicker than decoding first and splitting the text
        body = _checked_body(path, data)
        _check_separator(path, body[:65536].decode("ascii"))
        lines = io.TextIOWrapper(io.BytesIO(body), encoding="ascii", newline="")
    else:
        text = decode(path, data)
        _check_separator(path, text)
        # str.splitlines also breaks at VT, FF, FS-RS, NEL and U+2028/9; without those it gives the same
        # lines as a newline="" stream (CRLF, LF, lone CR) and gives them much faster
        plain = not control and "\u2028" not in text and "\u2029" not in text  # (instant for 1-byte-per-char text)
        lines = _lines(text) if plain else io.StringIO(text, newline="")
    del data
    reader = csv.reader(lines, strict=True)
    records: list[list[str]] = []
    starts: list[int] = []
    widths: dict[int, int] = {}
    add_record, add_start = records.append, starts.append
    next_start = 1
    try:
        for record in reader:
            start, next_start = next_start, reader.line_num + 1
            # skip blank lines; the first cell (the id) is almost never empty, so the join is rare
            if record and (record[0].strip() or "".join(record).strip()):
                if len(record) > MAX_COLUMNS:
                    if not records:
                        raise EventsError(path, [_too_many_columns(start, len(record))])
                    widths[len(records) - 1] = len(record)
                    record = record[:MAX_COLUMNS + 1]
                add_record(record)
                add_start(start)
    except csv.Error as exc:
        reason = str(exc)
        if "unexpected end of data" in reason:
            problem = Problem(next_start, "row", "broken CSV quoting: the file ends inside a quoted cell that begins on this row; add the closing double quote (\") where the cell ends, and double every quote inside it (\"\")")
        elif "expected after" in reason:
            problem = Problem(reader.line_num, "row", "broken CSV quoting: a double quote inside a cell must be doubled and the whole cell wrapped in double quotes, e.g. \"An \"\"event\"\" title\"")
        elif "field larger than field limit" in reason:
            problem = Problem(next_start, "row", f"a cell in this row is larger than {csv.field_size_limit() // (1024 * 1024)} MB; this is not an events file, or a quote is never closed")
        else:
            problem = Problem(next_start, "row", f"broken CSV quoting ({reason}); a cell that contains commas, quotes or line breaks must be wrapped in double quotes, with each quote inside it doubled (\"\")")
        raise EventsError(path, [problem]) from None
    if not records:
        raise EventsError(path, [Problem(1, "file", "the file has no header line; the first line must name the columns, e.g. id,date,title,category,sources")])
    header = [c.strip() for c in records[0]]
    del records[0]
    header_line = starts.pop(0)
    return RawTable(header, records, starts, header_line, control, widths)


def _too_many_columns(line: int, width: int) -> Problem:
    from .schema import load_schema

    names = load_schema().names
    return Problem(line, "header", f"the header has {width:,} columns, more than the {MAX_COLUMNS} this tool reads; an events file has at most the {len(names)} columns {', '.join(names)}")


def _lines(text: str, chunk: int = 1 << 20):
    """The lines of text with their line breaks, split a chunk at a time (each chunk ends after a LF)."""
    def chunks():
        start = 0
        while start < len(text):
            end = text.find("\n", start + chunk)
            end = len(text) if end < 0 else end + 1
            yield text[start:end]
            start = end
    return chain.from_iterable(map(str.splitlines, chunks(), repeat(True)))
