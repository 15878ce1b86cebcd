"""The exception tree of the monitor, the only one (a test keeps it so):

    BubbleMonitorError
      ConfigError, StoreError, ModelError
        StoreUnavailableError (under StoreError)
      InputError
        QueryError
      CollectError
        FetchError
          RateLimitError
        ParseError
      NotifyError
        PartialDeliveryError

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


class StoreUnavailableError(StoreError):
    """The database server cannot be reached now (down, restarting, the network): unlike
    the other store errors it may go away by itself, so `serve` exits 1 for it (systemd
    restarts it) rather than 2 (a fault only a person can fix)."""


class NoReadingError(StoreError):
    """No reading can be computed: `missing` names each missing input, since when, and
    the command that fixes it (one line each), for the terminal and the channel."""

    def __init__(self, message: str, missing: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.missing = missing


class InputError(BubbleMonitorError):
    """A file the user gave (CSV, JSONL, text) is unreadable or malformed."""


def not_utf8(raw: bytes, error: UnicodeDecodeError, path: object) -> str:
    """'PATH:LINE: not UTF-8 text (byte 0xe9); save it as UTF-8': the line of the first
    byte that is not UTF-8 (a Latin-1 editor's é), where Python's message gave a byte
    offset. `raw` is the whole file's bytes."""
    line = raw[: error.start].count(b"\n") + 1
    return f"{path}:{line}: not UTF-8 text (byte {raw[error.start]:#04x}); save it as UTF-8"


class QueryError(InputError):
    """A query parameter of the dashboard's API the monitor cannot use; the message names it
    (the API answers 400 with it)."""


class CollectError(BubbleMonitorError):
    """A data source (prices, a feed, EDGAR, the Hub) failed; the message names which and why.

    Collectors catch it per item (a ticker, a feed, a fund), so one failing source never
    stops the others."""


class FetchError(CollectError):
    """A source could not be fetched: HTTP error, timeout, deadline, size cap, redirects,
    or a refusal; the message names the URL (or ticker) and, where one helps, the fix."""


class RateLimitError(FetchError):
    """The source said "Too Many Requests" (Yahoo's 429); worth retrying after a pause."""


class ParseError(CollectError):
    """What was fetched is not what the source promises (not a feed, a malformed EDGAR
    document); the message names the URL and the row or field."""


class ModelError(BubbleMonitorError):
    """The embedding model or the classifier head cannot be loaded or used."""


class NotifyError(BubbleMonitorError):
    """A notification channel (Slack) rejected a message or cannot be reached."""


class UncertainDeliveryError(NotifyError):
    """The channel may have delivered the alert: its answer was lost after the request went
    out, and the channel could not check whether it was posted. Resending could post it
    twice, so the alert stage keeps its claim (not retried; the job log says to check the
    channel) instead of releasing it for the next run."""


class PartialDeliveryError(NotifyError):
    """The alert went out, an optional part of it did not (the chart upload): the manager
    counts the alert as sent and keeps the warning for the job log."""
