"""Research on history: backtest, evaluate-index and fit-index, spread, bubbles files, and the
news history of imported headlines (news_history.py, news_sample.py)."""
