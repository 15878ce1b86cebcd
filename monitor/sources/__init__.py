"""Data sources: one package per provider (fetch, pure parse, one standard model)."""
