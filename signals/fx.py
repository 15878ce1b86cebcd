"""Non-USD listings in US dollars, on the US trading calendar.

A ticker's listing currency and FX series come from signals.currency: `CCY=X` is units
of CCY per US dollar (JPY=X is about 150), so a price in dollars is price / rate, after
dividing sub-unit quotes (London's pence) by 100.

Alignment: the segment is read on the US calendar, the days a US-listed ticker has a
close. A foreign close of day d (Tokyo closes at 06:00 UTC) and the rate of day d are both
known before the US close of day d, so using them on d looks nowhere ahead. On a US day
the foreign market was shut (a Japanese holiday) the last close stands in for at most
`max_gap` sessions, then the day is missing, never invented.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import pandas as pd

from signals.currency import SUB_UNITS, USD, fx_ticker

MAX_GAP_SESSIONS: Final[int] = 5


@dataclass(frozen=True, slots=True)
class Conversion:
    """The closes in dollars on the US calendar, and what could not be converted."""

    closes: pd.DataFrame
    notes: tuple[str, ...] = ()


def to_usd(
    closes: pd.DataFrame,
    currencies: Mapping[str, str],
    *,
    max_gap: int = MAX_GAP_SESSIONS,
) -> Conversion:
    """Every column in dollars on the US calendar (see the module docstring).

    `currencies` maps a ticker to its listing currency; a ticker not named is in USD.
    FX columns (`JPY=X`) are read from `closes` and dropped from the result.
    """
    foreign = {t: c for t, c in currencies.items() if c != USD and t in closes}
    fx_columns = {fx_ticker(c) for c in foreign.values()}
    us_columns = [str(c) for c in closes if c not in foreign and c not in fx_columns]
    calendar = _us_calendar(closes, us_columns)
    out = closes.loc[calendar, us_columns].copy()
    notes = []
    for ticker, currency in foreign.items():
        series, note = _converted(closes, ticker, currency, calendar, max_gap)
        out[ticker] = series
        if note:
            notes.append(note)
    return Conversion(out[[c for c in closes if c in out]], tuple(notes))


def _us_calendar(closes: pd.DataFrame, us_columns: list[str]) -> pd.Index:
    if not us_columns:
        return closes.index
    return closes.index[closes[us_columns].notna().any(axis=1).to_numpy()]


def _converted(
    closes: pd.DataFrame, ticker: str, currency: str, calendar: pd.Index, max_gap: int
) -> tuple[pd.Series, str]:
    symbol = fx_ticker(currency)
    _, divisor = SUB_UNITS.get(currency, (currency, 1.0))
    if symbol is None or symbol not in closes or not closes[symbol].notna().any():
        empty = pd.Series(float("nan"), index=calendar, dtype=float)
        return empty, f"{ticker}: no {symbol} rate to convert its {currency} closes, left out"
    local = _on_calendar(closes[ticker], calendar, max_gap)
    rate = _on_calendar(closes[symbol], calendar, max_gap)
    usd = local / divisor / rate.where(rate > 0)
    return usd, ""


def _on_calendar(series: pd.Series, calendar: pd.Index, max_gap: int) -> pd.Series:
    """The last value on or before each calendar day, at most `max_gap` sessions old."""
    own = series.dropna()
    union = own.index.union(calendar)
    filled = own.reindex(union).ffill(limit=max_gap)
    return filled.reindex(calendar).astype(float)
