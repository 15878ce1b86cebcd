"""Research: backtests, index evaluation and the real-news classifier experiments."""
