"""Issue 24's first Done-when on real prices: the shipped short model, frozen, on the AI
file's SPY, RSP, QQQ, SMH, SOXX and basket from 2016 (units it was never fitted on), by the
pre-registered tolerances (docs/preregistration.md). The misses are strict xfails: each
turns into a failure the day the model meets it, so the docs must then be updated.
Skips without ../shared/data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from signals.crash.scoring import mean_within

UNITS = "SPY,RSP,QQQ,SMH,SOXX,basket"


def _frozen(*args: str) -> dict[str, Any]:
    """`evaluate-index --model shipped --json` with `args`: the shipped model, no refit."""
    result = CliRunner().invoke(app, ["evaluate-index", *args, "--model", "shipped", "--json"])
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


@pytest.fixture(scope="module")
def frozen(shared_data: Path) -> dict[str, Any]:
    prices = shared_data / "ai_stocks_daily_adjclose_2015_2026.csv"
    return _frozen("--prices", str(prices), "--units", UNITS, "--start", "2016-01")


def test_the_ranking_within_a_date_holds_on_units_never_fitted(frozen: dict[str, Any]) -> None:
    # What the reading leads with: relative fragility. Pre-registered as reported, not
    # pass/fail; 0.70 is the lowest within-date AUC of any development or hold-out period.
    assert frozen["mode"] == "frozen" and frozen["n_series"] == 6
    assert frozen["models"]["model"]["within_date_auc"] > 0.70


@pytest.mark.xfail(strict=True, reason="issue 24 miss: Brier skill -0.016 on the AI file")
def test_brier_skill_above_zero(frozen: dict[str, Any]) -> None:
    assert frozen["models"]["model"]["brier_skill"] > 0


@pytest.mark.xfail(strict=True, reason="issue 24 miss: calibration slope 0.48 (0.7-1.3)")
def test_calibration_slope_within_tolerance(frozen: dict[str, Any]) -> None:
    assert 0.7 <= frozen["models"]["model"]["calibration_slope"] <= 1.3


@pytest.mark.xfail(strict=True, reason="issue 24 miss: SPY and RSP over-forecast (4 of 6 units)")
def test_every_unit_mean_within_tolerance(frozen: dict[str, Any]) -> None:
    assert all(unit["mean_within_tolerance"] for unit in frozen["by_unit"].values())


def test_the_market_units_read_far_below_v2(frozen: dict[str, Any]) -> None:
    # The complaint: v2 read 34% on SPY and 33% on RSP against 8.1% and 5.2%. Half
    # of v2's level is a stated floor of improvement, not a calibration claim (that misses).
    assert frozen["by_unit"]["SPY"]["mean_probability"] < 0.34 / 2
    assert frozen["by_unit"]["RSP"]["mean_probability"] < 0.33 / 2


@pytest.fixture(scope="module")
def ff49_after(shared_data: Path) -> dict[str, Any]:
    """Addendum 3: French 49 monthly industries 2009-07 .. 2014-06, after every file the
    short model was fitted on."""
    prices = shared_data / "ff49_industry_portfolios_1926_2014.csv"
    return _frozen(
        "--prices", str(prices), "--format", "french49", "--start", "2009-07", "--end", "2014-06"
    )


def test_the_ranking_within_a_date_holds_after_the_fit(ff49_after: dict[str, Any]) -> None:
    assert ff49_after["horizon"] == "6m" and ff49_after["n_series"] == 49
    assert ff49_after["models"]["model"]["within_date_auc"] > 0.70


@pytest.mark.xfail(strict=True, reason="issue 24 miss: 14.8% vs 8.0%, slope 0.53, skill -0.093")
def test_calibrated_on_industries_after_the_fit(ff49_after: dict[str, Any]) -> None:
    model = ff49_after["models"]["model"]
    assert mean_within(model["mean_probability"], model["realized_rate"])
    assert 0.7 <= model["calibration_slope"] <= 1.3 and model["brier_skill"] > 0


def test_the_shipped_episode_table_is_what_its_command_builds(shared_data: Path) -> None:
    """`bubble_evidence` counts and analogs come from signals/crash/episodes_ff49.json; it
    must be what `python -m monitor.research.episode_table` builds from the French file
    with today's reader (it was stale after the market-weight fix once: 48 episodes above
    100% where the fixed weights give 47)."""
    from monitor.reading.v3 import EPISODES
    from monitor.research.episode_table import episode_rows

    shipped = json.loads(EPISODES.read_text(encoding="utf-8"))["episodes"]
    assert episode_rows(shared_data / "ff49_industry_portfolios_1926_2014.csv") == shipped


def test_the_shipped_models_ai_check_is_this_evaluation(frozen: dict[str, Any]) -> None:
    """The record every reading's caution quotes is the frozen evaluation above, stored by
    `evaluate-index --model shipped --record-check "AI stocks and ETFs"`, not hand-written."""
    from monitor.reading.crash_model import load_model
    from signals.crash.frozen_checks import check_record

    stored = {c["name"]: c for c in load_model(6).frozen_checks}
    fresh = check_record("AI stocks and ETFs", "ai_stocks_daily_adjclose_2015_2026.csv", frozen)
    assert stored["AI stocks and ETFs"] == fresh
