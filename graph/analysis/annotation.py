"""Each actor's country, region, subregion and Global South/North bloc, set on the graph."""

from __future__ import annotations

import networkx as nx

from partnernet.graph.analysis.roles import ACTOR_LABELS, MEMBER_LABELS
from partnernet.graph.geography.countries import countries
from partnernet.graph.geography.south import south_of
from partnernet.graph.schema import NodeLabel, RelType

__all__ = ["UN_CATEGORY", "annotate"]

UN_CATEGORY = "category:03-un-agencies"


def annotate(g: nx.MultiDiGraph, *, definition: str = "g77") -> nx.MultiDiGraph:
    """Set ``country``, ``region``, ``subregion`` and ``bloc`` on the actors of ``g`` (in place).

    A node's country is its ``country`` property, a Country node's own code, or the
    country it is LOCATED_IN (directly or through a city). ``bloc`` is ``"UN"`` for
    partners in SOP category (iii) UN agencies, funds and programmes and for UN-Habitat's
    focal units, else ``"South"``/``"North"``/``"Unclassified"`` from the country under
    ``definition`` (``g77``, ``dac`` or ``wb-income``).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("city:br:x", label="City", name="X", country="BR")
    >>> annotate(g).nodes["city:br:x"]["bloc"], g.nodes["city:br:x"]["region"]
    ('South', 'Latin America and the Caribbean')
    """
    table = countries()
    un = {a for a, b, d in g.edges(data=True)
          if d.get("type") == RelType.IN_CATEGORY.value and b == UN_CATEGORY}
    located: dict[str, str] = {}
    for a, b, d in g.edges(data=True):
        if d.get("type") == RelType.LOCATED_IN.value:
            located[a] = b
    labels = set(ACTOR_LABELS) | set(MEMBER_LABELS)

    def country_of(n: str, d: dict) -> str | None:
        if d.get("country"):
            return str(d["country"]).upper()
        if d.get("label") == NodeLabel.COUNTRY.value:
            return str(d.get("iso2") or n.split(":", 1)[-1]).upper()
        where = located.get(n)
        for _ in range(2):  # a partner located in a city located in a country
            if where is None or where not in g:
                return None
            wd = g.nodes[where]
            if wd.get("label") == NodeLabel.COUNTRY.value:
                return str(wd.get("iso2") or where.split(":", 1)[-1]).upper()
            if wd.get("country"):
                return str(wd["country"]).upper()
            where = located.get(where)
        return None

    for n, d in g.nodes(data=True):
        if d.get("label") not in labels:
            continue
        cc = country_of(n, d)
        if cc and cc in table:
            d.setdefault("region", table[cc].m49_region)
            if table[cc].subregion:
                d.setdefault("subregion", table[cc].subregion)
            if d.get("label") != NodeLabel.COUNTRY.value:
                d.setdefault("country", cc)
        if d.get("label") not in (NodeLabel.NETWORK.value, NodeLabel.FOCAL_UNIT.value):
            d.setdefault("region", "Unknown")  # a place whose country is not known
        if n in un or d.get("label") == NodeLabel.FOCAL_UNIT.value:
            d["bloc"] = "UN"
        else:
            d["bloc"] = south_of(cc, definition)
    return g
