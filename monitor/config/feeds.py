"""feeds.yaml section `feeds:`: the RSS/Atom sources, each validated at start-up."""

from __future__ import annotations

from typing import Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, field_validator

from signals.text import printable

#: What traffic a feed carries; picks the classifier's abstention thresholds for its titles
#: (signals.classifier.realnews.kinds). A feed that names none is `general_tech`.
FeedKind = Literal["general_tech", "ai", "finance", "search"]


class FeedConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=80)
    url: AnyHttpUrl
    enabled: bool = True
    tags: tuple[str, ...] = ()
    kind: FeedKind = "general_tech"

    @field_validator("name")
    @classmethod
    def _printable(cls, name: str) -> str:
        # The name keys the feed's stored state and heads its row in every table: '   '
        # was a feed with no visible name, and a control character went to the terminal.
        if not name.strip() or name != name.strip() or printable(name) != name:
            raise ValueError(f"{name!r}: give printable text without edge spaces")
        return name
