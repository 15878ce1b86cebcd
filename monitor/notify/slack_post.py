"""chat.postMessage at most once per alert, when Slack's answer is lost.

Slack has no idempotency key. A post whose answer never came back (a read timeout, the
connection closed after the request went out) may have been posted: resending it blindly
(slack-sdk's connection retry did, and the alert stage's release-and-retry on the next
run did) put the alert in the channel twice. So every post carries message `metadata`
(event_type `bubble_monitor_alert`, payload `alert_id` = the alert's dedup key), and after
a lost answer the channel's recent history (conversations.history with
include_all_metadata) is searched for that id before posting again:
- found: the alert is out; its `ts` threads the chart;
- not found: posted once more (up to POST_ATTEMPTS posts in all);
- the history cannot be read (no channels:history / groups:history scope, Slack
  unreachable): UncertainDeliveryError, and the alert stage keeps its claim rather than
  risk a second post (the job log says to check the channel).
An error before the request went out (connection refused: urllib's URLError) never
reached Slack and is retried by slack-sdk as before.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from http.client import BadStatusLine, IncompleteRead
from typing import Any, Final, Protocol

from slack_sdk import WebClient

from monitor.errors import NotifyError, UncertainDeliveryError
from monitor.notify.slack_errors import TRY_LATER

log = logging.getLogger(__name__)

ALERT_EVENT: Final[str] = "bubble_monitor_alert"
#: Raised while reading the answer, after the whole request was sent (urllib raises them
#: unwrapped from getresponse(); a failure while sending is a URLError). RemoteDisconnected
#: is both a ConnectionResetError and a BadStatusLine.
ANSWER_LOST: Final[tuple[type[BaseException], ...]] = (
    TimeoutError,
    ConnectionResetError,
    BadStatusLine,
    IncompleteRead,
)
#: Posts of one alert in one send: the first, and one more when the channel shows none.
POST_ATTEMPTS: Final[int] = 2
#: How far before the post the history is read: room for our clock being behind Slack's.
LOOKBACK_SECONDS: Final[float] = 600.0
#: Messages read back; an alerts channel does not get 200 messages in ten minutes.
HISTORY_LIMIT: Final[int] = 200


class Caller(Protocol):
    """The notifier's call wrapper: runs `call`, turning Slack's errors into NotifyError
    (redacted), except the exception types of `passthrough`."""

    def __call__(
        self,
        method: str,
        call: Callable[[], Any],
        *,
        passthrough: tuple[type[BaseException], ...] = (),
    ) -> Any: ...


def alert_metadata(key: str) -> dict[str, Any]:
    """The message metadata that names the alert (Slack shows it to apps, not people)."""
    return {"event_type": ALERT_EVENT, "event_payload": {"alert_id": key}}


def posted_ts(messages: Iterable[Mapping[str, Any]], key: str) -> str | None:
    """The `ts` of the message among `messages` that carries the alert `key`, or None."""
    for message in messages:
        meta = message.get("metadata") or {}
        payload = meta.get("event_payload") or {}
        if meta.get("event_type") == ALERT_EVENT and payload.get("alert_id") == key:
            return str(message.get("ts") or "") or None
    return None


def post_once(
    client: WebClient,
    channel: str,
    key: str,
    call: Caller,
    *,
    text: str,
    blocks: list[dict[str, Any]],
    redact: Callable[[str], str],
) -> str | None:
    """Post the alert `key` into `channel`; the message's `ts` (None if Slack gave none).
    See the module docstring for a lost answer. `redact` keeps the token out of what a
    lost answer's error says (urllib's text may quote the request)."""
    started = time.time()

    def post() -> Any:
        return client.chat_postMessage(
            channel=channel,
            text=text,
            blocks=blocks,
            unfurl_links=False,
            metadata=alert_metadata(key),
        )

    reason = ""
    for _ in range(POST_ATTEMPTS):
        try:
            response = call("chat.postMessage", post, passthrough=ANSWER_LOST)
        except ANSWER_LOST as e:
            reason = redact(_reason(e))
            ts = _find(client, channel, key, call, since=started, reason=reason)
            if ts is not None:
                log.warning(
                    "alert %s: answer lost (%s) but Slack posted it; not resent", key, reason
                )
                return ts
            log.warning(
                "alert %s: answer lost (%s) and not in the channel; posting again", key, reason
            )
            continue
        return str(response.get("ts") or "") or None
    raise NotifyError(
        f"Slack chat.postMessage for channel {channel}: no answer ({reason}) in "
        f"{POST_ATTEMPTS} tries and the channel shows no such post: {TRY_LATER}"
    )


def _find(
    client: WebClient, channel: str, key: str, call: Caller, *, since: float, reason: str
) -> str | None:
    try:
        response = call(
            "conversations.history",
            lambda: client.conversations_history(
                channel=channel,
                oldest=f"{since - LOOKBACK_SECONDS:.6f}",
                include_all_metadata=True,
                limit=HISTORY_LIMIT,
            ),
        )
    except NotifyError as e:
        raise UncertainDeliveryError(
            f"Slack chat.postMessage for channel {channel}: no answer ({reason}) after the "
            f"post went out, and the channel could not be checked for it ({e}): not resent, "
            "since Slack may have posted it; check the channel (the check needs the "
            "channels:history scope, groups:history for a private channel)"
        ) from None
    return posted_ts(response.get("messages") or [], key)


def _reason(e: BaseException) -> str:
    return f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
