"""Yahoo's daily closes: the options of the fetch (`monitor.sources.yahoo.client.Yahoo`
`download`) and the pure parse of its frame (`parse_download`).

`yf.download` never raises for a bad ticker: it logs the error and hands back an all-NaN
column for it, or an empty frame when every ticker failed (rate limits included). The
parse therefore reports, per requested ticker, either its bars or why it has none, and
the collector decides what to retry.

Frames are requested with group_by="column" and multi_level_index=True, so columns are
always a (Price, Ticker) MultiIndex, even for one ticker; the parse also accepts the
(Ticker, Price) order and a flat single-ticker frame, the other shapes yfinance makes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import pandas as pd

from monitor.errors import CollectError
from signals.models import PriceBar

SOURCE = "yfinance"
#: frame.attrs key under which the downloader leaves yfinance's per-ticker error messages.
ERRORS_ATTR = "yfinance_errors"
CLOSE = "Close"

#: Every option of yf.download that changes what comes back, spelled out: daily bars,
#: closes adjusted for splits and dividends, no dividend/split columns, columns grouped
#: (Price, Ticker) even for one ticker, rows with no data dropped, no progress bar.
DOWNLOAD_OPTIONS: Mapping[str, Any] = {
    "interval": "1d",
    "auto_adjust": True,
    "back_adjust": False,
    "actions": False,
    "repair": False,
    "keepna": False,
    "rounding": False,
    "prepost": False,
    "group_by": "column",
    "multi_level_index": True,
    "ignore_tz": True,
    "threads": True,
    "progress": False,
}


class Downloader(Protocol):
    """The seam between collection and Yahoo: tickers and a [start, end) range in, a frame out."""

    def __call__(self, tickers: Sequence[str], *, start: date, end: date) -> pd.DataFrame: ...


@dataclass(frozen=True, slots=True)
class ParsedDownload:
    """One download, read per requested ticker: its bars, or why it has none."""

    bars: Mapping[str, tuple[PriceBar, ...]] = field(default_factory=dict)
    failures: Mapping[str, str] = field(default_factory=dict)


def parse_download(
    frame: pd.DataFrame, tickers: Sequence[str], *, source: str = SOURCE
) -> ParsedDownload:
    """Read a yf.download frame into bars per requested ticker; no I/O.

    A ticker missing from the columns, or whose closes are all NaN, is a failure with
    a reason; NaN days of a working ticker are simply absent (not listed, or no trade).
    Ticker names are matched case-insensitively, because yfinance upper-cases them.
    """
    errors: Mapping[str, str] = frame.attrs.get(ERRORS_ATTR, {})
    if frame.empty or len(frame.index) == 0:
        reason = "yfinance returned an empty frame (rate limit, outage or unknown tickers)"
        return ParsedDownload(failures={t: _with_error(reason, t, errors) for t in tickers})
    closes = _close_columns(frame, tickers)
    days = _index_days(frame.index)
    bars: dict[str, tuple[PriceBar, ...]] = {}
    failures: dict[str, str] = {}
    for ticker in tickers:
        column = closes.get(ticker.upper())
        if column is None:
            failures[ticker] = _with_error("yfinance returned no column for it", ticker, errors)
            continue
        found = _bars(ticker, days, column, source)
        if found:
            bars[ticker] = found
        else:
            failures[ticker] = _with_error(
                "yfinance returned only NaN closes (failed or delisted)", ticker, errors
            )
    return ParsedDownload(bars=bars, failures=failures)


def _with_error(reason: str, ticker: str, errors: Mapping[str, str]) -> str:
    detail = errors.get(ticker.upper())
    return f"{reason}: {detail[:200]}" if detail else reason


def _close_columns(frame: pd.DataFrame, tickers: Sequence[str]) -> dict[str, pd.Series]:
    """The Close column of every ticker in the frame, keyed by upper-case ticker."""
    columns = frame.columns
    if not isinstance(columns, pd.MultiIndex):
        if CLOSE in columns and len(tickers) == 1:
            return {tickers[0].upper(): frame[CLOSE]}
        raise CollectError(
            "yfinance frame has flat columns "
            f"{list(columns)[:6]}; expected (Price, Ticker) or one ticker with a Close column"
        )
    if columns.nlevels != 2:
        raise CollectError(f"yfinance frame has {columns.nlevels} column levels; expected 2")
    price_level = 0 if CLOSE in columns.get_level_values(0) else 1
    if CLOSE not in columns.get_level_values(price_level):
        raise CollectError(f"yfinance frame has no {CLOSE} column: {list(columns)[:6]}")
    out: dict[str, pd.Series] = {}
    for key in columns:
        if key[price_level] == CLOSE:
            series = frame[key]
            out[str(key[1 - price_level]).upper()] = series
    return out


def _index_days(index: pd.Index) -> list[date]:
    """Trading days of the rows; a tz-aware index is read in its own (exchange) zone."""
    stamps = pd.DatetimeIndex(index)
    if stamps.tz is not None:
        stamps = stamps.tz_localize(None)
    return [ts.date() for ts in stamps]


def _bars(ticker: str, days: list[date], column: pd.Series, source: str) -> tuple[PriceBar, ...]:
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64")
    return tuple(
        PriceBar(ticker=ticker, day=day, close=float(value), source=source)
        for day, value in zip(days, values, strict=True)
        # A zero or negative close is a bad tick, not a price (the signals take logs and
        # ratios); a ^ index may be a rate below zero (^IRX in March 2020).
        if math.isfinite(value) and (value > 0 or ticker.startswith("^"))
    )
