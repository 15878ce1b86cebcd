"""The exception tree of the monitor.

Every error a user can cause derives from `BubbleMonitorError`; the CLI prints its message
on one line and exits with status 2. Adapters translate foreign exceptions into these with
`raise ... from e`, so that callers decide what is fatal without knowing the libraries.
"""

from __future__ import annotations


class BubbleMonitorError(Exception):
    """Base of every error the monitor reports to a user (exit status 2)."""


class ConfigError(BubbleMonitorError):
    """feeds.yaml or the environment is missing, malformed or inconsistent."""


class StoreError(BubbleMonitorError):
    """The database cannot be opened, is from a newer version, or is locked."""


class NoReadingError(StoreError):
    """No reading can be computed: `missing` names each missing input, since when, and
    the command that fixes it (one line each), for the terminal and the channel."""

    def __init__(self, message: str, missing: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.missing = missing


class InputError(BubbleMonitorError):
    """A file the user gave (CSV, JSONL, text) is unreadable or malformed."""


class CollectError(BubbleMonitorError):
    """A data source (prices, a feed) failed; carries which one and why."""


class ModelError(BubbleMonitorError):
    """The embedding model or the classifier head cannot be loaded or used."""


class NotifyError(BubbleMonitorError):
    """A notification channel (Slack) rejected a message or cannot be reached."""
