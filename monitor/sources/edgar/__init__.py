"""13F filings from SEC EDGAR (`collect filings`): a polite client, strict parsers, the stage."""
