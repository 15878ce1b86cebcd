"""Slack channels through slack-sdk: a bot (WebClient) or an incoming webhook.

Bot: `chat.postMessage` with Block Kit blocks and a plain-text fallback, then the index
chart as a PNG through `files_upload_v2` (getUploadURLExternal, the upload, then
completeUploadExternal) into the same channel, in the message's thread. Webhook: the same
blocks, no image. Both retry on 429 (waiting Retry-After), on 500/503 and on connection
errors with slack-sdk's own retry handlers. Slack's error codes become NotifyError
messages that name the fix; the token and the webhook URL never appear in them.
"""

from __future__ import annotations

import logging
import random
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError, SlackRequestError
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
from slack_sdk.webhook import WebhookClient

from monitor.config.secrets import CHANNEL_ENV, TOKEN_ENV, WEBHOOK_ENV, SlackSettings
from monitor.errors import NotifyError, PartialDeliveryError
from monitor.notify.base import stopping
from monitor.notify.slack_blocks import alert_blocks
from signals.models import Alert

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 20
CHART_FILENAME = "ai-bubble-index.png"
REQUIRED_SCOPES = ("chat:write", "files:write")

_FIXES: dict[str, str] = {
    "invalid_auth": f"{TOKEN_ENV} was rejected: copy the Bot User OAuth Token (xoxb-...) from "
    "your app's OAuth & Permissions page",
    "not_authed": f"no token reached Slack: set {TOKEN_ENV} to the bot token (xoxb-...)",
    "token_revoked": f"the token in {TOKEN_ENV} was revoked: reinstall the app and copy the "
    "new bot token",
    "account_inactive": f"the token in {TOKEN_ENV} belongs to a deactivated app or user",
    "channel_not_found": f"{CHANNEL_ENV} names no channel the bot can see: use the channel ID "
    "(like C0123ABCDEF) and, for a private channel, invite the bot first",
    "not_in_channel": "the bot is not a member of the channel: in Slack type "
    "`/invite @<your app>` in that channel",
    "is_archived": f"the channel in {CHANNEL_ENV} is archived: unarchive it or pick another",
    "ratelimited": "Slack kept rate-limiting after the retries: try again later",
    "HTTP 500": "Slack had a server error after the retries: try again later",
    "HTTP 503": "Slack is unavailable after the retries: try again later",
    "invalid_blocks": "Slack rejected the message layout (invalid_blocks); please report it",
    "msg_too_long": "the message was too long for Slack; please report it",
}


class _StoppableRateLimitHandler(RateLimitErrorRetryHandler):
    """slack-sdk's 429 handler (waits Retry-After, then retries), whose wait ends when the
    service stops (monitor.notify.base.stopping): then no retry is made and the caller
    sees the 429. Slack did not take the message, so giving up never doubles it."""

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
        after = next((v for k, v in response.headers.items() if k.lower() == "retry-after"), None)
        wait = float(after[0] if isinstance(after, list) else after or 1) + random.random()
        if stopping.wait(wait):
            return  # next_attempt_requested stays False: the client returns the 429
        state.next_attempt_requested = True
        state.increment_current_attempt()


def retry_handlers(
    max_retries: int = 2, interval: RetryIntervalCalculator | None = None
) -> list[RetryHandler]:
    """429 (sleeps Retry-After), 500/503 and connection errors, each retried up to twice
    (the last two with exponential backoff, 0.5 s then 1 s, unless `interval` is given)."""
    backoff = interval or BackoffRetryIntervalCalculator(backoff_factor=0.5)
    return [
        _StoppableRateLimitHandler(max_retry_count=max_retries),
        ServerErrorRetryHandler(max_retry_count=max_retries, interval_calculator=backoff),
        ConnectionErrorRetryHandler(max_retry_count=max_retries, interval_calculator=backoff),
    ]


def explain(method: str, error: str, data: dict[str, Any] | None = None) -> str:
    """A message for a Slack error code that says what to do about it."""
    if error == "missing_scope":
        needed = str((data or {}).get("needed") or ", ".join(REQUIRED_SCOPES))
        return (
            f"Slack {method}: the app lacks the scope {needed}: add chat:write and files:write "
            "under OAuth & Permissions > Bot Token Scopes, reinstall the app, and use the new "
            "token"
        )
    fix = _FIXES.get(error, "see https://api.slack.com/methods/" + method)
    return f"Slack {method} failed ({error}): {fix}"


class _Redacting:
    def __init__(self, secrets: tuple[str, ...]) -> None:
        self.secrets = secrets

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text


