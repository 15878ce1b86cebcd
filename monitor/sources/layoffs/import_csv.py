"""Import a layoffs.fyi export (CSV) into the store's layoff_events table.

Columns (by header name, case-insensitive, any order; extra columns ignored): `company`
and `date` are required; `total_laid_off`, `industry`, `source` (or `source_url`) and
`location` are optional. Dates are M/D/YYYY as layoffs.fyi writes them (YYYY-MM-DD is
accepted too). Every bad cell stops the import with the file, line and column named, and
nothing is written, so a file is imported whole or not at all.

layoffs.fyi has a row per company, location and day. The store keeps one event per
company and day: rows of the same location are repeat reports of one cut (the largest
count is kept), rows of different locations are separate cuts (their counts add up).
Re-importing the same file changes nothing.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from monitor.errors import InputError
from monitor.sources.csv.files import parse_csv_file
from monitor.store.db import Store
from monitor.store.layoffs import LayoffCounts, LayoffEvent, upsert_layoff_events

_ALIASES: Mapping[str, tuple[str, ...]] = {
    "company": ("company",),
    "date": ("date",),
    "total_laid_off": ("total_laid_off", "laid_off_count", "laid_off"),
    "industry": ("industry",),
    "source": ("source", "source_url"),
    "location": ("location", "location_hq"),
}
_REQUIRED = ("company", "date")
#: More people than the largest company employs (Walmart, about 2.1 million): a typo.
MAX_LAID_OFF = 3_000_000


@dataclass(frozen=True, slots=True)
class LayoffRow:
    """One CSV row, parsed, with the line it came from."""

    line: int
    company: str
    day: date
    total_laid_off: int | None
    industry: str | None
    source_url: str | None
    location: str


@dataclass(frozen=True, slots=True)
class LayoffImportResult:
    """What an import read and wrote."""

    path: str
    rows: int
    events: int
    new: int
    updated: int
    unchanged: int
    first_day: date | None
    last_day: date | None


def import_layoffs(store: Store, path: Path) -> LayoffImportResult:
    """Read `path` and upsert its events in one transaction."""
    rows = read_layoff_rows(path)
    events = merge_rows(rows)
    with store.transaction():
        counts: LayoffCounts = upsert_layoff_events(store, events)
    days = [e.day for e in events]
    return LayoffImportResult(
        path=str(path),
        rows=len(rows),
        events=len(events),
        new=counts.new,
        updated=counts.updated,
        unchanged=counts.unchanged,
        first_day=min(days, default=None),
        last_day=max(days, default=None),
    )


def read_layoff_rows(path: Path) -> list[LayoffRow]:
    """Parse every row of the export; InputError names the line and column of a bad cell."""
    return parse_csv_file(path, lambda handle: list(_parse(handle, path)))


def _parse(handle: TextIO, path: Path) -> Iterator[LayoffRow]:
    reader = csv.reader(handle)
    header = next(reader, None)
    if header is None:
        raise InputError(f"{path}: empty file, expected a header with company and date")
    columns = _columns(header, path)
    line = reader.line_num
    for cells in reader:
        # csv counts physical lines, so a quoted field with a newline keeps lines right.
        row_line, line = line + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        yield _row(cells, columns, f"{path}:{row_line}")


def _columns(header: list[str], path: Path) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    columns: dict[str, int] = {}
    for key, aliases in _ALIASES.items():
        found = next((names.index(a) for a in aliases if a in names), None)
        if found is not None:
            columns[key] = found
    missing = [k for k in _REQUIRED if k not in columns]
    if missing:
        raise InputError(
            f"{path}:1: missing column(s) {', '.join(missing)} (header: {', '.join(header)}); "
            "expected a layoffs.fyi export with company, total_laid_off, date, industry, source"
        )
    return columns


def _cell(cells: list[str], columns: Mapping[str, int], key: str) -> str:
    index = columns.get(key)
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def _row(cells: list[str], columns: Mapping[str, int], where: str) -> LayoffRow:
    company = _cell(cells, columns, "company")
    if not company:
        raise InputError(f"{where}: column company: empty company name")
    return LayoffRow(
        line=int(where.rsplit(":", 1)[1]),
        company=company,
        day=_day(_cell(cells, columns, "date"), where),
        total_laid_off=_count(_cell(cells, columns, "total_laid_off"), where),
        industry=_cell(cells, columns, "industry") or None,
        source_url=_cell(cells, columns, "source") or None,
        location=_cell(cells, columns, "location"),
    )


def _day(text: str, where: str) -> date:
    for fmt in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InputError(f"{where}: column date: expected M/D/YYYY (like 1/28/2026), got {text!r}")


def _count(text: str, where: str) -> int | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        value = float("nan")
    # `inf` or 1e300 crashed the import (int(inf), an integer SQLite cannot hold).
    if not 0 <= value <= MAX_LAID_OFF or value != int(value):
        raise InputError(
            f"{where}: column total_laid_off: expected a whole number of people "
            f"(0 to {MAX_LAID_OFF:,}), got {text!r}"
        )
    return int(value)


def merge_rows(rows: Iterable[LayoffRow]) -> list[LayoffEvent]:
    """One event per (company, day): max within a location, sum across locations."""
    per_location: dict[tuple[str, date], dict[str, list[LayoffRow]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in rows:
        per_location[(row.company, row.day)][row.location.lower()].append(row)
    events = [_merge(key, groups) for key, groups in per_location.items()]
    return sorted(events, key=lambda e: (e.day, e.company))


def _merge(key: tuple[str, date], groups: Mapping[str, list[LayoffRow]]) -> LayoffEvent:
    counts = [
        max((r.total_laid_off for r in g if r.total_laid_off is not None), default=None)
        for g in groups.values()
    ]
    known = [c for c in counts if c is not None]
    first = min((r for g in groups.values() for r in g), key=lambda r: r.line)
    return LayoffEvent(
        company=key[0],
        day=key[1],
        total_laid_off=sum(known) if known else None,
        industry=first.industry,
        source_url=first.source_url,
    )
