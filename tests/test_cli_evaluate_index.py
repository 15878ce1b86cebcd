"""`evaluate-index` and `fit-index` through the CLI, on files written by the tests."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.reading.crash_model import read_model_file
from tests.conftest import FIXTURES

runner = CliRunner(env={"COLUMNS": "200"})
DESIGN_KEYS = {
    "horizon",
    "drawdown",
    "n_predictions",
    "n_events",
    "models",
    "calibration",
    "episodes",
    "gsy_replication",
}
MODELS = {"model", "base_rate", "gsy_runup", "ma_distance", "psy", "v1_index"}


@pytest.fixture(scope="module")
def prices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six years of business days: three basket stocks, SPY, HYG and LQD; NVDA soars then
    halves, so there are run-ups and crashes to score."""
    rng = np.random.default_rng(11)
    days = pd.bdate_range("2015-01-02", periods=252 * 6)
    names = ["NVDA", "MSFT", "AMD", "SPY", "HYG", "LQD"]
    vols = np.array([0.45, 0.25, 0.5, 0.15, 0.06, 0.05]) / np.sqrt(252)
    returns = rng.normal(0.0003, vols, size=(len(days), len(names)))
    returns[600:900, 0] += 0.004
    returns[900:960, 0] -= 0.012
    closes = pd.DataFrame(100 * np.cumprod(1 + returns, axis=0), index=days, columns=names)
    closes.iloc[:200, 2] = np.nan
    path = tmp_path_factory.mktemp("prices") / "closes.csv"
    closes.rename_axis("date").to_csv(path, float_format="%.4f")
    return path


def test_evaluate_index_json_has_the_design_keys_and_every_baseline(prices: Path) -> None:
    result = runner.invoke(app, ["evaluate-index", "--prices", str(prices), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) >= DESIGN_KEYS
    assert doc["horizon"] == "6m" and doc["drawdown"] == 0.2
    assert set(doc["models"]) == MODELS
    for name, metrics in doc["models"].items():
        assert {"auc", "brier", "brier_skill"} <= set(metrics), name
        assert metrics["brier"] is not None, name  # the v1 index is replayed on daily data
    assert doc["models"]["base_rate"]["brier_skill"] == 0.0
    assert doc["n_predictions"] > 500 and 0 < doc["n_events"] < doc["n_predictions"]
    assert doc["n_dropped_unknown_outcome"] > 0
    assert doc["first_prediction"] >= "2018-01-01"  # three-year warm-up
    assert len(doc["calibration"]) == 10
    assert sum(row["n"] for row in doc["calibration"]) == doc["n_predictions"]
    assert {"episodes", "crashed", "by_threshold"} <= set(doc["gsy_replication"])


def test_start_and_end_restrict_the_scored_predictions(prices: Path) -> None:
    args = ["evaluate-index", "--prices", str(prices), "--json"]
    later = json.loads(runner.invoke(app, [*args, "--start", "2019-06"]).stdout)
    window = json.loads(
        runner.invoke(app, [*args, "--start", "2019-01", "--end", "2019-06"]).stdout
    )
    assert later["first_prediction"] >= "2019-06-01"
    assert "2019-01-01" <= window["first_prediction"] <= window["last_prediction"] < "2019-07"


def test_rich_output_shows_the_tables(prices: Path) -> None:
    result = runner.invoke(app, ["evaluate-index", "--prices", str(prices)])
    assert result.exit_code == 0, result.output
    for title in ("Out of sample", "Calibration by decile", "Crash rate by regime", "gsy_runup"):
        assert title in result.stdout


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--horizon", "3m"], "--horizon '3m': use one of 24m, 6m"),
        (["--drawdown", "40"], "--drawdown 40.0: a fraction between 0 and 1"),
        (["--start", "June"], "--start 'June': expected YYYY-MM"),
        (["--format", "csv"], "--format 'csv': use wide or french49"),
        (["--segment", "nope"], "no segment named 'nope' in feeds.yaml (segments: llm,"),
    ],
)
def test_bad_options_are_named(prices: Path, extra: list[str], message: str) -> None:
    result = runner.invoke(app, ["evaluate-index", "--prices", str(prices), *extra])
    assert result.exit_code == 2
    assert message in result.stderr


