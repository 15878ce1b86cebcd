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
- A 5xx is retried only for methods that post nothing (`RETRIED_ON_SERVER_ERROR`: the
  reads and the upload URL request). Slack (or a proxy in front of it) may answer 500,
  502, 503 or 504 after the request reached Slack and the message was posted: a blind
  retry of chat.postMessage posted the alert twice, of files.completeUploadExternal
  shared the chart twice, of a webhook post posted it twice. chat.postMessage's 5xx go to
  the notifier's channel check (monitor.notify.slack_post); a webhook's 5xx and a failed
  chart share are not resent.

Retry-After is read as seconds or as an HTTP date (RFC 9110 allows both); anything else
counts as one second.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Final
from urllib.error import URLError
from urllib.parse import urlsplit

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
#: The Web API methods slack-sdk may repeat after a 500 or 503: they read, or hand out an
#: upload URL (a second one is left unused), so doing them twice posts nothing. Every
#: other request (chat.postMessage, files.completeUploadExternal, a webhook post) is sent
#: once per attempt of ours.
RETRIED_ON_SERVER_ERROR: Final[frozenset[str]] = frozenset(
    {
        "auth.test",
        "conversations.history",
        "conversations.info",
        "files.getUploadURLExternal",
    }
)


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


def api_method(url: str) -> str:
    """The Web API method a request URL calls: its last path segment (`chat.postMessage`;
    a webhook's is its secret, an upload URL's a file id: neither names a method)."""
    return urlsplit(url).path.rsplit("/", 1)[-1]


class ReadOnlyServerErrorHandler(ServerErrorRetryHandler):
    """slack-sdk's 500/503 handler, for the methods of RETRIED_ON_SERVER_ERROR only: a
    method that posts is not repeated blindly after a server error (see the module
    docstring); its caller sees the 5xx."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if api_method(request.url) not in RETRIED_ON_SERVER_ERROR:
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)


def retry_handlers(
    max_retries: int = 2, interval: RetryIntervalCalculator | None = None
) -> list[RetryHandler]:
    """429 (sleeps Retry-After up to a minute), 500/503 of the methods that post nothing,
    and connection errors before the request went out, each retried up to twice (the last
    two with exponential backoff, 0.5 s then 1 s, unless `interval` is given)."""
    backoff = interval or BackoffRetryIntervalCalculator(backoff_factor=0.5)
    return [
        BoundedRateLimitHandler(max_retry_count=max_retries),
        ReadOnlyServerErrorHandler(max_retry_count=max_retries, interval_calculator=backoff),
        ConnectionErrorRetryHandler(
            max_retry_count=max_retries, interval_calculator=backoff, error_types=[URLError]
        ),
    ]
