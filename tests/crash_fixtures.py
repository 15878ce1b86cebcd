"""Synthetic panels for the crash-model tests: seeded random walks with planted crashes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from signals.crash.panel import Panel


def daily_panel(years: int = 6, series: int = 3, seed: int = 7) -> Panel:
    """Business-day random walks (30% volatility) with a 50% crash planted in series 0."""
    rng = np.random.default_rng(seed)
    days = pd.bdate_range("2012-01-02", periods=252 * years)
    returns = rng.normal(0.0004, 0.3 / np.sqrt(252), size=(len(days), series))
    crash_at = len(days) // 2
    returns[crash_at : crash_at + 40, 0] = -0.017
    frame = pd.DataFrame(returns, index=days, columns=[f"S{i}" for i in range(series)])
    frame.iloc[:300, 2] = np.nan  # a late listing
    market = pd.Series(rng.normal(0.0003, 0.15 / np.sqrt(252), len(days)), index=days)
    return Panel(returns=frame, market=market, frequency="daily")


def monthly_panel(years: int = 30, series: int = 6, seed: int = 3) -> Panel:
    """Month-end industries; series 0 doubles twice in four years, then halves."""
    rng = np.random.default_rng(seed)
    months = pd.date_range("1950-01-31", periods=12 * years, freq="ME")
    returns = rng.normal(0.008, 0.05, size=(len(months), series))
    returns[120:144, 0] = 0.045  # +188% in two years
    returns[144:156, 0] = -0.07  # then -58%
    frame = pd.DataFrame(returns, index=months, columns=[f"I{i}" for i in range(series)])
    market = frame.mean(axis=1)
    equity = (1.0 + frame).cumprod() * 100.0
    return Panel(returns=frame, market=market, frequency="monthly", equity=equity)