def test_evaluate_index_reads_one_segment(prices: Path, tmp_path: Path) -> None:
    """--segment NAME: the segment's tickers found in the file make the basket."""
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        "segments:\n"
        "  - {name: chips, news: none, benchmark: SPY, tickers: {NVDA: GPUs, AMD: GPUs}}\n"
        "  - {name: soft, news: none, benchmark: SPY, tickers: {MSFT: cloud}}\n",
        encoding="utf-8",
    )
    args = ["evaluate-index", "--prices", str(prices), "--json", "--feeds", str(feeds)]
    chips = json.loads(runner.invoke(app, [*args, "--segment", "chips"]).stdout)
    soft = json.loads(runner.invoke(app, [*args, "--segment", "soft"]).stdout)
    assert chips["n_predictions"] > 0 and soft["n_predictions"] > 0
    # Different baskets, different outcomes: NVDA's planted crash is in chips only.
    assert chips["n_events"] != soft["n_events"]


def test_a_french_file_too_short_for_the_horizon_is_an_error() -> None:
    small = FIXTURES / "french49_small.csv"
    result = runner.invoke(app, ["evaluate-index", "--prices", str(small), "--format", "french49"])
    assert result.exit_code == 2
    assert "too short for a 24-month outcome window" in result.stderr


def test_fit_index_writes_a_model_that_loads(prices: Path, tmp_path: Path) -> None:
    out = tmp_path / "model.json"
    result = runner.invoke(app, ["fit-index", "--prices", str(prices), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    model = read_model_file(out)
    assert summary["data_hash"] == model.data_hash and model.source == "closes.csv"
    assert model.horizon_months == 6 and model.depth == 0.2
    assert "credit" in model.features  # HYG and LQD are in the file


def test_fit_index_stores_the_hold_out_that_evaluate_index_scores(
    prices: Path, tmp_path: Path
) -> None:
    out = tmp_path / "model.json"
    args = ["--prices", str(prices)]
    fitted = runner.invoke(
        app, ["fit-index", *args, "--out", str(out), "--holdout-start", "2019-01", "--json"]
    )
    assert fitted.exit_code == 0, fitted.output
    evaluated = runner.invoke(app, ["evaluate-index", *args, "--start", "2019-01", "--json"])
    doc = json.loads(evaluated.stdout)
    holdout = read_model_file(out).holdout
    assert holdout is not None
    assert holdout.start == doc["first_prediction"] and holdout.end == doc["last_prediction"]
    assert holdout.n_predictions == doc["n_predictions"]
    assert holdout.model.auc == doc["models"]["model"]["auc"]
    assert holdout.model.brier_skill == doc["models"]["model"]["brier_skill"]
    assert set(holdout.baselines) == {"gsy_runup", "ma_distance", "psy", "v1_index"}
    assert json.loads(fitted.stdout)["holdout"]["passed"] == holdout.passed


def test_fit_index_without_a_hold_out_stores_none(prices: Path, tmp_path: Path) -> None:
    out = tmp_path / "model.json"
    runner.invoke(app, ["fit-index", "--prices", str(prices), "--out", str(out)])
    assert read_model_file(out).holdout is None


def test_a_bad_holdout_start_names_the_option(prices: Path, tmp_path: Path) -> None:
    out = tmp_path / "model.json"
    result = runner.invoke(
        app, ["fit-index", "--prices", str(prices), "--out", str(out), "--holdout-start", "2019"]
    )
    assert result.exit_code == 2
    assert "--holdout-start '2019': expected YYYY-MM" in result.stderr
    assert not out.exists()
