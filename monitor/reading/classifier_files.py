"""The classifier's files: the shipped head (head.json), the labelled headlines, loading.

signals/classifier/ keeps the files (they ship with it) and the pure codecs
(`head_from_json`, `parse_examples`); reading and writing them happens here, in monitor/.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Final

import signals.classifier
from monitor.errors import not_utf8
from monitor.reading.minilm import MiniLMEncoder
from monitor.reading.model_files import read_model_text, write_atomic
from signals.classifier.classifier import (
    FINETUNED_MARK,
    HeadlineClassifier,
    ModelMismatchWarning,
)
from signals.classifier.dataset import LabelledText, parse_examples
from signals.classifier.encoder import DIM, MODEL_NAME, Embedder
from signals.classifier.head import Head, head_from_json, head_to_json

CLASSIFIER_DIR: Final[Path] = Path(signals.classifier.__file__).resolve().parent
DEFAULT_HEAD_PATH: Final[Path] = CLASSIFIER_DIR / "head.json"
DATA_DIR: Final[Path] = CLASSIFIER_DIR / "data"
TRAIN_FILE: Final[Path] = DATA_DIR / "train.jsonl"
HELDOUT_FILE: Final[Path] = DATA_DIR / "heldout.jsonl"


def load_examples(path: Path) -> list[LabelledText]:
    """Read a JSONL (`{"text", "label"}` per line; `title` accepted for text) or CSV file."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ValueError(f"cannot read labelled headlines {path}: {e}") from e
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:  # named by its line: Python's message gives a byte offset
        raise ValueError(f"labelled headlines {not_utf8(data, e, path)}") from e
    return parse_examples(raw, path)


def save_head(head: Head, path: Path) -> None:
    """Write the head as JSON; atomically via a temp file."""
    write_atomic(path, head_to_json(head))


def load_head(path: Path = DEFAULT_HEAD_PATH) -> Head:
    """Read a head written by `save_head`; ValueError naming the file when it is not one."""
    return head_from_json(read_model_text(path, "classifier head"), str(path))


def load_classifier(
    head_path: Path | None = None, *, embedder: Embedder | None = None
) -> HeadlineClassifier:
    """The shipped (or given) head with the encoder it was trained on (loaded on first use).

    Warns with ModelMismatchWarning when the head was trained on another model's embeddings.
    """
    head = load_head(head_path or DEFAULT_HEAD_PATH)
    encoder = embedder if embedder is not None else encoder_for(head, head_path)
    mismatch = model_mismatch(head, encoder, head_path or DEFAULT_HEAD_PATH)
    if mismatch:
        warnings.warn(mismatch, ModelMismatchWarning, stacklevel=2)
    return HeadlineClassifier(head, encoder)


def model_mismatch(head: Head, encoder: Embedder, head_path: Path) -> str | None:
    """Why the head does not fit the encoder's embeddings, or None when it does."""
    if head.model_id == encoder.model_id:
        return None
    return (
        f"classifier head {head_path} was trained on embeddings of {head.model_id!r} but the "
        f"loaded model is {encoder.model_id!r}; its labels are unreliable until it is "
        "retrained on this model (`bubble-monitor train --real-news CORPUS` rebuilds the "
        "shipped one)"
    )


def encoder_for(head: Head, head_path: Path | None = None) -> Embedder:
    """The encoder a head was trained on: the plain one, or for `+ft-` ids the fine-tuned
    one whose delta lies beside the head file (`head_path`, default the package's head);
    ValueError naming the delta when it is missing, unreadable or from another run, or the
    head when its coefficients are not for this encoder's embeddings."""
    if head.vector_width != DIM:
        raise ValueError(
            f"classifier head {head_path or DEFAULT_HEAD_PATH} has coefficients for "
            f"{head.vector_width}-dimensional embeddings, but {MODEL_NAME} gives {DIM}: "
            "the file is damaged or from another model; retrain it"
        )
    if FINETUNED_MARK in head.model_id:
        from monitor.reading.finetuned import finetuned_encoder_for

        return finetuned_encoder_for(head.model_id, head_path or DEFAULT_HEAD_PATH)
    return MiniLMEncoder()
