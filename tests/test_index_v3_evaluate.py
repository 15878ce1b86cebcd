"""Index v3's `evaluate-index`: the French daily format, frozen evaluation (`--model`) of a
one-series file, `--out`, and the v3 keys of the document; on files the tests write."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.errors import InputError
from monitor.reading.crash_model import load_model
from monitor.sources.french.daily import read_french_daily
from signals.crash.model import CrashModel

runner = CliRunner(env={"COLUMNS": "200"})
V3_MODEL_KEYS = {"within_date_auc", "mean_probability", "realized_rate", "calibration_slope"}


def _french_daily(
    path: Path, years: int = 9, names: tuple[str, ...] = ("A", "B", "C", "D")
) -> Path:
    rng = np.random.default_rng(5)
    days = pd.bdate_range("1960-01-04", periods=252 * years)
    vols = np.linspace(0.12, 0.45, len(names)) / np.sqrt(252)
    returns = rng.normal(0.0003, vols, size=(len(days), len(names))) * 100
    returns[:40, 0] = -99.99  # "no data" in French's files
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", *names])
        for day, row in zip(days, returns, strict=True):
            writer.writerow([day.strftime("%Y%m%d"), *(f"{v:.2f}" for v in row)])
    return path


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _french_daily(tmp_path_factory.mktemp("fd") / "ff4_daily.csv")


@pytest.fixture(scope="module")
def one_series(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six years of one index's closes that rises then halves: a crash to score."""
    rng = np.random.default_rng(8)
    days = pd.bdate_range("1990-01-02", periods=252 * 6)
    r = rng.normal(0.0003, 0.012, len(days))
    r[700:800] -= 0.008
    path = tmp_path_factory.mktemp("one") / "index.csv"
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "IDX": 100 * np.exp(np.cumsum(r))}).to_csv(
        path, index=False
    )
    return path


def test_french_daily_returns_are_percent_and_minus_99_99_is_missing(french: Path) -> None:
    panel = read_french_daily(french)
    assert list(panel.returns.columns) == ["A", "B", "C", "D"]
    assert panel.frequency == "daily"
    assert panel.returns["A"].iloc[:40].isna().all()
    assert panel.returns.abs().max().max() < 0.2  # percent became fractions
    assert panel.market.iloc[0] == pytest.approx(panel.returns.iloc[0, 1:].mean())


def test_french_daily_bad_date_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("date,A\n19600104,0.1\n1960-01-05,0.2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.csv:3: date '1960-01-05': expected YYYYMMDD"):
        read_french_daily(path)


