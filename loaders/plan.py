"""What a loader produces: validated records plus a report of what it noticed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from partnernet.graph.schema import Node, Relationship

__all__ = ["LoadPlan"]


@dataclass
class LoadPlan:
    """Nodes and relationships ready for ``GraphStore.load``, and notes for the user."""

    nodes: list[Node] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    stats: Counter = field(default_factory=Counter)
    details: dict[str, Any] = field(default_factory=dict)
    #: where each relationship came from: identity -> (file, row, start column, end column)
    origins: dict[tuple, tuple[str, int | None, str | None, str | None]] = field(
        default_factory=dict)
    #: load options the format readers consult (``unknown_countries``...)
    options: dict[str, Any] = field(default_factory=dict)

    def add_relationship(self, rel: Relationship, file: str, row: int | None,
                         columns: tuple[str | None, str | None] = ("start", "end")) -> None:
        """Add ``rel``, remembering the file, row and columns its ends came from."""
        self.relationships.append(rel)
        self.origins.setdefault(rel.identity, (file, row, columns[0], columns[1]))

    def extend(self, other: LoadPlan) -> LoadPlan:
        self.nodes += other.nodes
        self.relationships += other.relationships
        for k, v in other.origins.items():
            self.origins.setdefault(k, v)
        self.notes += other.notes
        self.stats.update(other.stats)
        for k, v in other.details.items():
            self.details.setdefault(k, v)
        return self
