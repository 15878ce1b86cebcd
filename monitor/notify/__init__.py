"""Notification channels: Slack (bot or webhook) or the console, behind one manager.

`build_notifier(settings)` turns the Slack settings (read from the environment by the App,
monitor/app.py) into channels: a bot token and channel ID give the bot channel, else a
webhook URL gives the webhook channel, else alerts go to the console.
"""

from __future__ import annotations

from typing import TextIO

from monitor.config.secrets import SlackSettings
from monitor.notify.base import Delivery, Notifier, NotifierManager
from monitor.notify.console import ConsoleNotifier

__all__ = [
    "ConsoleNotifier",
    "Delivery",
    "Notifier",
    "NotifierManager",
    "build_notifier",
]


def build_notifier(settings: SlackSettings, *, console: TextIO | None = None) -> NotifierManager:
    """The channels `settings` configure (the App reads them from its environment)."""
    if settings.mode == "bot":
        from monitor.notify.slack import SlackBotNotifier

        return NotifierManager([SlackBotNotifier(settings)])
    if settings.mode == "webhook":
        from monitor.notify.slack import SlackWebhookNotifier

        return NotifierManager([SlackWebhookNotifier(settings)])
    return NotifierManager([ConsoleNotifier(console)])
