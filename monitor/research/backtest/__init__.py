"""The backtest: replay the index over a price file (run), its headlines and chart."""
