"""Cached sentence embeddings: float32 blobs keyed by (model id, sha256 of the text embedded).

A headline is embedded once per model, whoever asks first (story grouping or scoring);
re-scoring with a retrained head then reads vectors instead of running the model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from monitor.store.db import Store

#: SQLite's default limit on bound parameters is 32766; stay far below it.
_CHUNK: Final[int] = 500


def text_hash(text: str) -> str:
    """The cache key of a text: sha256 of its UTF-8 bytes, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def get_embeddings(
    store: Store, model_id: str, hashes: Iterable[str]
) -> dict[str, npt.NDArray[np.float32]]:
    """The cached vectors among `hashes` (missing ones are simply absent from the result)."""
    wanted = list(dict.fromkeys(hashes))
    found: dict[str, npt.NDArray[np.float32]] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        rows = store.conn.execute(
            f"SELECT text_hash, dim, vector FROM embeddings "
            f"WHERE model_id = ? AND text_hash IN ({marks})",
            (model_id, *chunk),
        )
        for key, dim, blob in rows:
            vector = np.frombuffer(blob, dtype="<f4")
            if vector.shape == (dim,):
                found[key] = vector
    return found


def put_embeddings(
    store: Store, model_id: str, vectors: Mapping[str, npt.NDArray[np.floating[Any]]]
) -> int:
    """Store vectors by text hash (existing keys are kept); return the number written."""
    rows = [
        (model_id, key, int(v.shape[0]), np.ascontiguousarray(v, dtype="<f4").tobytes())
        for key, v in vectors.items()
    ]
    if not rows:
        return 0
    with store.writing() as conn:
        cursor = conn.executemany(
            "INSERT INTO embeddings (model_id, text_hash, dim, vector) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (model_id, text_hash) DO NOTHING",
            rows,
        )
        return max(cursor.rowcount, 0)


def count_embeddings(store: Store, model_id: str | None = None) -> int:
    if model_id is None:
        return int(store.conn.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0])
    sql = "SELECT COUNT(*) FROM embeddings WHERE model_id = ?"
    return int(store.conn.execute(sql, (model_id,)).fetchone()[0])


def stack(vectors: Sequence[npt.NDArray[np.float32]], dim: int) -> npt.NDArray[np.float32]:
    """Rows as one float32 matrix (an empty (0, dim) matrix for no rows)."""
    if not vectors:
        return np.zeros((0, dim), dtype=np.float32)
    return np.vstack(vectors).astype(np.float32, copy=False)
