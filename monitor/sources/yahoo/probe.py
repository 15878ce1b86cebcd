"""Can Yahoo be reached at all? One ticker, alone, within a deadline, before the batch.

yfinance's batch download runs a thread per ticker, and every thread pays for the cookie,
crumb and timezone requests on its own, behind one lock and with timeouts of its own
(10-30 s, whatever `timeout` says). Offline that made `report` wait ~10 s for 43 DNS
failures, and minutes against a host that accepts connections and never answers. The
probe runs the same real download for the first ticker, without threads, in a daemon
thread that is given `deadline` seconds: no answer in time, or an answer that is a network
error (no DNS, connection refused, no route), and the batch is not started; the caller
raises `unreachable_error`, which the price collector does not retry within the run.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from monitor.errors import CollectError
from monitor.sources.yahoo.yf_messages import host_unresolved

if TYPE_CHECKING:
    import pandas as pd

#: The words every probe failure starts with (the collector's stop sign).
UNREACHABLE: Final = "Yahoo unreachable"
# How curl, urllib3 and the OS say a connection could not be made at all.
_NO_CONNECTION = re.compile(
    r"Connection refused|Network is unreachable|No route to host|Failed to connect"
    r"|Couldn't connect to server|Failed to establish a new connection",
    re.I,
)


def network_down(reason: str) -> bool:
    """True if `reason` says no connection to Yahoo could be made (DNS or connect)."""
    return host_unresolved(reason) or bool(_NO_CONNECTION.search(reason))


def probe_reason(fetch: Callable[[], pd.DataFrame], ticker: str, *, deadline: float) -> str | None:
    """Run `fetch` (a one-ticker download of `ticker`) for at most `deadline` seconds.
    None when Yahoo answered (bars, or a failure that is not the network's: an unknown
    ticker); else why it could not be reached. A rate limit is raised as it came."""
    from monitor.sources.yahoo.download import ERRORS_ATTR

    outcome: list[pd.DataFrame | BaseException] = []

    def run() -> None:
        try:
            outcome.append(fetch())
        except BaseException as e:  # handed to the caller's thread below
            outcome.append(e)

    # A daemon thread: a fetch that never returns is abandoned, not waited for at exit.
    thread = threading.Thread(target=run, name=f"yahoo-probe-{ticker}", daemon=True)
    thread.start()
    thread.join(deadline)
    if not outcome:
        return f"no answer within {deadline:g} s"
    result = outcome[0]
    if isinstance(result, BaseException):
        if isinstance(result, CollectError) and network_down(str(result)):
            return str(result)
        raise result
    reason = str(result.attrs.get(ERRORS_ATTR, {}).get(ticker.upper(), ""))
    return reason if result.empty and network_down(reason) else None


def unreachable_error(ticker: str, reason: str) -> CollectError:
    return CollectError(f"{UNREACHABLE} ({ticker} tried alone first): {reason}")


def yahoo_unreachable(reason: str) -> bool:
    """True for a failure the probe recorded (or a DNS failure): retrying in the same run
    would only wait longer for the same answer."""
    return UNREACHABLE in reason or host_unresolved(reason)


def joined(first: pd.DataFrame, rest: pd.DataFrame) -> pd.DataFrame:
    """The probe's frame and the batch's side by side, as one yf.download of all the
    tickers would be (rows: the union of days; yfinance's error messages of both)."""
    import pandas as pd

    from monitor.sources.yahoo.download import ERRORS_ATTR

    errors = {**first.attrs.get(ERRORS_ATTR, {}), **rest.attrs.get(ERRORS_ATTR, {})}
    parts = [f for f in (first, rest) if len(f.columns) and len(f.index)]
    frame = pd.concat(parts, axis=1, sort=True) if parts else pd.DataFrame()
    frame.attrs[ERRORS_ATTR] = errors
    return frame
