"""Read an archive file as a stream of parsed records, one line at a time.

The format follows the file name: `.csv` is CSV with a header row naming at least `date`,
`title` and `url` (any order, case-insensitive, extra columns ignored); anything else is JSONL,
one JSON object per line. Lines may end in LF, CRLF or CR. Blank lines are skipped. Lines
are decoded one by one, so a line that is not UTF-8 rejects that row only, and memory stays
bounded whatever the file size.
A file that cannot be opened, or a CSV without the required columns, raises InputError
before anything is read.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Final

from monitor.errors import InputError
from monitor.sources.archive.parse import RejectedRow, Where, parse_json_line, parse_record
from signals.models import Headline

Parsed = tuple[int, Headline | RejectedRow]
CSV_SUFFIXES: Final[frozenset[str]] = frozenset({".csv"})
_REQUIRED: Final[tuple[tuple[str, ...], ...]] = (
    ("date", "published"),
    ("title", "text"),
    ("url",),
)
_BOM: Final[str] = "\ufeff"


def read_archive(path: Path, *, latest: datetime) -> Iterator[Parsed]:
    """(line, Headline or RejectedRow) for every non-blank record of `path`, in file order."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from None
    lines = _decoded(handle)
    if path.suffix.lower() in CSV_SUFFIXES:
        return _closing(handle, parse_csv_lines(lines, str(path), latest=latest))
    return _closing(handle, parse_jsonl_lines(lines, str(path), latest=latest))


def parse_jsonl_lines(
    lines: Iterable[tuple[int, str | None]], path: str, *, latest: datetime
) -> Iterator[Parsed]:
    """Parse (line number, text or None when undecodable) pairs of a JSONL file."""
    for number, text in lines:
        where = Where(path, number, latest)
        if text is None:
            yield number, where.reject("not_utf8", "not UTF-8 text")
        elif text.strip():
            yield number, parse_json_line(text, where)


def parse_csv_lines(
    lines: Iterable[tuple[int, str | None]], path: str, *, latest: datetime
) -> Iterator[Parsed]:
    """Parse a CSV's lines; a record spanning lines is named by its first line."""
    bad: set[int] = set()

    def texts() -> Iterator[str]:
        for number, text in lines:
            if text is None:
                bad.add(number)
            yield "\n" if text is None else text

    # Lines are numbered from 1 without gaps, so the reader's count of lines consumed
    # tells where each record starts and ends.
    reader = csv.reader(texts())
    try:
        first_row = next(reader, None)
    except csv.Error as e:
        raise InputError(f"{path}:1: not a readable CSV header ({e})") from None
    header = _header(first_row, path)
    consumed = reader.line_num
    while True:
        try:
            row = next(reader, None)
        except csv.Error as e:  # a NUL byte, a field over the size limit: this record only
            first, consumed = consumed + 1, reader.line_num
            yield first, Where(path, first, latest).reject("bad_field", f"bad CSV record: {e}")
            continue
        if row is None:
            return
        first, last = consumed + 1, reader.line_num
        consumed = last
        where = Where(path, first, latest)
        if last > first and any(_SWALLOWED.search(cell) for cell in row):
            yield (
                first,
                where.reject(
                    "bad_field",
                    f"a quote opened here runs on to line {last}: lines {first}-{last} read as "
                    "one record, so the rows inside it are not imported (close the quote, then "
                    "import again: stored rows stay, a re-import adds only the missing ones)",
                ),
            )
        elif any(n in bad for n in range(first, last + 1)):
            bad.difference_update(range(first, last + 1))
            yield first, where.reject("not_utf8", "not UTF-8 text")
        elif any(cell.strip() for cell in row):
            record = {name: row[i] for i, name in enumerate(header) if name and i < len(row)}
            yield first, parse_record(record, where)


#: A line inside one field that starts like a record of its own (an ISO date, then a
#: comma): an unterminated quote swallowed the rows after it. A title or summary spanning
#: lines does not start a line so.
_SWALLOWED: Final = re.compile(r"\n\s*\"?\d{4}-\d{2}-\d{2}[^,\n]{0,20},")


def _header(row: list[str] | None, path: str) -> list[str]:
    if row is None:
        raise InputError(f"{path}: empty CSV file (expected a header row: date,title,source,url)")
    names = [cell.strip().lstrip(_BOM).lower() for cell in row]
    for options in _REQUIRED:
        if not any(o in names for o in options):
            raise InputError(
                f"{path}:1: CSV header has no {' or '.join(options)} column "
                f"(found: {', '.join(n for n in names if n) or 'nothing'})"
            )
    return names


def _lines(handle: Iterable[bytes]) -> Iterator[bytes]:
    """The file's lines ending in LF, CRLF or a lone CR: Excel for Mac's CSV ends lines in
    CR only, which read as one line and stopped the import with a csv traceback."""
    for raw in handle:
        if b"\r" in raw.rstrip(b"\r\n"):
            yield from raw.splitlines(keepends=True)
        else:
            yield raw


def _decoded(handle: Iterable[bytes]) -> Iterator[tuple[int, str | None]]:
    for number, raw in enumerate(_lines(handle), start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield number, None
            continue
        yield number, text.lstrip(_BOM) if number == 1 else text


def _closing(handle: BinaryIO, items: Iterator[Parsed]) -> Iterator[Parsed]:
    with handle:
        yield from items
