"""Export a store's graph as GraphML, GEXF, Gephi CSV tables or partnernet JSON.

Every export loads back into partnernet unchanged, types included (see
tests/loaders/test_round_trip.py): text stays text (a region code ``13`` too), numbers
stay numbers, lists stay lists, dates stay ISO text. A property is written under its
own name when that reads back as it was; otherwise (a text column whose values all
look like numbers, a property named like a column of the format, a property holding
values of several kinds) under ``name:kind`` (``postcode:text``, ``year:int``), which
the readers turn back into ``name``. Symmetric ties (``PARTNERS_WITH``) are undirected
edges in GraphML (``directed="false"``), GEXF (``type="undirected"``) and Gephi
(``Type=Undirected``); the rest are directed. CSV cells that a spreadsheet would run as
a formula are neutralised (numbers are not: ``-0.1852`` stays a number).
"""

from __future__ import annotations

import csv
import json
import math
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from partnernet.formatting import neutralise_cell
from partnernet.graph.schema import UNDIRECTED, NodeLabel, RelType
from partnernet.graph.schema.properties import NODE_PROPERTIES, REL_PROPERTIES
from partnernet.loaders.formats.values import _json_list, column_kind, read_cell, split_column
from partnernet.vocabulary import EXPORT_FORMATS

__all__ = ["EXPORT_FORMATS", "ExportError", "column_names", "export_graph", "graph_to_json",
           "value_kind"]


_NODE_META = ("label", "name", "source")
_EDGE_META = ("type", "rel_key")

#: Names a property may not be written under in each format (a column or attribute of
#: the format itself, or one its readers treat specially). Gephi compares them
#: case-insensitively.
RESERVED = {
    ("gephi-csv", "node"): {"id", "label", "node_label", "name", "source", "timeset", "type",
                            "category", "interval"},
    ("gephi-csv", "edge"): {"source", "target", "type", "rel_type", "key", "id", "label",
                            "timeset", "interval", "kind", "weight"},
    ("graphml", "node"): {"node_label", "name", "source", "label", "id"},
    ("graphml", "edge"): {"rel_type", "rel_key", "type", "label", "id", "key"},
    ("gexf", "node"): {"node_label", "name", "source", "label", "id", "pid", "start", "end"},
    ("gexf", "edge"): {"rel_type", "rel_key", "type", "label", "id", "key", "kind", "start",
                       "end"},
}
#: Properties written under the format's own column when they read back from it: the
#: ``weight`` of a relationship is Gephi's ``Weight`` (and GEXF's edge weight, see export_xml).
NATIVE_COLUMNS = {("gephi-csv", "edge"): {"weight": "Weight"}}


class ExportError(ValueError):
    """A value that the format cannot carry (only in stores filled before the value domain
    refused it): the message names the record and the property."""


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


def value_kind(v: Any) -> str:
    """``text``, ``int``, ``float``, ``bool`` or ``list``: how a value is declared."""
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, list | tuple):
        return "list"
    return "text"


