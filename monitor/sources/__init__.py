"""Data sources, one folder per provider: fetch (or read) -> pure parse -> one standard model."""
