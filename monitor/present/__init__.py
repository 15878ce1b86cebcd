"""Presenting a reading: JSON, console, charts."""
