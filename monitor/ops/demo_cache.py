"""A file cache of the demo's history readings, keyed by a digest of what they come from.

`report --demo` stores one reading for every simulated session (monitor.ops.demo_history):
5-13 s of a 8-15 s run, and the same readings every time, since the scenario is seeded.
They are computed once and kept, as the store's own payloads, in one gzipped file of JSON
lines in the data directory (written as they are computed, read one at a time: neither
side holds the whole history); a later run with the same key stores them instead.

The key is a SHA-256 over everything the readings depend on: the closes and the scored
headlines the history is computed from, the whole (demo) config, the crash model, the
source and data files of the `monitor` and `signals` packages (any code change is a new
key) and the versions of Python, numpy, pandas, scipy and scikit-learn. A file that
cannot be read or written is a miss, never an error: the demo then computes as before.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import logging
import os
import platform
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import IO, Final

import pandas as pd

import monitor
import signals
from monitor.config.feeds_yaml import Config
from monitor.errors import StoreError
from monitor.ops.demo_history import seed_daily_readings
from monitor.store import Store
from monitor.store.payload import reading_from_payload, reading_to_payload
from monitor.store.readings import save_reading
from signals.crash.model import CrashModel
from signals.models import IndexReading, StoredHeadline

log = logging.getLogger(__name__)

#: Bump when the file's layout changes (the payload's own changes follow the code digest).
FORMAT: Final = 1
PREFIX: Final = "history-"
#: The distributions whose arithmetic the readings go through.
LIBRARIES: Final = ("numpy", "pandas", "scipy", "scikit-learn")
SUFFIX: Final = ".json.gz"


def history_key(
    config: Config,
    closes: pd.DataFrame,
    headlines: Sequence[StoredHeadline],
    model: CrashModel,
) -> str:
    """The hex digest naming the history these inputs give (see the module docstring)."""
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    digest.update(repr(library_versions()).encode())
    digest.update(config.model_dump_json().encode())
    digest.update(repr(model).encode())
    digest.update(repr(list(closes.columns)).encode())
    digest.update(pd.util.hash_pandas_object(closes, index=True).to_numpy().tobytes())
    for headline in headlines:
        digest.update(repr(headline).encode())
    digest.update(code_digest().encode())
    return digest.hexdigest()


def library_versions() -> tuple[str, ...]:
    """Python's and the numeric libraries' versions: a new one may move a float."""
    out = [platform.python_version()]
    for name in LIBRARIES:
        try:
            out.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name} absent")
    return tuple(out)


def code_digest(packages: Iterable[Path] | None = None) -> str:
    """SHA-256 over the path and bytes of every file of the `monitor` and `signals`
    packages (compiled files left out): a change anywhere in the code is a new key."""
    roots = packages or (Path(monitor.__file__).parent, Path(signals.__file__).parent)
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{root.name}/{path.relative_to(root)}\n".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


class _CacheUnreadableError(StoreError):
    """A cache file that is not what its name says (damaged, cut short, another key)."""


def cached_readings(folder: Path, key: str) -> Iterator[IndexReading] | None:
    """The readings cached under `key`, read one at a time (a damaged line, a file cut
    short or one of another key raise _CacheUnreadableError as they are met); None when
    there is no such file."""
    path = folder / f"{PREFIX}{key}{SUFFIX}"
    return _lines(path, key) if path.is_file() else None


def _lines(path: Path, key: str) -> Iterator[IndexReading]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            head = json.loads(f.readline())
            if not isinstance(head, dict) or head.get("key") != key:
                raise _CacheUnreadableError(f"{path}: its first line does not say key {key}")
            for line in f:
                yield reading_from_payload(json.loads(line))
    except (OSError, EOFError, ValueError, KeyError, TypeError) as e:
        raise _CacheUnreadableError(f"{path}: {e}") from e


class HistoryWriter:
    """Writes the readings of one key as they are computed (one JSON line each, after a
    header line), to a temporary file renamed into place by `commit`: concurrent runs
    never see half a file. A folder that cannot be written makes every call a no-op."""

    def __init__(self, folder: Path, key: str) -> None:
        self.folder, self.key = folder, key
        self.path = folder / f"{PREFIX}{key}{SUFFIX}"
        self.tmp: Path | None = None
        self.out: IO[str] | None = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=folder, prefix=".history-", suffix=".tmp")
            self.tmp = Path(name)
            # Open across calls (add, commit), closed by commit or discard.
            self.out = gzip.open(os.fdopen(fd, "wb"), "wt", encoding="utf-8")  # noqa: SIM115
            self.out.write(json.dumps({"key": key, "format": FORMAT}) + "\n")
        except OSError as e:
            self._fail(e)

    def add(self, reading: IndexReading) -> None:
        if self.out is None:
            return
        line = json.dumps(reading_to_payload(reading), ensure_ascii=False, sort_keys=True)
        try:
            self.out.write(line + "\n")
        except OSError as e:
            self._fail(e)

    def commit(self) -> Path | None:
        """Put the file in place and delete older keys' files; its path, or None."""
        if self.out is None or self.tmp is None:
            return None
        try:
            self.out.close()
            self.tmp.replace(self.path)
            for old in self.folder.glob(f"{PREFIX}*{SUFFIX}"):
                if old != self.path:
                    old.unlink(missing_ok=True)
        except OSError as e:
            self._fail(e)
            return None
        return self.path

    def discard(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None
        if self.tmp is not None:
            self.tmp.unlink(missing_ok=True)

    def _fail(self, error: OSError) -> None:
        log.warning("demo history cache not written to %s (%s)", self.folder, error)
        with contextlib.suppress(OSError):
            self.discard()
        self.out = None


def seed_history(
    store: Store,
    config: Config,
    closes: pd.DataFrame,
    headlines: Sequence[StoredHeadline],
    *,
    model: CrashModel,
    until: datetime,
    cache: Path | None,
) -> int:
    """`seed_daily_readings`, through the cache in folder `cache` (None: no cache): a hit
    stores the cached readings (in one transaction: a damaged file stores nothing and
    the history is computed), a miss computes them and writes the file as it goes.
    Returns the number of readings stored."""
    if cache is None:
        return seed_daily_readings(store, config, closes, headlines, model=model, until=until)
    key = history_key(config, closes, headlines, model)
    try:
        stored = _store_cached(store, cache, key)
    except _CacheUnreadableError as e:
        log.warning("demo history cache unreadable (%s); computing the history", e)
        stored = None
    if stored is not None:
        return stored
    writer = HistoryWriter(cache, key)
    try:
        count = seed_daily_readings(
            store, config, closes, headlines, model=model, until=until, on_saved=writer.add
        )
    except BaseException:
        writer.discard()
        raise
    writer.commit()
    return count


def _store_cached(store: Store, folder: Path, key: str) -> int | None:
    readings = cached_readings(folder, key)
    if readings is None:
        return None
    count = 0
    with store.transaction():
        for reading in readings:
            save_reading(store, reading, computed_at=reading.as_of)
            count += 1
    return count
