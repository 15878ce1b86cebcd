"""Company fundamentals from SEC XBRL companyfacts: point-in-time facts, quarterly, annual
and trailing-twelve-month measures, group aggregates and the market's CAPE percentile.

Pure: bytes and dates in, frozen dataclasses out (no I/O, no clock)."""
