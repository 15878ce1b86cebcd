"""Per-kind label prevalence of the labelled corpus sample (train/tune period only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from signals.classifier.realnews.kinds import (
    inclusion_weights,
    kind_counts,
    kind_prevalence,
    row_kind,
)
from signals.classifier.realnews.labels import LabelRow
from signals.classifier.realnews.sample import title_key


def corpus_prevalence(
    corpus: Sequence[dict[str, str]], train_rows: Sequence[LabelRow]
) -> dict[str, Any]:
    """{"prevalence": kind -> label -> share, "rows": kind -> labelled rows behind it}."""
    sources = {title_key(r["title"]): r.get("source", "") for r in corpus}
    weights = inclusion_weights(corpus)
    return {
        "prevalence": kind_prevalence(train_rows, sources, weights),
        "rows": kind_counts(train_rows, sources),
    }


def row_kinds(corpus: Sequence[dict[str, str]], rows: Sequence[LabelRow]) -> list[str]:
    """The feed kind each labelled row stands for."""
    sources = {title_key(r["title"]): r.get("source", "") for r in corpus}
    return [row_kind(r.collection, sources.get(r.key, "")) for r in rows]
