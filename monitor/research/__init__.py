"""Research commands' stages: evaluate-index, fit-index, backtests and spreads."""
