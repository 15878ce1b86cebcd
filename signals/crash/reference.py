"""What a probability is compared with (index v3), computed once at fit time and stored in
the model JSON under `reference`:

- `kinds`: the crash rate of training units by volatility quintile: "the base rate of that
  kind of unit" (a unit as calm as SPY is compared with calm units, not with the 1930s
  average of all industries), with a 90% year-block bootstrap interval (`low`, `high`);
- `deciles`: training rows by decile of the model's probability: the realised rate and its
  90% year-block bootstrap interval: the interval printed beside a probability (what units
  given about this probability went on to do, and how sure that rate is);
- `industry_grid`: 101 quantiles of the probability over the single-industry rows: a
  reading's percentile among industries (the panel ranked within dates out of sample);
- `market`: the crash rate of the all-industries portfolio with the 5th-95th percentile of
  its year-by-year rate (`low`, `high`) and a 90% bootstrap interval (`ci_low`, `ci_high`):
  the market-wide part, a base rate with its range (no v3 feature forecasts it).

In-sample by construction (the fitting rows); docs/index-v3.md gives the out-of-sample
figures beside them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

Array = npt.NDArray[np.float64]
QUANTILES = np.linspace(0.0, 1.0, 101)


def _yearly_range(y: Array, years: npt.NDArray[Any]) -> tuple[float, float]:
    rates = pd.Series(y).groupby(years).mean()
    return float(rates.quantile(0.05)), float(rates.quantile(0.95))


def _block_interval(y: Array, years: npt.NDArray[Any], reps: int = 300) -> tuple[float, float]:
    """90% interval of the rate, resampling whole calendar years (crashes cluster in time,
    so rows of one year are not independent)."""
    frame = pd.DataFrame({"y": y, "year": years}).groupby("year")["y"].agg(["sum", "size"])
    sums, sizes = frame["sum"].to_numpy(), frame["size"].to_numpy()
    picks = np.random.default_rng(0).integers(0, len(sums), size=(reps, len(sums)))
    draws = sums[picks].sum(axis=1) / sizes[picks].sum(axis=1)
    return float(np.quantile(draws, 0.05)), float(np.quantile(draws, 0.95))


def _bands(values: Array, y: Array, years: npt.NDArray[Any], edges: Array) -> list[dict[str, Any]]:
    which = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, len(edges) - 2)
    out: list[dict[str, Any]] = []
    for band in range(len(edges) - 1):
        mask = which == band
        if not mask.any():
            out.append({"n": 0, "rate": None, "low": None, "high": None})
            continue
        low, high = _block_interval(y[mask], years[mask])
        out.append(
            {"n": int(mask.sum()), "rate": round(float(y[mask].mean()), 4),
             "low": round(low, 4), "high": round(high, 4)}
        )  # fmt: skip
    return out


def reference_table(
    *,
    probability: Array,
    volatility: Array,
    y: Array,
    dates: npt.NDArray[Any],
    industry: npt.NDArray[np.bool_],
    market: npt.NDArray[np.bool_],
) -> dict[str, Any]:
    """The `reference` of a model from its training rows (one entry per row)."""
    years = pd.DatetimeIndex(dates).year.to_numpy()
    ok = ~np.isnan(volatility)
    vol_edges = np.quantile(volatility[ok], np.linspace(0, 1, 6))
    vol_edges[0], vol_edges[-1] = -np.inf, np.inf
    p_edges = np.quantile(probability, np.linspace(0, 1, 11))
    p_edges[0], p_edges[-1] = -np.inf, np.inf
    doc: dict[str, Any] = {
        "kinds": {
            "edges": [float(v) for v in vol_edges[1:-1]],
            "bands": _bands(volatility[ok], y[ok], years[ok], vol_edges),
        },
        "deciles": {
            "edges": [float(v) for v in p_edges[1:-1]],
            "bands": _bands(probability, y, years, p_edges),
        },
        "industry_grid": [
            float(v)
            for v in np.quantile(
                probability[industry] if industry.any() else probability, QUANTILES
            )
        ],
    }
    if market.any():
        low, high = _yearly_range(y[market], years[market])
        ci_low, ci_high = _block_interval(y[market], years[market])
        doc["market"] = {"rate": round(float(y[market].mean()), 4), "low": round(low, 4),
                         "high": round(high, 4), "ci_low": round(ci_low, 4),
                         "ci_high": round(ci_high, 4), "n": int(market.sum())}  # fmt: skip
    return doc


def _band(reference: dict[str, Any], key: str, value: float) -> dict[str, Any] | None:
    table = reference.get(key)
    if not table or np.isnan(value):
        return None
    index = int(np.searchsorted(np.array(table["edges"]), value, side="right"))
    band: dict[str, Any] = table["bands"][index]
    return band if band.get("rate") is not None else None


def kind_base_rate(reference: dict[str, Any] | None, volatility: float) -> dict[str, Any] | None:
    """The training crash rate of units in the same volatility quintile, with its yearly
    5-95% range; None without a stored reference or volatility."""
    return None if reference is None else _band(reference, "kinds", volatility)


def probability_interval(reference: dict[str, Any] | None, p: float) -> tuple[float, float] | None:
    band = None if reference is None else _band(reference, "deciles", p)
    return None if band is None else (float(band["low"]), float(band["high"]))


def industry_percentile(reference: dict[str, Any] | None, p: float) -> float | None:
    """Share of single-industry training rows (0-100) with a lower probability than p."""
    if reference is None or not reference.get("industry_grid"):
        return None
    grid = np.array(reference["industry_grid"])
    return float(np.interp(p, grid, np.linspace(0.0, 100.0, len(grid))))
