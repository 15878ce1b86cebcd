"""The demo headlines' embeddings, shipped beside them so the demo needs no model load.

`report --demo` groups and scores its ~100 team-written headlines with the real classifier.
Their sentence embeddings depend only on the text and the embedding model, so they are
computed once (`python -m monitor.ops.demo_embeddings`, which writes EMBEDDINGS_FILE) and
put into the demo store's embedding cache before the pipeline runs: the stages then read
them as they read any cached vector (monitor.reading.embedding_cache) and the encoder (torch,
about 4 s and 450 MB) is never loaded. A headline whose text changed, or a different
embedding model, finds no shipped vector and is embedded by the model as before.
tests/test_demo_embeddings.py checks the shipped vectors against the model's own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import numpy as np

from monitor.store.db import Store
from monitor.store.embeddings import put_embeddings, text_hash
from signals.classifier.encoder import Embedder
from signals.text import normalise

EMBEDDINGS_FILE: Final = Path(__file__).resolve().parent / "demo_data" / "embeddings.npz"
HEADLINES_FILE: Final = EMBEDDINGS_FILE.with_name("headlines.jsonl")


def cache_keys(titles: list[str], normalise_text: bool) -> list[str]:
    """The embedding-cache key of each title, as monitor.reading.embedding_cache computes it."""
    return [text_hash(normalise(t) if normalise_text else t) for t in titles]


def preload(store: Store, model_id: str, path: Path = EMBEDDINGS_FILE) -> int:
    """Put the shipped vectors into the store's cache when they are of `model_id`;
    returns how many were written (0 when the file is absent or of another model)."""
    if not path.is_file():
        return 0
    with np.load(path, allow_pickle=False) as data:
        if str(data["model_id"]) != model_id:
            return 0
        keys = [str(k) for k in data["keys"]]
        vectors = np.asarray(data["vectors"], dtype=np.float32)
    return put_embeddings(store, model_id, dict(zip(keys, vectors, strict=True)))


def write(titles: list[str], embedder: Embedder, normalise_text: bool, path: Path) -> None:
    """Embed `titles` with the real model and write them (keys, vectors, model id)."""
    prepared = [normalise(t) if normalise_text else t for t in titles]
    keys = cache_keys(titles, normalise_text)
    unique = dict(zip(keys, prepared, strict=True))
    vectors = np.asarray(embedder.embed(list(unique.values())), dtype=np.float32)
    np.savez_compressed(
        path, keys=np.array(list(unique)), vectors=vectors, model_id=np.array(embedder.model_id)
    )


def main() -> None:
    import json

    from monitor.reading.classifier_files import load_classifier

    classifier = load_classifier()
    lines = HEADLINES_FILE.read_text(encoding="utf-8").splitlines()
    titles = [json.loads(line)["title"] for line in lines if line.strip()]
    write(titles, classifier.embedder, classifier.head.params.normalise_text, EMBEDDINGS_FILE)
    print(f"{EMBEDDINGS_FILE}: {len(set(titles))} demo headlines embedded")


if __name__ == "__main__":
    main()
