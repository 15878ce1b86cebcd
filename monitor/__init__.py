"""ai-bubble-monitor: I/O and wiring (config, store, collectors, Slack, scheduler, CLI)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ai-bubble-monitor")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
