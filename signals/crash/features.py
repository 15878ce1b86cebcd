"""Crash-model features at any frequency: every window is in calendar time.

A feature at date t uses only data up to t (a lookback picks the last observation on or
before t minus the window), so the same code serves monthly industries and daily stocks and
truncating the data after t changes nothing at t. Run-ups are log returns; volatility is
annualised. Two axes:

- froth: run-up over 1, 2 and 5 years, the 2-year run-up net of the market, acceleration
  (last year's run-up minus the year before's), volatility over a year, PSY explosiveness
  (BSADF of the monthly log price, windows of 3 to 10 years) and issuance (growth of market
  equity net of the return, where the source has equity);
- stress: drawdown from the 1-year high, the change of volatility (6 months vs 1 year),
  the market's drawdown, and credit (HYG vs LQD over 3 months) where present.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from signals.crash.panel import Panel, elementwise, price_index
from signals.psy_windows import window_stats

FROTH: Final[tuple[str, ...]] = (
    "runup_1y",
    "runup_2y",
    "runup_2y_net",
    "runup_5y",
    "acceleration",
    "volatility",
    "psy",
    "issuance",
)
STRESS: Final[tuple[str, ...]] = ("drawdown", "volatility_change", "market_drawdown", "credit")
FEATURES: Final[tuple[str, ...]] = (*FROTH, *STRESS)
#: Baseline scores computed beside the features (not model inputs).
MA_DISTANCE: Final[str] = "ma_distance"
PERIODS_PER_YEAR: Final[dict[str, float]] = {"monthly": 12.0, "daily": 252.0}
PSY_MIN_MONTHS: Final[int] = 36
PSY_MAX_MONTHS: Final[int] = 120


def lookback(frame: pd.DataFrame, months: int) -> pd.DataFrame:
    """Each row replaced by the last row on or before its date minus `months` (NaN if none)."""
    index = frame.index
    targets = pd.DatetimeIndex(index) - pd.DateOffset(months=months)
    positions = index.searchsorted(targets, side="right") - 1
    values = frame.to_numpy(dtype=np.float64)
    out = np.full_like(values, np.nan)
    ok = positions >= 0
    out[ok] = values[positions[ok]]
    return pd.DataFrame(out, index=index, columns=frame.columns)


def change(level: pd.DataFrame, months: int) -> pd.DataFrame:
    return level - lookback(level, months)


def _min_periods(panel: Panel, years: float) -> int:
    return max(3, int(PERIODS_PER_YEAR[panel.frequency] * years * 0.8))


def volatility(panel: Panel, days: int, years: float) -> pd.DataFrame:
    logs = elementwise(panel.returns, np.log1p)
    rolling = logs.rolling(f"{days}D", min_periods=_min_periods(panel, years))
    annualised: pd.DataFrame = rolling.std() * float(np.sqrt(PERIODS_PER_YEAR[panel.frequency]))
    return annualised


def drawdown(level: pd.DataFrame, panel: Panel) -> pd.DataFrame:
    """Fall from the highest log level of the past year (0 = at the high)."""
    high = level.rolling("365D", min_periods=_min_periods(panel, 0.25)).max()
    return 1.0 - elementwise(level - high, np.exp)


def psy_bsadf(level: pd.DataFrame) -> pd.DataFrame:
    """BSADF of each series' month-end log level; a month's value applies from its end."""
    monthly = level.resample("ME").last()
    out = pd.DataFrame(np.nan, index=monthly.index, columns=level.columns)
    for name in level.columns:
        series = monthly[name]
        valid = series.loc[series.first_valid_index() :] if series.notna().any() else series[:0]
        values = valid.ffill().to_numpy(dtype=np.float64)
        if len(values) < PSY_MIN_MONTHS + 2:
            continue
        stats = window_stats(values[None, :], PSY_MIN_MONTHS, max_window=PSY_MAX_MONTHS)
        dates = valid.index[stats.offset : stats.offset + stats.bsadf.shape[1]]
        out.loc[dates, name] = stats.bsadf[0]
    merged = out.reindex(level.index.union(out.index)).ffill()
    return merged.reindex(level.index).where(level.notna())


def _credit(panel: Panel, index: pd.Index) -> pd.Series | None:
    extras = panel.extras
    if extras is None or "HYG" not in extras or "LQD" not in extras:
        return None
    ratio = elementwise((extras["HYG"] / extras["LQD"]).to_frame("credit"), np.log)
    # HYG lagging LQD is stress: a falling ratio gives a positive value.
    return -change(ratio, 3)["credit"].reindex(index)


def feature_frames(panel: Panel) -> dict[str, pd.DataFrame]:
    """Every feature (and the MA-distance baseline) as a wide frame: dates x series."""
    level = price_index(panel.returns)
    market = price_index(panel.market.to_frame("market"))["market"]
    runups = {years: change(level, 12 * years) for years in (1, 2, 5)}
    market_2y = change(market.to_frame("m"), 24)["m"]
    frames: dict[str, pd.DataFrame] = {
        "runup_1y": runups[1],
        "runup_2y": runups[2],
        "runup_2y_net": runups[2].sub(market_2y, axis=0),
        "runup_5y": runups[5],
        "acceleration": runups[1] - lookback(runups[1], 12),
        "volatility": volatility(panel, 365, 1.0),
        "psy": psy_bsadf(level),
        "drawdown": drawdown(level, panel),
        "volatility_change": elementwise(
            volatility(panel, 182, 0.5) / volatility(panel, 365, 1.0), np.log
        ),
    }
    market_dd = drawdown(market.to_frame("m"), panel)["m"]
    frames["market_drawdown"] = _broadcast(market_dd, level)
    if panel.equity is not None:
        growth = change(elementwise(panel.equity.where(panel.equity > 0), np.log), 12)
        frames["issuance"] = growth - runups[1]
    credit = _credit(panel, level.index)
    if credit is not None:
        frames["credit"] = _broadcast(credit, level)
    average = (
        elementwise(level, np.exp).rolling("304D", min_periods=_min_periods(panel, 0.8)).mean()
    )
    frames[MA_DISTANCE] = level - elementwise(average, np.log)
    return frames


def _broadcast(series: pd.Series, like: pd.DataFrame) -> pd.DataFrame:
    values = np.repeat(series.to_numpy(dtype=np.float64)[:, None], like.shape[1], axis=1)
    return pd.DataFrame(values, index=like.index, columns=like.columns).where(like.notna())


def stack(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Long format: one row per (date, series) where the series has a price level."""
    columns = {name: frame.stack(future_stack=True) for name, frame in frames.items()}
    long = pd.DataFrame(columns)
    long.index.names = ["date", "series"]
    return long.dropna(how="all")


#: v3's short model: the unit's own prices only (docs/preregistration.md).
SHORT_V3: Final[tuple[str, ...]] = (
    "runup_1y",
    "runup_2y",
    "runup_5y",
    "acceleration",
    "volatility",
    "drawdown",
    "volatility_change",
)

#: Features that make a unit's probability depend on another unit's prices (the market,
#: credit). v3 keeps them out: walk-forward on French 49 they lowered Brier skill in both
#: periods (docs/index-v3.md), and the issue's rule keeps them out unless they help.
MARKET_RELATIVE: Final[tuple[str, ...]] = ("runup_2y_net", "market_drawdown", "credit")
OWN_PRICES: Final[tuple[str, ...]] = tuple(f for f in FEATURES if f not in MARKET_RELATIVE)
