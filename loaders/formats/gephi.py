"""Gephi spreadsheet tables: nodes ``Id,Label,...`` and edges ``Source,Target,Type,Weight,...``.

The partnernet label of a node comes from a ``node_label`` (or ``Type``/``Category``)
column when it names a schema label, else from ``--node-label``. The relationship
type comes from a ``rel_type`` column (or an edge ``Label`` naming a schema type),
else from ``--rel-type``. Ids that are already partnernet ids are kept; others
become ``<label>:<slug>``.
"""

from __future__ import annotations

from partnernet.graph.geography.slug import slugify
from partnernet.graph.schema import NodeLabel, RelType
from partnernet.graph.schema.records import ID_RE
from partnernet.loaders.errors import RowError
from partnernet.loaders.formats.tables import Table
from partnernet.loaders.formats.values import cell_props, set_direction
from partnernet.loaders.plan import LoadPlan
from partnernet.loaders.records import make_node, make_relationship

__all__ = ["plan_gephi", "node_label_of", "rel_type_of"]

_LABEL_COLUMNS = ("node_label", "Type", "type", "Category", "category")
_BY_NAME = {x.value.lower(): x for x in NodeLabel}
_TYPES = {x.value.lower(): x for x in RelType} | {x.value.lower().replace("_", " "): x
                                                   for x in RelType}


def node_label_of(value: object) -> NodeLabel | None:
    return _BY_NAME.get(str(value or "").strip().lower())


def rel_type_of(value: object) -> RelType | None:
    return _TYPES.get(str(value or "").strip().lower())


def local_id(raw: str, label: NodeLabel) -> str:
    raw = str(raw).strip()
    return raw if ID_RE.match(raw) else f"{label.value.lower()}:{slugify(raw)}"


def plan_gephi(nodes: Table | None, edges: Table | None, file: str, errors: list[RowError],
               plan: LoadPlan, *, default_label: NodeLabel, default_type: RelType) -> None:
    ids: dict[str, str] = {}
    if nodes is not None:
        if "Id" not in nodes.columns:
            errors.append(RowError(f"{file} nodes", 1, "Id", "required column is missing"))
        else:
            label_col = next((c for c in _LABEL_COLUMNS if c in nodes.columns), None)
            for row_no, row in nodes:
                raw = str(row.get("Id") or "").strip()
                if not raw:
                    errors.append(RowError(f"{file} nodes", row_no, "Id", "empty id"))
                    continue
                label = (node_label_of(row.get(label_col)) if label_col else None) or default_label
                node_id = local_id(raw, label)
                if raw in ids:
                    errors.append(RowError(f"{file} nodes", row_no, "Id",
                                           f"duplicate Id {raw!r}"))
                    continue
                ids[raw] = node_id
                exclude = {"Id", "Label", "name", "source", "timeset"}
                if label_col and node_label_of(row.get(label_col)):
                    exclude.add(label_col)
                props = cell_props(row, exclude=exclude, label=label)
                node = make_node({"id": node_id, "label": label,
                                  "name": row.get("name") or row.get("Label") or raw,
                                  "source": row.get("source") or f"loaded from {file}",
                                  "props": props}, file=f"{file} nodes", row=row_no,
                                 errors=errors)
                if node is not None:
                    plan.nodes.append(node)
    if edges is not None:
        missing = [c for c in ("Source", "Target") if c not in edges.columns]
        if missing:
            errors += [RowError(f"{file} edges", 1, c, "required column is missing")
                       for c in missing]
            return
        for row_no, row in edges:
            ends = []
            for col in ("Source", "Target"):
                raw = str(row.get(col) or "").strip()
                if raw in ids:
                    ends.append(ids[raw])
                elif ID_RE.match(raw):
                    ends.append(raw)
                else:
                    errors.append(RowError(f"{file} edges", row_no, col,
                                           f"{raw!r} is not an Id of the nodes table"))
            if len(ends) != 2:
                continue
            rtype = rel_type_of(row.get("rel_type")) or rel_type_of(row.get("Label")) \
                or default_type
            exclude = {"Source", "Target", "Type", "Id", "rel_type", "timeset", "key"}
            if rel_type_of(row.get("Label")):
                exclude.add("Label")
            props = cell_props(row, exclude=exclude, rtype=rtype,
                               rename={"Weight": "weight", "Label": "label"})
            kind = str(row.get("Type") or "").strip().lower()
            set_direction(props, rtype, {"directed": True, "undirected": False}.get(kind))
            rel = make_relationship({"start": ends[0], "type": rtype, "end": ends[1],
                                     "key": str(row.get("key") or row.get("Id") or ""),
                                     "props": props}, file=f"{file} edges", row=row_no,
                                    errors=errors)
            if rel is not None:
                plan.relationships.append(rel)
