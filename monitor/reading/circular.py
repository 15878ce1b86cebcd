"""The reading's `circular` line: circular deals as of a reading, from the deals table.

Context, not a component of the index (not fitted; docs/circular-deals.md).
"""

from __future__ import annotations

from monitor.config import Config
from signals.deals.entities import EntityTable


def entity_table(config: Config) -> EntityTable:
    """The deal parties: the segments' aliases extended by signals.deals.entities.EXTRA."""
    return EntityTable.build([a for s in config.segments for a in s.aliases])
