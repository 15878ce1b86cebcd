"""SEC EDGAR: XBRL companyfacts and the ticker table (the 13F client lives in
monitor/filings until the restructure moves it here)."""
