"""Fine-tuning runs behind the real-news model: out-of-fold encoders and the final one.

The head's abstention thresholds must be calibrated on probabilities of titles that the
model never trained on. A fine-tuned encoder has seen its training labels, so the
out-of-fold probabilities need one fine-tune per fold: the real train/tune titles are split
in N_FOLDS stratified folds, each fold's encoder is fine-tuned on the team's lines plus the
other folds, and every training text is embedded with it. The final encoder is fine-tuned
on all of them. Vectors are kept in `work` (npz) so the head can be refitted without
re-running the fine-tunes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from monitor.research.realnews.finetune import FinetuneReport, finetune, save_delta

N_FOLDS: Final[int] = 2
SEED: Final[int] = 22


@dataclass(frozen=True)
class TrainingSet:
    """Texts (normalised) and labels; `real` marks the corpus titles (the rest: team lines)."""

    texts: list[str]
    labels: list[str]
    real: npt.NDArray[np.bool_]


def fold_ids(training: TrainingSet, n_folds: int = N_FOLDS, seed: int = SEED) -> np.ndarray:
    """Fold of each real title (stratified by label); -1 for the team's lines."""
    from sklearn.model_selection import StratifiedKFold

    folds = np.full(len(training.texts), -1)
    real = np.flatnonzero(training.real)
    y = np.asarray(training.labels)[real]
    splitter = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    for k, (_, held) in enumerate(splitter.split(real, y)):
        folds[real[held]] = k
    return folds


def run_folds(
    training: TrainingSet, base: Path, work: Path, *, epochs: int = 1, threads: int = 2
) -> list[FinetuneReport]:
    """Fine-tune one encoder per fold and save every text's vectors under it (fold_K.npz)."""
    folds = fold_ids(training)
    reports = []
    for k in range(int(folds.max()) + 1):
        target = work / f"fold_{k}.npz"
        if target.exists():
            continue
        keep = folds != k
        model, report = finetune(
            _pick(training.texts, keep),
            _pick(training.labels, keep),
            base,
            epochs=epochs,
            threads=threads,
        )
        np.savez_compressed(target, vectors=_embed(model, training.texts), folds=folds)
        reports.append(report)
    return reports


def run_final(
    training: TrainingSet,
    base: Path,
    delta: Path,
    work: Path,
    *,
    epochs: int = 1,
    threads: int = 2,
) -> tuple[FinetuneReport, int]:
    """Fine-tune on everything, write the shipped delta, save the texts' vectors (final.npz).

    A `work` folder that already holds final.npz next to an existing delta is reused (the
    fine-tune is not redone); empty the folder to redo it.
    """
    if (work / "final.npz").exists() and delta.exists():
        return FinetuneReport(len(training.texts), 0, 0.0, threads), delta.stat().st_size
    model, report = finetune(training.texts, training.labels, base, epochs=epochs, threads=threads)
    size = save_delta(model, delta)
    np.savez_compressed(work / "final.npz", vectors=_embed(model, training.texts))
    return report, size


def _pick(items: Sequence[str], mask: np.ndarray) -> list[str]:
    return [x for x, keep in zip(items, mask, strict=True) if keep]


def _embed(model: Any, texts: Sequence[str]) -> np.ndarray:
    vectors = model.encode(
        list(texts),
        batch_size=64,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.asarray(vectors, dtype=np.float32)
