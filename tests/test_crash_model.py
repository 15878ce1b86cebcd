"""GSY episodes, the crash model's JSON, the walk-forward evaluation and its metrics."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from monitor.reading.crash_model import read_model_file
from signals.crash.dataset import LABEL, build
from signals.crash.gsy import episodes, replication, run_ups
from signals.crash.metrics import auc, calibration, scores
from signals.crash.model import CrashModel, fit
from signals.crash.panel import Panel
from signals.crash.walkforward import run
from tests.crash_fixtures import monthly_panel


def _runup_panel() -> Panel:
    """Flat market; industry A triples twice, 4 years apart, and crashes after the first."""
    months = pd.date_range("1960-01-31", periods=180, freq="ME")
    a = np.full(len(months), 0.002)
    a[60:84] = 0.047  # x3 in 24 months
    a[84:90] = -0.10  # -47%
    a[130:154] = 0.047  # x3 again, no crash after
    returns = pd.DataFrame({"A": a, "B": 0.002}, index=months)
    market = pd.Series(0.002, index=months)
    return Panel(returns=returns, market=market, frequency="monthly")


def test_a_run_up_is_one_episode_from_its_first_month() -> None:
    found = episodes(run_ups(_runup_panel()), 1.0, five_year=0.5)
    assert [(e.series, e.start.strftime("%Y-%m")) for e in found] == [
        ("A", "1966-04"),
        ("A", "1972-03"),
    ]
    first, second = found
    assert first.runup_2y > 1.0 and first.net_2y > 1.0
    assert first.crashed is True
    assert second.crashed is False
    assert first.peak_runup_2y >= first.runup_2y


def test_the_five_year_condition_and_the_threshold_apply() -> None:
    r = run_ups(_runup_panel())
    assert episodes(r, 1.0, five_year=5.0) == []
    assert len(episodes(r, 3.0, five_year=None)) == 0
    doc = replication(_runup_panel())
    assert doc["episodes"] == 2 and doc["crashed"] == 1 and doc["crash_share"] == 0.5
    assert [t["threshold"] for t in doc["by_threshold"]] == [0.5, 1.0, 1.5]
    assert doc["variants"]["difference"]["episodes"] == 2


def test_an_episode_whose_outcome_is_after_the_data_end_is_unknown() -> None:
    panel = _runup_panel().window(pd.Timestamp("1973-06-30"))
    doc = replication(panel)
    assert doc["episodes"] == 2 and doc["unknown_outcome"] == 1 and doc["crashed"] == 1


def _fitted() -> tuple[CrashModel, np.ndarray]:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(10000, 3))
    x[rng.random(x.shape) < 0.05] = np.nan
    logit = -1.5 + 1.2 * np.nan_to_num(x[:, 0]) - 0.8 * np.nan_to_num(x[:, 2])
    y = (rng.random(10000) < 1 / (1 + np.exp(-logit))).astype(float)
    dates = pd.date_range("1990-01-31", periods=10000, freq="D").to_numpy()
    model = fit(x, y, dates, ("runup_2y", "volatility", "drawdown"), horizon_months=24, depth=0.4)
    return model, x


def test_the_model_learns_the_signs_and_its_probabilities_are_calibrated() -> None:
    model, x = _fitted()
    assert model.coef[0] > 0.5 and model.coef[2] < -0.3 and abs(model.coef[1]) < 0.2
    p = model.predict(x)
    assert p.min() > 0.0 and p.max() < 1.0
    # 3 standard errors of a rate over the 2,000 calibration rows.
    assert p.mean() == pytest.approx(model.base_rate, abs=0.03)
    assert 0.8 < model.platt_a < 1.2


def test_the_model_round_trips_through_json_without_pickle(tmp_path: Path) -> None:
    model, x = _fitted()
    path = tmp_path / "model.json"
    path.write_text(model.to_json())
    assert json.loads(path.read_text())["format"] == 1
    loaded = read_model_file(path)
    assert np.array_equal(loaded.predict(x), model.predict(x))
    assert loaded.data_hash.startswith("sha256:") and loaded.data_hash == model.data_hash
    froth, stress = loaded.axes(x)
    assert froth.min() >= 0 and froth.max() <= 100 and stress.max() <= 100


def test_a_model_of_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"format": 99}))
    with pytest.raises(ValueError, match="format 1"):
        read_model_file(path)


def test_the_shipped_models_load_and_name_their_data() -> None:
    root = Path(__file__).resolve().parents[1] / "signals" / "crash"
    for horizon in (24, 6):
        model = read_model_file(root / f"model_{horizon}m.json")
        assert model.horizon_months == horizon
        assert model.data_hash.startswith("sha256:") and model.n_train > 1000


def test_walk_forward_predictions_never_see_data_after_their_date() -> None:
    panel = monthly_panel()
    full = run(build(panel, 24, 0.4), warmup_years=10)
    dates = pd.DatetimeIndex(full.predictions.index.get_level_values("date"))
    for t in (dates[len(dates) // 3], dates[-30]):
        cut = run(build(panel.window(t), 24, 0.4), warmup_years=10)
        a = full.predictions.xs(t, level="date")["model"]
        b = cut.predictions.xs(t, level="date")["model"]
        pd.testing.assert_series_equal(a, b, rtol=1e-9)


def test_walk_forward_drops_and_counts_predictions_with_unknown_outcomes() -> None:
    wf = run(build(monthly_panel(), 24, 0.4), warmup_years=10)
    unknown = wf.predictions[LABEL].isna()
    assert wf.dropped_unknown == int(unknown.sum()) > 0
    last_known = pd.DatetimeIndex(wf.predictions.loc[~unknown].index.get_level_values("date"))
    assert last_known.max() <= pd.Timestamp("1979-12-31") - pd.DateOffset(months=24)
    assert wf.refits >= 19
    for name in ("model", "base_rate", "gsy_runup", "ma_distance", "psy"):
        assert wf.predictions[name].between(0, 1).all()


def test_metrics() -> None:
    y = np.array([0, 0, 1, 1.0])
    assert auc(y, np.array([0.1, 0.2, 0.8, 0.9])) == 1.0
    assert auc(y, np.array([0.9, 0.8, 0.2, 0.1])) == 0.0
    assert auc(np.ones(3), np.ones(3)) is None
    base = np.full(4, 0.5)
    assert scores(y, base, base)["brier_skill"] == 0.0
    assert scores(y, np.array([0, 0, 1, 1.0]), base) == {
        "auc": 1.0,
        "brier": 0.0,
        "brier_skill": 1.0,
    }
    table = calibration(np.r_[np.zeros(50), np.ones(50)], np.linspace(0, 1, 100))
    assert [row["n"] for row in table] == [10] * 10
    assert table[0]["observed_rate"] == 0.0 and table[-1]["observed_rate"] == 1.0


def test_the_one_variable_baseline_fit_matches_scikit_learn() -> None:
    from sklearn.linear_model import LogisticRegression

    from signals.crash.walkforward import logistic_1d

    rng = np.random.default_rng(4)
    x = rng.normal(size=3000)
    y = (rng.random(3000) < 1 / (1 + np.exp(-(-1.0 + 0.7 * x)))).astype(float)
    slope, intercept = logistic_1d(x, y)
    reference = LogisticRegression(C=1e8, max_iter=1000).fit(x[:, None], y)
    assert slope == pytest.approx(reference.coef_[0][0], abs=1e-4)
    assert intercept == pytest.approx(reference.intercept_[0], abs=1e-4)


def test_a_separable_tiny_sample_fits_without_an_exp_overflow() -> None:
    """A tiny basket can be perfectly separable: Newton then drives |logit| past 709, where
    exp overflowed (a RuntimeWarning on every walk-forward); the logit is clipped."""
    import warnings

    from signals.crash.walkforward import logistic_1d, sigmoid

    x = np.array([-3.0, -2.0, -1.0, 1.0, 2.0, 3.0]) * 100
    y = np.array([0.0, 0.0, 0.0, 1.0, 1.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        slope, _ = logistic_1d(x, y)
        p = sigmoid(np.array([-1e6, 0.0, 1e6]))
    assert slope > 0
    assert p.tolist() == [pytest.approx(0.0, abs=1e-200), 0.5, 1.0]
