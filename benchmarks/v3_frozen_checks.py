"""Every frozen figure of docs/index-v3.md, from the shipped 6m model and ../shared/data.

    PYTHONPATH=. /work/venv/bin/python benchmarks/v3_frozen_checks.py [--data ../shared/data]
    PYTHONPATH=. /work/venv/bin/python benchmarks/v3_frozen_checks.py --development
    PYTHONPATH=. /work/venv/bin/python benchmarks/v3_frozen_checks.py --model m6.json
    PYTHONPATH=. /work/venv/bin/python benchmarks/v3_frozen_checks.py --eras

`--development` instead runs the walk-forward of the fitting procedure on the fitting units
(French daily industries and mixes, month ends, rows to 1989-06, yearly refits), with and
without v2's Platt step, over the two development periods of docs/preregistration.md, and
the pooled out-of-fold calibration's record (addendum of 2026-12-07). `--model` evaluates
another model JSON than the shipped one (e.g. one written by `fit-index --fit-end 1989-06`).
`--eras` prints the realised crash rate of the fitting rows by the shipped model's
volatility bands (its `reference` quintile edges) in each era: the base-rate shift.

The checks of docs/preregistration.md: per unit mean probability against the realised rate
(tolerance max(3 points, 30%)), the calibration slope (0.7-1.3) and the Brier skill against
the model's training base rate (> 0), on (1) the AI file's SPY, RSP, QQQ, SMH, SOXX and the
basket, (2) the French daily industries after the fit period, (3) the S&P 500 daily and
Shiller's monthly S&P price in periods the model never saw; then the probability in the
3 months before the named bubble peaks against the unit's median. Prints one JSON document.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.config.feeds_yaml import load_config  # noqa: E402
from monitor.reading.crash_model import load_model  # noqa: E402
from monitor.research.crash_inputs import load_panel  # noqa: E402
from monitor.sources.french.daily import read_french_daily  # noqa: E402
from signals.crash.dataset import LABEL, build  # noqa: E402
from signals.crash.frozen import predict_frozen  # noqa: E402
from signals.crash.metrics import auc, brier  # noqa: E402
from signals.crash.panel import Panel, returns_from_closes  # noqa: E402
from signals.crash.scoring import by_unit, calibration_summary, within_date_auc  # noqa: E402

AI_UNITS = ("SPY", "RSP", "QQQ", "SMH", "SOXX", "basket")
#: docs/preregistration.md, named before looking: (unit, peak month, in the fit period?)
PEAKS = {
    "sp500": [("SP500", "1929-09", True), ("SP500", "1987-08", True),
              ("SP500", "2000-03", False), ("SP500", "2007-10", False)],
    "shiller": [("SP", "1929-09", True), ("SP", "1987-08", True),
                ("SP", "2000-03", False), ("SP", "2007-10", False)],
    "ff10": [("HiTec", "2000-03", False), ("Enrgy", "1980-11", True)],
    "ff30": [("BusEq", "2000-03", False), ("Oil", "1980-11", True)],
}  # fmt: skip


def check(predictions: pd.DataFrame, start: str | None, end: str | None) -> dict[str, Any]:
    dates = pd.DatetimeIndex(predictions.index.get_level_values("date"))
    keep = predictions[LABEL].notna().to_numpy().copy()
    if start:
        keep &= np.asarray(dates >= pd.Timestamp(start))
    if end:
        keep &= np.asarray(dates <= pd.Timestamp(end) + pd.offsets.MonthEnd(0))
    known = predictions.loc[keep]
    y = known[LABEL].to_numpy(dtype=np.float64)
    p = known["model"].to_numpy(dtype=np.float64)
    reference = brier(y, known["base_rate"].to_numpy(dtype=np.float64))
    out: dict[str, Any] = {
        "period": f"{known.index.get_level_values('date').min():%Y-%m-%d} .. "
        f"{known.index.get_level_values('date').max():%Y-%m-%d}",
        "n": len(known),
        "auc": round(auc(y, p) or float("nan"), 4),
        "brier_skill": round(1 - brier(y, p) / reference, 4),
        **calibration_summary(y, p),
        "by_unit": by_unit(known, LABEL),
    }
    if "volatility" in known:
        v = known["volatility"].to_numpy(dtype=np.float64)
        out["volatility_baseline_skill"] = round(1 - brier(y, v) / reference, 4)
    if known.index.get_level_values("series").nunique() > 1:
        wd = within_date_auc(known.index.get_level_values("date").to_numpy(), y, p)
        out["within_date_auc"] = None if wd is None else round(wd, 4)
    units = out["by_unit"].values()
    out["units_within_tolerance"] = (
        f"{sum(u['mean_within_tolerance'] for u in units)}/{len(out['by_unit'])}"
    )
    return out


def peaks(
    predictions: pd.DataFrame, level: pd.DataFrame, named: list[tuple[str, str, bool]]
) -> list[dict[str, Any]]:
    out = []
    for unit, month, in_fit in named:
        if unit not in level:
            continue
        centre = pd.Timestamp(f"{month}-01")
        window = level[unit].loc[
            centre - pd.DateOffset(months=2) : centre + pd.DateOffset(months=3)
        ]
        if window.dropna().empty:
            continue
        peak = window.idxmax()
        p = predictions["model"].xs(unit, level="series")
        before = p.loc[peak - pd.DateOffset(months=3) : peak]
        ratio = float(before.mean() / p.median())
        out.append({"unit": unit, "named": month, "peak": f"{peak:%Y-%m-%d}",
                    "in_fit_period": in_fit, "mean_3m_before": round(float(before.mean()), 4),
                    "median_all": round(float(p.median()), 4), "ratio": round(ratio, 2),
                    "at_least_1_5x": ratio >= 1.5})  # fmt: skip
    return out


def run(model: Any, panel: Panel) -> tuple[pd.DataFrame, pd.DataFrame]:
    data = build(panel, model.horizon_months, model.depth)
    levels = np.log1p(panel.returns).cumsum()
    return predict_frozen(model, data), levels


def shiller_panel(path: Path) -> Panel:
    frame = pd.read_csv(path, usecols=["date", "sp_price_P"])
    index = pd.to_datetime(frame["date"], format="%Y-%m") + pd.offsets.MonthEnd(0)
    closes = pd.DataFrame({"SP": frame["sp_price_P"].to_numpy(dtype=np.float64)}, index=index)
    returns = returns_from_closes(closes.dropna())
    return Panel(returns=returns, market=returns["SP"], frequency="monthly")


def development(data: Path) -> dict[str, Any]:
    from monitor.research.fitting_units import fitting_panel
    from monitor.research.pooled_calibration import pooled_calibration
    from signals.crash.dataset import Dataset, sampled
    from signals.crash.features import SHORT_V3
    from signals.crash.metrics import scores
    from signals.crash.walkforward import run as walk

    files = [data / "ff10_industry_daily_1926_2009.csv", data / "ff30_industry_daily_1959_2009.csv"]
    full = sampled(build(fitting_panel(files), 6, 0.2, allowed=SHORT_V3), "ME")
    dates = pd.DatetimeIndex(full.rows.index.get_level_values("date"))
    fit_rows = Dataset(full.rows.loc[dates <= "1989-06-30"], full.features, 6, 0.2)
    out: dict[str, Any] = {}
    for calibrate in (False, True):
        wf = walk(fit_rows, warmup_years=9, calibrate=calibrate)
        pred = wf.predictions
        when = pd.DatetimeIndex(pred.index.get_level_values("date"))
        for first, last in (("1936-01-01", "1959-12-31"), ("1960-01-01", "1989-06-30")):
            keep = np.asarray((when >= first) & (when <= last)) & pred[LABEL].notna().to_numpy()
            k = pred.loc[keep]
            y, ref = k[LABEL].to_numpy(dtype=np.float64), k["base_rate"].to_numpy(dtype=np.float64)
            d = k.index.get_level_values("date").to_numpy()
            row = {}
            for name in ("model", "volatility", "gsy_runup", "ma_distance"):
                p = k[name].to_numpy(dtype=np.float64)
                row[name] = {**scores(y, p, ref), "within_date_auc": within_date_auc(d, y, p),
                             **calibration_summary(y, p)}  # fmt: skip
            label = "platt_latest" if calibrate else "none"
            out[f"{label} {first[:4]}-{last[:4]}"] = {"n": len(k), **row}
        if not calibrate:
            out["pooled_oof"] = pooled_calibration(pred)[1]
    return out


ERAS = (("1926-07", "1935-12"), ("1936-01", "1959-12"), ("1960-01", "1989-12"),
        ("1990-01", "2009-12"))  # fmt: skip


def eras(data: Path) -> dict[str, Any]:
    from monitor.research.fitting_units import fitting_panel
    from signals.crash.dataset import sampled
    from signals.crash.features import SHORT_V3

    edges = load_model(6).reference["kinds"]["edges"]  # type: ignore[index]
    files = [data / "ff10_industry_daily_1926_2009.csv", data / "ff30_industry_daily_1959_2009.csv"]
    full = sampled(build(fitting_panel(files), 6, 0.2, allowed=SHORT_V3), "ME")
    rows = full.rows.loc[full.rows[LABEL].notna()]
    when = pd.DatetimeIndex(rows.index.get_level_values("date"))
    band = np.digitize(rows["volatility"].to_numpy(dtype=np.float64), edges)
    out: dict[str, Any] = {"volatility_edges": [round(e, 4) for e in edges]}
    for first, last in ERAS:
        era = np.asarray(
            (when >= f"{first}-01") & (when <= pd.Timestamp(f"{last}-01") + pd.offsets.MonthEnd(0))
        )
        out[f"{first}..{last}"] = [
            {
                "n": int((era & (band == i)).sum()),
                "rate": round(float(rows[LABEL][era & (band == i)].mean()), 4),
            }
            for i in range(len(edges) + 1)
        ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--development", action="store_true")
    parser.add_argument("--eras", action="store_true")
    parser.add_argument("--model", type=Path, help="a model JSON (default: the shipped 6m)")
    args = parser.parse_args()
    data: Path = args.data
    if args.eras:
        print(json.dumps(eras(data), indent=1))
        return
    if args.development:
        print(json.dumps(development(data), indent=1, default=float))
        return
    model = load_model(6, path=args.model)
    doc: dict[str, Any] = {"model": model.data_hash, "trained_through": model.trained_through}
    config = load_config(ROOT / "feeds.yaml")
    ai = load_panel(data / "ai_stocks_daily_adjclose_2015_2026.csv", "wide", config, units=AI_UNITS)
    p, _ = run(model, ai.panel)
    doc["ai_2016_2026"] = check(p, "2016-01", None)
    for prefix, file in (
        ("ff10", "ff10_industry_daily_1926_2009.csv"),
        ("ff30", "ff30_industry_daily_1959_2009.csv"),
    ):
        p, level = run(model, read_french_daily(data / file))
        doc[f"{prefix}_1990_2009"] = check(p, "1990-01", "2009-06")
        doc[f"{prefix}_peaks"] = peaks(p, level, PEAKS[prefix])
    sp = pd.read_csv(data / "sp500_daily_1927_2009.csv", index_col=0, parse_dates=True)
    returns = returns_from_closes(sp)
    p, level = run(model, Panel(returns=returns, market=returns["SP500"], frequency="daily"))
    doc["sp500_1990_2009"] = check(p, "1990-01", "2009-06")
    doc["sp500_1928_1989_in_fit_period"] = check(p, None, "1989-06")
    doc["sp500_peaks"] = peaks(p, level, PEAKS["sp500"])
    p, level = run(model, shiller_panel(data / "shiller_ie_data_monthly_1871_2026.csv"))
    doc["shiller_1871_1925"] = check(p, None, "1925-12")
    doc["shiller_1990_2025"] = check(p, "1990-01", "2025-12")
    doc["shiller_2010_2025"] = check(p, "2010-01", "2025-12")
    doc["shiller_peaks"] = peaks(p, level, PEAKS["shiller"])
    print(json.dumps(doc, indent=1))


if __name__ == "__main__":
    main()
