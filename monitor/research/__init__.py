"""Research on history: backtests, index evaluation, and the news history of imported
headlines (news_history.py)."""
