"""Retries for the Slack clients: slack-sdk's handlers for 429, 5xx and connection errors,
with two rules of the monitor's own.

- A 429's Retry-After is waited only up to `MAX_RETRY_AFTER_SECONDS`: Slack asking for an
  hour would hold the index job (and `report --slack`) for two hours across two retries.
  A longer wait gives up at once; the alert's claim is released and the next scheduled
  run (the index job runs hourly) sends it. Slack did not take the message, so giving up
  never doubles it.
- The wait ends when the service stops (monitor.notify.base.stopping), for the same reason.
- A connection error is retried only when it happened before the request went out
  (urllib's URLError: refused, reset while sending). slack-sdk's default also retried a
  connection closed while waiting for the answer (RemoteDisconnected,
  ConnectionResetError), after Slack may have taken the request: a chat.postMessage
  posted twice. Those reach the notifier, which checks the channel before posting again
  (monitor.notify.slack_post).

Retry-After is read as seconds or as an HTTP date (RFC 9110 allows both); anything else
counts as one second.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Final
from urllib.error import URLError

from slack_sdk.http_retry import (
    BackoffRetryIntervalCalculator,
    HttpRequest,
    HttpResponse,
    RetryHandler,
    RetryIntervalCalculator,
    RetryState,
)
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from monitor.notify.base import stopping

#: The longest Retry-After waited before a retry: Slack's own per-method limits ask for
#: seconds; a wait of more than a minute is better spent by the next run.
MAX_RETRY_AFTER_SECONDS: Final[float] = 60.0
DEFAULT_RETRY_AFTER_SECONDS: Final[float] = 1.0


def retry_after_seconds(headers: Any, *, now: datetime | None = None) -> float:
    """The Retry-After of a response's headers in seconds (>= 0), or 1 when absent or
    unreadable. `headers` maps names to a value or a list of values (slack-sdk gives both)."""
    value = next(
        (v for k, v in dict(headers or {}).items() if str(k).lower() == "retry-after"), None
    )
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return DEFAULT_RETRY_AFTER_SECONDS
    text = str(value).strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return DEFAULT_RETRY_AFTER_SECONDS
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BoundedRateLimitHandler(RateLimitErrorRetryHandler):
    """slack-sdk's 429 handler (waits Retry-After, then retries), which does not retry when
    Slack asks for more than MAX_RETRY_AFTER_SECONDS or when the service stops: then the
    caller sees the 429 and says why."""

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:  # pragma: no cover - only 429 responses reach this handler
            raise error or RuntimeError("no response to retry")
        wait = retry_after_seconds(response.headers)
        if wait > MAX_RETRY_AFTER_SECONDS:
            return  # next_attempt_requested stays False: the client returns the 429
        if stopping.wait(wait + random.random()):
            return
        state.next_attempt_requested = True
        state.increment_current_attempt()


def retry_handlers(
    max_retries: int = 2, interval: RetryIntervalCalculator | None = None
) -> list[RetryHandler]:
    """429 (sleeps Retry-After up to a minute), 500/503 and connection errors, each retried
    up to twice (the last two with exponential backoff, 0.5 s then 1 s, unless `interval`
    is given)."""
    backoff = interval or BackoffRetryIntervalCalculator(backoff_factor=0.5)
    return [
        BoundedRateLimitHandler(max_retry_count=max_retries),
        ServerErrorRetryHandler(max_retry_count=max_retries, interval_calculator=backoff),
        ConnectionErrorRetryHandler(
            max_retry_count=max_retries, interval_calculator=backoff, error_types=[URLError]
        ),
    ]
