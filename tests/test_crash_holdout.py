"""The hold-out rule that picks the live crash model (docs/index-v2.md), on hand-made
records and on the two shipped models' stored hold-outs."""

from __future__ import annotations

import json

import pytest

from monitor.reading.crash_model import MODEL_DIR, load_model
from signals.crash.holdout import Holdout, Score, choose_live, holdout_from_dict


def _holdout(model: Score, **baselines: Score) -> Holdout:
    return Holdout("2023-01-03", "2026-01-13", 100, 40, model, baselines)


BEST = Score(auc=0.58, brier_skill=0.09)
WEAK = Score(auc=0.70, brier_skill=-0.05)


def test_a_model_beating_the_base_rate_and_its_best_baseline_passes() -> None:
    h = _holdout(Score(0.80, 0.31), gsy_runup=BEST, ma_distance=WEAK)
    assert h.best_baseline == ("gsy_runup", BEST)  # by Brier skill, not by AUC
    assert h.passed and h.verdict() == "beat the base rate and its best baseline"


@pytest.mark.parametrize(
    ("model", "verdict"),
    [
        (Score(0.90, -0.01), "worse than the base rate"),
        (Score(0.90, 0.0), "worse than the base rate"),
        (Score(0.57, 0.30), "did not beat its best baseline"),  # AUC below gsy_runup's
        (Score(0.90, 0.05), "did not beat its best baseline"),  # skill below gsy_runup's
    ],
)
def test_a_model_that_misses_either_condition_fails(model: Score, verdict: str) -> None:
    h = _holdout(model, gsy_runup=BEST, ma_distance=WEAK)
    assert not h.passed and h.verdict() == verdict


def test_the_stored_passed_flag_is_recomputed_not_trusted() -> None:
    stored = _holdout(Score(0.4, -0.2), gsy_runup=BEST).to_dict()
    stored["passed"] = True
    assert not holdout_from_dict(stored).passed


def test_choose_live_prefers_a_passing_model_then_the_higher_skill() -> None:
    good = _holdout(Score(0.8, 0.3), gsy_runup=BEST)
    better = _holdout(Score(0.7, 0.35), gsy_runup=BEST)
    failed = _holdout(Score(0.4, 0.5), gsy_runup=Score(0.9, 0.6))
    assert choose_live({"24m": failed, "6m": good}) == "6m"
    assert choose_live({"a": good, "b": better, "c": failed}) == "b"
    assert choose_live({"24m": failed, "x": None}) == "24m"  # none passes: highest skill


def test_the_shipped_models_store_their_pre_committed_hold_outs() -> None:
    """The figures docs/index-v2.md reports, read from the JSONs `fit-index --holdout-start`
    wrote (hold-out starts pre-registered there: 1996-01 and 2023-01)."""
    long, short = load_model(24).holdout, load_model(6).holdout
    assert long is not None and short is not None
    assert long.start.startswith("1996-01") and short.start.startswith("2023-01")
    assert not long.passed and long.model.brier_skill < 0
    assert short.passed and short.best_baseline is not None
    assert short.best_baseline[0] == "gsy_runup"


def test_the_shipped_json_holds_the_hold_out_in_the_documented_keys() -> None:
    raw = json.loads((MODEL_DIR / "model_6m.json").read_text(encoding="utf-8"))
    assert set(raw["holdout"]) == {
        "start",
        "end",
        "n_predictions",
        "n_events",
        "model",
        "baselines",
        "passed",
    }
