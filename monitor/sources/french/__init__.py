"""Kenneth R. French data library files (industry portfolios, monthly and daily)."""
