"""Real AI-era news headlines: the labelled sample of the shared corpus and its splits."""
