"""Presentation: the reading as JSON, the segments' lines and the chart."""
