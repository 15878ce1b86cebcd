"""Outside data, one folder per provider: fetch -> pure parse -> one standard model."""
