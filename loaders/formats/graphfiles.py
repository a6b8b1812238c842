"""GraphML and GEXF files, read with NetworkX.

Node attributes: ``node_label`` (or ``label`` naming a schema label) gives the
partnernet label, ``name`` (or ``label``) the name, ``source`` the source; the rest
become properties. Edge attributes: ``rel_type`` (or ``type``/``label`` naming a schema
type), ``rel_key``; the rest become properties. List values are JSON strings.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx

from partnernet.graph.schema import NodeLabel, RelType
from partnernet.loaders.errors import LoadErrors, RowError
from partnernet.loaders.formats.gephi import local_id, node_label_of, rel_type_of
from partnernet.loaders.formats.values import cell_props, set_direction
from partnernet.loaders.plan import LoadPlan
from partnernet.loaders.records import make_node, make_relationship

__all__ = ["plan_graph_file"]

_DROP_NODE = {"node_label", "name", "source", "label", "id", "viz", "spells", "start", "end",
              "pid"}
_DROP_EDGE = {"rel_type", "rel_key", "type", "id", "key", "viz", "spells"}


def _read(path: Path, fmt: str, name: str) -> nx.Graph:
    text = path.read_bytes()
    if b"<!DOCTYPE" in text[:2000] or b"<!ENTITY" in text[:5000]:
        raise LoadErrors([RowError(name, None, None, "XML with a DOCTYPE or ENTITY "
                                   "declaration is refused (entity expansion attacks)")])
    try:
        if fmt == "graphml":
            return nx.read_graphml(path, force_multigraph=True)
        return nx.read_gexf(path)
    except (ET.ParseError, nx.NetworkXError, ValueError, KeyError, TypeError) as exc:
        raise LoadErrors([RowError(name, None, None, f"not a readable {fmt.upper()} file: "
                                   f"{exc}")]) from exc


def plan_graph_file(path: Path, fmt: str, errors: list[RowError], plan: LoadPlan, *,
                    default_label: NodeLabel, default_type: RelType) -> None:
    name = path.name
    g = _read(path, fmt, name)
    ids: dict[str, str] = {}
    for i, (raw, data) in enumerate(g.nodes(data=True), start=1):
        label = node_label_of(data.get("node_label")) or node_label_of(data.get("label")) \
            or default_label
        node_id = local_id(str(raw), label)
        ids[str(raw)] = node_id
        props = cell_props({k: v for k, v in data.items() if k not in _DROP_NODE},
                           exclude=set(), label=label)
        display = data.get("name") or (data.get("label") if not node_label_of(data.get("label"))
                                       else None) or str(raw)
        node = make_node({"id": node_id, "label": label, "name": str(display),
                          "source": data.get("source") or f"loaded from {name}", "props": props},
                         file=f"{name} node {raw!r}", row=i, errors=errors)
        if node is not None:
            plan.nodes.append(node)
    edges = g.edges(keys=True, data=True) if g.is_multigraph() else \
        ((a, b, None, d) for a, b, d in g.edges(data=True))
    for i, (a, b, _k, data) in enumerate(edges, start=1):
        rtype = rel_type_of(data.get("rel_type")) or rel_type_of(data.get("type")) \
            or rel_type_of(data.get("label")) or default_type
        drop = set(_DROP_EDGE)
        if rel_type_of(data.get("label")):
            drop.add("label")
        props = cell_props({k: v for k, v in data.items() if k not in drop}, exclude=set(),
                           rtype=rtype)
        set_direction(props, rtype, g.is_directed())
        rel = make_relationship({"start": ids[str(a)], "type": rtype, "end": ids[str(b)],
                                 "key": str(data.get("rel_key") or ""), "props": props},
                                file=f"{name} edge {a!r}->{b!r}", row=i, errors=errors)
        if rel is not None:
            plan.relationships.append(rel)
