"""Secret settings, read from the environment only: Slack's token, channel and webhook.

feeds.yaml holds everything else; secrets never go in a file the monitor reads, and this
object's repr masks them, so printing or logging it cannot leak a token.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, Literal
from urllib.parse import urlsplit

from monitor.errors import ConfigError

TOKEN_ENV = "SLACK_BOT_TOKEN"
CHANNEL_ENV = "SLACK_CHANNEL"
WEBHOOK_ENV = "SLACK_WEBHOOK_URL"
BASE_URL_ENV = "BUBBLE_MONITOR_SLACK_BASE_URL"
DEFAULT_BASE_URL = "https://slack.com/api/"

_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{8,}$")

SlackMode = Literal["bot", "webhook", "none"]


@dataclass(frozen=True, slots=True)
class SlackSettings:
    """How to reach Slack: a bot token + channel ID, or an incoming webhook, or nothing."""

    bot_token: str | None = None
    channel: str | None = None
    webhook_url: str | None = None
    base_url: str = DEFAULT_BASE_URL

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SlackSettings:
        """The settings from the environment (see `slack_settings`)."""
        return slack_settings(env)

    @property
    def configured(self) -> bool:
        return self.mode != "none"

    @property
    def mode(self) -> SlackMode:
        if self.bot_token and self.channel:
            return "bot"
        return "webhook" if self.webhook_url else "none"

    def secrets(self) -> tuple[str, ...]:
        """The values that must never appear in output (for redaction)."""
        return tuple(s for s in (self.bot_token, self.webhook_url) if s)

    def __repr__(self) -> str:
        token = _mask(self.bot_token)
        hook = "set (hidden)" if self.webhook_url else None
        return (
            f"SlackSettings(mode={self.mode!r}, bot_token={token}, channel={self.channel!r}, "
            f"webhook_url={hook!r}, base_url={self.base_url!r})"
        )

    __str__ = __repr__


def _mask(token: str | None) -> str:
    if not token:
        return "None"
    prefix = token.split("-", 1)[0] if token.startswith("xox") else ""
    return f"'{prefix}-***'" if prefix else "'***'"


def slack_settings(env: Mapping[str, str] | None = None) -> SlackSettings:
    """Read and check the Slack variables; ConfigError names the variable and the fix."""
    env = os.environ if env is None else env
    token = env.get(TOKEN_ENV, "").strip() or None
    channel = env.get(CHANNEL_ENV, "").strip() or None
    webhook = env.get(WEBHOOK_ENV, "").strip() or None
    base_url = env.get(BASE_URL_ENV, "").strip() or DEFAULT_BASE_URL
    if token is not None and not token.startswith("xox"):
        raise ConfigError(
            f"{TOKEN_ENV} does not look like a Slack token (expected xoxb-...): copy the "
            "Bot User OAuth Token from your app's OAuth & Permissions page"
        )
    if token is not None and channel is None:
        raise ConfigError(
            f"{TOKEN_ENV} is set but {CHANNEL_ENV} is not: set {CHANNEL_ENV} to the channel "
            "ID (like C0123ABCDEF; in Slack open the channel's details, the ID is at the bottom)"
        )
    if channel is not None:
        check_channel(channel)
    if webhook is not None:
        _check_url(WEBHOOK_ENV, webhook, show=False)
    _check_url(BASE_URL_ENV, base_url, show=True)
    if not base_url.endswith("/"):
        base_url += "/"
    return SlackSettings(token, channel, webhook, base_url)


def check_channel(channel: str) -> str:
    """Accept a channel ID; reject a #name (chat.postMessage needs the ID to be reliable)."""
    if channel.startswith("#") or not _CHANNEL_ID.match(channel):
        raise ConfigError(
            f"{CHANNEL_ENV}={channel!r} is not a channel ID: use the ID like C0123ABCDEF, not "
            "the #name (in Slack open the channel's details; the ID is at the bottom)"
        )
    return channel


def _check_url(name: str, url: str, *, show: bool) -> None:
    """An https URL; plain http only to this machine (a local stand-in in tests), because
    the bot token and the webhook's secret path would otherwise cross the network in clear."""
    parts = urlsplit(url)
    shown = f" ({url!r})" if show else ""
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{name} must be an https URL{shown}")
    if parts.scheme == "http" and not _is_loopback(parts.hostname or ""):
        raise ConfigError(
            f"{name} must use https{shown}: plain http is allowed only to loopback "
            "(127.0.0.1, ::1, localhost), so the Slack secret never travels unencrypted"
        )


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


REDACTED: Final[str] = "[REDACTED]"
#: Environment variables whose values are secrets wherever they appear.
SECRET_ENV: Final[tuple[str, ...]] = ("SLACK_BOT_TOKEN", "SLACK_WEBHOOK_URL", "SLACK_APP_TOKEN")
SECRET_PATTERNS: Final[tuple[re.Pattern[str], ...]] = (
    re.compile(r"xox[abeprs]-[A-Za-z0-9-]+"),  # Slack bot, user, app-level, refresh tokens
    re.compile(r"xapp-[A-Za-z0-9-]+"),
    re.compile(r"https?://hooks\.slack(?:-gov)?\.com/[^\s'\"<>]+"),
    re.compile(r"/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+"),  # a webhook path anywhere
    re.compile(r"(?i)(?<=authorization: bearer )[^\s'\"]+"),
)


#: A credential in a URL's query, as feed and API URLs carry them ("?apikey=..."): the
#: value goes, the name stays, so a log still says which parameter was set.
QUERY_SECRET: Final = re.compile(
    r"(?i)([?&;](?:api[_-]?key|apikey|key|token|access[_-]?token|auth|sig|signature|secret"
    r"|password|passwd|pwd|client[_-]?secret)=)[^&;#\s'\"<>]+"
)


#: A password in a URL's user part ("postgresql://user:pw@host/db"): the user stays.
URL_PASSWORD: Final = re.compile(
    r"(?i)\b([a-z][a-z0-9+.-]*://[^:@/\s'\"<>]*:)(?!\*\*\*@)[^@/\s'\"<>]+@"
)  # a password display_location already masked as *** stays as it is


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with known secret shapes and the given secret values replaced."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    for pattern in SECRET_PATTERNS:
        text = pattern.sub(REDACTED, text)
    text = URL_PASSWORD.sub(lambda m: m.group(1) + REDACTED + "@", text)
    return QUERY_SECRET.sub(lambda m: m.group(1) + REDACTED, text)


def env_secrets() -> tuple[str, ...]:
    """Values of the secret environment variables that are set (long enough to be real)."""
    return tuple(v for name in SECRET_ENV if len(v := os.environ.get(name, "")) >= 8)
