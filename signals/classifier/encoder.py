"""The encoder seam: `Embedder` turns texts into L2-normalised rows of one model.

The packaged all-MiniLM-L6-v2 behind it is loaded from files, so it lives in monitor/
(monitor.reading.minilm); tests and caches pass any other `Embedder` in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

MODEL_NAME: Final[str] = "all-MiniLM-L6-v2"
DIM: Final[int] = 384
BATCH_SIZE: Final[int] = 64

Vectors = npt.NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into L2-normalised rows (one per text) of one model."""

    @property
    def model_id(self) -> str: ...

    def embed(self, texts: Sequence[str]) -> Vectors: ...
