"""The local Slack stand-in (tests/slack_server.py) with what the service's Slack checks
need beyond posting, on 127.0.0.1.

- conversations.history: the channel's recorded messages
  since `oldest`, each with its `metadata` only when `include_all_metadata` is asked for
  (as Slack does); `missing_scope` without channels:history.
- conversations.info: the channel with `is_member`; `channel_not_found` for another.
- chat.postMessage answers `not_in_channel` when the bot is not a member.
- `lose_answers(n)`: the next n chat.postMessage calls are posted (recorded) and their
  answer is held past the client's timeout, so the client sees a read timeout after Slack
  took the message (with `messages_lost`, Slack did not keep it either); `drop_answers(n)`:
  the connection is closed instead of answering. Both apply to the webhook's posts too.
"""

from __future__ import annotations

import threading
import time
from http.server import ThreadingHTTPServer
from typing import Any

from tests.slack_server import CHANNEL, TOKEN, Scripted, SlackStandIn, _handler, slack_error

HISTORY_SCOPES = "chat:write,files:write,channels:history,channels:read"


class QuietServer(ThreadingHTTPServer):
    """A client that gave up closes its socket: the late answer's broken pipe is expected."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class SlackWithHistory(SlackStandIn):
    """Start with `with SlackWithHistory() as slack:` (see the module docstring)."""

    def __init__(
        self,
        *,
        token: str = TOKEN,
        channels: tuple[str, ...] = (CHANNEL,),
        member_of: tuple[str, ...] | None = None,
        hold_seconds: float = 1.0,
    ) -> None:
        super().__init__(token=token, channels=channels)
        self.scopes = HISTORY_SCOPES
        self.member_of = set(channels if member_of is None else member_of)
        self.hold_seconds = hold_seconds
        self._lost = 0
        self._dropped = 0
        self._last_ts = 0.0
        #: A lost answer's post is not kept either (Slack failed before storing it).
        self.messages_lost = False
        self.server.server_close()
        self.server = QuietServer(("127.0.0.1", 0), _dropping(self))
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.release = threading.Event()

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        super().__exit__(*exc)

    def lose_answers(self, n: int = 1) -> None:
        self._lost += n

    def drop_answers(self, n: int = 1) -> None:
        self._dropped += n

    def posted(self) -> list[dict[str, Any]]:
        """The bot's messages in the channel (not the webhook's)."""
        return [m for m in self.messages if "ts" in m]

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> Scripted:
        reply = super().handle(path, headers, body)
        kind = self._kind(path)
        posted = kind == "chat.postMessage" and isinstance(reply.body, dict)
        took = reply.body == "ok" if kind == "webhook" else posted and reply.body.get("ok") is True
        if took:
            if self._lost:
                self._lost -= 1
                if self.messages_lost:  # Slack failed before keeping it
                    self.messages.pop()
                self.release.wait(self.hold_seconds)  # the client times out meanwhile
            elif self._dropped:
                self._dropped -= 1
                raise ConnectionAbortedError("answer dropped")
        return reply

    def _api(self, method: str, form: dict[str, Any]) -> Scripted:
        if method == "conversations.history":
            return self._history(form)
        if method == "conversations.info":
            return self._info(form)
        outside = form.get("channel") in self.channels - self.member_of
        if method == "chat.postMessage" and outside and "chat:write.public" not in self.scopes:
            return slack_error("not_in_channel")
        return super()._api(method, form)

    def _post_message(self, form: dict[str, Any]) -> Scripted:
        """As the stand-in's, with `ts` on the real clock (conversations.history's `oldest`
        is compared with it, as Slack does)."""
        if form.get("channel") not in self.channels:
            return slack_error("channel_not_found")
        ts = f"{max(time.time(), self._last_ts + 1e-6):.6f}"
        self._last_ts = float(ts)
        self.messages.append({**form, "ts": ts})
        return Scripted(
            200, {"ok": True, "channel": form["channel"], "ts": ts, "message": {"ts": ts}}
        )

    def _history(self, query: dict[str, Any]) -> Scripted:
        if "channels:history" not in self.scopes:
            return slack_error("missing_scope", needed="channels:history")
        channel = query.get("channel")
        if channel not in self.channels:
            return slack_error("channel_not_found")
        oldest = float(query.get("oldest") or 0)
        with_metadata = query.get("include_all_metadata") in ("1", "true", "True")
        messages = [
            {
                "type": "message",
                "ts": m["ts"],
                "text": m.get("text"),
                **({"metadata": m["metadata"]} if with_metadata and "metadata" in m else {}),
            }
            for m in reversed(self.posted())
            if m.get("channel") == channel and float(m["ts"]) >= oldest
        ]
        return Scripted(200, {"ok": True, "messages": messages, "has_more": False})

    def _info(self, query: dict[str, Any]) -> Scripted:
        if "channels:read" not in self.scopes:
            return slack_error("missing_scope", needed="channels:read")
        channel = query.get("channel")
        if channel not in self.channels:
            return slack_error("channel_not_found")
        member = channel in self.member_of
        info = {"id": channel, "name": "bubble-alerts", "is_member": member, "is_archived": False}
        return Scripted(200, {"ok": True, "channel": info})


def _dropping(slack: SlackWithHistory) -> type:
    base = _handler(slack)

    class Handler(base):  # type: ignore[misc,valid-type]
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            try:
                super().do_POST()
            except ConnectionAbortedError:
                self.close_connection = True  # the answer is never sent

    return Handler
