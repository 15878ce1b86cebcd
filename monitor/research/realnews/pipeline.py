"""`train --real-news [--finetune]`: rebuild the real-news model from the data.

Steps: join the label file to the corpus; the train/tune titles (before TEST_START) plus
the team's lines are the training set; per-kind prevalence from the labelled sample;
fine-tune one encoder per fold and embed (out-of-fold), then the final encoder (writes the
delta); fit the head on the final vectors with temperature and per-kind thresholds from the
out-of-fold run; write the head. The user's corrections (`label`), when given, are
training data (monitor.research.realnews.corrections). With `frozen=True` the packaged
encoder is used as it is (no fine-tuning): the baseline the fine-tuned model is compared
with. The test period is never read here. The shipped model is the frozen one: it beat the
fine-tuned one on the test (docs/classifier-real-news.md).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from monitor.reading.classifier_files import (
    DEFAULT_HEAD_PATH,
    TRAIN_FILE,
    load_examples,
    save_head,
)
from monitor.reading.finetuned import DELTA_PATH, delta_id
from monitor.reading.minilm import MiniLMEncoder, default_model_path
from monitor.research.realnews import model as real_model
from monitor.research.realnews.corpus import labelled_rows, read_corpus
from monitor.research.realnews.corrections import apply_corrections
from monitor.research.realnews.folds import N_FOLDS, TrainingSet, fold_ids, run_final, run_folds
from monitor.research.realnews.prevalence import corpus_prevalence
from signals.classifier.dataset import LabelledText, data_hash
from signals.classifier.encoder import Embedder
from signals.classifier.head import Head
from signals.classifier.realnews.labels import LabelRow, split
from signals.text import normalise


@dataclass
class BuildReport:
    """What a rebuild did: sizes, times, thresholds (for the CLI's summary)."""

    n_real: int
    n_team: int
    seconds: float = 0.0
    finetune_seconds: list[float] = field(default_factory=list)
    delta_bytes: int = 0
    corrections: int = 0
    prevalence: dict[str, Any] = field(default_factory=dict)
    thresholds_by_kind: dict[str, dict[str, float]] = field(default_factory=dict)


def training_rows(
    corpus: Path, corrections: Sequence[LabelledText] = ()
) -> tuple[list[LabelRow], list[LabelledText]]:
    """The train/tune corpus rows and the team's lines, with the user's corrections folded
    in (monitor.research.realnews.corrections)."""
    train_rows, _ = split(labelled_rows(corpus))
    return apply_corrections(train_rows, load_examples(TRAIN_FILE), corrections)


def training_set(
    corpus: Path, corrections: Sequence[LabelledText] = ()
) -> tuple[TrainingSet, list[LabelledText]]:
    """The train/tune real titles plus the team's lines (and the corrections), normalised,
    and the joined examples."""
    train_rows, team = training_rows(corpus, corrections)
    examples = [LabelledText(r.text, r.label) for r in train_rows] + team
    return (
        TrainingSet(
            [normalise(e.text) for e in examples],
            [e.label for e in examples],
            np.array([True] * len(train_rows) + [False] * len(team)),
        ),
        examples,
    )


def build(
    corpus: Path,
    work: Path,
    *,
    frozen: bool = False,
    head_out: Path = DEFAULT_HEAD_PATH,
    delta_out: Path = DELTA_PATH,
    threads: int = 2,
    corrections: Sequence[LabelledText] = (),
    embedder: Embedder | None = None,
) -> tuple[Head, BuildReport]:
    """Rebuild the model (see the module docstring); `work` keeps the vectors between runs;
    `corrections` (the user's, from `label`) are training data; `embedder` (with `frozen`)
    embeds instead of a plain MiniLMEncoder, e.g. one behind an embedding cache."""
    started = time.perf_counter()
    work.mkdir(parents=True, exist_ok=True)
    training, examples = training_set(corpus, corrections)
    report = BuildReport(int(training.real.sum()), int((~training.real).sum()))
    report.corrections = len(corrections)
    train_rows, _ = training_rows(corpus, corrections)
    report.prevalence = corpus_prevalence(read_corpus(corpus), train_rows)
    if frozen:
        encoder = embedder or MiniLMEncoder(threads=threads)
        vectors = encoder.embed(training.texts).astype(np.float64)
        per_fold, model_id = [vectors] * N_FOLDS, encoder.model_id
    else:
        base = default_model_path()
        report.finetune_seconds = [r.seconds for r in run_folds(training, base, work)]
        final, report.delta_bytes = run_final(training, base, delta_out, work, threads=threads)
        report.finetune_seconds.append(final.seconds)
        per_fold = [_load(work / f"fold_{k}.npz") for k in range(N_FOLDS)]
        vectors, model_id = _load(work / "final.npz"), delta_id(delta_out)
    oof, classes = real_model.oof_logits(per_fold, training, fold_ids(training))
    head = real_model.final_head(
        vectors,
        training,
        oof,
        classes,
        report.prevalence["prevalence"],
        model_id=model_id,
        data_hash=data_hash(examples),
    )
    save_head(head, head_out)
    report.thresholds_by_kind = head.thresholds_by_kind
    report.seconds = time.perf_counter() - started
    (work / "report.json").write_text(json.dumps(report.__dict__, indent=1), encoding="utf-8")
    return head, report


def _load(path: Path) -> np.ndarray:
    return np.asarray(np.load(path)["vectors"], dtype=np.float64)
