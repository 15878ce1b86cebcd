"""One `serve` per SQLite file, however the operator spells its path.

Found on the qaops walk (2026-12-07): the lock is `<db>.lock` beside the path as given, so
a symlink to the database (`/srv/bubble/monitor.db -> /data/monitor.db`, a common way to
move a data file) got a lock file of its own. A second `serve` given the other name ran
beside the first on the same file: both ran every job and both sent every alert.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.errors import StoreError
from monitor.service.lifecycle import InstanceLock


def test_a_symlink_to_the_database_is_refused_while_the_file_is_served(tmp_path: Path) -> None:
    real = tmp_path / "data" / "monitor.db"
    real.parent.mkdir()
    real.write_bytes(b"")
    link = tmp_path / "monitor.db"
    link.symlink_to(real)
    with InstanceLock(real), pytest.raises(StoreError, match="another bubble-monitor serve"):
        InstanceLock(link).acquire()
    with InstanceLock(link), pytest.raises(StoreError, match="already running on"):
        InstanceLock(real).acquire()


def test_a_path_through_dot_dot_is_the_same_database(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    db = tmp_path / "monitor.db"
    with InstanceLock(db), pytest.raises(StoreError):
        InstanceLock(tmp_path / "a" / ".." / "monitor.db").acquire()
