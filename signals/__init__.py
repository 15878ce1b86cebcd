"""Pure computation: market indicators, the PSY bubble test, the classifier, the index and
the alert policy. Nothing here imports `monitor`, the network, the database or the clock."""
