"""The live reading: crash probability, segments, smart money, FX, the classifier's files."""
