"""Fine-tuning all-MiniLM-L6-v2 on labelled headlines with sentence-transformers' trainer.

A SetFit-style contrastive stage: batches grouped by label, BatchAllTripletLoss pulls
headlines of one label together and pushes the others apart, so the frozen-encoder head
downstream gets more separable vectors. The word embeddings (11.7 M of the 22.7 M
parameters) stay frozen, so only the six transformer layers change; `save_delta` stores
just those, in float16 (about 21 MB), and `monitor.reading.finetuned` puts them back
on the packaged base model at load time.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from monitor.reading.finetuned import DELTA_PREFIX
from signals.labels import LABELS

EPOCHS: Final[int] = 1
BATCH_SIZE: Final[int] = 32
LEARNING_RATE: Final[float] = 2e-5
SEED: Final[int] = 22


@dataclass(frozen=True)
class FinetuneReport:
    """What a fine-tuning run did: sizes and wall time."""

    n_texts: int
    steps: int
    seconds: float
    threads: int


def finetune(
    texts: Sequence[str],
    labels: Sequence[str],
    base: Path,
    *,
    epochs: int = EPOCHS,
    threads: int = 2,
    seed: int = SEED,
) -> tuple[Any, FinetuneReport]:
    """A fine-tuned copy of the model in `base` (a SentenceTransformer) and a report."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import torch
    from datasets import Dataset
    from sentence_transformers import (
        SentenceTransformer,
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
    )

    loss_class, samplers = trainer_parts()
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    model: Any = SentenceTransformer(str(base), device="cpu", local_files_only=True)
    for parameter in model[0].auto_model.embeddings.parameters():
        parameter.requires_grad = False
    data = Dataset.from_dict({"sentence": list(texts), "label": [LABELS.index(x) for x in labels]})
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        args = SentenceTransformerTrainingArguments(
            output_dir=scratch,
            num_train_epochs=epochs,
            per_device_train_batch_size=BATCH_SIZE,
            learning_rate=LEARNING_RATE,
            warmup_ratio=0.1,
            seed=seed,
            use_cpu=True,
            report_to=[],
            save_strategy="no",
            logging_strategy="no",
            disable_tqdm=True,
            batch_sampler=samplers.GROUP_BY_LABEL,
        )
        trainer = SentenceTransformerTrainer(
            model=model, args=args, train_dataset=data, loss=loss_class(model)
        )
        result = trainer.train()
    model.eval()
    report = FinetuneReport(
        len(texts), int(result.global_step), time.perf_counter() - started, threads
    )
    return model, report


def trainer_parts() -> tuple[Any, Any]:
    """(BatchAllTripletLoss, BatchSamplers) from where the installed sentence-transformers
    keeps them: v5.4 moved them under `sentence_transformer` (the old paths still import,
    with a DeprecationWarning); pyproject allows versions from 3.0, which have only the old
    ones."""
    import importlib

    try:
        losses = importlib.import_module("sentence_transformers.sentence_transformer.losses")
        sampler = importlib.import_module("sentence_transformers.base.sampler")
    except ImportError:  # sentence-transformers < 5.4
        losses = importlib.import_module("sentence_transformers.losses")
        sampler = importlib.import_module("sentence_transformers.training_args")
    return losses.BatchAllTripletLoss, sampler.BatchSamplers


def save_delta(model: Any, path: Path) -> int:
    """Write the changed layers (transformer encoder) in float16; returns the file size."""
    from safetensors.torch import save_file

    state = model[0].auto_model.state_dict()
    delta = {
        k: v.detach().to("cpu").half().contiguous()
        for k, v in state.items()
        if k.startswith(DELTA_PREFIX)
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(delta, str(path), metadata={"format": "minilm-encoder-delta-fp16"})
    return path.stat().st_size
