"""v3's scores of a probability forecast beyond AUC and Brier: the ranking within a date,
calibration (mean against realised, slope), per-unit tables, a year-block bootstrap of the
Brier improvement over a baseline, and the tolerances of docs/preregistration.md."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from signals.crash.metrics import auc
from signals.crash.walkforward import logistic_1d

Array = npt.NDArray[np.float64]
#: docs/preregistration.md: mean within max(3 points, 30% of realised); slope 0.7 .. 1.3.
MEAN_POINTS = 0.03
MEAN_SHARE = 0.30
SLOPE_RANGE = (0.7, 1.3)


def within_date_auc(dates: npt.NDArray[Any], y: Array, score: Array) -> float | None:
    """AUC over the pairs (crash, no crash) dated the same day: how well the score ranks
    units against each other on a date, whatever the date's overall level."""
    frame = pd.DataFrame({"d": dates, "y": y, "s": score})
    frame["r"] = frame.groupby("d")["s"].rank()
    stats = (
        frame.assign(pos=frame["y"] == 1).groupby("d").agg(n=("y", "size"), n_pos=("pos", "sum"))
    )
    ranks = frame.loc[frame["y"] == 1].groupby("d")["r"].sum()
    stats = stats.join(ranks.rename("rank_sum")).fillna({"rank_sum": 0.0})
    n_neg = stats["n"] - stats["n_pos"]
    pairs = stats["n_pos"] * n_neg
    ok = pairs > 0
    if not ok.any():
        return None
    wins = stats["rank_sum"] - stats["n_pos"] * (stats["n_pos"] + 1) / 2
    return float(wins[ok].sum() / pairs[ok].sum())


def calibration_slope(y: Array, p: Array) -> float | None:
    """Slope of the logistic regression of the outcome on the forecast's log-odds (1 = the
    spread of the forecast is right; below 1 = too extreme; above 1 = too timid)."""
    if len(np.unique(y)) < 2:
        return None
    clipped = np.clip(p, 1e-6, 1 - 1e-6)
    slope, _ = logistic_1d(np.log(clipped / (1 - clipped)), y)
    return float(slope)


def mean_within(mean: float, realised: float) -> bool:
    return abs(mean - realised) <= max(MEAN_POINTS, MEAN_SHARE * realised)


def calibration_summary(y: Array, p: Array) -> dict[str, Any]:
    slope = calibration_slope(y, p)
    mean, realised = float(np.mean(p)), float(np.mean(y))
    return {
        "mean_probability": round(mean, 4),
        "realized_rate": round(realised, 4),
        "calibration_slope": None if slope is None else round(slope, 3),
        "mean_within_tolerance": mean_within(mean, realised),
        "slope_within_tolerance": slope is not None and SLOPE_RANGE[0] <= slope <= SLOPE_RANGE[1],
    }


def by_unit(known: pd.DataFrame, label: str, column: str = "model") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for unit, group in known.groupby(level="series", sort=True):
        y = group[label].to_numpy(dtype=np.float64)
        p = group[column].to_numpy(dtype=np.float64)
        value = auc(y, p)
        out[str(unit)] = {
            "n": len(group),
            "events": int(y.sum()),
            "mean_probability": round(float(p.mean()), 4),
            "realized_rate": round(float(y.mean()), 4),
            "mean_within_tolerance": mean_within(float(p.mean()), float(y.mean())),
            "auc": None if value is None else round(value, 4),
        }
    return out


def bootstrap_improvement(
    years: npt.NDArray[Any],
    y: Array,
    p: Array,
    reference: Array,
    *,
    reps: int = 500,
    seed: int = 0,
) -> dict[str, float] | None:
    """90% interval of Brier(reference) - Brier(p), resampling whole calendar years (the
    6- and 24-month outcome windows overlap within a year, not much across years)."""
    unique = np.unique(years)
    if len(unique) < 3:
        return None
    gain = (reference - y) ** 2 - (p - y) ** 2
    frame = pd.DataFrame({"year": years, "gain": gain}).groupby("year")["gain"].agg(["sum", "size"])
    sums, sizes = frame["sum"].to_numpy(), frame["size"].to_numpy()
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(sums), size=(reps, len(sums)))
    draws = sums[picks].sum(axis=1) / sizes[picks].sum(axis=1)
    return {
        "improvement": round(float(gain.mean()), 6),
        "low": round(float(np.quantile(draws, 0.05)), 6),
        "high": round(float(np.quantile(draws, 0.95)), 6),
        "years": len(unique),
    }
