"""partnernet's own tables: ``nodes`` and ``relationships`` (CSV, XLSX or JSON).

nodes: ``id, label, name, source`` then one column per property.
relationships: ``start, type, end`` (``key`` optional) then one column per property
(``source``, ``kind``, ``since``, ``sdgs``...). List properties are ``|``-separated.
"""

from __future__ import annotations

from typing import Any

from partnernet.graph.schema import NodeLabel, RelType
from partnernet.loaders.errors import RowError
from partnernet.loaders.formats.tables import Table
from partnernet.loaders.formats.values import LITERAL, Row, cell_props
from partnernet.loaders.places import country_cell, enrich_place
from partnernet.loaders.plan import LoadPlan
from partnernet.loaders.records import make_node, make_relationship
from partnernet.vocabulary import UnknownValue

__all__ = ["NODE_COLUMNS", "REL_COLUMNS", "plan_nodes", "plan_relationships", "plan_json"]

NODE_COLUMNS = ("id", "label", "name", "source")
REL_COLUMNS = ("start", "type", "end")


def _missing(table: Table, required: tuple[str, ...], file: str) -> list[RowError]:
    return [RowError(file, 1, c, "required column is missing") for c in required
            if c not in table.columns]


def plan_nodes(table: Table, file: str, errors: list[RowError], plan: LoadPlan) -> None:
    if miss := _missing(table, ("id", "label", "name"), file):
        errors += miss
        return
    for row_no, row in table:
        label_text = str(row.get("label") or "")
        try:
            label = NodeLabel(label_text)
        except ValueError:
            errors.append(RowError(file, row_no, "label",
                                   str(UnknownValue("label", label_text,
                                                    [x.value for x in NodeLabel]))))
            continue
        props = cell_props(row, exclude=set(NODE_COLUMNS), label=label)
        n_errors = len(errors)
        country_cell(props, file=file, row=row_no, errors=errors,
                     unknown=plan.options.get("unknown_countries", "error"), notes=plan.notes,
                     label=label)
        if len(errors) > n_errors:
            continue
        enrich_place(label, str(row.get("name") or ""), props)
        node = make_node({"id": row.get("id"), "label": label, "name": row.get("name"),
                          "source": row.get("source") or f"loaded from {file}",
                          "props": props}, file=file, row=row_no, errors=errors)
        if node is not None:
            plan.nodes.append(node)


def plan_relationships(table: Table, file: str, errors: list[RowError], plan: LoadPlan) -> None:
    if miss := _missing(table, REL_COLUMNS, file):
        errors += miss
        return
    for row_no, row in table:
        type_text = str(row.get("type") or "")
        try:
            rtype = RelType(type_text)
        except ValueError:
            errors.append(RowError(file, row_no, "type",
                                   str(UnknownValue("relationship type", type_text,
                                                      [x.value for x in RelType]))))
            continue
        props = cell_props(row, exclude={*REL_COLUMNS, "key"}, rtype=rtype)
        rel = make_relationship({"start": row.get("start"), "type": rtype, "end": row.get("end"),
                                 "key": str(row.get("key") or ""), "props": props},
                                file=file, row=row_no, errors=errors)
        if rel is not None:
            plan.add_relationship(rel, file, row_no)


def plan_json(data: Any, file: str, errors: list[RowError], plan: LoadPlan) -> None:
    """``{"nodes": [{id, label, name, source, props}], "relationships": [...]}``."""
    if not isinstance(data, dict) or not ({"nodes", "relationships"} & set(data)):
        errors.append(RowError(file, None, None,
                               "expected a JSON object with 'nodes' and/or 'relationships'"))
        return
    for key, build in (("nodes", plan_nodes), ("relationships", plan_relationships)):
        items = data.get(key)
        if items is None or items == []:  # a file of nodes only (or relationships only)
            continue
        if not isinstance(items, list):
            errors.append(RowError(file, None, key, "expected a list"))
            continue
        rows, numbers = [], []
        for i, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                errors.append(RowError(f"{file} {key}", i, None, "expected an object"))
                continue
            flat = {k: v for k, v in item.items() if k != "props"}
            props = item.get("props") or {}
            if not isinstance(props, dict):
                errors.append(RowError(f"{file} {key}", i, "props", "expected an object"))
                continue
            flat.update(props)
            rows.append(Row(flat, kinds=LITERAL))  # JSON values and names as they are
            numbers.append(i)
        cols = sorted({c for r in rows for c in r})
        build(Table(key, cols, rows, numbers), f"{file} {key}", errors, plan)
