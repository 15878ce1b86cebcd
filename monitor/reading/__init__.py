"""The live reading: crash probability, segments, relative fragility, bubble evidence."""
