"""A model's pre-committed hold-out, as stored in its JSON, and the rule that picks the live
model from them (docs/index-v2.md, "Which model the live reading uses").

A hold-out is the walk-forward result of the model's fitting procedure over predictions
dated from a start fixed before any run: the model's scores and each baseline's. It passes
when its Brier skill is above 0 (better than the base rate) and it beats its best baseline
(the one with the highest Brier skill) on both AUC and Brier skill.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: The baselines a model must beat (base_rate is the Brier skill's own reference).
BASELINES = ("gsy_runup", "ma_distance", "psy", "v1_index")


@dataclass(frozen=True)
class Score:
    auc: float
    brier_skill: float


@dataclass(frozen=True)
class Holdout:
    """Out-of-sample scores over the predictions dated in [start, end]."""

    start: str
    end: str
    n_predictions: int
    n_events: int
    model: Score
    baselines: Mapping[str, Score]

    @property
    def best_baseline(self) -> tuple[str, Score] | None:
        if not self.baselines:
            return None
        return max(self.baselines.items(), key=lambda kv: (kv[1].brier_skill, kv[1].auc))

    @property
    def passed(self) -> bool:
        if self.model.brier_skill <= 0:
            return False
        best = self.best_baseline
        if best is None:
            return True
        return self.model.auc > best[1].auc and self.model.brier_skill > best[1].brier_skill

    def summary(self) -> str:
        """E.g. "2023-01-03 .. 2026-01-13: AUC 0.806, Brier skill +0.314; best baseline
        gsy_runup: AUC 0.577, Brier skill +0.091"."""
        text = (
            f"{self.start} .. {self.end}: AUC {self.model.auc:.3f}, "
            f"Brier skill {self.model.brier_skill:+.3f}"
        )
        best = self.best_baseline
        if best is not None:
            name, score = best
            text += (
                f"; best baseline {name}: AUC {score.auc:.3f}, Brier skill {score.brier_skill:+.3f}"
            )
        return text

    def verdict(self) -> str:
        """Why it passed or not, in words."""
        if self.passed:
            return "beat the base rate and its best baseline"
        if self.model.brier_skill <= 0:
            return "worse than the base rate"
        return "did not beat its best baseline"

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "n_predictions": self.n_predictions,
            "n_events": self.n_events,
            "model": _score_dict(self.model),
            "baselines": {k: _score_dict(v) for k, v in self.baselines.items()},
            "passed": self.passed,
        }


def _score_dict(score: Score) -> dict[str, float]:
    return {"auc": score.auc, "brier_skill": score.brier_skill}


def _score(raw: Mapping[str, Any]) -> Score | None:
    auc, skill = raw.get("auc"), raw.get("brier_skill")
    if auc is None or skill is None:
        return None
    return Score(float(auc), float(skill))


def holdout_from_report(doc: Mapping[str, Any]) -> Holdout:
    """The hold-out record of an `evaluate-index` document (already cut to the hold-out)."""
    models = doc["models"]
    model = _score(models["model"])
    if model is None or not doc["n_predictions"]:
        raise ValueError("the hold-out has no scored predictions (one class only, or none)")
    baselines = {n: s for n in BASELINES if n in models and (s := _score(models[n])) is not None}
    return Holdout(
        start=str(doc["first_prediction"]),
        end=str(doc["last_prediction"]),
        n_predictions=int(doc["n_predictions"]),
        n_events=int(doc["n_events"]),
        model=model,
        baselines=baselines,
    )


def holdout_from_dict(raw: Mapping[str, Any]) -> Holdout:
    """The stored form back (the stored `passed` is recomputed, never trusted)."""
    model = _score(raw["model"])
    if model is None:
        raise ValueError("holdout.model needs auc and brier_skill")
    baselines = {n: s for n, v in raw.get("baselines", {}).items() if (s := _score(v))}
    return Holdout(
        start=str(raw["start"]),
        end=str(raw["end"]),
        n_predictions=int(raw["n_predictions"]),
        n_events=int(raw["n_events"]),
        model=model,
        baselines=baselines,
    )


def choose_live(holdouts: Mapping[str, Holdout | None]) -> str:
    """The live default among named models: one that passed its hold-out (the highest Brier
    skill if several did); if none did, the highest Brier skill all the same."""
    if not holdouts:
        raise ValueError("no model to choose from")

    def rank(name: str) -> tuple[bool, float, str]:
        h = holdouts[name]
        if h is None:
            return (False, float("-inf"), name)
        return (h.passed, h.model.brier_skill, name)

    return max(holdouts, key=rank)