def test_walk_forward_on_french_daily_has_the_v3_keys(french: Path) -> None:
    args = ["evaluate-index", "--prices", str(french), "--format", "french-daily"]
    result = runner.invoke(app, [*args, "--warmup-years", "3", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["mode"] == "walk_forward"
    assert doc["horizon"] == "6m" and doc["drawdown"] == 0.2
    assert set(doc["models"]["model"]) >= V3_MODEL_KEYS
    assert "volatility" in doc["models"]
    assert set(doc["by_unit"]) == {"A", "B", "C", "D"}
    unit = doc["by_unit"]["D"]
    assert set(unit) >= {"n", "events", "mean_probability", "realized_rate", "auc"}
    assert sum(u["n"] for u in doc["by_unit"].values()) == doc["n_predictions"]
    assert {"runup_episodes", "market_wide_episodes"} <= set(doc["episode_counts"])
    assert isinstance(doc["leave_one_episode_out"], list)
    assert "equal-weighted" in doc["market"]


def test_frozen_one_series_uses_the_model_as_shipped(one_series: Path, tmp_path: Path) -> None:
    out = tmp_path / "predictions.csv"
    args = ["evaluate-index", "--prices", str(one_series), "--model", "shipped"]
    result = runner.invoke(app, [*args, "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    model = load_model(6)
    assert doc["mode"] == "frozen" and doc["refits"] == 0
    assert doc["features"] == list(model.features)
    assert doc["model_data_hash"] == model.data_hash
    assert doc["models"]["base_rate"]["mean_probability"] == pytest.approx(
        model.base_rate, abs=1e-4
    )
    assert "the series itself" in doc["market"]
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ["date", "unit", "probability", "event"]
    assert {r["unit"] for r in rows} == {"IDX"}
    assert {r["event"] for r in rows} == {"0", "1", ""}
    # The outcome of the last six months is not known yet: empty, never 0.
    assert rows[-1]["event"] == ""
    assert doc["out"]["rows"] == len(rows)
    assert sum(r["event"] != "" for r in rows) == doc["n_predictions"]


def test_frozen_from_a_fit_index_json_is_the_same_model(one_series: Path, tmp_path: Path) -> None:
    copy = tmp_path / "m.json"
    copy.write_text(load_model(6).to_json(), encoding="utf-8")
    args = ["evaluate-index", "--prices", str(one_series), "--json"]
    shipped = json.loads(runner.invoke(app, [*args, "--model", "shipped"]).stdout)
    from_file = json.loads(runner.invoke(app, [*args, "--model", str(copy)]).stdout)
    assert shipped["models"] == from_file["models"]


def test_record_check_stores_the_frozen_check_in_the_model_file(
    one_series: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "m.json"
    copy.write_text(dataclasses.replace(load_model(6), frozen_checks=()).to_json())
    args = ["evaluate-index", "--prices", str(one_series), "--model", str(copy)]
    result = runner.invoke(app, [*args, "--record-check", "one index", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    stored = CrashModel.from_json(copy.read_text()).frozen_checks
    assert [c["name"] for c in stored] == ["one index"]
    assert stored[0]["n_predictions"] == doc["n_predictions"]
    assert stored[0]["calibration_slope"] == doc["models"]["model"]["calibration_slope"]
    assert doc["recorded"]["model"] == str(copy)
    # Again under the same name: replaced, not added; the table output names the file.
    again = runner.invoke(app, [*args, "--record-check", "one index"])
    assert again.exit_code == 0, again.output
    assert "recorded check 'one index'" in again.output and "By unit" in again.output
    assert len(CrashModel.from_json(copy.read_text()).frozen_checks) == 1


def test_record_check_needs_a_frozen_evaluation(one_series: Path) -> None:
    args = ["evaluate-index", "--prices", str(one_series), "--record-check", "x"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "--record-check needs --model" in result.output


def test_a_missing_model_file_is_named(one_series: Path, tmp_path: Path) -> None:
    args = ["evaluate-index", "--prices", str(one_series), "--model", str(tmp_path / "no.json")]
    result = runner.invoke(app, args)
    assert result.exit_code != 0
    assert "no.json: no such file" in result.output


def test_fit_index_on_french_daily_writes_a_model_with_its_baselines(
    french: Path, tmp_path: Path
) -> None:
    target = tmp_path / "m6.json"
    args = ["fit-index", "--format", "french-daily", "--prices", str(french)]
    result = runner.invoke(app, [*args, "--fit-end", "1966-12", "--out", str(target), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    model = load_model(path=target)
    assert summary["data_hash"] == model.data_hash and model.data_hash.startswith("sha256:")
    assert model.calibration == "none" and (model.platt_a, model.platt_b) == (1.0, 0.0)
    assert "runup_2y_net" not in model.features and "market_drawdown" not in model.features
    assert model.trained_through <= "1966-12-31"
    assert model.baselines is not None and "volatility" in model.baselines
    assert model.reference is not None and len(model.reference["industry_grid"]) == 101


def test_the_hold_out_record_is_the_procedures_fitted_before_the_hold_out(
    french: Path, tmp_path: Path
) -> None:
    """Addendum 2: the live model fits every known row; its hold-out record comes from the
    same procedure fitted on the rows before the hold-out (minus the horizon)."""
    args = ["fit-index", "--format", "french-daily", "--prices", str(french)]
    full, early = tmp_path / "full.json", tmp_path / "early.json"
    hold = ["--holdout-start", "1966-01"]
    assert runner.invoke(app, [*args, *hold, "--out", str(full)]).exit_code == 0
    result = runner.invoke(app, [*args, *hold, "--fit-end", "1965-06", "--out", str(early)])
    assert result.exit_code == 0, result.output
    live, procedure = load_model(path=full), load_model(path=early)
    assert live.trained_through > "1968-01-01" and procedure.trained_through <= "1965-06-30"
    assert live.data_hash != procedure.data_hash
    assert live.holdout is not None and live.holdout == procedure.holdout


def test_fit_index_pooled_calibration_stores_why_it_was_not_fitted(
    french: Path, tmp_path: Path
) -> None:
    # Nine years from 1960: the walk-forward's 9 warm-up years leave no prediction in the
    # development periods, so there is nothing to calibrate on, and the JSON says so.
    target = tmp_path / "m.json"
    args = ["fit-index", "--format", "french-daily", "--prices", str(french), "--out", str(target)]
    result = runner.invoke(app, [*args, "--pooled-calibration", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    model = load_model(path=target)
    assert model.calibration == "none" and (model.platt_a, model.platt_b) == (1.0, 0.0)
    assert summary["calibration_record"] == model.calibration_record
    assert model.calibration_record is not None and model.calibration_record["kept"] is False
