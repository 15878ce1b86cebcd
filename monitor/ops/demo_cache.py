"""A file cache of the demo's history readings, keyed by a digest of what they come from.

`report --demo` stores one reading for every simulated session (monitor.ops.demo_history):
5-13 s of a 8-15 s run, and the same readings every time, since the scenario is seeded.
They are computed once and kept, as the store's own payloads, in one gzipped JSON file in
the data directory; a later run with the same key stores them again instead of computing.

The key is a SHA-256 over everything the readings depend on: the closes and the scored
headlines the history is computed from, the whole (demo) config, the crash model, the
source and data files of the `monitor` and `signals` packages (any code change is a new
key) and the versions of Python, numpy and pandas. A file that cannot be read or written
is a miss, never an error: the demo then computes as it did before the cache.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import platform
import tempfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

import monitor
import signals
from monitor.config.feeds_yaml import Config
from monitor.ops.demo_history import seed_daily_readings
from monitor.store import Store
from monitor.store.payload import reading_from_payload, reading_to_payload
from monitor.store.readings import readings_between, save_reading
from signals.crash.model import CrashModel
from signals.models import IndexReading, StoredHeadline

log = logging.getLogger(__name__)

#: Bump when the file's layout changes (the payload's own changes follow the code digest).
FORMAT: Final = 1
PREFIX: Final = "history-"
SUFFIX: Final = ".json.gz"


def history_key(
    config: Config,
    closes: pd.DataFrame,
    headlines: Sequence[StoredHeadline],
    model: CrashModel,
) -> str:
    """The hex digest naming the history these inputs give (see the module docstring)."""
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    versions = (platform.python_version(), np.__version__, pd.__version__)
    digest.update(repr(versions).encode())
    digest.update(config.model_dump_json().encode())
    digest.update(repr(model).encode())
    digest.update(repr(list(closes.columns)).encode())
    digest.update(pd.util.hash_pandas_object(closes, index=True).to_numpy().tobytes())
    for headline in headlines:
        digest.update(repr(headline).encode())
    digest.update(code_digest().encode())
    return digest.hexdigest()


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


def load_history(folder: Path, key: str) -> list[IndexReading] | None:
    """The readings cached under `key`, or None (no file, or one that cannot be read)."""
    path = folder / f"{PREFIX}{key}{SUFFIX}"
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            data: dict[str, Any] = json.load(f)
        if data.get("key") != key:
            raise ValueError(f"the file says key {data.get('key')!r}")
        return [reading_from_payload(p) for p in data["readings"]]
    except FileNotFoundError:
        return None
    except (OSError, EOFError, ValueError, KeyError, TypeError) as e:
        log.warning("demo history cache %s unreadable (%s); computing the history", path, e)
        return None


def save_history(folder: Path, key: str, readings: Sequence[IndexReading]) -> Path | None:
    """Write the readings under `key` (atomically: concurrent runs never see half a file)
    and delete older keys' files; None when the folder is not writable."""
    path = folder / f"{PREFIX}{key}{SUFFIX}"
    body = {"key": key, "readings": [reading_to_payload(r) for r in readings]}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=folder, prefix=".history-", suffix=".tmp")
        tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb") as f:
                f.write(json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8"))
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
        for old in folder.glob(f"{PREFIX}*{SUFFIX}"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as e:
        log.warning("demo history cache not written to %s (%s)", folder, e)
        return None
    return path


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
    stores the cached readings, a miss computes them and writes the file. Returns the
    number of readings stored."""
    key = history_key(config, closes, headlines, model) if cache is not None else ""
    cached = load_history(cache, key) if cache is not None else None
    if cached is not None:
        with store.transaction():
            for reading in cached:
                save_reading(store, reading, computed_at=reading.as_of)
        return len(cached)
    count = seed_daily_readings(store, config, closes, headlines, model=model, until=until)
    if cache is not None:
        stored = [r for r in readings_between(store, end=until) if r.as_of < until]
        save_history(cache, key, stored)
    return count
