"""The GSY flag's hold: a switch between frothy and bubble is announced only once it held.

Above the top probability edge a live reading says "bubble" when the GSY flag is up (a
2-year run-up of 100% or more) and "frothy" when it is not. A run-up hovering at the 100%
line turned the flag on and off every few sessions, and each turn was a regime alert
(2026-04-01..07-14: 5 of 9 alerts). The switch is now taken only when every reading on
FLAG_HOLD_SESSIONS session days in a row says the new word.

The rule was fixed before measuring: one trading week (5 sessions), which fits inside
the 7 days of readings each alert run sees. It is not fitted to any date; the replay over
the real prices, with 2, 3 and 5 sessions, is in docs/slack.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

FLAG_HOLD_SESSIONS: Final[int] = 5
FLAG_WORDS: Final[frozenset[str]] = frozenset({"frothy", "bubble"})


@dataclass(frozen=True, slots=True)
class FlagHold:
    """A frothy <-> bubble switch the readings say and not yet held long enough: the new
    word and the session days it was said on (empty: none pending)."""

    word: str | None = None
    days: frozenset[date] = frozenset()

    def step(self, current: str, moved: str, day: date) -> tuple[str, FlagHold]:
        """The confirmed regime after a reading of `day` whose own move from `current` is
        `moved`, and the hold to carry to the next reading."""
        if current not in FLAG_WORDS or moved not in FLAG_WORDS or moved == current:
            return moved, FlagHold()
        days = (self.days if self.word == moved else frozenset()) | {day}
        if len(days) >= FLAG_HOLD_SESSIONS:
            return moved, FlagHold()
        return current, FlagHold(moved, days)
