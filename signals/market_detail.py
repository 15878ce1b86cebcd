"""The market components as data (`MarketComponents`) and one-line explanations of each on a
given day, for readings and Slack."""

from __future__ import annotations

import math
from dataclasses import dataclass

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


def _num(frame: pd.DataFrame, day: pd.Timestamp, column: str) -> float:
    if column not in frame:
        return math.nan
    return float(frame[column].loc[day])


def _ordinal(p: float) -> str:
    n = round(p)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _history(comps: MarketComponents, day: pd.Timestamp, column: str) -> str:
    """How long the history behind a percentile is, e.g. '9.6y'."""
    n = int(comps.raw[column].loc[:day].notna().sum())
    return f"{n / 252:.1f}y"


def _pct(p: float) -> str:
    return "n/a" if math.isnan(p) else _ordinal(p)


def describe(name: str, comps: MarketComponents, day: pd.Timestamp) -> str:
    """The detail line of component `name` on `day`."""
    raw, value = comps.raw, _num(comps.values, day, name)
    if name == "overextension":
        ext = _num(raw, day, "basket_vs_ma")
        if math.isnan(ext):
            return "basket has less than 200 days of prices"
        side = "above" if ext >= 0 else "below"
        return (
            f"basket {abs(ext):.0%} {side} its 200-day average "
            f"({_pct(value)} percentile of {_history(comps, day, 'basket_vs_ma')})"
        )
    if name == "explosiveness":
        return _explosive(comps, day)
    if name == "concentration":
        parts = [
            f"{pair} {_num(raw, day, pair):+.1%}"
            for pair in ("SPY/RSP", "QQQ/QQQE")
            if not math.isnan(_num(raw, day, pair))
        ]
        if not parts:
            return "no cap- vs equal-weighted pair (SPY/RSP, QQQ/QQQE) priced"
        return f"{' and '.join(parts)} over 6 months ({_pct(value)} percentile)"
    if name == "fragility":
        return _fragility(comps, day, value)
    hyg = _num(raw, day, "HYG/LQD")
    if math.isnan(hyg):
        return "HYG/LQD not priced or history too short"
    lagging = "junk lagging" if hyg < 0 else "junk leading"
    return f"HYG/LQD {hyg:+.1%} over 3 months, {lagging} investment grade ({_pct(value)} pct)"


def _explosive(comps: MarketComponents, day: pd.Timestamp) -> str:
    tested = int(_num(comps.raw, day, "explosive_tested") or 0)
    if tested == 0:
        return "no basket ticker has enough history for the PSY test"
    flagged = int(_num(comps.raw, day, "explosive_flagged"))
    row = comps.explosive_ratio.loc[day]
    if not isinstance(row, pd.Series):  # a duplicated day: take its last row
        row = row.iloc[-1]
    ratios = row.dropna().sort_values()
    strongest = ""
    if not ratios.empty:
        strongest = f"; strongest {ratios.index[-1]} at {float(ratios.iloc[-1]):.2f}x its cv"
    return (
        f"{flagged} of {tested} basket tickers explosive in the last 20 sessions "
        f"(PSY BSADF above 95% cv){strongest}"
    )


def _fragility(comps: MarketComponents, day: pd.Timestamp, value: float) -> str:
    raw = comps.raw
    vol, vix, dd = (_num(raw, day, k) for k in ("basket_vol", "vix_vs_ma", "drawdown"))
    parts = []
    if not math.isnan(vol):
        parts.append(f"basket vol {vol:.0%}")
    if not math.isnan(vix):
        side = "above" if vix >= 0 else "below"
        parts.append(f"{comps.volatility_ticker} {abs(vix):.0%} {side} its 50-day mean")
    if not math.isnan(dd):
        parts.append(f"{dd:.0%} below the 52-week high" if dd >= 0.005 else "at its 52-week high")
    if not parts:
        return "basket or VIX history too short"
    return f"{', '.join(parts)} ({_pct(value)} percentile)"
