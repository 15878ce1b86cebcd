"""The `evaluate-index` document: metrics of the model and the baselines side by side,
calibration by decile, the crash rate by regime, and the episode table."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from signals.crash.dataset import LABEL, Dataset
from signals.crash.evaluation_v3 import extend
from signals.crash.gsy import episodes, run_ups
from signals.crash.metrics import calibration, scores
from signals.crash.panel import Panel
from signals.crash.regimes import REGIMES, regime
from signals.crash.walkforward import WalkForward

MODELS = ("model", "base_rate", "gsy_runup", "ma_distance", "psy", "v1_index", "volatility")


def horizon_label(months: int) -> str:
    return f"{months}m"


def report(
    panel: Panel,
    data: Dataset,
    wf: WalkForward,
    *,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
    mode: str = "walk_forward",
) -> dict[str, Any]:
    """Everything `evaluate-index --json` prints, for predictions dated in [start, end]."""
    chosen = _between(wf.predictions, start, end)
    known = chosen.loc[chosen[LABEL].notna()] if len(chosen) else chosen
    y = known[LABEL].to_numpy(dtype=np.float64) if len(known) else np.array([])
    reference = known["base_rate"].to_numpy(dtype=np.float64) if len(known) else np.array([])
    doc = {
        "horizon": horizon_label(data.horizon_months),
        "drawdown": data.depth,
        "n_predictions": len(known),
        "n_events": int(y.sum()),
        "n_dropped_unknown_outcome": len(chosen) - len(known),
        "n_series": int(known.index.get_level_values("series").nunique()) if len(known) else 0,
        "first_prediction": _month(known, min),
        "last_prediction": _month(known, max),
        "refits": wf.refits,
        "features": list(data.features),
        "models": {m: _scores(known, m, y, reference) for m in MODELS},
        "calibration": calibration(y, known["model"].to_numpy()) if len(y) >= 10 else [],
        "regimes": _regime_table(known),
        "episodes": _episodes(panel, data, wf.predictions, start, end),
    }
    return extend(doc, known, names=MODELS, mode=mode, horizon_months=data.horizon_months)


def _between(
    frame: pd.DataFrame, start: pd.Timestamp | None, end: pd.Timestamp | None
) -> pd.DataFrame:
    if not len(frame):
        return frame
    dates = pd.DatetimeIndex(frame.index.get_level_values("date"))
    keep = np.ones(len(frame), dtype=bool)
    if start is not None:
        keep &= dates >= start
    if end is not None:
        keep &= dates <= end
    return frame.loc[keep]


def _month(frame: pd.DataFrame, pick: Any) -> str | None:
    if not len(frame):
        return None
    return str(pick(frame.index.get_level_values("date")).strftime("%Y-%m-%d"))


def _scores(known: pd.DataFrame, name: str, y: Any, reference: Any) -> dict[str, Any]:
    if name not in known or not len(known):
        why = {
            "v1_index": "needs the daily v1 index of a basket",
            "volatility": "not stored with this model",
        }.get(name, "no predictions")
        return {"auc": None, "brier": None, "brier_skill": None, "note": why}
    return scores(y, known[name].to_numpy(dtype=np.float64), reference)


def _regime_table(known: pd.DataFrame) -> list[dict[str, Any]]:
    if not len(known):
        return []
    names = [regime(f, s) for f, s in zip(known["froth"], known["stress"], strict=True)]
    frame = pd.DataFrame({"regime": names, "y": known[LABEL].to_numpy()})
    out = []
    for name in REGIMES:
        group = frame.loc[frame["regime"] == name, "y"]
        out.append(
            {
                "regime": name,
                "n": len(group),
                "crash_rate": round(float(group.mean()), 4) if len(group) else None,
            }
        )
    return out


def _episodes(
    panel: Panel,
    data: Dataset,
    predictions: pd.DataFrame,
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
) -> list[dict[str, Any]]:
    """GSY run-up episodes, crashed or not at the evaluated horizon and depth, with the
    model's out-of-sample probability at the episode's first month (None before warm-up)."""
    r = run_ups(panel, data.horizon_months, data.depth)
    out = []
    for e in episodes(r, 1.0, five_year=0.5):
        if (start is not None and e.start < start) or (end is not None and e.start > end):
            continue
        key = (e.start, e.series)
        p = predictions["model"].get(key) if len(predictions) else None
        out.append(
            {
                "series": e.series,
                "start": e.start.strftime("%Y-%m-%d"),
                "runup_2y": round(e.runup_2y, 3),
                "peak_runup_2y": round(e.peak_runup_2y, 3),
                "crashed": e.crashed,
                "probability": None if p is None or pd.isna(p) else round(float(p), 4),
            }
        )
    return out
