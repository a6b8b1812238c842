"""Export a store's graph as GraphML, GEXF, Gephi CSV tables or partnernet JSON.

Every export loads back into partnernet unchanged (see the round-trip tests).
CSV cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx

from partnernet.formatting import neutralise_cell
from partnernet.vocabulary import EXPORT_FORMATS

__all__ = ["EXPORT_FORMATS", "export_graph", "graph_to_json"]


_NODE_META = ("label", "name", "source")
_EDGE_META = ("type", "rel_key")


def _scalar(v: Any) -> Any:
    if isinstance(v, list | tuple):
        return json.dumps(list(v), ensure_ascii=False)
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


def graph_to_json(g: nx.MultiDiGraph) -> dict[str, Any]:
    nodes = [{"id": n, "label": d["label"], "name": d["name"], "source": d["source"],
              "props": {k: v for k, v in d.items() if k not in _NODE_META}}
             for n, d in sorted(g.nodes(data=True))]
    rels = [{"start": a, "type": d["type"], "end": b, "key": d.get("rel_key", ""),
             "props": {k: v for k, v in d.items() if k not in _EDGE_META}}
            for a, b, d in sorted(g.edges(data=True), key=lambda e: (e[0], e[1],
                                                                       e[2]["type"],
                                                                       e[2].get("rel_key", "")))]
    return {"nodes": nodes, "relationships": rels}


def _for_xml(g: nx.MultiDiGraph, *, gexf: bool) -> nx.MultiDiGraph:
    h = nx.MultiDiGraph()
    for n, d in g.nodes(data=True):
        attrs = {k: _scalar(v) for k, v in d.items() if k not in _NODE_META}
        attrs["node_label"] = d["label"]
        attrs["name"] = d["name"]
        attrs["source"] = d["source"]
        if gexf:
            attrs["label"] = d["name"]
        h.add_node(n, **attrs)
    for a, b, k, d in g.edges(keys=True, data=True):
        attrs = {kk: _scalar(v) for kk, v in d.items() if kk not in _EDGE_META}
        attrs["rel_type"] = d["type"]
        attrs["rel_key"] = d.get("rel_key", "")
        if d["type"] == "PARTNERS_WITH":  # the file is directed: say which ties are not
            attrs["directed"] = "true" if d.get("directed") is True else "false"
        h.add_edge(a, b, key=k, **attrs)
    return h


def export_graph(g: nx.MultiDiGraph, fmt: str, out: str | Path) -> list[Path]:
    """Write ``g`` to ``out`` in ``fmt``; return the files written.

    ``gephi-csv`` writes ``<out>/nodes.csv`` and ``<out>/edges.csv`` (``out`` is a folder).
    """
    out = Path(out)
    if fmt == "json":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(graph_to_json(g), ensure_ascii=False, indent=1,
                                  allow_nan=False), encoding="utf-8")
        return [out]
    if fmt == "graphml":
        out.parent.mkdir(parents=True, exist_ok=True)
        nx.write_graphml(_for_xml(g, gexf=False), out, encoding="utf-8")
        return [out]
    if fmt == "gexf":
        out.parent.mkdir(parents=True, exist_ok=True)
        nx.write_gexf(_for_xml(g, gexf=True), out, encoding="utf-8")
        return [out]
    if fmt == "gephi-csv":
        out.mkdir(parents=True, exist_ok=True)
        data = graph_to_json(g)
        node_cols = sorted({k for n in data["nodes"] for k in n["props"]})
        _write_csv(out / "nodes.csv", ["Id", "Label", "node_label", "name", "source", *node_cols],
                   ([n["id"], n["name"], n["label"], n["name"], n["source"],
                     *(_cell(n["props"].get(c)) for c in node_cols)] for n in data["nodes"]))
        edge_cols = sorted({k for r in data["relationships"] for k in r["props"]})
        _write_csv(out / "edges.csv", ["Source", "Target", "Type", "rel_type", "key", *edge_cols],
                   ([r["start"], r["end"], _gephi_type(r), r["type"], r["key"],
                     *(_cell(r["props"].get(c)) for c in edge_cols)]
                    for r in data["relationships"]))
        return [out / "nodes.csv", out / "edges.csv"]
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")


def _gephi_type(r: dict[str, Any]) -> str:
    """Gephi's edge Type: partnerships are undirected unless marked directed."""
    undirected = r["type"] == "PARTNERS_WITH" and r["props"].get("directed") is not True
    return "Undirected" if undirected else "Directed"


def _write_csv(path: Path, header: list[str], rows) -> None:
    """A CSV file with formula-like cells neutralised."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for row in rows:
            w.writerow([neutralise_cell(x) for x in row])


def _cell(v: Any) -> Any:
    return "" if v is None else _scalar(v)
