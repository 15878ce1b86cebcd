"""`migrate-store`: copy a SQLite history into a PostgreSQL store, resumable and idempotent.

Both stores are opened (and so migrated) to the same schema version first, then every
table is copied in creation order (parents before the tables that reference them), in
batches of `BATCH_ROWS`, each batch its own transaction with `ON CONFLICT DO NOTHING`:
an interrupted copy keeps the batches it finished, and running it again adds only what is
missing. Identity sequences are moved past the copied ids so that new rows do not collide.
A row PostgreSQL refuses stops the copy with the table, the row's key and the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import psycopg

from monitor.errors import StoreError
from monitor.store.db import Store

BATCH_ROWS: Final[int] = 1000
#: Tables the stores keep for themselves, never copied.
_SKIP: Final[frozenset[str]] = frozenset({"schema_version"})


@dataclass(frozen=True)
class TableCopy:
    """One table's copy: rows in the source, rows added, rows that were already there."""

    table: str
    source_rows: int
    copied: int

    @property
    def already_there(self) -> int:
        return self.source_rows - self.copied


Progress = Callable[[str, int, int], None]


def copy_store(source: Path, target: str, *, on_batch: Progress | None = None) -> list[TableCopy]:
    """Copy every table of the SQLite file `source` into the PostgreSQL store `target`."""
    if not source.is_file():
        raise StoreError(f"--from {source}: no such SQLite file")
    with Store(source) as src, Store(target) as dst:
        if dst.backend != "postgresql":
            raise StoreError(f"--to {dst.location}: give a postgresql:// URL")
        results = [_copy_table(src, dst, table, on_batch) for table in source_tables(src)]
        _advance_identities(dst)
    return results


def source_tables(src: Store) -> list[str]:
    """The source's tables in creation order (parents before children)."""
    rows = src.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY rowid"
    ).fetchall()
    return [str(r[0]) for r in rows if r[0] not in _SKIP]


def _columns(src: Store, table: str) -> tuple[list[str], list[str]]:
    """(all columns, primary-key columns) of a source table."""
    info = src.conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    keys = sorted((r["pk"], r["name"]) for r in info if r["pk"])
    return [r["name"] for r in info], [name for _, name in keys]


def _copy_table(src: Store, dst: Store, table: str, on_batch: Progress | None) -> TableCopy:
    columns, keys = _columns(src, table)
    names = ", ".join(f'"{c}"' for c in columns)
    insert = (
        f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))}) '
        "ON CONFLICT DO NOTHING"
    )
    total = int(src.conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])
    order = ", ".join(f'"{k}"' for k in keys) or "rowid"
    cursor = src.conn.execute(f'SELECT {names} FROM "{table}" ORDER BY {order}')
    copied = done = 0
    while batch := [tuple(row) for row in cursor.fetchmany(BATCH_ROWS)]:
        copied += _insert_batch(dst, table, insert, batch, columns, keys)
        done += len(batch)
        if on_batch is not None:
            on_batch(table, done, total)
    return TableCopy(table, total, copied)


def _insert_batch(
    dst: Store,
    table: str,
    insert: str,
    batch: list[tuple[Any, ...]],
    columns: list[str],
    keys: list[str],
) -> int:
    try:
        with dst.transaction() as conn:
            return max(conn.executemany(insert, batch).rowcount, 0)
    except psycopg.Error:
        pass  # find the row PostgreSQL refuses, to name it
    copied = 0
    for row in batch:
        try:
            with dst.transaction() as conn:
                copied += max(conn.execute(insert, row).rowcount, 0)
        except psycopg.Error as e:
            raise StoreError(
                f"{table} row {_key(row, columns, keys)}: PostgreSQL refused it: "
                f"{str(e).strip().splitlines()[0]}; fix or delete that row in the SQLite file "
                "and run migrate-store again (rows already copied are kept)"
            ) from None
    return copied


def _key(row: Sequence[Any], columns: list[str], keys: list[str]) -> str:
    shown = keys or columns[:2]
    return ", ".join(f"{k}={row[columns.index(k)]!r}" for k in shown)


def _advance_identities(dst: Store) -> None:
    """Move each identity sequence past the largest copied id."""
    rows = dst.conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE is_identity = 'YES' AND table_schema = current_schema()"
    ).fetchall()
    for table, column in rows:
        dst.conn.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
            f'COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)'
        )


def count_rows(store: Store, table: str) -> int:
    return int(store.conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])
