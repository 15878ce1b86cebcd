"""chat.postMessage at most once per alert, when Slack's answer is lost or a server error.

Slack has no idempotency key. A post whose answer never came back (a read timeout, the
connection closed after the request went out) may have been posted; so may one Slack
answered with a server error (HTTP 500, 502, 503, 504, from Slack or a proxy in front of
it, or `ok: false` with `internal_error` / `fatal_error`, which Slack documents as "it's
possible some aspect of the operation succeeded"). Resending it blindly (slack-sdk's
connection and 5xx retries did, and the alert stage's release-and-retry on the next run
did) put the alert in the channel twice. So every post carries message `metadata`
(event_type `bubble_monitor_alert`, payload `alert_id` = the alert's dedup key), and after
a lost answer or a server error the channel's recent history (conversations.history with
include_all_metadata) is searched for that id before posting again:
- found: the alert is out; its `ts` threads the chart;
- not found: posted once more (up to POST_ATTEMPTS posts in all; after a server error
  the check waits SERVER_ERROR_PAUSE_SECONDS first, as slack-sdk's retry did);
- the history cannot be read (no channels:history / groups:history scope, Slack
  unreachable): UncertainDeliveryError, and the alert stage keeps its claim rather than
  risk a second post (the job log says to check the channel).
An error before the request went out (connection refused: urllib's URLError) never
reached Slack and is retried by slack-sdk as before; so is a 429 (Slack did not take it).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from http.client import BadStatusLine, IncompleteRead
from typing import Any, Final, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from monitor.errors import NotifyError, UncertainDeliveryError
from monitor.notify.base import stopping
from monitor.notify.slack_errors import TRY_LATER

log = logging.getLogger(__name__)


class _PostServerError(Exception):
    """chat.postMessage answered with a server error (or an answer that cannot be read):
    the post may have been made. Its text says what came back."""


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
#: Slack's error codes after which "some aspect of the operation" may have succeeded
#: (api.slack.com's common errors): the post may be in the channel.
MAYBE_DONE_ERRORS: Final[frozenset[str]] = frozenset({"internal_error", "fatal_error"})
#: Wait before checking the channel after a server error: room for Slack to recover and
#: for a post it took to show in the history (slack-sdk's 5xx retry waited 0.5 s, 1 s).
SERVER_ERROR_PAUSE_SECONDS: Final[float] = 1.0
#: An answer slack-sdk could not decode (its status unread): the post may have been made.
UNDECODABLE: Final[str] = "an answer that is not UTF-8 (a proxy's error page?)"
#: What makes a post's outcome unknown: its answer lost, or a server error.
UNSURE: Final[tuple[type[BaseException], ...]] = (*ANSWER_LOST, _PostServerError)
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
    pause: float = SERVER_ERROR_PAUSE_SECONDS,
) -> str | None:
    """Post the alert `key` into `channel`; the message's `ts` (None if Slack gave none).
    See the module docstring for a lost answer and a server error (`pause` seconds before
    its check). `redact` keeps the token out of what a lost answer's error says (urllib's
    text may quote the request)."""
    started = time.time()

    def post() -> Any:
        try:
            return client.chat_postMessage(
                channel=channel,
                text=text,
                blocks=blocks,
                unfurl_links=False,
                metadata=alert_metadata(key),
            )
        except SlackApiError as e:
            what = server_error(e)
            if what is None:
                raise  # a refusal (not_in_channel, 429...): the caller explains it
            raise _PostServerError(f"a server error ({what})") from None
        except UnicodeDecodeError:
            # slack-sdk decodes an answer's body before looking at its status: a page
            # that is not UTF-8 (a proxy's 502) says nothing of whether Slack posted.
            raise _PostServerError(UNDECODABLE) from None

    what = ""
    for attempt in range(1, POST_ATTEMPTS + 1):
        try:
            response = call("chat.postMessage", post, passthrough=UNSURE)
        except UNSURE as e:
            if isinstance(e, _PostServerError):
                what = str(e)
                stopping.wait(pause)
            else:
                what = f"no answer ({redact(_reason(e))})"
            ts = _find(client, channel, key, call, since=started, what=what)
            if ts is not None:
                log.warning("alert %s: %s, but Slack posted it; not resent", key, what)
                return ts
            again = "posting again" if attempt < POST_ATTEMPTS else "giving up"
            log.warning("alert %s: %s and not in the channel; %s", key, what, again)
            continue
        return str(response.get("ts") or "") or None
    raise NotifyError(
        f"Slack chat.postMessage for channel {channel}: {what} in {POST_ATTEMPTS} tries "
        f"and the channel shows no such post: {TRY_LATER}"
    )


def server_error(e: SlackApiError) -> str | None:
    """What Slack answered when its answer says the post may have been made: the status
    of any 5xx ("HTTP 503"; its body, an HTML error page, is not quoted) or the error code
    (internal_error, fatal_error). None for a refusal that says it was not made."""
    status = int(e.response.status_code)
    if status >= 500:
        return f"HTTP {status}"
    data = e.response.data if isinstance(e.response.data, dict) else {}
    error = str(data.get("error") or "")
    return error if status == 200 and error in MAYBE_DONE_ERRORS else None


def _find(
    client: WebClient, channel: str, key: str, call: Caller, *, since: float, what: str
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
            f"Slack chat.postMessage for channel {channel}: {what} after the post went "
            f"out, and the channel could not be checked for it ({e}): not resent, since "
            "Slack may have posted it; check the channel (the check needs the "
            "channels:history scope, groups:history for a private channel)"
        ) from None
    return posted_ts(response.get("messages") or [], key)


def _reason(e: BaseException) -> str:
    return f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
