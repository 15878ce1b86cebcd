"""Bring-your-own prices: read a wide or long CSV of daily closes into PriceBars and store them.

Wide: a `date` column and one column per ticker (an empty cell means the ticker was not
listed that day). Long: `date`, `ticker` and `close` columns, other columns ignored. The
format is recognised from the header. Every error names the file, the line and the
column, because a user has to find it in a file of thousands of rows.

Tickers are stored in capitals, as Yahoo and feeds.yaml write them: a file's `nvda` was
stored beside `NVDA` and no reading ever found it.

A close must be a positive number: a zero or negative close is a broken cell (the
signals take logarithms and ratios of closes, and one such bar poisoned every reading
of its ticker). A `^` index may be a rate instead (^IRX, the 13-week bill yield, was
below zero in March 2020). A day before 1800 is a typo (pandas cannot even hold a year-1 date), and
`import-prices` refuses a day after tomorrow: a bar from the future would be the
ticker's latest close for years.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal, Protocol

from monitor.errors import InputError
from monitor.sources.csv.files import parse_csv_file
from monitor.store import Store
from monitor.store.prices import BarCounts, merge_bars
from signals.models import PriceBar

SOURCE = "csv"
Format = Literal["wide", "long"]

_TICKER = re.compile(r"^[A-Za-z0-9^.=\-]{1,20}$")
_MISSING = frozenset({"", "nan", "na", "n/a", "null", "none"})
#: No daily close the monitor reads is older than this (a year-1 date is a typo).
EARLIEST = date(1800, 1, 1)


class _Rows(Protocol):
    """A csv reader: rows of cells, and the physical line the last row ended on."""

    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class PriceCsv:
    """The bars read from one file, and how the file was laid out."""

    path: Path
    format: Format
    rows: int
    bars: tuple[PriceBar, ...]


@dataclass(frozen=True, slots=True)
class TickerImport:
    """What importing one ticker did to the store."""

    ticker: str
    counts: BarCounts
    first: date
    last: date


@dataclass(frozen=True, slots=True)
class ImportResult:
    path: Path
    format: Format
    rows: int
    tickers: tuple[TickerImport, ...]

    @property
    def new(self) -> int:
        return sum(t.counts.new for t in self.tickers)

    @property
    def updated(self) -> int:
        return sum(t.counts.updated for t in self.tickers)

    @property
    def unchanged(self) -> int:
        return sum(t.counts.unchanged for t in self.tickers)


def import_prices(
    store: Store,
    path: Path,
    *,
    now: datetime,
    latest: date = date.max,
    parsed: PriceCsv | None = None,
) -> ImportResult:
    """Read `path` (unless `parsed` is its content already) and write its bars (source
    "csv") in one transaction; idempotent. `now` stamps the bars; a day after `latest`
    stops the import (the command passes tomorrow by the wall clock; a replay with a past
    `now` passes nothing)."""
    parsed = parsed or read_price_csv(path, latest=latest)
    with store.transaction():
        counts = merge_bars(store, parsed.bars, fetched_at=now)
    spans: dict[str, tuple[date, date]] = {}
    for bar in parsed.bars:
        lo, hi = spans.get(bar.ticker, (bar.day, bar.day))
        spans[bar.ticker] = (min(lo, bar.day), max(hi, bar.day))
    tickers = tuple(
        TickerImport(t, counts[t], *spans[t]) for t in dict.fromkeys(b.ticker for b in parsed.bars)
    )
    return ImportResult(path, parsed.format, parsed.rows, tickers)


def read_price_csv(path: Path, *, latest: date = date.max) -> PriceCsv:
    """Parse a wide or long price CSV; raise InputError naming the file, line and column
    (a day after `latest` is one of the errors)."""
    return parse_csv_file(path, lambda handle: _parse(path, csv.reader(handle), latest))


def _parse(path: Path, reader: _Rows, latest: date) -> PriceCsv:
    header = next(reader, None)
    if header is None or not any(h.strip() for h in header):
        raise InputError(f"{path}: empty file; expected a header with a 'date' column")
    names = [h.strip() for h in header]
    lower = [n.lower() for n in names]
    if "date" not in lower:
        raise InputError(f"{path}:1: no 'date' column in the header ({', '.join(names[:8])})")
    if "ticker" in lower and "close" in lower:
        bars, rows = _read_long(path, reader, lower, latest)
        layout: Format = "long"
    else:
        bars, rows = _read_wide(path, reader, names, lower.index("date"), latest)
        layout = "wide"
    if not bars:
        raise InputError(f"{path}: no prices found ({rows} data rows, every cell empty)")
    return PriceCsv(path, layout, rows, tuple(bars))


def _read_wide(
    path: Path, reader: _Rows, names: Sequence[str], date_at: int, latest: date
) -> tuple[list[PriceBar], int]:
    tickers = _wide_tickers(path, names, date_at)
    seen: dict[date, int] = {}
    bars: list[PriceBar] = []
    rows = 0
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        rows += 1
        _check_width(path, line, cells, len(names))
        day = _day(path, line, names[date_at], cells[date_at], latest)
        if day in seen:
            raise InputError(f"{path}:{line}: date {day} repeats line {seen[day]}")
        seen[day] = line
        for at, ticker in tickers:
            close = _close(path, line, ticker, cells[at], ticker)
            if close is not None:
                bars.append(PriceBar(ticker, day, close, SOURCE))
    return bars, rows


def _wide_tickers(path: Path, names: Sequence[str], date_at: int) -> list[tuple[int, str]]:
    tickers: list[tuple[int, str]] = []
    for at, name in enumerate(names):
        if at == date_at:
            continue
        if not _TICKER.match(name):
            raise InputError(
                f"{path}:1: column {at + 1} '{name}' is not a ticker symbol "
                "(letters, digits and ^ . = - only, up to 20)"
            )
        if any(name.upper() == t for _, t in tickers):
            raise InputError(f"{path}:1: column {at + 1} '{name}' repeats an earlier column")
        tickers.append((at, name.upper()))
    if not tickers:
        raise InputError(f"{path}:1: no ticker columns besides 'date'")
    return tickers


def _read_long(
    path: Path, reader: _Rows, lower: Sequence[str], latest: date
) -> tuple[list[PriceBar], int]:
    at_date, at_ticker, at_close = (lower.index(k) for k in ("date", "ticker", "close"))
    seen: dict[tuple[str, date], int] = {}
    bars: list[PriceBar] = []
    rows = 0
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        rows += 1
        _check_width(path, line, cells, len(lower))
        day = _day(path, line, "date", cells[at_date], latest)
        ticker = cells[at_ticker].strip().upper()
        if not _TICKER.match(ticker):
            raise InputError(f"{path}:{line}: column 'ticker': '{ticker}' is not a ticker symbol")
        close = _close(path, line, "close", cells[at_close], ticker)
        if close is None:
            continue
        if (ticker, day) in seen:
            raise InputError(f"{path}:{line}: {ticker} on {day} repeats line {seen[(ticker, day)]}")
        seen[(ticker, day)] = line
        bars.append(PriceBar(ticker, day, close, SOURCE))
    return bars, rows


def _check_width(path: Path, line: int, cells: Sequence[str], width: int) -> None:
    if len(cells) != width:
        raise InputError(f"{path}:{line}: {len(cells)} cells, but the header has {width} columns")


def _day(path: Path, line: int, column: str, cell: str, latest: date) -> date:
    day = _iso_day(path, line, column, cell.strip())
    if day < EARLIEST:
        raise InputError(f"{path}:{line}: column '{column}': {day} is before 1800 (a typo?)")
    if day > latest:
        raise InputError(f"{path}:{line}: column '{column}': {day} is in the future")
    return day


def _iso_day(path: Path, line: int, column: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:  # a timestamp, as pandas writes a DatetimeIndex
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise InputError(
            f"{path}:{line}: column '{column}': '{text}' is not a date (expected YYYY-MM-DD)"
        ) from None


def _close(path: Path, line: int, column: str, cell: str, ticker: str) -> float | None:
    text = cell.strip()
    if text.lower() in _MISSING:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{path}:{line}: column '{column}': '{text}' is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"{path}:{line}: column '{column}': '{text}' is not a finite number")
    if value <= 0 and not ticker.startswith("^"):
        raise InputError(f"{path}:{line}: column '{column}': {text} is not a price (must be > 0)")
    return value
