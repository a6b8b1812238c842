"""The options of an analysis, checked: one-line errors naming the accepted values."""

from __future__ import annotations

from typing import Any

import networkx as nx

from partnernet.dates import parse_period
from partnernet.graph.geography.south import DEFINITIONS
from partnernet.graph.schema import RelType
from partnernet.vocabulary import (
    DEFINITIONS as DEFINITION_NAMES,
)
from partnernet.vocabulary import (
    GROUP_BY,
    GROUP_LABELS,
    PROJECTIONS,
    REGIONS,
    UnknownValue,
    choose,
)

__all__ = ["check_options", "describe_definition", "partnership_kinds"]


def describe_definition(definition: str) -> dict[str, str]:
    choose(definition, DEFINITION_NAMES, "Global South definition")
    return DEFINITIONS[definition].describe()


def check_options(g: nx.MultiDiGraph | None, *, projection=None, kinds=None, since=None,
                  until=None, regions=None, group_labels=None, group_by=None,
                  definition=None) -> dict[str, Any]:
    """Every option with a closed set of values, checked: one-line errors naming the
    accepted values and the closest (:class:`partnernet.vocabulary.UnknownValue`).
    Partnership kinds are checked against the store's graph ``g`` (skipped without)."""
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
    # partnership kinds are the data's own (an open set): a kind the store does not hold
    # gives an empty result that names the kinds it holds and the closest (see _empty)
    if kinds and g is not None:
        present = partnership_kinds(g)
        out["kinds"] = sorted({_spelled(k, present) for k in kinds})
    else:
        out["kinds"] = sorted(set(kinds)) if kinds else None
    return out


def partnership_kinds(g: nx.MultiDiGraph) -> dict[str, int]:
    out: dict[str, int] = {}
    for _, _, d in g.edges(data=True):
        if d.get("type") == RelType.PARTNERS_WITH.value and d.get("kind") is not None:
            out[str(d["kind"])] = out.get(str(d["kind"]), 0) + 1
    return dict(sorted(out.items()))


def _spelled(kind: str, present: dict[str, int]) -> str:
    """``kind`` as the store spells it (case-insensitively), else as given."""
    try:
        return choose(kind, present, "partnership kind")
    except UnknownValue:
        return kind
