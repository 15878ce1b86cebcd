"""Walk-forward evaluation: expanding window, refit every `refit_months`, no look-ahead.

At each refit date T the model and every baseline are fitted on the rows whose outcome was
known at T (date + horizon <= T), then predict the rows dated in [T, T + refit_months).
Predictions whose outcome window runs past the data end have no label: they are dropped
from the metrics and counted. Baselines, fitted on the same rows:

- base_rate: the training crash rate;
- gsy_runup: the training crash rate of rows meeting the GSY rule (2-year run-up above 100%
  raw and net of market, 5-year above 50%) or of rows not meeting it;
- ma_distance, psy, v1_index: a one-variable logistic regression on the score (log distance
  from the 10-month average; BSADF; the v1 index), so each gets probabilities to score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from signals.crash.dataset import GSY_FLAG, LABEL, V1, Dataset
from signals.crash.features import MA_DISTANCE
from signals.crash.model import DEFAULT_C, CrashModel, fit

Array = npt.NDArray[np.float64]
SCORE_BASELINES = (MA_DISTANCE, "psy", V1)


@dataclass(frozen=True)
class WalkForward:
    """Out-of-sample predictions (one row per date and series) and what was dropped."""

    predictions: pd.DataFrame
    dropped_unknown: int
    refits: int
    first_prediction: pd.Timestamp | None


def run(
    data: Dataset, *, warmup_years: int, refit_months: int = 12, c: float = DEFAULT_C
) -> WalkForward:
    rows = data.rows
    dates = pd.DatetimeIndex(rows.index.get_level_values("date"))
    start = dates.min() + pd.DateOffset(years=warmup_years)
    parts: list[pd.DataFrame] = []
    refit = start
    refits = 0
    while refit <= dates.max():
        horizon_cut = refit - pd.DateOffset(months=data.horizon_months)
        train = rows.loc[(dates <= horizon_cut) & rows[LABEL].notna().to_numpy()]
        block_end = refit + pd.DateOffset(months=refit_months)
        test = rows.loc[(dates >= refit) & (dates < block_end)]
        if len(train) and train[LABEL].nunique() == 2 and len(test):
            model = _fit(train, data, c)
            parts.append(_predict(model, train, test, data))
            refits += 1
        refit = block_end
    predictions = pd.concat(parts) if parts else pd.DataFrame()
    unknown = int(predictions[LABEL].isna().sum()) if len(predictions) else 0
    first = pd.DatetimeIndex(predictions.index.get_level_values("date")).min() if parts else None
    return WalkForward(predictions, unknown, refits, first)


def _fit(train: pd.DataFrame, data: Dataset, c: float) -> CrashModel:
    x = train[list(data.features)].to_numpy(dtype=np.float64)
    y = train[LABEL].to_numpy(dtype=np.float64)
    dates = train.index.get_level_values("date").to_numpy()
    return fit(
        x, y, dates, data.features, horizon_months=data.horizon_months, depth=data.depth, c=c
    )


def _predict(
    model: CrashModel, train: pd.DataFrame, test: pd.DataFrame, data: Dataset
) -> pd.DataFrame:
    x = test[list(data.features)].to_numpy(dtype=np.float64)
    froth, stress = model.axes(x)
    y_train = train[LABEL].to_numpy(dtype=np.float64)
    out = pd.DataFrame(index=test.index)
    out[LABEL] = test[LABEL]
    out["model"] = model.predict(x)
    out["froth"] = froth
    out["stress"] = stress
    out["base_rate"] = float(y_train.mean())
    out["gsy_runup"] = _conditional_rate(train, test)
    for name in SCORE_BASELINES:
        if name in test:
            out[name] = _score_baseline(train[name], y_train, test[name], float(y_train.mean()))
    return out


def _conditional_rate(train: pd.DataFrame, test: pd.DataFrame) -> Array:
    base = float(train[LABEL].mean())
    flagged = train.loc[train[GSY_FLAG] == 1.0, LABEL]
    unflagged = train.loc[train[GSY_FLAG] != 1.0, LABEL]
    rate_in = float(flagged.mean()) if len(flagged) else base
    rate_out = float(unflagged.mean()) if len(unflagged) else base
    return np.where(test[GSY_FLAG].to_numpy() == 1.0, rate_in, rate_out)


def _score_baseline(score: pd.Series, y: Array, test: pd.Series, base: float) -> Array:
    ok = score.notna().to_numpy()
    s = score.to_numpy(dtype=np.float64)
    if ok.sum() < 10 or len(np.unique(y[ok])) < 2:
        return np.full(len(test), base)
    mean, sd = float(s[ok].mean()), float(s[ok].std()) or 1.0
    slope, intercept = logistic_1d((s[ok] - mean) / sd, y[ok])
    t = test.to_numpy(dtype=np.float64)
    p = sigmoid(intercept + slope * np.nan_to_num((t - mean) / sd))
    return np.asarray(np.where(np.isnan(t), base, p), dtype=np.float64)


def logistic_1d(x: Array, y: Array, iterations: int = 25) -> tuple[float, float]:
    """Unpenalised one-variable logistic regression by Newton's method (the baselines are
    fitted 5 x 73 times in a French walk-forward; sklearn's per-call overhead dominated).
    Returns (slope, intercept); a tiny ridge keeps a separable sample finite."""
    design = np.column_stack([np.ones_like(x), x])
    beta = np.zeros(2)
    for _ in range(iterations):
        p = sigmoid(design @ beta)
        gradient = design.T @ (y - p) - 1e-6 * beta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + 1e-6 * np.eye(2)
        step = np.linalg.solve(hessian, gradient)
        beta += step
        if np.abs(step).max() < 1e-10:
            break
    return float(beta[1]), float(beta[0])


#: |logit| beyond this changes no float64 probability, and exp(-x) stays finite (< e^709).
LOGIT_CLIP = 500.0


def sigmoid(logit: Array) -> Array:
    """1 / (1 + e^-x), with x clipped so a separable tiny basket cannot overflow exp."""
    clipped = np.clip(np.asarray(logit, dtype=np.float64), -LOGIT_CLIP, LOGIT_CLIP)
    return np.asarray(1.0 / (1.0 + np.exp(-clipped)), dtype=np.float64)
