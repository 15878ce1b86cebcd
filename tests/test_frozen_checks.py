"""A frozen check stored with the model (signals.crash.frozen_checks): what it records, when
it counts as calibrated, and the caution a reading then carries. The stored check on the
real AI file is compared with a fresh evaluation in tests/test_index_v3_validation.py."""

from __future__ import annotations

import dataclasses
from typing import Any

from monitor.reading.crash_model import load_model
from signals.basket import caution
from signals.crash.frozen_checks import check_caution, check_record, with_check


def frozen_doc(slope: float = 1.0, skill: float = 0.05, within: bool = True) -> dict[str, Any]:
    deciles = [(0.05, 0.04, 100), (0.2, 0.25, 100), (0.6, 0.3, 100)]
    return {
        "mode": "frozen",
        "first_prediction": "2016-01-05",
        "last_prediction": "2026-01-13",
        "n_predictions": 300,
        "n_events": 59,
        "models": {
            "model": {
                "mean_probability": 0.283,
                "realized_rate": 0.197,
                "calibration_slope": slope,
                "brier_skill": skill,
                "within_date_auc": 0.91,
            }
        },
        "by_unit": {
            "SPY": {"mean_within_tolerance": within},
            "SMH": {"mean_within_tolerance": True},
        },
        "calibration": [
            {"decile": i + 1, "n": n, "mean_probability": p, "observed_rate": o}
            for i, (p, o, n) in enumerate(deciles)
        ],
    }


def test_a_check_is_calibrated_only_by_every_pre_registered_tolerance() -> None:
    assert check_record("AI", "ai.csv", frozen_doc())["calibrated"] is True
    # Each tolerance alone fails it: a unit's mean, the slope either side, the skill.
    assert check_record("AI", "ai.csv", frozen_doc(within=False))["calibrated"] is False
    assert check_record("AI", "ai.csv", frozen_doc(slope=0.48))["calibrated"] is False
    assert check_record("AI", "ai.csv", frozen_doc(slope=1.4))["calibrated"] is False
    assert check_record("AI", "ai.csv", frozen_doc(skill=-0.016))["calibrated"] is False
    record = check_record("AI", "ai.csv", frozen_doc(within=False))
    assert record["units"] == ["SMH", "SPY"] and record["units_within_tolerance"] == [1, 2]
    assert record["deciles"][2] == [0.6, 0.3, 100]
    assert (record["start"], record["end"]) == ("2016-01-05", "2026-01-13")


def test_recording_a_check_again_replaces_it_by_name() -> None:
    first = check_record("AI", "ai.csv", frozen_doc(slope=0.4))
    other = check_record("French", "ff.csv", frozen_doc())
    again = check_record("AI", "ai.csv", frozen_doc(slope=0.9))
    checks = with_check(with_check(with_check((), first), other), again)
    assert [(c["name"], c["calibration_slope"]) for c in checks] == [("French", 1.0), ("AI", 0.9)]


def test_the_caution_reads_the_rate_of_the_nearest_decile() -> None:
    checks = [check_record("AI stocks", "ai.csv", frozen_doc(slope=0.48))]
    target = "20% drawdown within 6 months"
    high = check_caution(checks, 0.69, target)
    assert high is not None
    assert high == (
        "on AI stocks 2016-2026, never fitted, readings near 60% were followed by a 20% "
        "drawdown within 6 months 30% of the time"
    )
    assert "readings near 20% were followed by a 20% drawdown within 6 months 25%" in str(
        check_caution(checks, 0.17, target)
    )
    # Without a probability (doctor, backtest) it says the check's overall level.
    overall = str(check_caution(checks, None, target))
    assert "averaged 28% against 20% realised (calibration slope 0.48, 1 is" in overall
    calibrated = [check_record("AI stocks", "ai.csv", frozen_doc())]
    assert check_caution(calibrated, 0.69, target) is None


def test_a_failed_hold_out_comes_before_any_frozen_check() -> None:
    model = load_model(24)
    assert model.holdout is not None and not model.holdout.passed
    checks = (check_record("AI", "ai.csv", frozen_doc(slope=0.3)),)
    text = caution(dataclasses.replace(model, frozen_checks=checks), 0.5)
    assert text is not None and "failed its pre-committed hold-out" in text
    assert "never fitted" not in text


def test_the_checks_survive_the_model_json() -> None:
    model = dataclasses.replace(
        load_model(6), frozen_checks=(check_record("AI", "ai.csv", frozen_doc()),)
    )
    again = type(model).from_json(model.to_json())
    assert again.frozen_checks == model.frozen_checks
    assert again == model
