"""Yahoo Finance: daily prices (yfinance download) and short interest (Ticker.info)."""
