"""'What changed' names each crash-model input and says its values in its own unit."""

from __future__ import annotations

from signals.wording import move_sentence


def test_a_run_up_move_is_said_as_returns_not_as_log_values() -> None:
    # Before: "runup 2y fell 1.05 -> 0.96", the log returns the model reads.
    text = move_sentence("runup_2y", 1.05, 0.96, 0.03)
    assert text == "2-year run-up fell +186% → +161%: alone, that raised the probability 3.0 points"


def test_each_input_in_its_unit() -> None:
    assert move_sentence("drawdown", 0.10, 0.13, 0.042).startswith("drawdown rose 10% → 13%")
    assert move_sentence("acceleration", 0.64, 0.61, -0.004).startswith(
        "acceleration fell +64 pts → +61 pts"
    )
    assert move_sentence("volatility", 0.17, 0.2, 0.01).startswith("volatility rose 17% → 20%")


def test_news_components_keep_their_scale() -> None:
    text = move_sentence("layoffs", 40.0, 55.0, None, unfitted=True, index_points=0.6)
    assert text.startswith("layoffs rose 40.0 → 55.0: outside the fitted model")
