"""The live reading: crash probability, segments, smart money, FX, fundamentals, the
classifier's files."""
