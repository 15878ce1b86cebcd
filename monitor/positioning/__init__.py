"""Short interest from Yahoo (`collect positioning`): fetch, parse, store."""
