"""Where the monitor keeps its files: the user's data directory (platformdirs) by default."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

DB_ENV = "BUBBLE_MONITOR_DB"
DATA_DIR_ENV = "BUBBLE_MONITOR_DATA_DIR"
APP_NAME = "ai-bubble-monitor"


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The app's data directory (override with BUBBLE_MONITOR_DATA_DIR)."""
    value = (os.environ if env is None else env).get(DATA_DIR_ENV)
    return Path(value) if value else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def db_path(explicit: Path | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The database file: --db, else BUBBLE_MONITOR_DB, else monitor.db in the data directory."""
    if explicit is not None:
        return explicit
    value = (os.environ if env is None else env).get(DB_ENV)
    return Path(value) if value else data_dir(env) / "monitor.db"
