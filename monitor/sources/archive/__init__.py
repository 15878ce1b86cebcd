"""Archives of dated headlines (a JSONL or CSV file): read line by line, parsed purely into
the standard `Headline`, bad rows named by file and line (see parse.py and read.py)."""
