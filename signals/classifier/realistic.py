"""Scores at real prevalence: labelled positives mixed with background at a feed mix's rates.

A labelled set holds each label in roughly equal measure; a feed is mostly `other`. Instead
of sampling a mixed set, each true label's row of the confusion matrix is measured on the
set that represents it (bubble labels on the labelled positives, `other` on the background
set) and weighted by the label's prevalence: the expected confusion of an endless stream of
the feed mix. From it come each label's precision and recall, the false-positive rate on
`other`, and false stories per day for the mix's volume.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from signals.labels import LABELS


@dataclass(frozen=True)
class LabelAtPrevalence:
    prevalence: float
    precision: float
    recall: float
    #: Share of true `other` titles given this label (measured on the background set).
    fp_rate_on_other: float
    #: Expected titles per day wrongly given this label (from any true label).
    false_per_day: float
    true_per_day: float


@dataclass(frozen=True)
class PrevalenceReport:
    per_label: dict[str, LabelAtPrevalence]
    fp_rate_on_other: float
    n_positives: int
    n_background: int
    titles_per_day: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "titles_per_day": round(self.titles_per_day, 3),
            "n_positives": self.n_positives,
            "n_background": self.n_background,
            "fp_rate_on_other": round(self.fp_rate_on_other, 4),
            "per_label": {
                label: {k: round(v, 4) for k, v in vars(s).items()}
                for label, s in self.per_label.items()
            },
        }


def confusion_rates(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, dict[str, float]]:
    """For each true label present: the share of its titles given each label."""
    out: dict[str, dict[str, float]] = {}
    for label in sorted(set(truth)):
        picked = [p for t, p in zip(truth, predicted, strict=True) if t == label]
        out[label] = {p: picked.count(p) / len(picked) for p in LABELS}
    return out


def at_prevalence(
    positives: tuple[Sequence[str], Sequence[str]],
    background: tuple[Sequence[str], Sequence[str]],
    prevalence: Mapping[str, float],
    titles_per_day: float,
) -> PrevalenceReport:
    """Per-label figures for a stream with `prevalence`; each set is (truth, predicted).

    Rows of bubble labels come from `positives`; the `other` row from `background`.
    """
    rows = {k: v for k, v in confusion_rates(*positives).items() if k != "other"}
    background_rows = confusion_rates(*background)
    if "other" not in background_rows:
        raise ValueError("the background set has no title labelled other")
    rows["other"] = background_rows["other"]
    per_label = {
        label: _label_figures(label, rows, prevalence, titles_per_day)
        for label in LABELS
        if label != "other"
    }
    n_other = sum(t == "other" for t in background[0])
    return PrevalenceReport(
        per_label=per_label,
        fp_rate_on_other=1.0 - rows["other"]["other"],
        n_positives=sum(t != "other" for t in positives[0]),
        n_background=n_other,
        titles_per_day=titles_per_day,
    )


def _label_figures(
    label: str,
    rows: Mapping[str, Mapping[str, float]],
    prevalence: Mapping[str, float],
    titles_per_day: float,
) -> LabelAtPrevalence:
    recall = rows[label][label] if label in rows else 0.0
    true_share = prevalence.get(label, 0.0) * recall
    false_share = sum(
        prevalence.get(k, 0.0) * row.get(label, 0.0) for k, row in rows.items() if k != label
    )
    fires = true_share + false_share
    return LabelAtPrevalence(
        prevalence=prevalence.get(label, 0.0),
        precision=true_share / fires if fires else 0.0,
        recall=recall,
        fp_rate_on_other=rows["other"].get(label, 0.0),
        false_per_day=false_share * titles_per_day,
        true_per_day=true_share * titles_per_day,
    )
