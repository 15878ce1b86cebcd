"""Where the monitor keeps its files: the user's data directory (platformdirs) by default."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

from monitor.config.db_target import DbTarget, as_target

DB_ENV = "BUBBLE_MONITOR_DB"
DATA_DIR_ENV = "BUBBLE_MONITOR_DATA_DIR"
APP_NAME = "ai-bubble-monitor"


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The app's data directory (override with BUBBLE_MONITOR_DATA_DIR)."""
    value = (os.environ if env is None else env).get(DATA_DIR_ENV)
    return Path(value) if value else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def db_path(explicit: Path | str | None = None, env: Mapping[str, str] | None = None) -> DbTarget:
    """The database: --db, else BUBBLE_MONITOR_DB, else monitor.db in the data directory.
    A `postgresql://` URL stays a string (the shared store); anything else is a file path."""
    if explicit is not None:
        return as_target(explicit)
    value = (os.environ if env is None else env).get(DB_ENV)
    return as_target(value) if value else data_dir(env) / "monitor.db"
