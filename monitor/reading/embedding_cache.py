"""CachedEmbedder: an `Embedder` that reads vectors from the store and computes only the rest.

Wrap the model (or a HeadlineClassifier) once and use it everywhere texts are embedded:
story grouping, scoring and re-scoring then run the model once per distinct headline text.
Texts are normalised (signals.text) before hashing, so the same title from two
feeds, or with and without a " - Publisher" suffix, shares one cached vector.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from monitor.store.db import Store
from monitor.store.embeddings import get_embeddings, put_embeddings, stack, text_hash
from signals.classifier.encoder import DIM, Embedder, Vectors
from signals.text import normalise


class CachedEmbedder:
    """Embeds through the store: cached rows are read, missing ones computed and stored.

    `computed` counts the texts sent to the inner embedder over this object's lifetime.
    """

    def __init__(
        self,
        inner: Embedder,
        store: Store,
        *,
        normalise_text: bool = True,
        batch_size: int = 256,
    ) -> None:
        self.inner = inner
        self.store = store
        self.normalise_text = normalise_text
        self.batch_size = max(1, batch_size)
        self.computed = 0

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    def embed(self, texts: Sequence[str]) -> Vectors:
        prepared = [normalise(t) if self.normalise_text else t for t in texts]
        keys = [text_hash(t) for t in prepared]
        found = get_embeddings(self.store, self.model_id, keys)
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        text_of = dict(zip(keys, prepared, strict=True))
        for start in range(0, len(missing), self.batch_size):
            batch = missing[start : start + self.batch_size]
            vectors = self.inner.embed([text_of[k] for k in batch])
            new = {k: np.asarray(v, dtype=np.float32) for k, v in zip(batch, vectors, strict=True)}
            put_embeddings(self.store, self.model_id, new)
            found.update(new)
            self.computed += len(batch)
        dim = next(iter(found.values())).shape[0] if found else DIM
        return stack([found[k] for k in keys], dim)