def csv_text(v: Any) -> str:
    """A value as the text of a CSV cell (before neutralisation)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, list | tuple):
        return json.dumps(list(v), ensure_ascii=False)
    return str(v)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return a == b


def _model(scope: str, record: dict) -> type:
    return (NODE_PROPERTIES[NodeLabel(record["label"])] if scope == "node"
            else REL_PROPERTIES[RelType(record["type"])])


def _reads_back(fmt: str, key: str, values: list[tuple[Any, type]]) -> bool:
    if fmt == "gephi-csv":
        cells = [csv_text(v) for v, _ in values]
        kind = column_kind(cells)
        try:
            return all(_same(read_cell(c, key, model, kind), v)
                       for c, (v, model) in zip(cells, values, strict=True))
        except ValueError:
            return False
    # XML: values are declared; only text holding a JSON list would come back as a list
    return not any(isinstance(v, str) and _json_list(v) is not None for v, _ in values)


def column_names(records: Iterable[dict], scope: str, fmt: str) -> dict[tuple[str, str], str]:
    """``(property, kind) -> column or attribute name`` for ``records`` (``scope`` node or
    edge) in ``fmt``: the property's own name where it reads back unchanged, else
    ``name:kind``."""
    values: dict[str, list[tuple[Any, type]]] = defaultdict(list)
    for r in records:
        model = _model(scope, r)
        for k, v in r["props"].items():
            values[k].append((v, model))
    reserved = RESERVED[(fmt, scope)]
    native = NATIVE_COLUMNS.get((fmt, scope), {})
    out = {}
    for key, vals in sorted(values.items()):
        kinds = sorted({value_kind(v) for v, _ in vals})
        readable = (len(kinds) == 1 and split_column(key)[1] is None
                    and _reads_back(fmt, key, vals))
        if readable and key in native:
            out[(key, kinds[0])] = native[key]
            continue
        plain = readable and key.lower() not in reserved and key not in reserved
        for kind in kinds:
            out[(key, kind)] = key if plain else f"{key}:{kind}"
    return out


def export_graph(g: nx.MultiDiGraph, fmt: str, out: str | Path) -> list[Path]:
    """Write ``g`` to ``out`` in ``fmt``; return the files written.

    ``gephi-csv`` writes ``<out>/nodes.csv`` and ``<out>/edges.csv`` (``out`` is a folder),
    or a ZIP of both when ``out`` ends in ``.zip``.
    """
    from partnernet.loaders.export_xml import write_gexf, write_graphml

    out = Path(out)
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of "
                         f"{', '.join(EXPORT_FORMATS)}")
    data = graph_to_json(g)
    if fmt == "json":
        out.parent.mkdir(parents=True, exist_ok=True)
        try:
            out.write_text(json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False),
                           encoding="utf-8")
        except (UnicodeEncodeError, ValueError) as exc:
            raise ExportError(f"a value cannot be written as JSON ({exc}); fix it (the API "
                              "and the loaders refuse such values now)") from exc
        return [out]
    node_names = column_names(data["nodes"], "node", fmt)
    edge_names = column_names(data["relationships"], "edge", fmt)
    if fmt in ("graphml", "gexf"):
        out.parent.mkdir(parents=True, exist_ok=True)
        write = write_graphml if fmt == "graphml" else write_gexf
        write(data, node_names, edge_names, out)
        return [out]
    if out.suffix.lower() == ".zip":
        import tempfile
        import zipfile

        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            files = _gephi(data, node_names, edge_names, Path(tmp))
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                for f in files:
                    z.write(f, f.name)
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    return _gephi(data, node_names, edge_names, out)


def _gephi(data: dict, node_names: dict, edge_names: dict, folder: Path) -> list[Path]:
    node_cols = sorted(set(node_names.values()))
    _write_csv(folder / "nodes.csv", ["Id", "Label", "node_label", "source", *node_cols],
               ([n["id"], n["name"], n["label"], n["source"],
                 *_cells(n["props"], node_names, node_cols)] for n in data["nodes"]))
    edge_cols = sorted(set(edge_names.values()))
    _write_csv(folder / "edges.csv", ["Source", "Target", "Type", "rel_type", "key", *edge_cols],
               ([r["start"], r["end"],
                 "Undirected" if r["type"] in UNDIRECTED else "Directed", r["type"], r["key"],
                 *_cells(r["props"], edge_names, edge_cols)]
                for r in data["relationships"]))
    return [folder / "nodes.csv", folder / "edges.csv"]


def _cells(props: dict, names: dict, cols: list[str]) -> list[str]:
    by_col = {names[(k, value_kind(v))]: csv_text(v) for k, v in props.items()}
    return [by_col.get(c, "") for c in cols]


def _write_csv(path: Path, header: list[str], rows) -> None:
    """A CSV file with formula-like cells (header included) neutralised."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow([neutralise_cell(h) for h in header])
        for row in rows:
            w.writerow([neutralise_cell(x) for x in row])
