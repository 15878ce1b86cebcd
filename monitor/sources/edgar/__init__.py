"""SEC EDGAR: 13F filings (`collect filings`) and XBRL companyfacts (`collect
fundamentals`): a polite client, strict parsers, the collectors."""
