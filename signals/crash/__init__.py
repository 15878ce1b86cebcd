"""Index v2: crash probabilities fitted on history (features, outcomes, model, evaluation).

Pure computation: every function takes data (a `Panel` of return series) and returns
numbers; reading files, the store and the clock stay in `monitor/`.
"""
