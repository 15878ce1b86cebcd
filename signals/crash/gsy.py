"""Greenwood, Shleifer & You (2019) "Bubbles for Fama": bubble candidates and their crashes.

A candidate month: the industry's 2-year return exceeds the threshold both raw and net of
the market and, for the headline count, its 5-year return
exceeds 50%. An episode starts at the first candidate month with no candidate month in the
24 months before it (later months of the same run-up are the same episode). It crashed when
a 40% drawdown follows within 24 months (signals.crash.outcomes). Episodes whose 24 months
run past the data end are counted apart, never as "no crash".

"Net of market" is the compounded excess return (1 + R) / (1 + R_market) - 1 by default
("relative"); "difference" is R - R_market. On the French file the two give 39 and 76
episodes (published: 40); both are reported, and the choice of the default was made after
seeing both (docs/index-v2.md says so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from signals.crash.features import change
from signals.crash.outcomes import crash_labels
from signals.crash.panel import Panel, elementwise, price_index

EPISODE_GAP_MONTHS = 24


@dataclass(frozen=True, slots=True)
class Episode:
    series: str
    start: pd.Timestamp
    runup_2y: float
    net_2y: float
    peak_runup_2y: float
    crashed: bool | None


@dataclass(frozen=True)
class RunUps:
    """Simple 2-year raw, 2-year net-of-market and 5-year raw returns (dates x series)."""

    raw_2y: pd.DataFrame
    net_2y: pd.DataFrame
    raw_5y: pd.DataFrame
    crashed: pd.DataFrame
    net: str = "relative"


def run_ups(
    panel: Panel, months: int = 24, depth: float = 0.40, *, net: str = "relative"
) -> RunUps:
    level = price_index(panel.returns)
    market = price_index(panel.market.to_frame("m"))
    raw_2y = elementwise(change(level, 24), np.expm1)
    market_2y = elementwise(change(market, 24), np.expm1)["m"]
    return RunUps(
        raw_2y=raw_2y,
        net_2y=(
            (1.0 + raw_2y).div(1.0 + market_2y, axis=0) - 1.0
            if net == "relative"
            else raw_2y.sub(market_2y, axis=0)
        ),
        raw_5y=elementwise(change(level, 60), np.expm1),
        crashed=crash_labels(level, months, depth),
        net=net,
    )


def candidates(r: RunUps, threshold: float, *, five_year: float | None) -> pd.DataFrame:
    mask = (r.raw_2y > threshold) & (r.net_2y > threshold)
    if five_year is not None:
        mask &= r.raw_5y > five_year
    return mask


def episodes(r: RunUps, threshold: float = 1.0, *, five_year: float | None = 0.5) -> list[Episode]:
    """Every episode of the panel, in date order."""
    mask = candidates(r, threshold, five_year=five_year)
    found: list[Episode] = []
    for name in mask.columns:
        months = mask.index[mask[name].to_numpy()]
        previous: pd.Timestamp | None = None
        for start in months:
            if previous is None or start > previous + pd.DateOffset(months=EPISODE_GAP_MONTHS):
                found.append(_episode(r, str(name), start))
            previous = start
    return sorted(found, key=lambda e: (e.start, e.series))


def _episode(r: RunUps, name: str, start: pd.Timestamp) -> Episode:
    ahead = r.raw_2y.loc[start : start + pd.DateOffset(months=EPISODE_GAP_MONTHS), name]
    outcome = float(r.crashed[name].loc[start])
    return Episode(
        series=name,
        start=start,
        runup_2y=float(r.raw_2y[name].loc[start]),
        net_2y=float(r.net_2y[name].loc[start]),
        peak_runup_2y=float(ahead.max()),
        crashed=None if np.isnan(outcome) else bool(outcome),
    )


def replication(panel: Panel, thresholds: Sequence[float] = (0.5, 1.0, 1.5)) -> dict[str, Any]:
    """The `gsy_replication` JSON: headline episodes and crash shares by run-up threshold,
    with net = relative; `variants` holds the same counts with net = difference."""
    doc = _replication(run_ups(panel, net="relative"), thresholds)
    other = _replication(run_ups(panel, net="difference"), thresholds)
    doc["variants"] = {"difference": {k: v for k, v in other.items() if k != "list"}}
    return doc


def _replication(r: RunUps, thresholds: Sequence[float]) -> dict[str, Any]:
    headline = episodes(r, 1.0, five_year=0.5)
    known = [e for e in headline if e.crashed is not None]
    crashed = sum(1 for e in known if e.crashed)
    by_threshold = []
    for threshold in thresholds:
        found = [e for e in episodes(r, threshold, five_year=None) if e.crashed is not None]
        hits = sum(1 for e in found if e.crashed)
        by_threshold.append(
            {
                "threshold": threshold,
                "episodes": len(found),
                "crashed": hits,
                "crash_share": round(hits / len(found), 3) if found else None,
            }
        )
    return {
        "episodes": len(headline),
        "crashed": crashed,
        "unknown_outcome": len(headline) - len(known),
        "crash_share": round(crashed / len(known), 3) if known else None,
        "by_threshold": by_threshold,
        "published": {
            "episodes": 40,
            "crashed": 21,
            "crash_share_by_threshold": {"0.5": 0.20, "1.0": 0.53, "1.5": 0.80},
        },
        "net_of_market": r.net,
        "rule": "2-year return > threshold raw and net of market (5-year > 50% for the "
        "headline count); same episode within 24 months; crash = 40% drawdown within 24 months",
        "list": [
            {
                "series": e.series,
                "start": e.start.strftime("%Y-%m"),
                "runup_2y": round(e.runup_2y, 3),
                "net_2y": round(e.net_2y, 3),
                "peak_runup_2y": round(e.peak_runup_2y, 3),
                "crashed": e.crashed,
            }
            for e in headline
        ],
    }
