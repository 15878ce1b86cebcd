"""Presenting a reading: one document, the terminal report, the shared sentences."""
