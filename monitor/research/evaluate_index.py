"""The `evaluate-index` and `fit-index` stages: a price file to walk-forward scores, or to
the shipped model JSON.

Options, defaults and the dataset: monitor.research.index_options (re-exported here).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from monitor.config.feeds_yaml import Config
from monitor.errors import InputError
from monitor.research.crash_inputs import PanelInput
from monitor.research.index_options import (
    WARMUP_YEARS,
    EvaluateOptions,
    depth,
    horizon_months,
    month,
    prepare,
)
from signals.crash.dataset import LABEL, Dataset
from signals.crash.evaluation import report
from signals.crash.frozen import fit_baselines
from signals.crash.gsy import replication
from signals.crash.holdout import holdout_from_report
from signals.crash.model import CrashModel, fit
from signals.crash.walkforward import run

__all__ = [
    "EvaluateOptions",
    "depth",
    "evaluate",
    "evaluate_all",
    "fit_model",
    "horizon_months",
    "month",
    "prepare",
    "write_predictions",
]


def evaluate(options: EvaluateOptions, config: Config) -> dict[str, Any]:
    """The `evaluate-index --json` document (walk-forward, or frozen with `--model`)."""
    return evaluate_all(options, config)[0]


def evaluate_all(options: EvaluateOptions, config: Config) -> tuple[dict[str, Any], pd.DataFrame]:
    """The document and every out-of-sample prediction (rows: date x series)."""
    if options.model is not None:
        from monitor.research.frozen import evaluate_frozen

        return evaluate_frozen(options, config)
    source, data = prepare(options, config)
    doc, predictions = _walk_forward(options, source, data)
    doc["gsy_replication"] = _without_list(replication(source.panel))
    if source.market_note:
        doc["market"] = source.market_note
    return doc, predictions


def write_predictions(predictions: pd.DataFrame, path: Path) -> int:
    """`--out`: date, unit, probability, event (1/0, empty while unknown); rows written."""
    frame = pd.DataFrame(
        {
            "date": pd.DatetimeIndex(predictions.index.get_level_values("date")).strftime(
                "%Y-%m-%d"
            ),
            "unit": predictions.index.get_level_values("series").astype(str),
            "probability": predictions["model"].round(6).to_numpy(),
            "event": predictions[LABEL].map({1.0: "1", 0.0: "0"}).fillna("").to_numpy(),
        }
    )
    try:
        frame.to_csv(path, index=False)
    except OSError as e:
        raise InputError(f"--out {path}: cannot write: {e.strerror or e}") from e
    return len(frame)


def _walk_forward(
    options: EvaluateOptions, source: PanelInput, data: Dataset
) -> tuple[dict[str, Any], pd.DataFrame]:
    start = month(options.start, "--start", end=False)
    end = month(options.end, "--end", end=True)
    warmup = options.warmup_years or WARMUP_YEARS[options.fmt]
    wf = run(data, warmup_years=warmup, calibrate=options.calibrate)
    if wf.first_prediction is None:
        raise InputError(f"{options.prices}: no prediction after a {warmup}-year warm-up")
    doc = report(source.panel, data, wf, start=start, end=end)
    doc["warmup_years"] = warmup
    return doc, wf.predictions


def _without_list(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "list"}


def fit_model(options: EvaluateOptions, config: Config) -> CrashModel:
    """The model fitted on every row whose outcome is known (the shipped parameters).

    With `options.start` (fit-index --holdout-start), the walk-forward scores of predictions
    dated from that month on are stored with it as its hold-out record."""
    month(options.start, "--holdout-start", end=False)
    if options.fmt == "french-daily":
        from monitor.research.fit_short import fit_short

        return fit_short(options)
    source, data = prepare(options, config)
    model = _fit(options, data)
    if options.start is None:
        return model
    doc, _ = _walk_forward(options, source, data)
    try:
        return replace(model, holdout=holdout_from_report(doc))
    except ValueError as e:
        raise InputError(f"{options.prices}: --holdout-start {options.start}: {e}") from e


def _fit(options: EvaluateOptions, data: Dataset) -> CrashModel:
    from monitor.research.fit_short import reference_of

    train = data.rows.loc[data.rows[LABEL].notna()]
    x = train[list(data.features)].to_numpy(dtype=np.float64)
    y = train[LABEL].to_numpy(dtype=np.float64)
    dates = train.index.get_level_values("date").to_numpy()
    model = fit(
        x,
        y,
        dates,
        data.features,
        horizon_months=data.horizon_months,
        depth=data.depth,
        calibrate=options.calibrate,
    )
    last = pd.Timestamp(dates.max()).strftime("%Y-%m-%d")
    return replace(
        model,
        source=options.prices.name,
        trained_through=last,
        baselines=fit_baselines(train),
        reference=reference_of(model, train, data.features, market=None),
    )
