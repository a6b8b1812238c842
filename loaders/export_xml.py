"""GraphML and GEXF writers for :mod:`partnernet.loaders.export`.

Written directly (not through NetworkX, whose writers make every edge of a graph
directed or every edge undirected, and read lists as GEXF time series): typed keys
and attributes per property and kind, symmetric ties as undirected edges, unique edge
ids, every text escaped. Lists are written as JSON text in a string attribute.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from partnernet.graph.schema import UNDIRECTED
from partnernet.loaders.export import ExportError
from partnernet.loaders.export import value_kind as _kind

__all__ = ["write_gexf", "write_graphml"]

_XML_TYPES = {"text": "string", "int": "long", "float": "double", "bool": "boolean",
              "list": "string"}
_GEXF_TYPES = {"text": "string", "int": "long", "float": "double", "bool": "boolean",
               "list": "string"}
# what XML 1.0 cannot carry at all (the value domain refuses it; older stores may hold it)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(v: Any, where: str) -> str:
    if isinstance(v, bool):
        s = "true" if v else "false"
    elif isinstance(v, float):
        s = repr(v)
    elif isinstance(v, list | tuple):
        s = json.dumps(list(v), ensure_ascii=False)
    else:
        s = str(v)
    bad = _NOT_XML.search(s)
    if bad:
        raise ExportError(f"{where}: U+{ord(bad.group()):04X} cannot be written to XML; "
                          "fix the value (the API and the loaders refuse it now)")
    return s


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(s: str) -> str:
    return '"' + (_esc(s).replace('"', "&quot;").replace("\n", "&#10;")
                  .replace("\r", "&#13;").replace("\t", "&#9;")) + '"'


def _ids(names: dict[tuple[str, str], str], prefix: str) -> dict[tuple[str, str], str]:
    return {pk: f"{prefix}{i}" for i, pk in enumerate(sorted(names))}


def write_graphml(data: dict, node_names: dict, edge_names: dict, path: Path) -> None:
    """GraphML 1.0: keys for ``node_label``, ``name``, ``source``, ``rel_type``, ``rel_key``
    and each property (by kind); ``edgedefault="directed"`` with ``directed="false"`` on
    symmetric ties."""
    meta_n = {"node_label": "n_label", "name": "n_name", "source": "n_source"}
    meta_e = {"rel_type": "e_type", "rel_key": "e_key"}
    nkeys, ekeys = _ids(node_names, "n"), _ids(edge_names, "e")
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
        for name, kid in meta_n.items():
            f.write(f'  <key id="{kid}" for="node" attr.name="{name}" attr.type="string"/>\n')
        for name, kid in meta_e.items():
            f.write(f'  <key id="{kid}" for="edge" attr.name="{name}" attr.type="string"/>\n')
        for scope, names, keys in (("node", node_names, nkeys), ("edge", edge_names, ekeys)):
            for pk, kid in keys.items():
                f.write(f'  <key id="{kid}" for="{scope}" attr.name={_attr(names[pk])} '
                        f'attr.type="{_XML_TYPES[pk[1]]}"/>\n')
        f.write('  <graph id="partnernet" edgedefault="directed">\n')
        for n in data["nodes"]:
            where = f"node {n['id']!r}"
            f.write(f"    <node id={_attr(_text(n['id'], where))}>"
                    f'<data key="n_label">{_esc(n["label"])}</data>'
                    f'<data key="n_name">{_esc(_text(n["name"], where))}</data>'
                    f'<data key="n_source">{_esc(_text(n["source"], where))}</data>')
            for k, v in n["props"].items():
                kid = nkeys[(k, _kind(v))]
                f.write(f'<data key="{kid}">{_esc(_text(v, f"{where}, property {k!r}"))}</data>')
            f.write("</node>\n")
        for i, r in enumerate(data["relationships"]):
            where = f"relationship {r['start']} -{r['type']}-> {r['end']}"
            undirected = ' directed="false"' if r["type"] in UNDIRECTED else ""
            f.write(f'    <edge id="e{i}" source={_attr(r["start"])} target={_attr(r["end"])}'
                    f'{undirected}><data key="e_type">{r["type"]}</data>')
            if r["key"]:
                f.write(f'<data key="e_key">{_esc(_text(r["key"], where))}</data>')
            for k, v in r["props"].items():
                kid = ekeys[(k, _kind(v))]
                f.write(f'<data key="{kid}">{_esc(_text(v, f"{where}, property {k!r}"))}</data>')
            f.write("</edge>\n")
        f.write("  </graph>\n</graphml>\n")


def write_gexf(data: dict, node_names: dict, edge_names: dict, path: Path) -> None:
    """GEXF 1.3: node ``label`` = name; attributes ``node_label``, ``name``, ``source``,
    ``rel_type``, ``rel_key`` and each property (by kind); the ``weight`` property as the
    edge's own weight; ``defaultedgetype="directed"`` with ``type="undirected"`` on
    symmetric ties."""
    meta_n = {"node_label": "n_label", "name": "n_name", "source": "n_source"}
    meta_e = {"rel_type": "e_type", "rel_key": "e_key"}
    edge_names = {pk: v for pk, v in edge_names.items() if v != "weight"}
    nkeys, ekeys = _ids(node_names, "n"), _ids(edge_names, "e")
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<gexf xmlns="http://gexf.net/1.3" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" '
                'version="1.3">\n  <meta><creator>partnernet</creator></meta>\n'
                '  <graph mode="static" defaultedgetype="directed">\n'
                '    <attributes class="node">\n')
        for name, aid in meta_n.items():
            f.write(f'      <attribute id="{aid}" title="{name}" type="string"/>\n')
        for pk, aid in nkeys.items():
            f.write(f'      <attribute id="{aid}" title={_attr(node_names[pk])} '
                    f'type="{_GEXF_TYPES[pk[1]]}"/>\n')
        f.write('    </attributes>\n    <attributes class="edge">\n')
        for name, aid in meta_e.items():
            f.write(f'      <attribute id="{aid}" title="{name}" type="string"/>\n')
        for pk, aid in ekeys.items():
            f.write(f'      <attribute id="{aid}" title={_attr(edge_names[pk])} '
                    f'type="{_GEXF_TYPES[pk[1]]}"/>\n')
        f.write("    </attributes>\n    <nodes>\n")
        for n in data["nodes"]:
            where = f"node {n['id']!r}"
            f.write(f"      <node id={_attr(_text(n['id'], where))} "
                    f"label={_attr(_text(n['name'], where))}><attvalues>"
                    f'<attvalue for="n_label" value="{n["label"]}"/>'
                    f'<attvalue for="n_name" value={_attr(_text(n["name"], where))}/>'
                    f'<attvalue for="n_source" value={_attr(_text(n["source"], where))}/>')
            for k, v in n["props"].items():
                aid = nkeys[(k, _kind(v))]
                f.write(f'<attvalue for="{aid}" '
                        f'value={_attr(_text(v, f"{where}, property {k!r}"))}/>')
            f.write("</attvalues></node>\n")
        f.write("    </nodes>\n    <edges>\n")
        for i, r in enumerate(data["relationships"]):
            where = f"relationship {r['start']} -{r['type']}-> {r['end']}"
            kind = "undirected" if r["type"] in UNDIRECTED else "directed"
            props = dict(r["props"])
            weight = (props.pop("weight") if "weight" in props
                      and ("weight", _kind(props["weight"])) not in ekeys else None)
            f.write(f'      <edge id="e{i}" source={_attr(r["start"])} '
                    f'target={_attr(r["end"])} type="{kind}"'
                    + (f' weight="{_text(weight, where)}"' if weight is not None else "")
                    + f'><attvalues><attvalue for="e_type" value="{r["type"]}"/>')
            if r["key"]:
                f.write(f'<attvalue for="e_key" value={_attr(_text(r["key"], where))}/>')
            for k, v in props.items():
                aid = ekeys[(k, _kind(v))]
                f.write(f'<attvalue for="{aid}" '
                        f'value={_attr(_text(v, f"{where}, property {k!r}"))}/>')
            f.write("</attvalues></edge>\n")
        f.write("    </edges>\n  </graph>\n</gexf>\n")
