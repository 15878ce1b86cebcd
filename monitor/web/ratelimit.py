"""A limit on failed logins per client address: a sliding window with a bounded table.

After `max_failures` wrong tokens (login form or bearer header) from one client within
`window`, that client's further attempts are refused unchecked until the oldest of those
failures leaves the window: checking them would tell a guesser which guess was right.
A correct login clears the client's failures. The table holds at most `max_clients`
addresses: expired entries go first, then the least recently failing ones, so a flood of
addresses costs bounded memory (each evicted address may guess again, but each address
only ever gets `max_failures` guesses per window while it is held).

IPv6 clients are counted by their /64 prefix: one host usually has a whole /64 to itself,
and counting single addresses would give it 2**64 fresh windows.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

#: Keys for clients whose address is not an IP (a unix socket, a proxy's odd header) are
#: cut to this length so a hostile header cannot pin a large string in the table.
MAX_KEY_CHARS: Final[int] = 64


@dataclass(frozen=True)
class LoginLimit:
    """The limit's settings; `monotonic` is the clock (seconds), injectable for tests."""

    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    max_clients: int = 10_000
    monotonic: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        if self.max_failures < 1 or self.max_clients < 1 or self.window <= timedelta(0):
            raise ValueError(f"login limit needs positive values, got {self}")


def client_key(host: str | None) -> str:
    """The table key for a client address: IPv4 as is, IPv6 by its /64, IPv4-mapped IPv6
    as the IPv4 address, anything else (no address, not an IP) as a short literal."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host[:MAX_KEY_CHARS]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


class LoginLimiter:
    """Counts failures per client key; thread-safe (the app may run handlers on threads)."""

    def __init__(self, limit: LoginLimit | None = None) -> None:
        self.limit = limit or LoginLimit()
        self._window = self.limit.window.total_seconds()
        #: key -> failure times, oldest first (at most max_failures: a short list is smaller
        #: than a deque); the dict is ordered by each key's newest failure.
        self._failures: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._failures)

    def retry_after(self, key: str) -> int:
        """Whole seconds until `key` may try again; 0 when it may try now."""
        now = self.limit.monotonic()
        with self._lock:
            times = self._failures.get(key)
            if times is None:
                return 0
            self._drop_old(times, now)
            if len(times) < self.limit.max_failures:
                return 0
            return max(1, math.ceil(times[0] + self._window - now))

    def failed(self, key: str) -> int:
        """Records a failed attempt; returns how many more `key` may make in the window."""
        now = self.limit.monotonic()
        with self._lock:
            self._expire(now)
            times = self._failures.pop(key, None)
            if times is None:
                times = []
                while len(self._failures) >= self.limit.max_clients:
                    self._failures.popitem(last=False)
            self._drop_old(times, now)
            times.append(now)
            del times[: -self.limit.max_failures]
            self._failures[key] = times  # re-inserted last: the newest failure
            return self.limit.max_failures - len(times)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _drop_old(self, times: list[float], now: float) -> None:
        while times and times[0] <= now - self._window:
            del times[0]

    def _expire(self, now: float) -> None:
        # Keys are ordered by their newest failure, so the expired ones are at the front.
        while self._failures:
            key, times = next(iter(self._failures.items()))
            if times[-1] > now - self._window:
                return
            del self._failures[key]


def wait_words(seconds: int) -> str:
    """`seconds` for a person: "14 min 32 s", "40 s"."""
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"
