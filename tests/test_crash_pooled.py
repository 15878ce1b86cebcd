"""The pooled out-of-fold calibration (signals.crash.pooled, monitor.research.pooled_calibration):
it recovers a known miscalibration, its rule keeps it only when every period improves, and a
calibrated model predicts exactly the calibrated probabilities and keeps its percentiles."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from monitor.research.pooled_calibration import pooled_calibration
from signals.crash.dataset import LABEL
from signals.crash.model import CrashModel, fit
from signals.crash.pooled import Platt, calibrated, decide, fit_platt


def _overconfident(n: int, seed: int, a: float = 0.4, b: float = -1.0) -> tuple[np.ndarray, ...]:
    """Outcomes drawn from sigmoid(a * logit p + b): p itself is too spread and too high."""
    rng = np.random.default_rng(seed)
    logit = rng.normal(-1.0, 2.0, n)
    p = 1 / (1 + np.exp(-logit))
    truth = 1 / (1 + np.exp(-(a * logit + b)))
    y = (rng.random(n) < truth).astype(float)
    return y, p, np.full(n, y.mean())


def test_fit_platt_recovers_the_miscalibration() -> None:
    y, p, _ = _overconfident(40_000, 1)
    platt = fit_platt(y, p)
    assert platt is not None
    assert platt.a == pytest.approx(0.4, abs=0.03) and platt.b == pytest.approx(-1.0, abs=0.06)


def test_fit_platt_refuses_one_class_and_an_inverted_ranking() -> None:
    assert fit_platt(np.zeros(50), np.linspace(0.1, 0.9, 50)) is None
    y, p, _ = _overconfident(5_000, 2)
    assert fit_platt(y, 1 - p) is None  # would turn the ranking upside down


def test_the_rule_keeps_it_when_every_period_improves() -> None:
    record = decide({"early": _overconfident(8_000, 3), "late": _overconfident(8_000, 4)})
    assert record["kept"] is True and record["n"] == 16_000
    for row in record["periods"].values():
        assert row["pooled"] > row["none"] and row["leave_one_period_out"] > row["none"]


def test_the_rule_drops_it_when_one_period_gets_worse() -> None:
    # The late period is calibrated as it is; the early one is far off, so the pooled fit
    # moves the late period away from its own (already right) probabilities.
    rng = np.random.default_rng(6)
    p = rng.uniform(0.02, 0.6, 30_000)
    y = (rng.random(30_000) < p).astype(float)
    record = decide(
        {
            "early": _overconfident(30_000, 5, a=0.2, b=-2.5),
            "late": (y, p, np.full(30_000, y.mean())),
        }
    )
    assert record["periods"]["late"]["pooled"] < record["periods"]["late"]["none"]
    assert record["kept"] is False


def _model(seed: int = 7) -> tuple[CrashModel, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(3_000, 2))
    y = (rng.random(3_000) < 1 / (1 + np.exp(-(x[:, 0] - 1.5)))).astype(float)
    dates = np.array(pd.date_range("1950-01-31", periods=3_000, freq="D"), dtype="datetime64[ns]")
    model = fit(
        x, y, dates, ("runup_1y", "volatility"), horizon_months=6, depth=0.2, calibrate=False
    )
    return model, x


def test_a_calibrated_model_predicts_the_calibrated_probabilities_and_keeps_percentiles() -> None:
    model, x = _model()
    platt = Platt(0.5, -0.7)
    record = {"kept": True, "a": 0.5, "b": -0.7}
    cal = calibrated(model, platt, record)
    np.testing.assert_allclose(cal.predict(x), platt.apply(model.predict(x)), rtol=1e-9)
    for before, after in zip(model.axes(x), cal.axes(x), strict=True):
        np.testing.assert_allclose(before, after, atol=1e-9)
    again = CrashModel.from_json(cal.to_json())
    assert again.calibration == "pooled_oof" and again.calibration_record == record
    np.testing.assert_allclose(again.predict(x), cal.predict(x))
    with pytest.raises(ValueError, match="without a Platt step"):
        calibrated(cal, platt, record)


def _predictions(seed: int) -> pd.DataFrame:
    y, p, base = _overconfident(4_000, seed)
    dates = pd.date_range("1936-01-31", periods=4_000 // 2, freq="ME").repeat(2)[:4_000]
    index = pd.MultiIndex.from_arrays([dates, ["a", "b"] * 2_000], names=["date", "series"])
    return pd.DataFrame({LABEL: y, "model": p, "base_rate": base}, index=index)


def test_pooled_calibration_reads_the_development_periods_it_is_given() -> None:
    predictions = _predictions(8)
    periods = (("1936-01", "1999-12"), ("2000-01", "2102-12"))
    platt, record = pooled_calibration(predictions, periods)
    assert platt is not None and record["kept"]
    assert sum(row["n"] for row in record["periods"].values()) == 4_000
    json.dumps(record)  # stored in the model JSON as it is


def test_pooled_calibration_without_development_rows_says_so() -> None:
    platt, record = pooled_calibration(_predictions(9), (("1800-01", "1850-12"),))
    assert platt is None and record == {
        "kept": False,
        "reason": "no development period with crashes and calm rows",
    }
