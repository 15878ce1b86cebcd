"""The live reading: what it is computed from, and what is missing when it cannot be."""
