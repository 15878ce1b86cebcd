"""The pipeline stages: each takes the App and returns one typed result with summary()."""
