"""The deal pair model's files: the shipped head (signals/deals/pair_head.json) and the
encoder it was fitted on (the packaged all-MiniLM-L6-v2, offline, shared with the rest of
the process through monitor.reading.minilm).

`load_pair_model` never fails: a missing or bad head, or a head fitted on another
encoder, gives None with a named PairModelWarning, and extraction then reads deals by
the rules alone (monitor.reading.deals_extract).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np

import signals.deals
from monitor.reading.minilm import default_model_id, default_model_path, shared_model
from monitor.reading.model_files import read_model_text, write_atomic
from signals.classifier.encoder import BATCH_SIZE, DIM, Vectors
from signals.deals.pairmodel import PairHead, head_from_json, head_to_json
from signals.deals.pairs import MARKS, MarkEncoder

log = logging.getLogger(__name__)

DEFAULT_PAIR_HEAD: Final[Path] = Path(signals.deals.__file__).resolve().parent / "pair_head.json"


class PairModelWarning(UserWarning):
    """The pair model could not be used: deals are read by the rules alone."""


@dataclass(frozen=True)
class PairModel:
    head: PairHead
    encoder: MarkEncoder


class MiniLMMarkEncoder:
    """`MarkEncoder` on the packaged all-MiniLM-L6-v2 (loaded on first use, once per
    process): one forward pass per text gives the contextual embedding of every mark's
    word piece."""

    def __init__(self, model_path: Path | None = None, *, threads: int | None = None) -> None:
        self._path = model_path
        self._threads = threads
        self.model_id = default_model_id()

    def encode_marks(self, texts: Sequence[str]) -> Vectors:
        marks = np.zeros((len(texts), len(MARKS), DIM), dtype=np.float32)
        if not texts:
            return marks
        model = shared_model(self._path or default_model_path(), self._threads)
        piece = [model.tokenizer.convert_tokens_to_ids(m.lower()) for m in MARKS]
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # less padding
        for start in range(0, len(order), BATCH_SIZE):
            rows = order[start : start + BATCH_SIZE]
            outputs = model.encode([texts[i] for i in rows], output_value=None,
                                   batch_size=BATCH_SIZE, show_progress_bar=False)  # fmt: skip
            for i, out in zip(rows, outputs, strict=True):
                marks[i] = _mark_vectors(out, piece)
        return marks


def _mark_vectors(out: dict[str, Any], piece: list[int]) -> Vectors:
    tokens = out["token_embeddings"].float().numpy()
    ids = out["input_ids"].numpy()[: len(tokens)]
    marks = np.zeros((len(piece), tokens.shape[1]), dtype=np.float32)
    for j, token in enumerate(piece):
        at = ids == token
        if at.any():
            v = tokens[at].mean(axis=0)
            marks[j] = v / (np.linalg.norm(v) + 1e-9)
    return marks


def save_pair_head(head: PairHead, path: Path) -> None:
    """Write the head as JSON, atomically via a temp file."""
    write_atomic(path, head_to_json(head))


def load_pair_head(path: Path = DEFAULT_PAIR_HEAD) -> PairHead:
    """The head in `path`; ValueError naming the file when it cannot be read or is bad."""
    return head_from_json(read_model_text(path, "deal pair head"), str(path))


def load_pair_model(
    path: Path | None = None, *, encoder: MarkEncoder | None = None
) -> PairModel | None:
    """The head with its encoder (the model loads on first use), or None with a
    PairModelWarning naming the file and the reason."""
    where = path or DEFAULT_PAIR_HEAD
    try:
        head = load_pair_head(where)
    except ValueError as e:
        _warn(str(e))
        return None
    chosen = encoder if encoder is not None else MiniLMMarkEncoder()
    if head.model_id != chosen.model_id:
        _warn(
            f"deal pair head {where} was fitted on {head.model_id!r} but the encoder is "
            f"{chosen.model_id!r}; run benchmarks/train_deals_model.py to rebuild it"
        )
        return None
    return PairModel(head, chosen)


def _warn(message: str) -> None:
    log.warning("%s: deals are read by the rules alone (no pair model)", message)
    warnings.warn(
        f"{message}: deals are read by the rules alone (no pair model)",
        PairModelWarning,
        stacklevel=3,
    )
