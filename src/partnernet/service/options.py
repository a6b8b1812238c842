"""The options of an analysis, checked: one-line errors naming the accepted values."""

from __future__ import annotations

from typing import Any

import networkx as nx

from partnernet.dates import parse_period
from partnernet.graph.geography.south import DEFINITIONS
from partnernet.graph.schema import RelType
from partnernet.graph.schema.properties import PARTNERSHIP_KINDS
from partnernet.vocabulary import (
    DEFINITIONS as DEFINITION_NAMES,
)
from partnernet.vocabulary import (
    GROUP_BY,
    GROUP_LABELS,
    PROJECTIONS,
    REGIONS,
    choose,
)

__all__ = ["KINDS", "check_options", "describe_definition", "partnership_kinds"]

#: Every partnership kind the schema allows (``PARTNERS_WITH {kind}``).
KINDS: tuple[str, ...] = PARTNERSHIP_KINDS


def describe_definition(definition: str) -> dict[str, str]:
    choose(definition, DEFINITION_NAMES, "Global South definition")
    return DEFINITIONS[definition].describe()


def check_options(g: nx.MultiDiGraph | None, *, projection=None, kinds=None, since=None,
                  until=None, regions=None, group_labels=None, group_by=None,
                  definition=None) -> dict[str, Any]:
    """Every option with a closed set of values, checked: one-line errors naming the
    accepted values and the closest (:class:`partnernet.vocabulary.UnknownValue`).
    Partnership kinds are checked against the schema's (``g`` is not needed for them)."""
    out: dict[str, Any] = {}
    out["projection"] = choose(projection, PROJECTIONS, "projection") if projection else None
    out["since"] = parse_period(since, "since") if since else None
    out["until"] = parse_period(until, "until") if until else None
    out["regions"] = sorted({choose(r, REGIONS, "region") for r in regions}) if regions \
        else None
    out["group_labels"] = sorted({choose(x, GROUP_LABELS, "group label")
                                  for x in group_labels}) if group_labels else None
    if group_by is not None:
        choose(group_by, GROUP_BY, "group-by attribute")
    if definition is not None:
        choose(definition, DEFINITION_NAMES, "Global South definition")
    # partnership kinds are the schema's (a closed set): an unknown one is refused naming
    # them; a known kind the store does not hold gives an empty result that names the
    # kinds it holds (see why_empty)
    out["kinds"] = sorted({choose(k, KINDS, "partnership kind") for k in kinds}) \
        if kinds else None
    return out


def partnership_kinds(g: nx.MultiDiGraph) -> dict[str, int]:
    out: dict[str, int] = {}
    for _, _, d in g.edges(data=True):
        if d.get("type") == RelType.PARTNERS_WITH.value and d.get("kind") is not None:
            out[str(d["kind"])] = out.get(str(d["kind"]), 0) + 1
    return dict(sorted(out.items()))
