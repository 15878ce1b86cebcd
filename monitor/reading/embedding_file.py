"""EmbeddingFile: sentence vectors cached in a SQLite file of their own, outside the store.

`classify --explain --real-news` embeds the ~4,200 headlines the shipped head learnt from on
every call (about 17 s with two idle cores, minutes on a busy machine), and `train` embeds
its training set each time. Without --db there is no store to cache them in, and explaining
must not create one; this file (in the data directory, `embedding-cache.sqlite`) keeps them.

A vector is keyed by the embedding model's id (name, package version and, for a fine-tuned
encoder, the sha256 of its delta), the sha256 of the model folder's files, and the sha256
of the text: a model whose files change (a reinstall of another build under the same
version, an edited folder) gets new keys, so a stale vector is never returned. Hashing the
folder reads ~90 MB (0.4 s); the digest is kept beside the vectors under the files' sizes
and modification times, and recomputed when any of them changes.

A cache must never stop a command: an unreadable, locked or damaged file turns the cache
off for the rest of the run, and `error` says why (the caller prints it).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from monitor.reading.embedding_cache import CachedEmbedder
from signals.classifier.encoder import Embedder

#: The file's name in the data directory.
FILE_NAME: Final[str] = "embedding-cache.sqlite"
_CHUNK: Final[int] = 500
_SCHEMA: Final[str] = """
CREATE TABLE IF NOT EXISTS vectors (
    model_key TEXT NOT NULL, text_hash TEXT NOT NULL, dim INTEGER NOT NULL,
    vector BLOB NOT NULL, PRIMARY KEY (model_key, text_hash)
);
CREATE TABLE IF NOT EXISTS folders (signature TEXT PRIMARY KEY, digest TEXT NOT NULL);
"""


class EmbeddingFile:
    """Vectors by (model key, text hash) in one SQLite file; a `VectorCache`.

    `model_folder` is the folder the encoder's weights come from: its digest is part of
    every key. Opening fails with OSError or sqlite3.Error (see `open_embedding_file`).
    """

    def __init__(self, path: Path, model_folder: Path | None) -> None:
        self.path = path
        self.error = ""
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn: sqlite3.Connection | None = sqlite3.connect(path, timeout=30)
        try:
            self._conn.executescript(_SCHEMA)
            self.scope = folder_digest(self._conn, model_folder) if model_folder else ""
        except (OSError, sqlite3.Error):
            self.close()
            raise

    def get(self, model_id: str, hashes: Sequence[str]) -> dict[str, npt.NDArray[np.float32]]:
        """The cached vectors among `hashes` (none once the file has failed)."""
        found: dict[str, npt.NDArray[np.float32]] = {}
        wanted = list(dict.fromkeys(hashes))
        try:
            for start in range(0, len(wanted), _CHUNK):
                found.update(self._read(self._key(model_id), wanted[start : start + _CHUNK]))
        except sqlite3.Error as e:
            self._fail("read", e)
        return found

    def put(self, model_id: str, vectors: Mapping[str, npt.NDArray[np.floating[Any]]]) -> None:
        """Keep `vectors` (existing keys stay as they are); a failure turns the cache off."""
        if self._conn is None or not vectors:
            return
        key = self._key(model_id)
        rows = [
            (key, h, int(v.shape[0]), np.ascontiguousarray(v, dtype="<f4").tobytes())
            for h, v in vectors.items()
        ]
        try:
            with self._conn:
                self._conn.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?, ?, ?)", rows)
        except sqlite3.Error as e:
            self._fail("write", e)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> EmbeddingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _key(self, model_id: str) -> str:
        return f"{model_id}|files-sha256:{self.scope[:16]}"

    def _read(self, key: str, chunk: list[str]) -> Iterator[tuple[str, npt.NDArray[np.float32]]]:
        if self._conn is None:
            return
        marks = ",".join("?" * len(chunk))
        rows = self._conn.execute(
            f"SELECT text_hash, dim, vector FROM vectors WHERE model_key = ? "
            f"AND text_hash IN ({marks})",
            (key, *chunk),
        ).fetchall()
        for text_hash, dim, blob in rows:
            vector = np.frombuffer(blob, dtype="<f4")
            if vector.shape == (dim,):
                yield text_hash, vector

    def _fail(self, what: str, e: sqlite3.Error) -> None:
        self.error = f"cannot {what} the embedding cache {self.path} ({e}); continuing without it"
        self.close()


def open_embedding_file(path: Path, model_folder: Path | None) -> EmbeddingFile | str:
    """The cache at `path`, or why it cannot be used (a message naming the file)."""
    try:
        return EmbeddingFile(path, model_folder)
    except (OSError, sqlite3.Error) as e:
        return (
            f"embedding cache {path} is unusable ({e}); continuing without it (delete the "
            "file to start a new one)"
        )


def folder_digest(conn: sqlite3.Connection, folder: Path) -> str:
    """sha256 over the files of `folder` (names and bytes), remembered in `conn` under
    their sizes and modification times so that it is computed once per version."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    stats = [(str(p.relative_to(folder)), p.stat()) for p in files]
    signature = hashlib.sha256(
        repr([str(folder.resolve())] + [(n, s.st_size, s.st_mtime_ns) for n, s in stats]).encode()
    ).hexdigest()
    row = conn.execute("SELECT digest FROM folders WHERE signature = ?", (signature,)).fetchone()
    if row is not None:
        return str(row[0])
    digest = hashlib.sha256()
    for name, path in zip((n for n, _ in stats), files, strict=True):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    value = digest.hexdigest()
    with conn:
        conn.execute("INSERT OR REPLACE INTO folders VALUES (?, ?)", (signature, value))
    return value


@contextmanager
def file_cached(
    inner: Embedder, path: Path, *, normalise_text: bool, warn: Callable[[str], None]
) -> Iterator[Embedder]:
    """`inner` behind the cache file at `path` for the `with` block; `inner` itself when
    the cache cannot be used (`warn` is told why) or its weights folder is unknown (a
    vector could not be tied to the files that made it)."""
    folder = _model_folder(inner)
    opened = open_embedding_file(path, folder) if folder is not None else None
    if isinstance(opened, str):
        warn(opened)
    if not isinstance(opened, EmbeddingFile):
        yield inner
        return
    try:
        # One call for all missing texts: the encoder orders them by length itself, and
        # the vectors are then those of an uncached run, bit for bit (a rebuilt head is
        # the same file with and without the cache).
        yield CachedEmbedder(inner, opened, normalise_text=normalise_text, batch_size=1 << 30)
    finally:
        opened.close()
        if opened.error:
            warn(opened.error)


def _model_folder(encoder: Embedder) -> Path | None:
    """The folder an encoder of this package reads its weights from, if it says."""
    try:
        folder = getattr(encoder, "model_folder", None)
    except FileNotFoundError:  # the model is not installed: it will say so when used
        return None
    return folder if isinstance(folder, Path) and folder.is_dir() else None
