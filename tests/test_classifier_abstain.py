"""Abstention, feed-mix prevalence and scores at real prevalence, on hand-computed cases."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from monitor.reading.classifier_files import load_head, save_head
from signals.classifier.abstain import GRID, calibrate, decide, decide_rows
from signals.classifier.head import Head
from signals.classifier.prevalence import FeedSample, prevalence, titles_per_day
from signals.classifier.realistic import at_prevalence
from signals.labels import LABELS


def _scores(**given: float) -> dict[str, float]:
    rest = (1.0 - sum(given.values())) / (len(LABELS) - len(given))
    return {label: given.get(label, rest) for label in LABELS}


def test_a_bubble_label_below_its_threshold_becomes_other() -> None:
    scores = _scores(layoffs=0.7)
    assert decide(scores, {"layoffs": 0.8}) == "other"
    assert decide(scores, {"layoffs": 0.7}) == "layoffs"
    assert decide(scores, {}) == "layoffs"


def test_abstention_never_promotes_a_label_over_the_argmax() -> None:
    scores = _scores(other=0.6, layoffs=0.3)
    assert decide(scores, {"layoffs": 0.1}) == "other"
    rows = np.array([[scores[label] for label in LABELS]])
    assert decide_rows(rows, {"layoffs": 0.1}) == ["other"]


def _onehot(label: str, p: float) -> list[float]:
    rest = (1.0 - p) / (len(LABELS) - 1)
    return [p if x == label else rest for x in LABELS]


def test_calibration_raises_the_threshold_of_a_label_that_leaks_from_other() -> None:
    # 100 true layoffs at p=0.95; 100 true other: 20 read as layoffs at p=0.6, 80 as other.
    rows = [_onehot("layoffs", 0.95)] * 100
    rows += [_onehot("layoffs", 0.6)] * 20 + [_onehot("other", 0.9)] * 80
    truth = ["layoffs"] * 100 + ["other"] * 100
    proba = np.array(rows)
    mix = {"layoffs": 0.05, "other": 0.95}
    thresholds = calibrate(proba, truth, mix, target=0.8)
    # Below 0.6 the leaks fire: precision = .05 / (.05 + .95 * .2) = 0.21; above, only the
    # prior half-leak is left: .05 / (.05 + .95 * .5 / 101) = 0.91.
    assert thresholds == {"layoffs": 0.61}
    assert calibrate(proba, truth, {"layoffs": 0.5, "other": 0.5}, target=0.8) == {
        "layoffs": GRID[0]
    }


def test_an_unreachable_target_takes_the_threshold_of_the_best_precision() -> None:
    proba = np.array([_onehot("layoffs", 0.95)] * 10 + [_onehot("layoffs", 0.95)] * 10)
    truth = ["layoffs"] * 10 + ["other"] * 10
    thresholds = calibrate(proba, truth, {"layoffs": 0.01, "other": 0.99}, target=0.8)
    assert thresholds["layoffs"] in GRID


def test_prevalence_weights_feeds_by_volume_and_gives_unseen_labels_half_a_title() -> None:
    feeds = (
        FeedSample("a", 10.0, {"other": 8, "layoffs": 2}),
        FeedSample("b", 30.0, {"other": 10}),
    )
    rates = titles_per_day(feeds)
    assert rates["layoffs"] == pytest.approx(2.0)
    assert rates["other"] == pytest.approx(8.0 + 30.0)
    # unseen: 40 titles/day * 0.5 / 20 labelled titles = 1 per day
    assert rates["bubble_warning"] == pytest.approx(1.0)
    shares = prevalence(feeds)
    assert sum(shares.values()) == pytest.approx(1.0)
    assert shares["layoffs"] == pytest.approx(2.0 / (40.0 + 5.0))


def test_default_mix_is_mostly_other() -> None:
    shares = prevalence()
    assert 0.75 < shares["other"] < 0.95
    assert all(shares[label] > 0 for label in LABELS)


def test_scores_at_prevalence_on_a_hand_computed_case() -> None:
    positives = (["layoffs"] * 4 + ["ai_demand"] * 2, ["layoffs"] * 3 + ["other"] + ["layoffs"] * 2)
    background = (["other"] * 10, ["layoffs"] + ["other"] * 9)
    mix = {"layoffs": 0.1, "ai_demand": 0.1, "other": 0.8}
    report = at_prevalence(positives, background, mix, titles_per_day=100.0)
    layoffs = report.per_label["layoffs"]
    # true: .1 * .75 = .075; false: ai_demand .1 * 1.0 + other .8 * .1 = .18
    assert layoffs.recall == pytest.approx(0.75)
    assert layoffs.precision == pytest.approx(0.075 / 0.255)
    assert layoffs.fp_rate_on_other == pytest.approx(0.1)
    assert layoffs.false_per_day == pytest.approx(18.0)
    assert report.per_label["ai_demand"].recall == 0.0
    assert report.fp_rate_on_other == pytest.approx(0.1)
    assert report.n_background == 10 and report.n_positives == 6


def test_a_background_without_other_is_refused() -> None:
    with pytest.raises(ValueError, match="no title labelled other"):
        at_prevalence((["layoffs"], ["layoffs"]), (["layoffs"], ["layoffs"]), {}, 1.0)


def test_thresholds_survive_a_round_trip_and_bad_ones_are_named(tmp_path: Path) -> None:
    head = load_head()
    path = tmp_path / "head.json"
    save_head(head, path)
    assert load_head(path).thresholds == head.thresholds
    raw = json.loads(path.read_text())
    raw["thresholds"] = {"layoffs": 1.5}
    path.write_text(json.dumps(raw))
    with pytest.raises(ValueError, match=f"classifier head {path} is malformed.*layoffs"):
        load_head(path)


def test_shipped_head_has_a_threshold_for_every_bubble_label() -> None:
    head: Head = load_head()
    assert set(head.thresholds) == set(LABELS) - {"other"}
    assert head.params.target_precision == 0.8
    assert all(GRID[0] <= t <= GRID[-1] for t in head.thresholds.values())


def test_stacked_repeats_of_the_same_run_calibrate_like_one_run() -> None:
    rows = [_onehot("layoffs", 0.95)] * 100
    rows += [_onehot("layoffs", 0.6)] * 20 + [_onehot("other", 0.9)] * 80
    truth = ["layoffs"] * 100 + ["other"] * 100
    proba = np.array(rows)
    mix = {"layoffs": 0.05, "other": 0.95}
    once = calibrate(proba, truth, mix, target=0.8)
    thrice = calibrate(np.vstack([proba] * 3), truth * 3, mix, target=0.8, repeats=3)
    assert once == thrice == {"layoffs": 0.61}


def test_a_threshold_never_costs_more_than_half_the_recall() -> None:
    # 40% of layoffs at p=0.95, 60% at p=0.7; other leaks at p=0.8: the precision target
    # needs t > 0.8, which keeps only 40% of the layoffs, so the floor wins: t = 0.7.
    rows = [_onehot("layoffs", 0.95)] * 40 + [_onehot("layoffs", 0.7)] * 60
    rows += [_onehot("layoffs", 0.8)] * 30 + [_onehot("other", 0.9)] * 70
    truth = ["layoffs"] * 100 + ["other"] * 100
    thresholds = calibrate(np.array(rows), truth, {"layoffs": 0.05, "other": 0.95}, 0.8)
    assert thresholds == {"layoffs": 0.7}


def test_real_other_titles_replace_the_training_others_in_the_leak_from_other() -> None:
    # The training others are hard negatives: 20 of 100 read as layoffs at p=0.6. Real
    # traffic (400 titles) leaks none, so with it the threshold can fall to the grid floor;
    # real titles that do leak at p=0.7 push it above them.
    rows = [_onehot("layoffs", 0.95)] * 100
    rows += [_onehot("layoffs", 0.6)] * 20 + [_onehot("other", 0.9)] * 80
    truth = ["layoffs"] * 100 + ["other"] * 100
    proba = np.array(rows)
    mix = {"layoffs": 0.05, "other": 0.95}
    assert calibrate(proba, truth, mix, target=0.8) == {"layoffs": 0.61}
    quiet = np.array([_onehot("other", 0.9)] * 400)
    assert calibrate(proba, truth, mix, target=0.8, negatives=quiet) == {"layoffs": GRID[0]}
    leaky = np.array([_onehot("other", 0.9)] * 380 + [_onehot("layoffs", 0.7)] * 20)
    assert calibrate(proba, truth, mix, target=0.8, negatives=leaky) == {"layoffs": 0.71}
