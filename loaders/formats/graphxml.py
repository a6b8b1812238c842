"""GraphML and GEXF, read in one streamed pass with caps and no DTD.

The parser is defusedxml over expat: a document type declaration stops it, whatever
the encoding and wherever it is, so no entity is ever defined. Elements are read as
they end and cleared, the caps (:class:`~partnernet.loaders.limits.Caps`) are counted
as they go, and values take the type their key or attribute declares. Both formats
may mix directed and undirected edges (GraphML ``directed="false"`` on an edge, GEXF
``type="undirected"``), as Gephi and yEd write them; each edge is read once, as written.

Out of scope, refused with a message: hyperedges, time-varying (dynamic) attribute
values. Ignored, with a note: GEXF spells, start/end times and parents, yEd graphics
(but for their labels), and numbers given as NaN (read as no value; infinities are
refused). Positions and colours (GEXF ``viz``) are not read.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnernet.loaders.errors import LoadErrors, RowError
from partnernet.loaders.limits import Caps, dtd_error, over, read_limited

__all__ = ["GraphFile", "read_graph_xml"]


@dataclass
class GraphFile:
    """What a GraphML or GEXF file holds: nodes ``(id, attributes)`` and edges
    ``(source, target, directed, attributes)``, attributes typed as declared."""

    nodes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    edges: list[tuple[str, str, bool, dict[str, Any]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


_INT_TYPES = {"int", "long", "integer", "short", "byte", "biginteger"}
_FLOAT_TYPES = {"float", "double", "bigdecimal"}


def _typed(text: str, kind: str) -> Any:
    """``text`` as a value of the declared ``kind``; ``ValueError`` if it is not one."""
    kind = kind.lower()
    if kind.startswith("list"):
        inner = text.strip()
        if inner.startswith("[") and inner.endswith("]"):
            inner = inner[1:-1]
            parts = [p.strip().strip("'\"") for p in inner.split(",")]
        else:
            parts = [p.strip() for p in inner.split("|")]
        return [_typed(p, kind[4:] or "string") for p in parts if p != ""]
    if kind in _INT_TYPES:
        return int(text.strip())
    if kind in _FLOAT_TYPES:
        v = float(text.strip())
        if not math.isfinite(v):
            raise ValueError(f"{text.strip()!r} is not a finite number")
        return v
    if kind == "boolean":
        t = text.strip().lower()
        if t in ("true", "1"):
            return True
        if t in ("false", "0"):
            return False
        raise ValueError(f"expected true or false, got {text.strip()[:40]!r}")
    return text


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class _Reader:
    def __init__(self, name: str, fmt: str, caps: Caps):
        self.name, self.fmt, self.caps = name, fmt, caps
        self.out = GraphFile()
        self.errors: list[RowError] = []
        self.cells = 0
        self.keys: dict[str, dict[str, Any]] = {}  # GraphML keys / GEXF attributes by id
        self.defaults: dict[str, dict[str, Any]] = {"node": {}, "edge": {}}
        self.directed: list[bool] = []  # GraphML edgedefault / GEXF defaultedgetype, nested
        self.ignored: set[str] = set()
        self.gexf_class = "node"  # the class of the GEXF <attributes> being read
        self.missing = 0  # NaN values, read as no value

    # -- shared ---------------------------------------------------------------------------
    def where(self, what: str) -> tuple[str, int]:
        rows = len(self.out.nodes) + len(self.out.edges) + 1
        if rows > self.caps.max_rows:
            raise over("max_rows", self.caps, self.name, rows,
                       what=f"more than {self.caps.max_rows:,} nodes and edges")
        index = (len(self.out.nodes) if what == "node" else len(self.out.edges)) + 1
        return f"{self.name} {what}s", index

    def value(self, file: str, row: int, column: str, text: str, kind: str,
              attrs: dict[str, Any]) -> None:
        self.cells += 1
        if self.cells > self.caps.max_cells:
            raise over("max_cells", self.caps, self.name, row,
                       what=f"more than {self.caps.max_cells:,} values")
        if len(text) > self.caps.max_value_chars:
            self.errors.append(RowError(file, row, column,
                                        f"a value of {len(text):,} characters; at most "
                                        f"{self.caps.max_value_chars:,} are allowed "
                                        "(PARTNERNET_LOAD_MAX_VALUE_CHARS)"))
            return
        if text.strip() == "" and kind != "string":
            return
        if kind.lower() in _FLOAT_TYPES and text.strip().lower() in ("nan", "-nan"):
            self.missing += 1  # NaN: how pandas and NetworkX write "no value"
            return
        try:
            attrs[column] = _typed(text, kind)
        except ValueError as exc:
            self.errors.append(RowError(file, row, column,
                                        f"declared {kind} in the file: {exc}"))

    def edge_direction(self, value: str | None) -> bool:
        if value is None:
            return self.directed[-1] if self.directed else True
        v = value.strip().lower()
        return v not in ("false", "undirected", "mutual")

    # -- GraphML --------------------------------------------------------------------------
    def graphml_end(self, tag: str, elem: Any) -> bool:
        if tag == "key":
            kid = elem.get("id") or ""
            name = elem.get("attr.name") or elem.get("yfiles.type") or kid
            kind = elem.get("attr.type") or "string"
            self.keys[kid] = {"name": name, "type": kind, "for": elem.get("for") or "all",
                              "yfiles": elem.get("yfiles.type")}
            for child in elem:
                if _local(child.tag) == "default" and child.text is not None:
                    for scope in ("node", "edge"):
                        if self.keys[kid]["for"] in (scope, "all"):
                            self.defaults[scope][kid] = child.text
            return True
        if tag == "node":
            file, row = self.where("node")
            attrs = self.graphml_data(elem, file, row, "node")
            self.out.nodes.append((str(elem.get("id") or ""), attrs))
            return True
        if tag == "edge":
            file, row = self.where("edge")
            attrs = self.graphml_data(elem, file, row, "edge")
            source, target = elem.get("source"), elem.get("target")
            if source is None or target is None:
                self.errors.append(RowError(file, row, None, "an edge without source or "
                                                             "target"))
                return True
            self.out.edges.append((source, target, self.edge_direction(elem.get("directed")),
                                   attrs))
            return True
        if tag == "hyperedge":
            raise LoadErrors([RowError(self.name, None, None, "GraphML hyperedges are not "
                                                              "read: give each link as an edge")])
        if tag == "graph" and self.directed:
            self.directed.pop()
        return False

    def graphml_data(self, elem: Any, file: str, row: int, scope: str) -> dict[str, Any]:
        attrs: dict[str, Any] = {}
        seen = set()
        for child in elem:
            if _local(child.tag) != "data":
                continue
            kid = child.get("key") or ""
            key = self.keys.get(kid)
            if key is None:
                self.errors.append(RowError(file, row, kid, f"no <key> declares {kid!r}"))
                continue
            seen.add(kid)
            if key["yfiles"] or (child.text is None and len(child)):
                label = next((x.text for x in child.iter()
                              if _local(x.tag) in ("NodeLabel", "EdgeLabel") and x.text), None)
                self.ignored.add("yEd graphics")
                if label is not None and "label" not in attrs:
                    self.value(file, row, "label", label.strip(), "string", attrs)
                continue
            self.value(file, row, key["name"], child.text or "", key["type"], attrs)
        for kid, text in self.defaults[scope].items():
            if kid not in seen:
                key = self.keys[kid]
                self.value(file, row, key["name"], text, key["type"], attrs)
        return attrs

    # -- GEXF -----------------------------------------------------------------------------
    def gexf_start(self, tag: str, elem: Any) -> None:
        if tag == "attributes":
            self.gexf_class = elem.get("class") or "node"

    def gexf_end(self, tag: str, elem: Any) -> bool:
        if tag == "attribute":
            cls = self.gexf_class
            aid = f"{cls}:{elem.get('id') or ''}"
            self.keys[aid] = {"name": elem.get("title") or elem.get("id") or "",
                              "type": elem.get("type") or "string"}
            for child in elem:
                if _local(child.tag) == "default" and child.text is not None:
                    self.defaults[cls][aid] = child.text
            return True
        if tag == "node":
            file, row = self.where("node")
            attrs: dict[str, Any] = {}
            if elem.get("label") is not None:
                self.value(file, row, "label", elem.get("label"), "string", attrs)
            self.gexf_values(elem, file, row, "node", attrs)
            self.out.nodes.append((str(elem.get("id") or ""), attrs))
            return True
        if tag == "edge":
            file, row = self.where("edge")
            attrs = {}
            for xml_attr, kind in (("label", "string"), ("weight", "double")):
                if elem.get(xml_attr) is not None:
                    self.value(file, row, xml_attr, elem.get(xml_attr), kind, attrs)
            self.gexf_values(elem, file, row, "edge", attrs)
            source, target = elem.get("source"), elem.get("target")
            if source is None or target is None:
                self.errors.append(RowError(file, row, None, "an edge without source or "
                                                             "target"))
                return True
            self.out.edges.append((source, target, self.edge_direction(elem.get("type")),
                                   attrs))
            return True
        if tag == "graph" and self.directed:
            self.directed.pop()
        return False

    def gexf_values(self, elem: Any, file: str, row: int, cls: str,
                    attrs: dict[str, Any]) -> None:
        if elem.get("start") or elem.get("end") or elem.get("pid"):
            self.ignored.add("GEXF start/end times and parents (pid)")
        seen: set[str] = set()
        for child in elem:
            local = _local(child.tag)
            if local == "spells":
                self.ignored.add("GEXF spells")
            if local != "attvalues":
                continue
            for av in child:
                aid = f"{cls}:{av.get('for') or av.get('id') or ''}"
                key = self.keys.get(aid)
                if key is None:
                    self.errors.append(RowError(file, row, aid.split(":", 1)[1],
                                                "no <attribute> declares it"))
                    continue
                if aid in seen or av.get("start") or av.get("end") or av.get("timestamp"):
                    self.errors.append(RowError(file, row, key["name"],
                                                "time-varying values are not read: export a "
                                                "static graph (one value per attribute)"))
                    continue
                seen.add(aid)
                self.value(file, row, key["name"], av.get("value") or "", key["type"], attrs)
        for aid, text in self.defaults[cls].items():
            if aid not in seen:
                self.value(file, row, self.keys[aid]["name"], text, self.keys[aid]["type"],
                           attrs)


def read_graph_xml(path: Path, fmt: str, *, caps: Caps | None = None,
                   name: str | None = None) -> GraphFile:
    """Read a GraphML (``fmt="graphml"``) or GEXF file within ``caps``."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, iterparse

    caps = caps or Caps()
    name = name or path.name
    reader = _Reader(name, fmt, caps)
    data = read_limited(path, caps, name=name)
    root_tag = "graphml" if fmt == "graphml" else "gexf"
    depth = 0
    try:
        for event, elem in iterparse(io.BytesIO(data), events=("start", "end"),
                                     forbid_dtd=True, forbid_entities=True,
                                     forbid_external=True):
            tag = _local(elem.tag)
            if event == "start":
                depth += 1
                if depth > caps.max_depth:
                    raise over("max_depth", caps, name,
                               what=f"XML elements nested {depth} levels deep")
                if depth == 1 and tag != root_tag:
                    raise LoadErrors([RowError(name, None, None,
                                               f"not a {fmt.upper()} file: the root element "
                                               f"is <{tag}>, not <{root_tag}>")])
                if tag == "graph":
                    default = elem.get("edgedefault") or elem.get("defaultedgetype")
                    reader.directed.append((default or "directed").lower() == "directed")
                if fmt == "gexf":
                    reader.gexf_start(tag, elem)
                continue
            depth -= 1
            done = (reader.graphml_end(tag, elem) if fmt == "graphml"
                    else reader.gexf_end(tag, elem))
            if done:
                elem.clear()  # read: keep memory flat
            if len(reader.errors) >= 100:
                break
    except DefusedXmlException as exc:
        raise dtd_error(name, exc) from None
    except ParseError as exc:
        raise LoadErrors([RowError(name, None, None,
                                   f"not a readable {fmt.upper()} file: {exc}")]) from exc
    if reader.errors:
        raise LoadErrors(reader.errors)
    if reader.ignored:
        reader.out.notes.append(f"{name}: ignored {', '.join(sorted(reader.ignored))}")
    if reader.missing:
        reader.out.notes.append(f"{name}: {reader.missing:,} numbers given as NaN (not a "
                                "number) were read as no value")
    return reader.out
