"""CachedEmbedder: an `Embedder` that reads cached vectors and computes only the rest.

Wrap the model (or a HeadlineClassifier) once and use it everywhere texts are embedded:
story grouping, scoring and re-scoring then run the model once per distinct headline text.
Texts are normalised (signals.text) before hashing, so the same title from two
feeds, or with and without a " - Publisher" suffix, shares one cached vector.

The vectors live in the store's embeddings table (a `Store` is wrapped in `StoreVectors`)
or in any other `VectorCache`, such as the data directory's file
(monitor.reading.embedding_file) that `classify` and `train` use without --db.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from monitor.store.db import Store
from monitor.store.embeddings import get_embeddings, put_embeddings, stack, text_hash
from signals.classifier.encoder import DIM, Embedder, Vectors
from signals.text import normalise


class VectorCache(Protocol):
    """Vectors by (model id, text hash): what CachedEmbedder reads and fills."""

    def get(self, model_id: str, hashes: Sequence[str]) -> dict[str, npt.NDArray[np.float32]]: ...

    def put(
        self, model_id: str, vectors: Mapping[str, npt.NDArray[np.floating[Any]]]
    ) -> object: ...


class StoreVectors:
    """The store's embeddings table as a VectorCache."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, model_id: str, hashes: Sequence[str]) -> dict[str, npt.NDArray[np.float32]]:
        return get_embeddings(self.store, model_id, hashes)

    def put(self, model_id: str, vectors: Mapping[str, npt.NDArray[np.floating[Any]]]) -> int:
        return put_embeddings(self.store, model_id, vectors)


class CachedEmbedder:
    """Embeds through a cache: cached rows are read, missing ones computed and stored.

    `computed` counts the texts sent to the inner embedder over this object's lifetime.
    """

    def __init__(
        self,
        inner: Embedder,
        store: Store | VectorCache,
        *,
        normalise_text: bool = True,
        batch_size: int = 256,
    ) -> None:
        self.inner = inner
        self.cache: VectorCache = StoreVectors(store) if isinstance(store, Store) else store
        self.normalise_text = normalise_text
        self.batch_size = max(1, batch_size)
        self.computed = 0

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    def embed(self, texts: Sequence[str]) -> Vectors:
        prepared = [normalise(t) if self.normalise_text else t for t in texts]
        keys = [text_hash(t) for t in prepared]
        found = self.cache.get(self.model_id, keys)
        text_of = dict(zip(keys, prepared, strict=True))
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        for start in range(0, len(missing), self.batch_size):
            batch = missing[start : start + self.batch_size]
            vectors = self.inner.embed([text_of[k] for k in batch])
            new = {k: np.asarray(v, dtype=np.float32) for k, v in zip(batch, vectors, strict=True)}
            self.cache.put(self.model_id, new)
            found.update(new)
            self.computed += len(batch)
        dim = next(iter(found.values())).shape[0] if found else DIM
        return stack([found[k] for k in keys], dim)
