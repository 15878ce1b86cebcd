"""The market components as data (`MarketComponents`) and one-line explanations of each on a
given day, for readings and Slack.

`DetailTable` reads a MarketComponents' frames into arrays once, so that explaining every
day of a history (the demo writes a reading per session) costs array look-ups, not a
pandas `.loc` per number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True, slots=True)
class MarketComponents:
    """`values` (0-100) and `coverage` (0-1), one column per component; `raw` holds the
    measures behind them, `explosive_ratio` each ticker's BSADF / cv, for the details."""

    values: pd.DataFrame
    coverage: pd.DataFrame
    raw: pd.DataFrame
    explosive_ratio: pd.DataFrame
    volatility_ticker: str | None = None


class DetailTable:
    """The arrays behind the detail lines of one MarketComponents."""

    def __init__(self, comps: MarketComponents) -> None:
        self.index = pd.DatetimeIndex(comps.values.index)
        self.value_names = [str(c) for c in comps.values.columns]
        self.values = comps.values.to_numpy(dtype=np.float64)
        self.coverage = comps.coverage.reindex(columns=comps.values.columns).to_numpy(
            dtype=np.float64
        )
        self.raw_names = [str(c) for c in comps.raw.columns]
        self.raw = comps.raw.to_numpy(dtype=np.float64)
        self.counts = np.cumsum(~np.isnan(self.raw), axis=0)
        ratio = comps.explosive_ratio.reindex(comps.values.index)
        self.ratio_names = [str(c) for c in ratio.columns]
        self.ratio = ratio.to_numpy(dtype=np.float64)
        self.volatility_ticker = comps.volatility_ticker

    def position(self, day: pd.Timestamp) -> int:
        """The row of `day` (a duplicated day: its last row); KeyError when absent."""
        found = int(self.index.searchsorted(day, side="right")) - 1
        if found < 0 or self.index[found] != day:
            raise KeyError(day)
        return found


class _Day:
    """One day's numbers, by column name."""

    def __init__(self, table: DetailTable, position: int) -> None:
        self.table, self.position = table, position
        self.raw = dict(zip(table.raw_names, table.raw[position].tolist(), strict=True))
        self.values = dict(zip(table.value_names, table.values[position].tolist(), strict=True))

    def num(self, column: str) -> float:
        return float(self.raw.get(column, math.nan))

    def history(self, column: str) -> str:
        """How long the history behind a percentile is, e.g. '9.6y'."""
        n = int(self.table.counts[self.position, self.table.raw_names.index(column)])
        return f"{n / 252:.1f}y"


def _ordinal(p: float) -> str:
    n = round(p)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _pct(p: float) -> str:
    return "n/a" if math.isnan(p) else _ordinal(p)


def describe(name: str, comps: MarketComponents, day: pd.Timestamp) -> str:
    """The detail line of component `name` on `day`."""
    table = DetailTable(comps)
    return describe_at(name, _Day(table, table.position(day)))


def describe_day(table: DetailTable, position: int) -> dict[str, str]:
    """Every component's detail line on the day at `position`."""
    day = _Day(table, position)
    return {name: describe_at(name, day) for name in table.value_names}


def describe_at(name: str, day: _Day) -> str:
    value = day.values.get(name, math.nan)
    if name == "overextension":
        ext = day.num("basket_vs_ma")
        if math.isnan(ext):
            return "basket has less than 200 days of prices"
        side = "above" if ext >= 0 else "below"
        return (
            f"basket {abs(ext):.0%} {side} its 200-day average "
            f"({_pct(value)} percentile of {day.history('basket_vs_ma')})"
        )
    if name == "explosiveness":
        return _explosive(day)
    if name == "concentration":
        parts = [
            f"{pair} {day.num(pair):+.1%}"
            for pair in ("SPY/RSP", "QQQ/QQQE")
            if not math.isnan(day.num(pair))
        ]
        if not parts:
            return "no cap- vs equal-weighted pair (SPY/RSP, QQQ/QQQE) priced"
        return f"{' and '.join(parts)} over 6 months ({_pct(value)} percentile)"
    if name == "fragility":
        return _fragility(day, value)
    hyg = day.num("HYG/LQD")
    if math.isnan(hyg):
        return "HYG/LQD not priced or history too short"
    lagging = "junk lagging" if hyg < 0 else "junk leading"
    return f"HYG/LQD {hyg:+.1%} over 3 months, {lagging} investment grade ({_pct(value)} pct)"


def _explosive(day: _Day) -> str:
    tested = int(day.num("explosive_tested") or 0)
    if tested == 0:
        return "no basket ticker has enough history for the PSY test"
    flagged = int(day.num("explosive_flagged"))
    table = day.table
    row = table.ratio[day.position] if table.ratio.size else np.array([])
    strongest = ""
    present = np.flatnonzero(~np.isnan(row))
    if present.size:
        # The last of the largest, as a stable sort of the ratios would put it.
        best = present[np.flatnonzero(row[present] == row[present].max())[-1]]
        strongest = f"; strongest {table.ratio_names[best]} at {float(row[best]):.2f}x its cv"
    return (
        f"{flagged} of {tested} basket tickers explosive in the last 20 sessions "
        f"(PSY BSADF above 95% cv){strongest}"
    )


def _fragility(day: _Day, value: float) -> str:
    vol, vix, dd = (day.num(k) for k in ("basket_vol", "vix_vs_ma", "drawdown"))
    parts = []
    if not math.isnan(vol):
        parts.append(f"basket vol {vol:.0%}")
    if not math.isnan(vix):
        side = "above" if vix >= 0 else "below"
        parts.append(f"{day.table.volatility_ticker} {abs(vix):.0%} {side} its 50-day mean")
    if not math.isnan(dd):
        parts.append(f"{dd:.0%} below the 52-week high" if dd >= 0.005 else "at its 52-week high")
    if not parts:
        return "basket or VIX history too short"
    return f"{', '.join(parts)} ({_pct(value)} percentile)"
