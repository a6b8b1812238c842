"""GraphML and GEXF files (read by :mod:`partnernet.loaders.formats.graphxml`).

Node attributes: ``node_label`` (or ``label`` naming a schema label) gives the
partnernet label, ``name`` (or ``label``) the name, ``source`` the source; the rest
become properties. Edge attributes: ``rel_type`` (or ``type``/``label`` naming a schema
type), ``rel_key``; the rest become properties. Values keep the type their key declares;
a text value holding a JSON list (``["a", "b"]``) is a list, unless its attribute is
named ``name:text``. An unknown ``node_label`` or ``rel_type`` is refused, naming the
closest known one. Undirected edges (``directed="false"``, ``type="undirected"``) are
one relationship each, from source to target.
"""

from __future__ import annotations

from pathlib import Path

from partnernet.graph.schema import NodeLabel, RelType
from partnernet.graph.schema.records import ID_RE
from partnernet.loaders.errors import RowError
from partnernet.loaders.formats.gephi import local_id, node_label_of, rel_type_of, unknown_name
from partnernet.loaders.formats.graphxml import read_graph_xml
from partnernet.loaders.formats.values import NATIVE, Row, _json_list, cell_props, split_column
from partnernet.loaders.limits import Caps
from partnernet.loaders.places import country_cell, enrich_place
from partnernet.loaders.plan import LoadPlan
from partnernet.loaders.records import make_node, make_relationship

__all__ = ["plan_graph_file"]

_DROP_NODE = {"node_label", "name", "source", "label", "id"}
_DROP_EDGE = {"rel_type", "rel_key", "type", "id", "key"}


def _row(attrs: dict) -> Row:
    """Typed attributes as a row; JSON-list text becomes a list (not in ``:text`` names)."""
    out = {}
    for k, v in attrs.items():
        if isinstance(v, str) and split_column(k)[1] is None:
            parsed = _json_list(v.strip())
            if parsed is not None:
                v = parsed
        out[k] = v
    return Row(out, kinds=NATIVE)


def plan_graph_file(path: Path, fmt: str, errors: list[RowError], plan: LoadPlan, *,
                    default_label: NodeLabel, default_type: RelType,
                    caps: Caps | None = None) -> None:
    name = path.name
    graph = read_graph_xml(path, fmt, caps=caps, name=name)
    plan.notes += graph.notes
    ids: dict[str, str] = {}
    nfile, efile = f"{name} nodes", f"{name} edges"
    for i, (raw, data) in enumerate(graph.nodes, start=1):
        declared = str(data.get("node_label") or "").strip() or None  # blank: not given
        if declared is not None and node_label_of(declared) is None:
            errors.append(RowError(nfile, i, "node_label",
                                   unknown_name("node label", declared, NodeLabel)))
            continue
        label = node_label_of(declared) or node_label_of(data.get("label")) or default_label
        node_id = local_id(str(raw), label)
        if str(raw) in ids:
            errors.append(RowError(nfile, i, "id", f"node id {raw!r} appears twice"))
            continue
        ids[str(raw)] = node_id
        props = cell_props(_row({k: v for k, v in data.items() if k not in _DROP_NODE}),
                           exclude=set(), label=label)
        display = data.get("name") or (data.get("label") if not node_label_of(data.get("label"))
                                       else None) or str(raw)
        n_errors = len(errors)
        country_cell(props, file=f"{nfile} (id {raw!r})", row=i, errors=errors,
                     unknown=plan.options.get("unknown_countries", "error"), notes=plan.notes,
                     label=label)
        if len(errors) > n_errors:
            continue
        enrich_place(label, str(display), props)
        node = make_node({"id": node_id, "label": label, "name": str(display),
                          "source": data.get("source") or f"loaded from {name}", "props": props},
                         file=f"{nfile} (id {raw!r})", row=i, errors=errors)
        if node is not None:
            plan.nodes.append(node)
    implicit: list[str] = []
    for i, (a, b, _directed, data) in enumerate(graph.edges, start=1):
        declared = str(data.get("rel_type") or "").strip() or None
        if declared is not None and rel_type_of(declared) is None:
            errors.append(RowError(efile, i, "rel_type",
                                   unknown_name("relationship type", declared, RelType)))
            continue
        rtype = rel_type_of(declared) or rel_type_of(data.get("type")) \
            or rel_type_of(data.get("label")) or default_type
        drop = set(_DROP_EDGE)
        if declared is None and rel_type_of(data.get("label")):
            drop.add("label")
        ends = []
        for end in (str(a), str(b)):
            if end not in ids and ID_RE.match(end):
                ends.append(end)  # a partnernet id: a node of the store or of this load
                continue
            if end not in ids:  # as Gephi and NetworkX do: a node of its own, said below
                ids[end] = local_id(end, default_label)
                implicit.append(end)
                node = make_node({"id": ids[end], "label": default_label, "name": end,
                                  "source": f"loaded from {name}"},
                                 file=f"{efile} ({a!r} -> {b!r})", row=i, errors=errors)
                if node is not None:
                    plan.nodes.append(node)
            ends.append(ids[end])
        props = cell_props(_row({k: v for k, v in data.items() if k not in drop}),
                           exclude=set(), rtype=rtype)
        rel = make_relationship({"start": ends[0], "type": rtype, "end": ends[1],
                                 "key": str(data.get("rel_key") or ""), "props": props},
                                file=f"{efile} ({a!r} -> {b!r})", row=i, errors=errors)
        if rel is not None:
            plan.add_relationship(rel, f"{efile} ({a!r} -> {b!r})", i, (None, None))
    if implicit:
        plan.notes.append(f"{name}: {len(implicit)} edge ends not declared as nodes became "
                          f"{default_label.value} nodes named by their id (e.g. "
                          f"{implicit[0]!r})")
