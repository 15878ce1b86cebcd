"""Research on history: backtest, evaluate-index and fit-index, spread, bubbles files."""
