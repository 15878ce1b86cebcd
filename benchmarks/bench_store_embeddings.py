"""Bytes per headline of the embeddings cache in a SQLite store, by schema version.

    .venv/bin/python benchmarks/bench_store_embeddings.py [--rows 20000] [--lookups 5000]
        [--versions 5 6]

For each schema version, a fresh SQLite file is migrated to exactly that version and
filled with `--rows` synthetic 384-d float32 vectors (all-MiniLM-L6-v2's size) keyed by a
sha256 text hash, in batches of 500 through the same INSERT the store uses. Printed: the
file size after a WAL checkpoint, its bytes per headline (against the empty file of the
same version), the pages in use, and the time of `--lookups` random lookups by hash (the
cache's read path, the query of monitor/store/embeddings.py). Then a store filled at the
first version is migrated to the last, timed, and measured before and after VACUUM
(SQLite keeps freed pages in the file).
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.store.schema import MIGRATIONS, SCHEMA_VERSION  # noqa: E402

DIM = 384
MODEL = "sentence-transformers/all-MiniLM-L6-v2"
INSERT = (
    "INSERT INTO embeddings (model_id, text_hash, dim, vector) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (model_id, text_hash) DO NOTHING"
)


def migrated(path: Path, version: int) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    for number in range(1, version + 1):
        conn.executescript(
            f"BEGIN;\n{MIGRATIONS[number - 1]}\nPRAGMA user_version = {number};\nCOMMIT;"
        )
    return conn


def fill(conn: sqlite3.Connection, rows: int, seed: int = 7) -> list[str]:
    rng = np.random.default_rng(seed)
    hashes = [hashlib.sha256(f"headline {n}".encode()).hexdigest() for n in range(rows)]
    for start in range(0, rows, 500):
        batch = hashes[start : start + 500]
        vectors = rng.standard_normal((len(batch), DIM)).astype("<f4")
        conn.execute("BEGIN")
        values = [(MODEL, h, DIM, v.tobytes()) for h, v in zip(batch, vectors, strict=True)]
        conn.executemany(INSERT, values)
        conn.execute("COMMIT")
    return hashes


def measure(conn: sqlite3.Connection, path: Path) -> tuple[int, int]:
    """(file bytes, bytes of pages in use) after folding the WAL into the file."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages, free, size = (
        int(conn.execute(f"PRAGMA {name}").fetchone()[0])
        for name in ("page_count", "freelist_count", "page_size")
    )
    return path.stat().st_size, (pages - free) * size


def lookup_seconds(conn: sqlite3.Connection, hashes: list[str], lookups: int) -> float:
    """Time `lookups` random vectors read by hash, as the store's get_embeddings reads them
    (500 keys a query), on a connection of the version under test (a Store would migrate)."""
    wanted = [str(h) for h in np.random.default_rng(11).choice(hashes, lookups, replace=False)]
    started, found = time.perf_counter(), 0
    for start in range(0, lookups, 500):
        chunk = wanted[start : start + 500]
        rows = conn.execute(
            "SELECT text_hash, dim, vector FROM embeddings WHERE model_id = ? AND text_hash "
            f"IN ({','.join('?' * len(chunk))})",
            (MODEL, *chunk),
        ).fetchall()
        found += sum(len(np.frombuffer(r[2], dtype="<f4")) == r[1] for r in rows)
    assert found == lookups, "every looked-up vector must come back"
    return time.perf_counter() - started


def bench_version(tmp: Path, version: int, rows: int, lookups: int) -> None:
    path = tmp / f"v{version}.db"
    conn = migrated(path, version)
    empty, _ = measure(conn, path)
    hashes = fill(conn, rows)
    size, used = measure(conn, path)
    seconds = lookup_seconds(conn, hashes, lookups)
    conn.close()
    timing = f"; {lookups} lookups {seconds * 1000:.0f} ms"
    print(
        f"schema v{version}: {rows} embeddings, file {size / 1e6:.1f} MB, "
        f"{(size - empty) / rows:.0f} bytes per headline, pages in use {used / 1e6:.1f} MB"
        f"{timing}",
        flush=True,
    )


def bench_migration(tmp: Path, old: int, rows: int) -> None:
    path = tmp / "upgrade.db"
    conn = migrated(path, old)
    fill(conn, rows)
    before, _ = measure(conn, path)
    started = time.perf_counter()
    for number in range(old + 1, SCHEMA_VERSION + 1):
        conn.executescript(
            f"BEGIN;\n{MIGRATIONS[number - 1]}\nPRAGMA user_version = {number};\nCOMMIT;"
        )
    seconds = time.perf_counter() - started
    after, used = measure(conn, path)
    conn.execute("VACUUM")
    vacuumed, _ = measure(conn, path)
    conn.close()
    print(
        f"migrating v{old} -> v{SCHEMA_VERSION} with {rows} embeddings: {seconds:.1f} s; file "
        f"{before / 1e6:.1f} MB before, {after / 1e6:.1f} MB after (in use {used / 1e6:.1f} "
        f"MB), {vacuumed / 1e6:.1f} MB after VACUUM"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--lookups", type=int, default=5_000)
    parser.add_argument("--versions", type=int, nargs="+", default=[SCHEMA_VERSION])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for version in args.versions:
            bench_version(Path(tmp), version, args.rows, args.lookups)
        if min(args.versions) < SCHEMA_VERSION:
            bench_migration(Path(tmp), min(args.versions), args.rows)


if __name__ == "__main__":
    main()
