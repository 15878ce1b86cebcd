"""Daily prices: the yfinance adapter, incremental collection and CSV import."""
