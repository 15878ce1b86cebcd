"""News ingestion: fetch feeds safely (fetch), parse bytes (parse), clean items (normalise),
group near-duplicates into stories (stories), and the collect_news stage (collect)."""
