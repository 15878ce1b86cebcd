"""What `doctor` checks of the Slack bot before the first alert: that it can post there.

auth.test said only that the token is valid and which scopes it has; an operator learned
at the first alert that the bot was not in the channel (`not_in_channel`), that the
channel ID named nothing it could see (`channel_not_found`) or that the channel was
archived. Without posting (a check must not put a message in the channel):
- auth.test: the token, and chat:write and files:write among the granted scopes;
- conversations.info on the configured channel: it exists for the bot, is not archived,
  and the bot is a member (or, in a public channel, holds chat:write.public);
- the history scope (channels:history, groups:history for a private channel), without
  which a post whose answer was lost (or a server error) cannot be checked in the channel
  and is not resent (monitor.notify.slack_post): a warning.
A token without channels:read (groups:read) cannot ask conversations.info: a warning that
names the scope, since membership then shows only at the first post. A 5xx on
conversations.info is Slack's trouble: a warning naming the status, not its HTML page.
"""

from __future__ import annotations

from typing import Any, Literal

from slack_sdk.errors import SlackApiError

from monitor.config.secrets import SlackSettings
from monitor.errors import NotifyError
from monitor.notify.slack import SlackBotNotifier
from monitor.notify.slack_errors import explain

Status = Literal["ok", "warn", "fail"]


def check_slack(settings: SlackSettings) -> tuple[Status, str]:
    """The status and a one-line detail of the configured Slack channel (see the module
    docstring); a webhook is only said to be configured (a check would post). NotifyError
    for a token Slack refuses."""
    if settings.mode == "webhook":
        return "ok", "webhook configured (not called: a check would post to the channel)"
    bot = SlackBotNotifier(settings, retries=[])
    info = bot.check()
    if info["missing_scopes"]:
        missing = ", ".join(info["missing_scopes"])
        return "fail", explain("auth.test", "missing_scope", {"needed": missing})
    granted: set[str] | None = set(info["scopes"]) if info["scopes"] is not None else None
    who = f"bot {info['user']} in {info['team']}"
    try:
        channel = bot.channel_info()
    except SlackApiError as e:
        return _refused(bot, e, who)
    return _channel_status(bot.channel, channel, granted, who)


def _refused(bot: SlackBotNotifier, e: SlackApiError, who: str) -> tuple[Status, str]:
    status = int(e.response.status_code)
    if status >= 500:  # Slack's trouble, not the setup's (its HTML page is not quoted)
        return "warn", (
            f"{who} authenticated, but channel {bot.channel} could not be checked: Slack "
            f"answered conversations.info with HTTP {status} (a server error); try again later"
        )
    data = e.response.data if isinstance(e.response.data, dict) else {}
    error = str(data.get("error") or f"HTTP {e.response.status_code}")
    if error == "missing_scope":
        needed = str(data.get("needed") or "channels:read")
        return "warn", (
            f"{who} authenticated, but whether it can post to channel {bot.channel} cannot be "
            f"checked: the app lacks {needed} (add channels:read, and groups:read for a "
            "private channel); a missing invite shows only at the first alert"
        )
    if error == "invalid_auth" or error in ("not_authed", "token_revoked", "account_inactive"):
        raise NotifyError(explain("conversations.info", error, data, channel=bot.channel))
    return "fail", explain("chat.postMessage", error, data, channel=bot.channel)


def _channel_status(
    channel: str, info: dict[str, Any], granted: set[str] | None, who: str
) -> tuple[Status, str]:
    private = bool(info.get("is_private"))
    name = f"#{info['name']} ({channel})" if info.get("name") else channel
    if info.get("is_archived"):
        return "fail", explain("chat.postMessage", "is_archived", channel=channel)
    public_post = not private and granted is not None and "chat:write.public" in granted
    if not info.get("is_member") and not public_post:
        return "fail", explain("chat.postMessage", "not_in_channel", channel=channel)
    history = "groups:history" if private else "channels:history"
    if granted is not None and history not in granted:
        return "warn", (
            f"{who} can post to {name}, but lacks {history}: a post whose answer is lost or "
            "a server error cannot be checked in the channel and is not resent (add the scope)"
        )
    return "ok", f"{who} can post to {name}"
