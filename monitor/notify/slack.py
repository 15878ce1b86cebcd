"""Slack channels through slack-sdk: a bot (WebClient) or an incoming webhook.

Bot: `chat.postMessage` with Block Kit blocks and a plain-text fallback, then the index
chart as a PNG through `files_upload_v2` (getUploadURLExternal, the upload, then
completeUploadExternal) into the same channel, in the message's thread. Webhook: the same
blocks, no image. Both retry on 429 (waiting Retry-After up to a minute) and on connection
errors before the request went out; a 500/503 is retried only for the calls that post
nothing (monitor.notify.slack_retry). A post that may have been made (its answer lost, or
a 5xx) is never resent blindly: the bot checks the channel first
(monitor.notify.slack_post); the webhook, which cannot, does not resend it. Slack's error
codes become NotifyError messages that name the fix and the channel
(monitor.notify.slack_errors); the token and the webhook URL never appear in them nor in
slack-sdk's log lines.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.error import HTTPError, URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError, SlackRequestError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.webhook import WebhookClient

from monitor.config.secrets import CHANNEL_ENV, TOKEN_ENV, WEBHOOK_ENV, SlackSettings
from monitor.errors import NotifyError, PartialDeliveryError, UncertainDeliveryError
from monitor.notify.slack_blocks import alert_blocks
from monitor.notify.slack_errors import (
    REQUIRED_SCOPES,
    Redactor,
    explain,
    rate_limited,
    sdk_logger,
    server_failure,
    webhook_refusal,
    webhook_unsure,
)
from monitor.notify.slack_post import (
    ANSWER_LOST,
    SERVER_ERROR_PAUSE_SECONDS,
    UNDECODABLE,
    post_once,
)
from monitor.notify.slack_retry import (
    MAX_RETRY_AFTER_SECONDS,
    retry_after_seconds,
    retry_handlers,
)
from signals.models import Alert

__all__ = [
    "REQUIRED_SCOPES",
    "SlackBotNotifier",
    "SlackWebhookNotifier",
    "explain",
    "retry_handlers",
]

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 20
CHART_FILENAME = "ai-bubble-index.png"


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
        timeout: float = TIMEOUT_SECONDS,
        server_error_pause: float = SERVER_ERROR_PAUSE_SECONDS,
    ) -> None:
        if not settings.bot_token or not settings.channel:
            raise NotifyError(f"Slack bot needs {TOKEN_ENV} and {CHANNEL_ENV}")
        self.channel = settings.channel
        self.server_error_pause = server_error_pause
        self._redact = Redactor(settings.secrets())
        self.client = client or WebClient(
            token=settings.bot_token,
            base_url=settings.base_url,
            timeout=timeout,  # type: ignore[arg-type]  # typed int; urllib takes seconds as float
            retry_handlers=retries if retries is not None else retry_handlers(),
            logger=sdk_logger(settings.secrets()),
        )

    def send(self, alert: Alert, *, chart: bytes | None = None) -> None:
        blocks, text = alert_blocks(alert)
        # Tagged with the alert's id and never posted twice (monitor.notify.slack_post).
        ts = post_once(
            self.client,
            self.channel,
            alert.dedup_key,
            self._call,
            text=text,
            blocks=blocks,
            redact=self._redact,
            pause=self.server_error_pause,
        )
        if chart is not None:
            self._upload_chart(chart, thread_ts=ts)

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

    def channel_info(self) -> dict[str, Any]:
        """conversations.info on the channel (for doctor); Slack's refusal is raised as
        slack-sdk's SlackApiError, for the caller to read its error code."""
        response = self._call(
            "conversations.info",
            lambda: self.client.conversations_info(channel=self.channel),
            passthrough=(SlackApiError,),
        )
        return dict(response.get("channel") or {})

    def _call(
        self,
        method: str,
        call: Any,
        *,
        passthrough: tuple[type[BaseException], ...] = (),
    ) -> Any:
        try:
            return call()
        except passthrough:
            raise
        except SlackApiError as e:
            raise NotifyError(self._redact(self._refusal(method, e))) from None
        except SlackRequestError as e:
            raise NotifyError(self._redact(f"Slack {method} failed: {e}")) from None
        except HTTPError as e:  # the file upload URL answered (slack-sdk does not retry it)
            raise NotifyError(
                self._redact(
                    f"Slack {method} failed (HTTP {e.code} {e.reason} from the file upload) "
                    f"for channel {self.channel}: Slack refused the file; try again later"
                )
            ) from None
        except (SlackClientError, URLError, OSError) as e:
            reason = getattr(e, "reason", None) or type(e).__name__
            raise NotifyError(
                self._redact(f"cannot reach Slack for {method} at {self.client.base_url}: {reason}")
            ) from None
        except Exception as e:  # anything else from the client: its text may quote a secret
            raise NotifyError(
                self._redact(
                    f"Slack {method} failed for channel {self.channel}: {type(e).__name__}: {e}"
                )
            ) from None

    def _refusal(self, method: str, e: SlackApiError) -> str:
        data = e.response.data if isinstance(e.response.data, dict) else {}
        status = int(e.response.status_code)
        # files_upload_v2 makes several calls: name the one Slack refused.
        method = str(e.response.api_url or method).rsplit("/", 1)[-1]
        if status == 429:
            wait = retry_after_seconds(e.response.headers)
            if wait > MAX_RETRY_AFTER_SECONDS:
                where = f" for channel {self.channel}"
                return rate_limited(f"Slack {method} failed", wait, where)
        if status >= 500:
            return server_failure(method, status, channel=self.channel)
        error = str(data.get("error") or "")
        return explain(method, error or f"HTTP {status}", data, channel=self.channel)


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
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        if not settings.webhook_url:
            raise NotifyError(f"Slack webhook needs {WEBHOOK_ENV}")
        self._redact = Redactor(settings.secrets())
        self.client = client or WebhookClient(
            settings.webhook_url,
            timeout=timeout,  # type: ignore[arg-type]  # typed int; urllib takes a float
            retry_handlers=retries if retries is not None else retry_handlers(),
            logger=sdk_logger(settings.secrets()),
        )

    def send(self, alert: Alert, *, chart: bytes | None = None) -> None:
        blocks, text = alert_blocks(alert)
        try:
            response = self.client.send(text=text, blocks=blocks, unfurl_links=False)
        except ANSWER_LOST as e:
            # Sent, answer lost: a webhook's channel cannot be read back, and resending
            # could post it twice (monitor.notify.slack_post); the alert stage keeps it.
            raise UncertainDeliveryError(
                self._redact(webhook_unsure(f"no answer ({type(e).__name__}: {e})"))
            ) from None
        except UnicodeDecodeError:  # an error page slack-sdk could not decode: status unread
            raise UncertainDeliveryError(webhook_unsure(UNDECODABLE)) from None
        except (SlackClientError, URLError, OSError) as e:
            reason = getattr(e, "reason", None) or type(e).__name__
            raise NotifyError(self._redact(f"cannot reach the Slack webhook: {reason}")) from None
        except Exception as e:  # anything else from the client: its text may quote the URL
            raise NotifyError(
                self._redact(f"Slack webhook failed: {type(e).__name__}: {e}")
            ) from None
        if response.status_code >= 500:
            # Slack (or a proxy before it) may have posted it before failing; a webhook's
            # channel cannot be read back, so it is not resent (the alert stage keeps it).
            raise UncertainDeliveryError(
                webhook_unsure(f"a server error (HTTP {response.status_code})")
            )
        if response.status_code != 200:
            body = self._redact(str(response.body or ""))
            wait = retry_after_seconds(response.headers) if response.status_code == 429 else None
            raise NotifyError(webhook_refusal(response.status_code, body, wait))


def _header(headers: Any, name: str) -> str | None:
    for key, value in dict(headers or {}).items():
        if key.lower() == name:
            return str(value[0] if isinstance(value, list) else value)
    return None
