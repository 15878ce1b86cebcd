"""Who sells what, and which words say what kind of deal: the knowledge the rules use
when a title names two parties and a deal but no verb that says who pays ("Oracle, OpenAI
sign $300 billion cloud deal": the cloud seller is paid).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from signals.deals.models import Kind

#: How much a party is a seller of cloud capacity (2: that is its business; 1: one of its
#: businesses). The lower-ranked side of a compute deal pays.
CLOUD_SELLERS: Final[Mapping[str, int]] = {
    "Oracle": 2, "CoreWeave": 2, "Nebius": 2, "Lambda": 2, "Crusoe": 2, "Nscale": 2,
    "Microsoft": 1, "Amazon": 1, "Google": 1,
}  # fmt: skip
#: The same for chips, servers and memory.
CHIP_SELLERS: Final[Mapping[str, int]] = {
    "Nvidia": 2, "AMD": 2, "Broadcom": 2, "Intel": 2, "TSMC": 2, "Samsung": 2, "Micron": 2,
    "SK Hynix": 2, "Qualcomm": 2, "Arm": 2, "Cerebras": 2, "Groq": 2, "Marvell": 2,
    "Supermicro": 2, "Dell": 2, "Amazon": 1, "Google": 1,
}  # fmt: skip
#: Model builders and other private AI companies: in an investment they are the investee.
LABS: Final[frozenset[str]] = frozenset(
    {
        "OpenAI", "Anthropic", "xAI", "Mistral", "Scale AI", "Cohere", "Figure AI",
        "Thinking Machines", "Safe Superintelligence", "Inflection", "Perplexity", "DeepSeek",
        "Cursor", "Databricks", "Stargate",
    }
)  # fmt: skip

_W = re.IGNORECASE
#: The kind of a deal from its words, first match wins (most specific first).
KIND_WORDS: Final[tuple[tuple[Kind, re.Pattern[str]], ...]] = (
    ("warrant", re.compile(r"\bwarrants?\b|own stock will pay", _W)),
    ("guarantee", re.compile(r"\bbackstop\w*|\bguarantee\w*", _W)),
    ("loan", re.compile(r"\bloans?\b|\blend\w*|\bdebt\b|credit (?:line|facility)", _W)),
    ("acquisition", re.compile(r"\bacqui\w+|\btakeover\b|\blicens\w+|\bmerge\w*", _W)),
    (
        "chips",
        re.compile(
            r"\bchips?\b|\bGPUs?\b|\bCPUs?\b|\bTPUs?\b|accelerator|processor|silicon|wafer"
            r"|semiconductor|\bHBM\b|memory|gigawatts?\b.*\bchips?",
            _W,
        ),
    ),
    (
        "compute",
        re.compile(
            r"\bcloud\b|\bcomput\w*|data ?cent\w+|capacity|infrastructure|servers?\b"
            r"|supercomputer|gigawatt|\bAI services\b",
            _W,
        ),
    ),
)
EQUITY_WORDS: Final = re.compile(
    r"\binvest\w*|\bstake\b|\bfunding\b|\bbets?\b|\bbacks\b|\bshares\b|\bstock\b", _W
)


def kind_of(text: str, *, equity_verb: bool) -> Kind:
    """The deal's kind from its words; an investment verb makes it equity unless a more
    specific financing word (warrant, backstop, loan) is there."""
    for kind, pattern in KIND_WORDS:
        if equity_verb and kind not in ("warrant", "guarantee", "loan"):
            return "equity"
        if pattern.search(text):
            return kind
    return "equity" if equity_verb or EQUITY_WORDS.search(text) else "compute"


def kind_named(text: str) -> Kind | None:
    """The kind the words name, None when no word names one."""
    for kind, pattern in KIND_WORDS:
        if pattern.search(text):
            return kind
    return "equity" if EQUITY_WORDS.search(text) else None


def seller_rank(name: str, kind: Kind) -> int:
    if kind == "chips":
        return CHIP_SELLERS.get(name, 0)
    if kind == "compute":  # GPUs are compute too: a chipmaker sells it
        return max(CLOUD_SELLERS.get(name, 0), CHIP_SELLERS.get(name, 0))
    return max(CHIP_SELLERS.get(name, 0), CLOUD_SELLERS.get(name, 0))
