"""The v2 reading over history, vectorised: probability, froth, stress, regime and index
for every day of a basket's closes, each day from data up to that day only (the features
are causal; the model is the shipped one, fitted once, so the backtest of a fitted period
is in-sample for the model: `evaluate-index` is the out-of-sample test)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from signals.crash.features import feature_frames
from signals.crash.model import CrashModel
from signals.crash.reading import NEUTRAL, UNFITTED_WEIGHT, basket_panel, gsy_flag, unit_base_rate
from signals.crash.regimes import index_from_probability, regime_v3

COLUMNS = ("probability", "base_rate", "froth", "stress", "regime_v2", "index_v2")


def crash_history(
    closes: pd.DataFrame,
    *,
    benchmark: pd.Series | None,
    model: CrashModel,
    extras: pd.DataFrame | None = None,
    news: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per day of `closes`: the COLUMNS (NaN / "" before a year of prices).

    `news` (days x news components, 0-100) adds the unfitted contributions to index_v2.
    """
    frames = feature_frames(basket_panel(closes, benchmark, extras))
    index = frames["runup_1y"].index
    x = np.column_stack(
        [
            frames[f]["basket"].to_numpy(dtype=np.float64)
            if f in frames
            else np.full(len(index), np.nan)
            for f in model.features
        ]
    )
    ready = ~np.isnan(frames["runup_1y"]["basket"].to_numpy(dtype=np.float64))
    probability = np.where(ready, model.predict(x), np.nan)
    froth, stress = model.axes(x)
    out = pd.DataFrame(
        {
            "probability": probability,
            "froth": np.where(ready, froth, np.nan),
            "stress": np.where(ready, stress, np.nan),
        },
        index=index,
    )
    out["regime_v2"], out["base_rate"] = _regimes(model, frames, probability, ready)
    unfitted = _unfitted(news, index)
    points = [
        index_from_probability(p) if ok else np.nan
        for p, ok in zip(probability, ready, strict=True)
    ]
    out["index_v2"] = np.clip(np.array(points) + unfitted, 0.0, 100.0)
    out = out.reindex(closes.index)
    out["regime_v2"] = out["regime_v2"].fillna("")
    return out[list(COLUMNS)]


def _regimes(
    model: CrashModel, frames: dict[str, pd.DataFrame], probability: np.ndarray, ready: np.ndarray
) -> tuple[list[str], list[float]]:
    """The live reading's regime (signals.crash.reading) for every day, with the base rate
    of units as volatile that it was judged against (the reading's `base_rate`)."""
    names = ("volatility", "drawdown", "runup_2y", "runup_2y_net")
    columns = {n: frames[n]["basket"].to_numpy(dtype=np.float64) for n in names if n in frames}
    regimes, bases = [], []
    for i, ok in enumerate(ready):
        if not ok:
            regimes.append("")
            bases.append(np.nan)
            continue
        day = {n: float(v[i]) for n, v in columns.items()}
        base = unit_base_rate(model, day.get("volatility", np.nan))
        bases.append(base)
        regimes.append(
            regime_v3(float(probability[i]), base, flag=gsy_flag(day), drawdown=day.get("drawdown"))
        )
    return regimes, bases


def _unfitted(news: pd.DataFrame | None, index: pd.Index) -> np.ndarray:
    if news is None or news.empty:
        return np.zeros(len(index))
    aligned = news.reindex(index)
    return np.asarray(
        (UNFITTED_WEIGHT * (aligned - NEUTRAL)).sum(axis=1, min_count=1).fillna(0.0),
        dtype=np.float64,
    )
