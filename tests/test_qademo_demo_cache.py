"""`report --demo` computes its ~560 history readings once and keeps them in a file cache.

Before the cache every run recomputed the same seeded history (5-13 s of a 8-15 s run).
A second run with the same inputs now stores the cached readings: the same output and the
same stored rows, byte for byte. The key covers every input and the code; a file that
cannot be read is a miss, a folder that cannot be written is no error.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from monitor.cli.app import app
from monitor.config.feeds_yaml import load_config
from monitor.errors import StoreError
from monitor.ops.demo import demo_config
from monitor.ops.demo_cache import (
    HistoryWriter,
    cached_readings,
    code_digest,
    history_key,
)
from monitor.reading.crash_model import live_model
from tests.conftest import DemoReport

runner = CliRunner()


def _cache_of(report: DemoReport) -> Path:
    # The session's demo build ran with BUBBLE_MONITOR_DATA_DIR = <its folder>/data-dir.
    return report.db.parent / "data-dir" / "demo-cache"


def _rows(db: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db)) as conn:
        sql = "SELECT as_of, index_value, regime, payload, computed_at FROM index_readings"
        return conn.execute(sql + " ORDER BY as_of").fetchall()


def test_the_demo_writes_its_history_to_the_data_directory_cache(
    demo_report: DemoReport,
) -> None:
    files = list(_cache_of(demo_report).glob("history-*.json.gz"))
    assert len(files) == 1
    with gzip.open(files[0], "rt", encoding="utf-8") as f:
        head, *lines = f.read().splitlines()
    assert json.loads(head)["key"] in files[0].name
    # Every stored reading but the live last one (computed each run) is in the file.
    assert len(lines) == len(_rows(demo_report.db)) - 1 >= 500


def test_a_cached_run_prints_and_stores_exactly_what_a_computed_run_does(
    demo_report: DemoReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "warm"
    shutil.copytree(_cache_of(demo_report), data_dir / "demo-cache")
    monkeypatch.setenv("BUBBLE_MONITOR_DATA_DIR", str(data_dir))
    (cached_file,) = (data_dir / "demo-cache").glob("history-*.json.gz")
    inode = cached_file.stat().st_ino
    db = tmp_path / "again.db"
    result = runner.invoke(app, ["report", "--demo", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert result.stdout == demo_report.stdout
    assert _rows(db) == _rows(demo_report.db)
    # A hit reads the file and leaves it alone (a miss replaces it with a new one).
    (after,) = (data_dir / "demo-cache").glob("history-*.json.gz")
    assert (after, after.stat().st_ino) == (cached_file, inode)


def test_a_damaged_cache_file_stores_nothing_of_it_and_is_computed_again(
    demo_report: DemoReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "damaged"
    shutil.copytree(_cache_of(demo_report), data_dir / "demo-cache")
    monkeypatch.setenv("BUBBLE_MONITOR_DATA_DIR", str(data_dir))
    (cached_file,) = (data_dir / "demo-cache").glob("history-*.json.gz")
    whole = cached_file.read_bytes()
    cached_file.write_bytes(whole[: len(whole) // 2])  # cut short, as by a full disk
    db = tmp_path / "again.db"
    result = runner.invoke(app, ["report", "--demo", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert result.stdout == demo_report.stdout
    assert _rows(db) == _rows(demo_report.db)
    # Written again, whole (gzip's header dates the file; the content is the same).
    assert gzip.decompress(cached_file.read_bytes()) == gzip.decompress(whole)


def test_a_foreign_or_garbled_file_is_refused_as_it_is_read(tmp_path: Path) -> None:
    key = "a" * 64
    assert cached_readings(tmp_path, key) is None  # no file
    path = tmp_path / f"history-{key}.json.gz"
    path.write_bytes(b"not gzip at all")
    with pytest.raises(StoreError, match="history-a"):
        list(cached_readings(tmp_path, key) or ())
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"key": "b" * 64}) + "\n")  # renamed from another key
    with pytest.raises(StoreError, match="does not say key"):
        list(cached_readings(tmp_path, key) or ())


def test_a_cache_folder_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("in the way")
    writer = HistoryWriter(blocked / "demo-cache", "d" * 64)
    assert writer.commit() is None


def test_saving_a_new_key_removes_the_old_keys_file(tmp_path: Path) -> None:
    first = HistoryWriter(tmp_path, "e" * 64).commit()
    second = HistoryWriter(tmp_path, "f" * 64).commit()
    assert first is not None and second is not None
    assert sorted(tmp_path.iterdir()) == [second]
    assert list(cached_readings(tmp_path, "f" * 64) or [None]) == []


def test_the_key_changes_with_every_input() -> None:
    config = demo_config(load_config())
    model = live_model(config.index.model)
    days = pd.bdate_range("2026-01-05", periods=5)
    closes = pd.DataFrame({"NVDA": [100.0, 101.0, 102.0, 103.0, 104.0]}, index=days)
    key = history_key(config, closes, (), model)
    assert history_key(config, closes.copy(), (), model) == key  # stable
    moved = closes.copy()
    moved.iloc[2, 0] = 102.0001
    assert history_key(config, moved, (), model) != key
    weights = {**config.index.weights, "credit": config.index.weights.get("credit", 0.0) + 0.1}
    index = config.index.model_copy(update={"weights": weights})
    other = config.model_copy(update={"index": index})
    assert history_key(other, closes, (), model) != key
    assert history_key(config, closes, (), replace(model, intercept=model.intercept + 1e-9)) != key


def test_the_code_digest_changes_with_any_file_of_the_packages(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "sub" / "mod.py").write_text("X = 1\n")
    (package / "model.json").write_text("{}")
    before = code_digest([package])
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"\0")
    assert code_digest([package]) == before  # compiled files do not count
    (package / "sub" / "mod.py").write_text("X = 2\n")
    assert code_digest([package]) != before
