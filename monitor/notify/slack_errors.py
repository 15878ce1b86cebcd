"""What Slack's refusals mean, in messages that name the fix, and the secrets kept out.

Slack answers a bot with an error code (`channel_not_found`, `invalid_auth`...) and a
webhook with an HTTP status and a short body (`no_service`...). Each becomes one line
that says what to do, naming the channel the bot posts to (a channel ID is no secret).
The bot token and the webhook URL never appear: every message passes through `Redactor`,
and slack-sdk's own log lines ("Going to retry the same request: POST <webhook URL>", at
INFO) go through a logger that redacts them before any handler sees them.
"""

from __future__ import annotations

import logging
from typing import Any, Final
from urllib.parse import urlsplit

from monitor.config.secrets import CHANNEL_ENV, TOKEN_ENV, WEBHOOK_ENV, redact
from monitor.notify.slack_retry import MAX_RETRY_AFTER_SECONDS, RETRIED_ON_SERVER_ERROR

REQUIRED_SCOPES: Final[tuple[str, ...]] = ("chat:write", "files:write")
TRY_LATER: Final[str] = "try again later (the service retries an alert on its next run)"

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
    "ratelimited": f"Slack kept rate-limiting after the retries: {TRY_LATER}",
    "invalid_blocks": "Slack rejected the message layout (invalid_blocks); please report it",
    "msg_too_long": "the message was too long for Slack; please report it",
}

_WEBHOOK_FIXES: dict[str, str] = {
    "no_service": f"the webhook was removed or revoked: create a new one and update {WEBHOOK_ENV}",
    "invalid_token": f"the webhook URL is not valid: copy it again into {WEBHOOK_ENV}",
    "channel_not_found": "the webhook's channel was deleted: create a new webhook",
    "channel_is_archived": "the webhook's channel is archived: unarchive it or use a new webhook",
    "action_prohibited": "a workspace admin restricted posting to this channel",
    "invalid_blocks": "Slack rejected the message layout (invalid_blocks); please report it",
}


def explain(
    method: str, error: str, data: dict[str, Any] | None = None, *, channel: str | None = None
) -> str:
    """A message for a Slack error code that says what to do about it."""
    where = f" for channel {channel}" if channel else ""
    if error == "missing_scope":
        needed = str((data or {}).get("needed") or ", ".join(REQUIRED_SCOPES))
        return (
            f"Slack {method}{where}: the app lacks the scope {needed}: add chat:write and "
            "files:write under OAuth & Permissions > Bot Token Scopes, reinstall the app, and "
            "use the new token"
        )
    fix = _FIXES.get(error, "see https://api.slack.com/methods/" + method)
    return f"Slack {method} failed ({error}){where}: {fix}"


def server_failure(method: str, status: int, *, channel: str) -> str:
    """A 5xx Slack answered `method` with (its body, an HTML page, says nothing more). Only
    a method that posts nothing was retried (monitor.notify.slack_retry); one that posts
    may have been done before the error, so it was not repeated."""
    head = f"Slack {method} failed (HTTP {status}) for channel {channel}"
    if method not in RETRIED_ON_SERVER_ERROR:
        return (
            f"{head}: Slack had a server error; not retried, since Slack may have done it "
            "before failing"
        )
    return f"{head}: Slack had a server error: {TRY_LATER}"


def webhook_unsure(what: str) -> str:
    """A webhook post whose outcome is unknown (`what`: its answer lost, or a 5xx)."""
    return (
        f"Slack webhook: {what} after the post went out: not resent, since Slack may have "
        "posted it (a webhook's channel cannot be read back); check the channel"
    )


def rate_limited(what: str, wait: float, where: str = "") -> str:
    """A 429 that was not retried because Slack asked for a longer wait than we give."""
    return (
        f"{what} (ratelimited){where}: Slack asked to wait {wait:.0f} s, longer than the "
        f"{MAX_RETRY_AFTER_SECONDS:.0f} s the monitor waits; {TRY_LATER}"
    )


def webhook_refusal(status: int, body: str, wait: float | None = None) -> str:
    """The message for a webhook's refusal, a 4xx (`body` already redacted; a 5xx is
    `webhook_unsure`)."""
    if status == 429:
        if wait is not None and wait > MAX_RETRY_AFTER_SECONDS:
            return rate_limited("Slack webhook refused the message (HTTP 429)", wait)
        return (
            f"Slack webhook refused the message (HTTP 429): Slack kept rate-limiting; {TRY_LATER}"
        )
    short = body.strip()[:200]
    fix = _WEBHOOK_FIXES.get(short, "check the webhook in your app's Incoming Webhooks")
    return f"Slack webhook refused the message (HTTP {status}, {short}): {fix}"


class Redactor:
    """Removes the bot token and the webhook URL (and its secret path alone, which
    http.client quotes) from a text, and any other known secret shape."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        paths = tuple(urlsplit(s).path for s in secrets if s.startswith("http"))
        self.secrets = tuple(s for s in (*secrets, *paths) if len(s) > 1)

    def __call__(self, text: str) -> str:
        return redact(text, self.secrets)


class _RedactingFilter(logging.Filter):
    """Redacts every record of slack-sdk's client logger with the secrets registered."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        text = Redactor(tuple(sorted(self.secrets)))(record.getMessage())
        record.msg, record.args = text, ()
        return True


SDK_LOGGER_NAME: Final[str] = "monitor.notify.slack_sdk"
_filter = _RedactingFilter()


def sdk_logger(secrets: tuple[str, ...]) -> logging.Logger:
    """The logger handed to slack-sdk's clients: its lines come out with `secrets`
    redacted, whatever handler the application (or the service) attached."""
    logger = logging.getLogger(SDK_LOGGER_NAME)
    _filter.secrets.update(secrets)
    if _filter not in logger.filters:
        logger.addFilter(_filter)
    return logger
