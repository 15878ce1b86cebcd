"""The `evaluate-index` and `fit-index` stages: a price file to walk-forward scores, or to
the shipped model JSON.

Horizon and depth default by format: the French monthly industries get Greenwood, Shleifer
& You's 24 months and 40%, daily files 6 months and 20%. The warm-up (years of data before
the first out-of-sample prediction) defaults to 15 years for monthly data (the 1930s crashes
in every training set) and 3 years for daily data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from monitor.config.feeds_yaml import Config
from monitor.errors import InputError
from monitor.research.crash_inputs import Format, PanelInput, load_panel
from signals.crash.dataset import LABEL, Dataset, build
from signals.crash.evaluation import report
from signals.crash.gsy import replication
from signals.crash.holdout import holdout_from_report
from signals.crash.model import CrashModel, fit
from signals.crash.walkforward import run

HORIZONS = {"24m": 24, "6m": 6}
DEFAULT_DEPTH = {24: 0.40, 6: 0.20}
WARMUP_YEARS = {"french49": 15, "wide": 3}


@dataclass(frozen=True)
class EvaluateOptions:
    prices: Path
    fmt: Format = "wide"
    horizon: str | None = None
    drawdown: float | None = None
    start: str | None = None
    end: str | None = None
    segment: str | None = None
    warmup_years: int | None = None


def horizon_months(options: EvaluateOptions) -> int:
    label = options.horizon or ("24m" if options.fmt == "french49" else "6m")
    if label not in HORIZONS:
        raise InputError(f"--horizon {label!r}: use one of {', '.join(HORIZONS)}")
    return HORIZONS[label]


def depth(options: EvaluateOptions, months: int) -> float:
    value = options.drawdown if options.drawdown is not None else DEFAULT_DEPTH[months]
    if not 0.0 < value < 1.0:
        raise InputError(f"--drawdown {value}: a fraction between 0 and 1, such as 0.40")
    return value


def month(text: str | None, option: str, *, end: bool) -> pd.Timestamp | None:
    if text is None:
        return None
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise InputError(f"{option} {text!r}: expected YYYY-MM")
    stamp = pd.Timestamp(f"{text}-01")
    return stamp + pd.offsets.MonthEnd(0) if end else stamp


def prepare(options: EvaluateOptions, config: Config) -> tuple[PanelInput, Dataset]:
    months = horizon_months(options)
    source = load_panel(options.prices, options.fmt, config, segment=options.segment)
    data = build(source.panel, months, depth(options, months), source.v1_index)
    if not data.rows[LABEL].notna().any():
        raise InputError(f"{options.prices}: too short for a {months}-month outcome window")
    return source, data


def evaluate(options: EvaluateOptions, config: Config) -> dict[str, Any]:
    """The `evaluate-index --json` document."""
    source, data = prepare(options, config)
    doc = _walk_forward(options, source, data)
    doc["gsy_replication"] = _without_list(replication(source.panel))
    return doc


def _walk_forward(options: EvaluateOptions, source: PanelInput, data: Dataset) -> dict[str, Any]:
    start = month(options.start, "--start", end=False)
    end = month(options.end, "--end", end=True)
    warmup = options.warmup_years or WARMUP_YEARS[options.fmt]
    wf = run(data, warmup_years=warmup)
    if wf.first_prediction is None:
        raise InputError(f"{options.prices}: no prediction after a {warmup}-year warm-up")
    doc = report(source.panel, data, wf, start=start, end=end)
    doc["warmup_years"] = warmup
    return doc


def _without_list(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "list"}


def fit_model(options: EvaluateOptions, config: Config) -> CrashModel:
    """The model fitted on every row whose outcome is known (the shipped parameters).

    With `options.start` (fit-index --holdout-start), the walk-forward scores of predictions
    dated from that month on are stored with it as its hold-out record."""
    month(options.start, "--holdout-start", end=False)
    source, data = prepare(options, config)
    model = _fit(options, data)
    if options.start is None:
        return model
    doc = _walk_forward(options, source, data)
    try:
        return replace(model, holdout=holdout_from_report(doc))
    except ValueError as e:
        raise InputError(f"{options.prices}: --holdout-start {options.start}: {e}") from e


def _fit(options: EvaluateOptions, data: Dataset) -> CrashModel:
    train = data.rows.loc[data.rows[LABEL].notna()]
    x = train[list(data.features)].to_numpy(dtype=np.float64)
    y = train[LABEL].to_numpy(dtype=np.float64)
    dates = train.index.get_level_values("date").to_numpy()
    model = fit(x, y, dates, data.features, horizon_months=data.horizon_months, depth=data.depth)
    last = pd.Timestamp(dates.max()).strftime("%Y-%m-%d")
    return replace(model, source=options.prices.name, trained_through=last)
