"""The SQLite store and its per-domain read/write functions."""

from monitor.store.db import Store

__all__ = ["Store"]
