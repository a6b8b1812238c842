"""Kumu workbooks: sheets ``Elements`` (``Label``, ``Type``...) and ``Connections``
(``From``, ``To``, ``Type``...). Cells with several values are split on ``|``.

Element types map to schema labels by name or by a common synonym (``organization``
-> ``Partner``); others become ``Partner`` with the Kumu type kept as ``kumu_type``.
Connection types map to relationship types by name (``member of`` -> ``MEMBER_OF``);
others become ``--rel-type`` with the Kumu type kept as ``connection_type``.
"""

from __future__ import annotations

from partnernet.graph.schema import NodeLabel, RelType
from partnernet.loaders.errors import RowError
from partnernet.loaders.formats.gephi import local_id, node_label_of, rel_type_of
from partnernet.loaders.formats.tables import Table
from partnernet.loaders.formats.values import cell_props
from partnernet.loaders.plan import LoadPlan
from partnernet.loaders.records import make_node, make_relationship

__all__ = ["plan_kumu"]

SYNONYMS = {
    "organization": NodeLabel.PARTNER, "organisation": NodeLabel.PARTNER,
    "company": NodeLabel.PARTNER, "ngo": NodeLabel.PARTNER, "university": NodeLabel.PARTNER,
    "foundation": NodeLabel.PARTNER, "person": NodeLabel.PARTNER,
    "individual": NodeLabel.PARTNER, "municipality": NodeLabel.CITY,
    "local government": NodeLabel.CITY, "project": NodeLabel.INITIATIVE,
    "programme": NodeLabel.INITIATIVE, "program": NodeLabel.INITIATIVE,
    "mou": NodeLabel.AGREEMENT, "unit": NodeLabel.FOCAL_UNIT, "topic": NodeLabel.THEME,
}


def _label(kumu_type: str) -> NodeLabel | None:
    t = kumu_type.strip().lower()
    return node_label_of(t) or SYNONYMS.get(t)


def plan_kumu(elements: Table, connections: Table | None, file: str, errors: list[RowError],
              plan: LoadPlan, *, default_type: RelType) -> None:
    efile, cfile = f"{file} [Elements]", f"{file} [Connections]"
    if "Label" not in elements.columns:
        errors.append(RowError(efile, 1, "Label", "required column is missing"))
        return
    ids: dict[str, str] = {}
    for row_no, row in elements:
        name = str(row.get("Label") or "").strip()
        if not name:
            errors.append(RowError(efile, row_no, "Label", "empty label"))
            continue
        ktype = str(row.get("Type") or "")
        label = _label(ktype) or NodeLabel.PARTNER
        ref = str(row.get("ID") or name).strip()
        node_id = local_id(ref if row.get("ID") else name, label)
        if ref in ids:
            errors.append(RowError(efile, row_no, "ID" if row.get("ID") else "Label",
                                   f"{ref!r} appears twice"))
            continue
        ids[ref] = node_id
        ids.setdefault(name, node_id)
        props = cell_props(row, exclude={"Label", "Type", "ID", "source"}, label=label,
                           rename={"Description": "description", "Tags": "tags"})
        if isinstance(props.get("tags"), str):
            props["tags"] = [t.strip() for t in props["tags"].split("|") if t.strip()]
        if ktype and _label(ktype) is None:
            props["kumu_type"] = ktype
        node = make_node({"id": node_id, "label": label, "name": name,
                          "source": row.get("source") or f"loaded from {file}", "props": props},
                         file=efile, row=row_no, errors=errors)
        if node is not None:
            plan.nodes.append(node)
    if connections is None:
        return
    for col in ("From", "To"):
        if col not in connections.columns:
            errors.append(RowError(cfile, 1, col, "required column is missing"))
            return
    for row_no, row in connections:
        froms = [x.strip() for x in str(row.get("From") or "").split("|") if x.strip()]
        tos = [x.strip() for x in str(row.get("To") or "").split("|") if x.strip()]
        bad = False
        for col, values in (("From", froms), ("To", tos)):
            if not values:
                errors.append(RowError(cfile, row_no, col, "empty"))
                bad = True
            for v in values:
                if v not in ids:
                    errors.append(RowError(cfile, row_no, col,
                                           f"{v!r} is not the Label or ID of an element"))
                    bad = True
        if bad:
            continue
        ctype = str(row.get("Type") or "")
        rtype = rel_type_of(ctype) or default_type
        props = cell_props(row, exclude={"From", "To", "Type", "Direction", "ID"}, rtype=rtype,
                           rename={"Label": "label", "Description": "description",
                                   "Tags": "tags"})
        if ctype and rel_type_of(ctype) is None:
            props["connection_type"] = ctype
        if isinstance(props.get("tags"), str):
            props["tags"] = [t.strip() for t in props["tags"].split("|") if t.strip()]
        for a in froms:
            for b in tos:
                rel = make_relationship({"start": ids[a], "type": rtype, "end": ids[b],
                                         "props": props}, file=cfile, row=row_no, errors=errors)
                if rel is not None:
                    plan.relationships.append(rel)
