"""Regime bands of the index and the drawdown test that turns a high reading into "bursting".

Bands (index value, 0-100):

    calm     [0, 30)    warming  [30, 50)    frothy  [50, 65)    bubble  [65, 100]

"bursting" overrides the band when the AI basket is in a fresh drawdown AND the index is
high: the basket's equal-weighted index (mean daily return of the tickers present,
compounded) is at least DRAWDOWN_DEPTH (10%) below its 52-week (252 trading days) high,
that high was set at most FRESH_PEAK_DAYS (63 trading days, about three months) before the
last close, and the index is at least BURSTING_MIN_INDEX (50) now or was at some stored
reading since the basket's peak (`recent_high`). The second clause matters: the market
components fall with prices, so on real data (2024-07, 2026-06) the index drops below 50
within days of the peak while the crash goes on. A high reading far from a fresh peak is
still a bubble; an old, slow decline is not a burst.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np
import pandas as pd

#: (lower edge, name), ascending. A value belongs to the last band whose edge it reaches.
BANDS: Final[tuple[tuple[float, str], ...]] = (
    (0.0, "calm"),
    (30.0, "warming"),
    (50.0, "frothy"),
    (65.0, "bubble"),
)
BURSTING: Final[str] = "bursting"
REGIMES: Final[tuple[str, ...]] = (*(name for _, name in BANDS), BURSTING)
BURSTING_MIN_INDEX: Final[float] = 50.0
DRAWDOWN_DEPTH: Final[float] = 0.10
PEAK_WINDOW_DAYS: Final[int] = 252
FRESH_PEAK_DAYS: Final[int] = 63


@dataclass(frozen=True, slots=True)
class Drawdown:
    """The AI basket's fall from its 52-week high as of `day`."""

    day: date
    depth: float
    peak_day: date
    days_since_peak: int

    @property
    def fresh(self) -> bool:
        return self.depth >= DRAWDOWN_DEPTH and self.days_since_peak <= FRESH_PEAK_DAYS

    def describe(self) -> str:
        return (
            f"basket {self.depth:.0%} below its 52-week high of {self.peak_day.isoformat()} "
            f"({self.days_since_peak} trading days ago)"
        )


def band(value: float) -> str:
    """The band name of an index value (no bursting, no hysteresis)."""
    name = BANDS[0][1]
    for edge, band_name in BANDS:
        if value >= edge:
            name = band_name
    return name


def regime(value: float, drawdown: Drawdown | None, *, recent_high: float | None = None) -> str:
    """The regime of a reading: its band, or bursting when the index is (or, since the
    basket's peak, was: `recent_high`) at least 50 and the drawdown is fresh."""
    high = value if recent_high is None else max(value, recent_high)
    if high >= BURSTING_MIN_INDEX and drawdown is not None and drawdown.fresh:
        return BURSTING
    return band(value)


def basket_drawdown(
    closes: pd.DataFrame, basket: tuple[str, ...] | list[str], *, as_of: date | None = None
) -> Drawdown | None:
    """The equal-weighted basket's drawdown from its 52-week high, or None without data.

    Uses only closes on or before `as_of` (no look-ahead), so the backtest can call it
    per day and the live reading calls it with the latest day.
    """
    series = equal_weight_index(closes, basket, as_of=as_of)
    if series is None:
        return None
    window = series.iloc[-PEAK_WINDOW_DAYS:]
    peak_pos = int(np.argmax(window.to_numpy()))
    peak = float(window.iloc[peak_pos])
    last = float(window.iloc[-1])
    return Drawdown(
        day=_as_date(window.index[-1]),
        depth=max(0.0, 1.0 - last / peak) if peak > 0 else 0.0,
        peak_day=_as_date(window.index[peak_pos]),
        days_since_peak=len(window) - 1 - peak_pos,
    )


def equal_weight_index(
    closes: pd.DataFrame, basket: tuple[str, ...] | list[str], *, as_of: date | None = None
) -> pd.Series | None:
    """Mean of daily returns over the basket tickers present each day, compounded from 1."""
    columns = [t for t in basket if t in closes.columns]
    if not columns:
        return None
    frame = closes[columns].sort_index()
    if as_of is not None:
        frame = frame.loc[frame.index <= pd.Timestamp(as_of)]
    # Returns per ticker, averaged over those with a close both days; a listing adds no jump.
    returns = frame.pct_change(fill_method=None).mean(axis=1, skipna=True)
    valid = frame.notna().any(axis=1)
    returns = returns[valid]
    if returns.empty:
        return None
    return (1.0 + returns.fillna(0.0)).cumprod()


def _as_date(value: object) -> date:
    return pd.Timestamp(value).date()  # type: ignore[arg-type]
