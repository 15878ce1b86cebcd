"""Is each shipped crash model fit for the live reading? What it would have said on a real
price file, scored against the basket's own crashes (docs/index-v2.md, "Which model the
live reading uses").

    python benchmarks/live_model_check.py [--prices FILE] [--market] [--json]

(default FILE: ../shared/data/ai_stocks_daily_adjclose_2015_2026.csv)

For each shipped model, on the configured basket (equal-weighted, as the live reading):
- `live`: the shipped model's daily probability (as `backtest` shows it), scored against
  the basket's own crash at the model's horizon and depth. For the 24-month model this is
  out of sample (fitted on industries to 2012); for the 6-month model it is in sample (it
  was fitted on these stocks and this basket to 2026-01).
- `walk_forward_basket` (6-month only): the walk-forward prediction of the basket series,
  each from a model fitted on outcomes known before its date, whole and from 2023-01.
- `inputs`: how far the basket's features lie from what the model was fitted on: the share
  of days with a feature beyond 3 and 5 standard deviations of the training rows (5 is
  where the model clips), per feature and any.
And the same `live` figures for every other column the file has as a one-name basket
(SPY, the market segment's benchmark), when `--market` is given.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from monitor.config.feeds_yaml import load_config
from monitor.reading.crash_model import SHIPPED, shipped
from monitor.research.backtest.run import choose_basket, load_closes_csv
from monitor.research.crash_inputs import BASKET_SERIES
from monitor.research.evaluate_index import EvaluateOptions, prepare
from signals.basket import BENCHMARK, CREDIT
from signals.crash.dataset import LABEL
from signals.crash.features import feature_frames
from signals.crash.history import crash_history
from signals.crash.metrics import scores
from signals.crash.model import CrashModel
from signals.crash.outcomes import crash_labels
from signals.crash.reading import basket_panel
from signals.crash.walkforward import run

DEFAULT_PRICES = Path("../shared/data/ai_stocks_daily_adjclose_2015_2026.csv")
HOLDOUT_START = pd.Timestamp("2023-01-01")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prices", type=Path, default=DEFAULT_PRICES)
    parser.add_argument("--market", action="store_true", help="Also SPY as a one-name basket.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    closes = load_closes_csv(args.prices)
    config = load_config()
    basket = list(choose_basket([str(c) for c in closes.columns], config))
    doc: dict[str, Any] = {"prices": args.prices.name, "basket": basket, "models": {}}
    for name in SHIPPED:
        model = shipped(name)
        entry = {
            "live": live_scores(closes, basket, model),
            "inputs": input_range(closes, basket, model),
        }
        if args.market and BENCHMARK in closes:
            entry["live_spy"] = live_scores(closes, [BENCHMARK], model)
        doc["models"][name] = entry
    doc["models"]["6m"]["walk_forward_basket"] = walk_forward_basket(args.prices, config)
    print(json.dumps(doc, indent=1) if args.json else _table(doc))


def live_scores(closes: pd.DataFrame, basket: list[str], model: CrashModel) -> dict[str, Any]:
    """The shipped model's daily reading of the basket against the basket's own crashes."""
    frame = crash_history(
        closes[basket], benchmark=closes.get(BENCHMARK), model=model, extras=_extras(closes)
    )
    log_level = np.log(_basket_level(closes, basket))  # outcomes are falls of the log level
    y = crash_labels(log_level.to_frame("b"), model.horizon_months, model.depth)["b"]
    joined = pd.DataFrame({"p": frame["probability"], "y": y}).dropna()
    out = {"all": _scored(joined, model.base_rate)}
    out["from_2023"] = _scored(joined.loc[joined.index >= HOLDOUT_START], model.base_rate)
    return out


def _scored(frame: pd.DataFrame, base_rate: float) -> dict[str, Any]:
    if frame.empty:
        return {"n": 0}
    y, p = frame["y"].to_numpy(np.float64), frame["p"].to_numpy(np.float64)
    return {
        "n": len(frame),
        "first": frame.index[0].strftime("%Y-%m-%d"),
        "last": frame.index[-1].strftime("%Y-%m-%d"),
        "crash_rate": round(float(y.mean()), 4),
        "mean_probability": round(float(p.mean()), 4),
        "model_base_rate": round(base_rate, 4),
        # Brier skill against the model's own base rate, a constant forecast.
        **scores(y, p, np.full(len(y), base_rate)),
    }


def input_range(closes: pd.DataFrame, basket: list[str], model: CrashModel) -> dict[str, Any]:
    """Share of days with a basket feature beyond 3 / 5 training standard deviations."""
    frames = feature_frames(basket_panel(closes[basket], closes.get(BENCHMARK), _extras(closes)))
    ready = frames["runup_1y"]["basket"].notna()
    per_feature: dict[str, Any] = {}
    beyond = pd.Series(False, index=ready.index[ready])
    for f, mean, scale in zip(model.features, model.mean, model.scale, strict=True):
        if f not in frames:
            per_feature[f] = None
            continue
        z = ((frames[f]["basket"] - mean) / scale).loc[ready]
        per_feature[f] = {
            "median_z": _round(z.median()),
            "max_abs_z": _round(z.abs().max()),
            "share_beyond_3": _round((z.abs() > 3).mean()),
            "share_beyond_5": _round((z.abs() > 5).mean()),
        }
        beyond |= (z.abs() > 3).fillna(False)
    return {
        "days": int(ready.sum()),
        "share_any_beyond_3": _round(beyond.mean()),
        "features": per_feature,
    }


def walk_forward_basket(prices: Path, config: Any) -> dict[str, Any]:
    """The 6-month walk-forward's out-of-sample predictions for the basket series alone."""
    _, data = prepare(EvaluateOptions(prices=prices, fmt="wide", horizon="6m"), config)
    wf = run(data, warmup_years=3)
    rows = wf.predictions.xs(BASKET_SERIES, level="series")
    known = rows.loc[rows[LABEL].notna()]
    out = {}
    for label, part in (("all", known), ("from_2023", known.loc[known.index >= HOLDOUT_START])):
        y = part[LABEL].to_numpy(np.float64)
        out[label] = {
            "n": len(part),
            "crash_rate": round(float(y.mean()), 4),
            "mean_probability": round(float(part["model"].mean()), 4),
            "model": scores(y, part["model"].to_numpy(np.float64), part["base_rate"].to_numpy()),
            "gsy_runup": scores(
                y, part["gsy_runup"].to_numpy(np.float64), part["base_rate"].to_numpy()
            ),
        }
    return out


def _basket_level(closes: pd.DataFrame, basket: list[str]) -> pd.Series:
    returns = closes[basket].pct_change(fill_method=None)
    mean = returns.mean(axis=1, skipna=True).where(returns.notna().any(axis=1))
    return (1.0 + mean.fillna(0.0)).cumprod()


def _extras(closes: pd.DataFrame) -> pd.DataFrame | None:
    return closes[list(CREDIT)] if all(t in closes for t in CREDIT) else None


def _round(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 3)


def _table(doc: dict[str, Any]) -> str:
    lines = [f"{doc['prices']}: basket of {len(doc['basket'])}"]
    for name, entry in doc["models"].items():
        for key in ("live", "live_spy", "walk_forward_basket"):
            for period, s in entry.get(key, {}).items():
                lines.append(f"{name} {key} {period}: {json.dumps(s)}")
        lines.append(f"{name} inputs: any |z|>3 on {entry['inputs']['share_any_beyond_3']}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