class SlackBotNotifier:
    """Posts alerts with a bot token into one channel, the chart in the message's thread."""

    name = "slack"
    wants_chart = True

    def __init__(
        self,
        settings: SlackSettings,
        *,
        client: WebClient | None = None,
        retries: list[RetryHandler] | None = None,
    ) -> None:
        if not settings.bot_token or not settings.channel:
            raise NotifyError(f"Slack bot needs {TOKEN_ENV} and {CHANNEL_ENV}")
        self.channel = settings.channel
        self._redact = _Redacting(settings.secrets())
        self.client = client or WebClient(
            token=settings.bot_token,
            base_url=settings.base_url,
            timeout=TIMEOUT_SECONDS,
            retry_handlers=retries if retries is not None else retry_handlers(),
        )

    def send(self, alert: Alert, *, chart: bytes | None = None) -> None:
        blocks, text = alert_blocks(alert)
        response = self._call(
            "chat.postMessage",
            lambda: self.client.chat_postMessage(
                channel=self.channel, text=text, blocks=blocks, unfurl_links=False
            ),
        )
        if chart is not None:
            self._upload_chart(chart, thread_ts=str(response.get("ts") or "") or None)

    def _upload_chart(self, chart: bytes, *, thread_ts: str | None) -> None:
        """The chart is a nicety: the message is already out, so a failure is a partial
        delivery (the manager counts the alert as sent and the job log keeps the warning)."""
        try:
            self._call(
                "files_upload_v2",
                lambda: self.client.files_upload_v2(
                    channel=self.channel,
                    file=chart,
                    filename=CHART_FILENAME,
                    title="AI bubble index history",
                    thread_ts=thread_ts,
                ),
            )
        except NotifyError as e:
            log.warning("chart not uploaded: %s", e)
            raise PartialDeliveryError(f"chart not uploaded: {e}") from e

    def check(self) -> dict[str, Any]:
        """auth.test: who the bot is and which required scopes it lacks (for doctor)."""
        response = self._call("auth.test", self.client.auth_test)
        scopes = _header(response.headers, "x-oauth-scopes")
        granted = {s.strip() for s in scopes.split(",") if s.strip()} if scopes else None
        missing = [] if granted is None else [s for s in REQUIRED_SCOPES if s not in granted]
        return {
            "team": response.get("team"),
            "user": response.get("user"),
            "bot_id": response.get("bot_id"),
            "scopes": sorted(granted) if granted is not None else None,
            "missing_scopes": missing,
        }

    def _call(self, method: str, call: Any) -> Any:
        try:
            return call()
        except SlackApiError as e:
            data = e.response.data if isinstance(e.response.data, dict) else {}
            status = int(e.response.status_code)
            error = str(data.get("error") or "") if status < 500 else ""
            error = error or f"HTTP {status}"
            # files_upload_v2 makes several calls: name the one Slack refused.
            method = str(e.response.api_url or method).rsplit("/", 1)[-1]
            raise NotifyError(self._redact(explain(method, error, data))) from None
        except SlackRequestError as e:
            raise NotifyError(self._redact(f"Slack {method} failed: {e}")) from None
        except (SlackClientError, URLError, OSError) as e:
            reason = getattr(e, "reason", None) or type(e).__name__
            raise NotifyError(
                self._redact(f"cannot reach Slack for {method} at {self.client.base_url}: {reason}")
            ) from None


class SlackWebhookNotifier:
    """Posts the same blocks to an incoming webhook (no image: webhooks cannot upload)."""

    name = "slack-webhook"
    wants_chart = False

    def __init__(
        self,
        settings: SlackSettings,
        *,
        client: WebhookClient | None = None,
        retries: list[RetryHandler] | None = None,
    ) -> None:
        if not settings.webhook_url:
            raise NotifyError(f"Slack webhook needs {WEBHOOK_ENV}")
        self._redact = _Redacting(settings.secrets())
        self.client = client or WebhookClient(
            settings.webhook_url,
            timeout=TIMEOUT_SECONDS,
            retry_handlers=retries if retries is not None else retry_handlers(),
        )

    def send(self, alert: Alert, *, chart: bytes | None = None) -> None:
        blocks, text = alert_blocks(alert)
        try:
            response = self.client.send(text=text, blocks=blocks, unfurl_links=False)
        except (SlackClientError, URLError, OSError) as e:
            reason = getattr(e, "reason", None) or type(e).__name__
            raise NotifyError(self._redact(f"cannot reach the Slack webhook: {reason}")) from None
        if response.status_code != 200:
            body = self._redact(str(response.body or "").strip()[:200])
            fix = _WEBHOOK_FIXES.get(body, "check the webhook in your app's Incoming Webhooks")
            raise NotifyError(
                f"Slack webhook refused the message (HTTP {response.status_code}, {body}): {fix}"
            )


_WEBHOOK_FIXES: dict[str, str] = {
    "no_service": f"the webhook was removed or revoked: create a new one and update {WEBHOOK_ENV}",
    "invalid_token": f"the webhook URL is not valid: copy it again into {WEBHOOK_ENV}",
    "channel_not_found": "the webhook's channel was deleted: create a new webhook",
    "channel_is_archived": "the webhook's channel is archived: unarchive it or use a new webhook",
    "action_prohibited": "a workspace admin restricted posting to this channel",
    "invalid_blocks": "Slack rejected the message layout (invalid_blocks); please report it",
}


def _header(headers: Any, name: str) -> str | None:
    for key, value in dict(headers or {}).items():
        if key.lower() == name:
            return str(value[0] if isinstance(value, list) else value)
    return None


def check_auth(settings: SlackSettings) -> str:
    """For `doctor`: a one-line status, or NotifyError naming the fix.

    Bot: auth.test with the token, then the granted scopes (x-oauth-scopes) against
    chat:write and files:write. Webhook: only the URL's presence (posting would send a
    message to the channel).
    """
    if settings.mode == "webhook":
        return "webhook configured (not called: a check would post to the channel)"
    info = SlackBotNotifier(settings).check()
    if info["missing_scopes"]:
        missing = ", ".join(info["missing_scopes"])
        raise NotifyError(explain("auth.test", "missing_scope", {"needed": missing}))
    return f"bot {info['user']} in {info['team']} authenticated; channel {settings.channel}"
