"""Whether a name given to `deals add` names a party: a company, fund or state that pays
or is paid. `deals add the and 1e9 ...` stored a confirmed $1B deal from "the" to "and",
a node of the graph and of its loops on the dashboard and in Slack.

A name is refused when it has no letter ("1234", "???"), when every word of it is a
function word ("the", "and", "of the"), or when it is one of the products and people the
deals' entity table knows are no party (`signals.deals.entities.NOT_PARTIES`: "ChatGPT",
"Claude", "Jensen Huang"). Names that merely contain such words ("The Carlyle Group",
"AND Capital", "3M") are kept: an unknown company is still a company.
"""

from __future__ import annotations

from typing import Final

#: English function words: articles, conjunctions, prepositions, pronouns, auxiliaries.
#: Short on purpose: a word that can be a name ("Apple", "Arm", "Meta") is never here,
#: nor a single letter ("A" is a ticker, and the placeholder of many examples).
_FUNCTION_WORDS = """
    an the and or nor but if then than so yet as of to in on at by for from with without
    into onto over under about after before between through during against among per via
    up down out off this that these those it its it's he she they them their his her we us
    our you your me my who whom whose which what where when why how is are was were be
    been being am has have had do does did will would shall should can could may might must
    not no yes all any some each every both either neither none other another such same
    own only also just very too more most less least much many few here there
"""
FUNCTION_WORDS: Final[frozenset[str]] = frozenset(_FUNCTION_WORDS.split())


def not_a_party(name: str) -> str | None:
    """Why `name` names no party, or None when it may be one."""
    from signals.deals.entities import NOT_PARTIES

    if not any(c.isalpha() for c in name):
        return "has no letter: give a company's or fund's name"
    words = [w.strip(".,;:!?'\"()").casefold() for w in name.split()]
    if all(w in FUNCTION_WORDS for w in words if w) or not any(words):
        return "is a common word, not a name: give a company's or fund's name"
    if name.casefold() in {p.casefold() for p in NOT_PARTIES}:
        return "is a product or a person, not a party: give the company that pays or is paid"
    return None
