"""Out-of-sample scores of a probability forecast: AUC, Brier, Brier skill, calibration."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

Array = npt.NDArray[np.float64]


def auc(y: Array, score: Array) -> float | None:
    """ROC AUC (rank form, ties count half); None with one class only."""
    y = np.asarray(y, dtype=np.float64)
    ranks = pd.Series(np.asarray(score, dtype=np.float64)).rank().to_numpy()
    positives = y == 1
    n_pos, n_neg = int(positives.sum()), int((~positives).sum())
    if n_pos == 0 or n_neg == 0:
        return None
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def brier(y: Array, p: Array) -> float:
    return float(np.mean((np.asarray(p) - np.asarray(y)) ** 2))


def scores(y: Array, p: Array, reference: Array) -> dict[str, float | None]:
    """AUC, Brier and Brier skill vs the `reference` forecast (the base rate)."""
    b, ref = brier(y, p), brier(y, reference)
    value = auc(y, p)
    return {
        "auc": None if value is None else round(value, 4),
        "brier": round(b, 5),
        "brier_skill": round(1.0 - b / ref, 4) if ref > 0 else None,
    }


def calibration(y: Array, p: Array, bins: int = 10) -> list[dict[str, Any]]:
    """Deciles of the predicted probability: count, mean prediction, observed rate."""
    frame = pd.DataFrame({"y": y, "p": p})
    frame["bin"] = pd.qcut(frame["p"].rank(method="first"), bins, labels=False)
    out = []
    for number, group in frame.groupby("bin"):  # bins are 0..9
        out.append(
            {
                "decile": int(str(number)) + 1,
                "n": len(group),
                "mean_probability": round(float(group["p"].mean()), 4),
                "observed_rate": round(float(group["y"].mean()), 4),
            }
        )
    return out
