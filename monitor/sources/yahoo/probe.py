"""Can Yahoo be reached at all? One plain request, within a deadline, before the batch.

yfinance's batch download runs a thread per ticker, and every thread pays for the cookie,
crumb and timezone requests on its own, behind one lock and with timeouts of its own
(10-30 s, whatever `timeout` says). Offline that made `report` wait ~10 s for 43 DNS
failures, minutes against a host that accepts connections and never answers, and a refused
connection was retried four times with backoff. Its error text also depends on what the
process has cached (a known timezone turns a refused connection into "possibly delisted"),
so the probe does not read it: it sends one GET to Yahoo's API host through the session
yfinance will use (so proxies and test transports apply), in a daemon thread given
`deadline` seconds. Any HTTP answer, even a 404, means Yahoo can be reached; an exception
(no DNS, refused, no route, timed out, TLS) or no answer in time means it cannot, and the
caller raises `unreachable_error`, which the price collector does not retry within the run.
"""

from __future__ import annotations

import threading
from typing import Any, Final

from monitor.errors import CollectError
from monitor.sources.yahoo.yf_messages import host_unresolved

#: Yahoo's API host, the one every price request goes to; its root answers 404 at once.
PROBE_URL: Final = "https://query2.finance.yahoo.com/"
#: The words every probe failure starts with (the collector's stop sign).
UNREACHABLE: Final = "Yahoo unreachable"


def probe_reason(session: Any, *, deadline: float) -> str | None:
    """None when a GET of PROBE_URL through `session` got any HTTP answer within
    `deadline` seconds; else why not (the exception, or "no answer within N s")."""
    outcome: list[str | None] = []

    def run() -> None:
        try:
            session.get(PROBE_URL, timeout=deadline)
        except Exception as e:  # every transport error means the same here
            # curl appends a long "See https://curl.se/..." hint; the reason is before it.
            text = f"{type(e).__name__}: {e}".split(" See https://")[0]
            outcome.append(" ".join(text.split())[:300])
        else:
            outcome.append(None)

    # A daemon thread: a request that never returns is abandoned, not waited for at exit.
    # It ends on its own at the session's timeout (the same `deadline`; curl_cffi's, the
    # service's session, bounds the whole transfer): measured against a silent host, none
    # are left 0.1 s later (tests/test_qaslack2_probe_threads.py). A requests session
    # bounds each read only: a host trickling bytes would keep its thread.
    thread = threading.Thread(target=run, name="yahoo-probe", daemon=True)
    thread.start()
    thread.join(deadline)
    return outcome[0] if outcome else f"no answer within {deadline:g} s"


def unreachable_error(ticker: str, reason: str) -> CollectError:
    return CollectError(f"{UNREACHABLE} (before asking for {ticker}): {reason}")


def yahoo_unreachable(reason: str) -> bool:
    """True for a failure the probe recorded (or a DNS failure): retrying in the same run
    would only wait longer for the same answer."""
    return UNREACHABLE in reason or host_unresolved(reason)
