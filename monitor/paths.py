"""Where the monitor keeps its files: the user's data directory (platformdirs) by default."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DB_ENV = "BUBBLE_MONITOR_DB"
DATA_DIR_ENV = "BUBBLE_MONITOR_DATA_DIR"
APP_NAME = "ai-bubble-monitor"


def data_dir() -> Path:
    """The app's data directory (override with BUBBLE_MONITOR_DATA_DIR)."""
    env = os.environ.get(DATA_DIR_ENV)
    return Path(env) if env else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def db_path(explicit: Path | None = None) -> Path:
    """The database file: --db, else BUBBLE_MONITOR_DB, else monitor.db in the data directory."""
    if explicit is not None:
        return explicit
    env = os.environ.get(DB_ENV)
    return Path(env) if env else data_dir() / "monitor.db"
