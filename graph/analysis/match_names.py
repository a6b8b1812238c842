"""Names to node ids for matching: the seeker, a theme, an SOP partner category; an unknown
name raises :class:`UnknownNode` with the closest names."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import networkx as nx

from partnernet.graph.schema import NodeLabel, name_key

if TYPE_CHECKING:
    from partnernet.graph.analysis.matching import MatchIndex

__all__ = ["CANDIDATE_LABELS", "UnknownNode", "category_id", "name_hits", "resolve_node",
           "theme_id"]

#: Who can be matched: cities, subnational governments, partners and networks.
CANDIDATE_LABELS = (NodeLabel.CITY.value, NodeLabel.SUBNATIONAL.value, NodeLabel.PARTNER.value,
                     NodeLabel.NETWORK.value)


class UnknownNode(LookupError):
    """A name or id that matches nothing; ``suggestions`` holds the closest names."""

    def __init__(self, text: str, suggestions: list[dict[str, str]]):
        self.text, self.suggestions = text, suggestions
        hint = "; did you mean " + ", ".join(f"{s['name']} ({s['id']})" for s in suggestions) \
            + "?" if suggestions else ""
        super().__init__(f"no node called {text!r}{hint}")


def resolve_node(g: nx.MultiDiGraph, text: str, *,
                 labels: Iterable[str] = CANDIDATE_LABELS,
                 index: MatchIndex | None = None) -> str:
    """A node id from an id or a (case- and accent-insensitive) name.

    A name shared by several nodes resolves to the reference (non-generated) one,
    else the largest; an unknown one raises :class:`UnknownNode` with close matches.

    >>> g = nx.MultiDiGraph(); g.add_node("city:br:maringa", label="City", name="Maringá")
    >>> resolve_node(g, "MARINGA")
    'city:br:maringa'
    """
    if text in g:
        return text
    hits = name_hits(g, text, labels=labels, index=index)
    if hits:
        return hits[0]
    labels = set(labels)
    key = name_key(text)
    import difflib

    names = {name_key(str(d.get("name", ""))): v for v, d in g.nodes(data=True)
             if d.get("label") in labels}
    close = difflib.get_close_matches(key, list(names), n=5, cutoff=0.6)
    contains = [k for k in names if key and key in k][:5]
    picks = list(dict.fromkeys(close + contains))[:5]
    raise UnknownNode(text, [{"id": names[k], "name": g.nodes[names[k]].get("name", k)}
                             for k in picks])


def name_hits(g: nx.MultiDiGraph, text: str, *,
              labels: Iterable[str] = CANDIDATE_LABELS,
              index: MatchIndex | None = None) -> list[str]:
    """Every node named ``text`` (case- and accent-insensitive), in the order
    :func:`resolve_node` prefers them: reference before generated, then the largest
    population, then the id.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("city:es:valencia", label="City", name="Valencia", population=792_000)
    >>> g.add_node("city:ve:valencia", label="City", name="Valencia", population=1_385_000)
    >>> name_hits(g, "valencia")
    ['city:ve:valencia', 'city:es:valencia']
    """
    key = name_key(text)
    labels = set(labels)
    if index is not None:
        hits = [v for v in index.names.get(key, []) if g.nodes[v].get("label") in labels]
    else:
        hits = [v for v, d in g.nodes(data=True) if d.get("label") in labels
                and name_key(str(d.get("name", ""))) == key]
    hits.sort(key=lambda v: (bool(g.nodes[v].get("generated")),
                             -(g.nodes[v].get("population") or 0), str(v)))
    return hits


def theme_id(g: nx.MultiDiGraph, text: str) -> str | None:
    key = name_key(text)
    for v, d in g.nodes(data=True):
        if d.get("label") == NodeLabel.THEME.value and (name_key(str(d.get("name"))) == key
                                                         or v == f"theme:{text}"):
            return v
    raise UnknownNode(text, [{"id": v, "name": d.get("name")} for v, d in g.nodes(data=True)
                             if d.get("label") == NodeLabel.THEME.value
                             and key[:4] in name_key(str(d.get("name")))][:5])


def category_id(g: nx.MultiDiGraph, text: str) -> str:
    key = name_key(str(text))
    for v, d in g.nodes(data=True):
        if d.get("label") != NodeLabel.PARTNER_CATEGORY.value:
            continue
        if v == text or str(d.get("number")) == key or name_key(str(d.get("name"))) == key \
                or d.get("roman") == key:
            return v
    raise UnknownNode(str(text), [{"id": v, "name": d.get("name")}
                                  for v, d in g.nodes(data=True)
                                  if d.get("label") == NodeLabel.PARTNER_CATEGORY.value][:5])
