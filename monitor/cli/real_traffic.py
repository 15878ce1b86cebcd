"""The real-traffic part of `bubble-monitor evaluate`: background sets and corrections.

`--background FILE` (labelled JSONL or CSV, mostly `other`) adds, per file, the
false-positive rate on `other` and the titles wrongly labelled, and for all of them
together the scores at the default feed mix's prevalence (signals.classifier.realistic).
Titles with a stored correction (`bubble-monitor label`) are dropped from every
evaluation set first, because `train --with-corrections` may have learnt them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from monitor.config import paths
from monitor.errors import InputError
from signals.classifier.abstain import decide_rows
from signals.classifier.dataset import LabelledText
from signals.classifier.encoder import Embedder
from signals.classifier.evaluate import Embedded, embed_examples, label_proba
from signals.classifier.head import Head
from signals.classifier.prevalence import DEFAULT_FEEDS, prevalence, titles_per_day
from signals.classifier.realistic import at_prevalence


def correction_keys(db: str | Path | None) -> set[str]:
    """Keys of the stored corrections; none when no database is named and the default
    one does not exist yet (evaluating should not create a database)."""
    from monitor.cli.common import open_store
    from monitor.store.corrections import correction_keys as stored_keys

    named = db is not None or bool(os.environ.get(paths.DB_ENV))
    default = paths.db_path(None)
    if not named and isinstance(default, Path) and not default.exists():
        return set()
    with open_store(db) as store:
        return stored_keys(store)


def without_corrected(
    examples: Sequence[LabelledText], excluded: set[str]
) -> tuple[list[LabelledText], int]:
    """The examples without the corrected ones, and how many were dropped."""
    from monitor.store.corrections import correction_key

    kept = [e for e in examples if correction_key(e.text) not in excluded]
    return kept, len(examples) - len(kept)


def load_background(path: Path, excluded: set[str]) -> tuple[list[LabelledText], int]:
    from monitor.reading.classifier_files import load_examples

    try:
        examples = load_examples(path)
    except ValueError as e:
        raise InputError(str(e)) from e
    if not any(e.label == "other" for e in examples):
        raise InputError(f"{path}: a background set needs titles labelled other")
    return without_corrected(examples, excluded)


Background = tuple[Path, list[LabelledText], int]


def load_backgrounds(paths: Sequence[Path], excluded: set[str]) -> list[Background]:
    """Each file with its examples (corrected ones dropped) and the number dropped."""
    return [(path, *load_background(path, excluded)) for path in paths]


def real_traffic(
    head: Head, embedder: Embedder, heldout: Embedded | None, backgrounds: Sequence[Background]
) -> dict[str, Any]:
    """Per background file and at the feed mix's prevalence (heldout bubble labels + files)."""
    truth: list[str] = []
    predicted: list[str] = []
    files = []
    for path, examples, dropped in backgrounds:
        data = embed_examples(examples, embedder, head.params)
        labels = decide_rows(label_proba(head, data.vectors, data.prepared), head.thresholds)
        truth += data.labels
        predicted += labels
        files.append(_file_section(path, data, labels, dropped))
    positives = _positives(head, heldout) if heldout is not None else ([], [])
    positives = (positives[0] + truth, positives[1] + predicted)
    mix = prevalence(DEFAULT_FEEDS)
    volume = sum(titles_per_day(DEFAULT_FEEDS).values())
    report = at_prevalence(positives, (truth, predicted), mix, volume)
    return {
        "files": files,
        "feeds": [f.name for f in DEFAULT_FEEDS],
        "prevalence": {k: round(v, 4) for k, v in mix.items()},
        **report.to_dict(),
    }


def _positives(head: Head, heldout: Embedded) -> tuple[list[str], list[str]]:
    labels = decide_rows(label_proba(head, heldout.vectors, heldout.prepared), head.thresholds)
    return list(heldout.labels), labels


def _file_section(path: Path, data: Embedded, predicted: list[str], dropped: int) -> dict[str, Any]:
    pairs = list(zip(data.texts, data.labels, predicted, strict=True))
    on_other = [p for _, t, p in pairs if t == "other"]
    wrong = [{"text": x, "label": t, "predicted": p} for x, t, p in pairs if t != p]
    return {
        "path": str(path),
        "n": len(pairs),
        "n_other": len(on_other),
        "dropped_corrected": dropped,
        "fp_rate_on_other": round(sum(p != "other" for p in on_other) / len(on_other), 4),
        "accuracy": round(sum(t == p for _, t, p in pairs) / len(pairs), 4) if pairs else 0.0,
        "errors": wrong,
    }
