"""`evaluate-index --model shipped|FILE`: frozen evaluation of a fitted model on a file.

The model is applied as it is (no refit) to every row of the file; its horizon and depth
are the model's; `models.base_rate` is its training base rate and the Brier skill is
measured against it; the baselines are those stored with the model. Features the file cannot
give (the net-of-market run-up of a one-series file) count as their training mean and are
listed under `missing_features`; `market` says what the market series is when it is not a
benchmark.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from monitor.config.feeds_yaml import Config
from monitor.errors import InputError
from monitor.research.index_options import EvaluateOptions, horizon_months, month, prepare
from signals.crash.evaluation import report
from signals.crash.frozen import missing_features, predict_frozen
from signals.crash.model import CrashModel
from signals.crash.walkforward import WalkForward


def frozen_model(choice: str, options: EvaluateOptions) -> CrashModel:
    """`shipped`: the shipped model of `--horizon` (default 6m); else a model JSON path."""
    from monitor.reading.crash_model import load_model

    if choice == "shipped":
        months = horizon_months(options) if options.horizon else 6
        return load_model(months)
    path = Path(choice)
    if not path.is_file():
        raise InputError(f"--model {choice}: no such file (use 'shipped' or a fit-index JSON)")
    return load_model(path=path)


def evaluate_frozen(
    options: EvaluateOptions, config: Config
) -> tuple[dict[str, Any], pd.DataFrame]:
    """The document and every prediction (for `--out`)."""
    assert options.model is not None
    model = frozen_model(options.model, options)
    source, data = prepare(options, config, months=model.horizon_months, crash=model.depth)
    predictions = predict_frozen(model, data)
    first = pd.DatetimeIndex(predictions.index.get_level_values("date")).min()
    wf = WalkForward(predictions, int(predictions["label"].isna().sum()), 0, first)
    start = month(options.start, "--start", end=False)
    end = month(options.end, "--end", end=True)
    doc = report(source.panel, data, wf, start=start, end=end, mode="frozen")
    doc["features"] = list(model.features)
    doc["model_file"] = options.model
    doc["model_data_hash"] = model.data_hash
    doc["model_trained_through"] = model.trained_through
    doc["missing_features"] = missing_features(model, data)
    if source.market_note:
        doc["market"] = source.market_note
    return doc, predictions
