"""Gephi spreadsheet tables: nodes ``Id,Label,...`` and edges ``Source,Target,Type,Weight,...``.

The partnernet label of a node comes from a ``node_label`` column, or from a ``Type``
or ``Category`` column whose values name schema labels, else from ``--node-label``.
The relationship type comes from a ``rel_type`` column, or an edge ``Label`` column
whose values name schema types, else from ``--rel-type``. In such a column a value that
is not a label or type (``Partnr``, ``SUPORTS``) is refused with its row and the closest
known name; a ``Type`` or ``Category`` column naming no label at all is kept as a
property (with a note). Ids that are already partnernet ids are kept; others become
``<label>:<slug>``.
"""

from __future__ import annotations

from partnernet.graph.geography.slug import slugify
from partnernet.graph.schema import NodeLabel, RelType
from partnernet.graph.schema.records import ID_RE
from partnernet.loaders.errors import RowError
from partnernet.loaders.formats.tables import Table
from partnernet.loaders.formats.values import cell_props, set_direction
from partnernet.loaders.places import PLACE_LABELS, NodeTablePlaces, node_of_table_row
from partnernet.loaders.plan import LoadPlan
from partnernet.loaders.records import make_relationship
from partnernet.vocabulary import UnknownValue

__all__ = ["plan_gephi", "node_label_of", "rel_type_of", "unknown_name"]

_LABEL_COLUMNS = ("node_label", "Type", "type", "Category", "category")
_BY_NAME = {x.value.lower(): x for x in NodeLabel}
_TYPES = {x.value.lower(): x for x in RelType} | {x.value.lower().replace("_", " "): x
                                                   for x in RelType}


def node_label_of(value: object) -> NodeLabel | None:
    return _BY_NAME.get(str(value or "").strip().lower())


def rel_type_of(value: object) -> RelType | None:
    return _TYPES.get(str(value or "").strip().lower())


def unknown_name(what: str, value: object, names: type[NodeLabel] | type[RelType]) -> str:
    """The refusal of an unknown label or type, naming the closest and the accepted ones.

    >>> unknown_name("node type", "Partnr", NodeLabel).split(";")[0]
    "unknown node type 'Partnr' (did you mean 'Partner'?)"
    """
    return str(UnknownValue(what, value, [x.value for x in names]))


def _near(value: object, names: dict) -> bool:
    import difflib

    text = str(value or "").strip().lower()
    return bool(text) and (text in names or bool(difflib.get_close_matches(text, list(names),
                                                                           n=1, cutoff=0.8)))


def _type_column(table: Table, columns: tuple[str, ...], names: dict) -> str | None:
    """The first of ``columns`` that is there and holds (near) schema names somewhere."""
    for c in columns:
        if c in table.columns and any(_near(r.get(c), names) for _, r in table):
            return c
    return None


def local_id(raw: str, label: NodeLabel) -> str:
    raw = str(raw).strip()
    return raw if ID_RE.match(raw) else f"{label.value.lower()}:{slugify(raw)}"


def plan_gephi(nodes: Table | None, edges: Table | None, file: str, errors: list[RowError],
               plan: LoadPlan, *, default_label: NodeLabel, default_type: RelType,
               ids: dict[str, str] | None = None) -> None:
    """Plan a nodes table and/or an edges table. ``ids`` (the file's Id -> node id) is
    shared when a load has several node tables; pass the same dict to every call."""
    ids = {} if ids is None else ids
    nfile = file if file.lower().endswith((".csv", ".tsv", ".txt")) else f"{file} nodes"
    efile = file if file.lower().endswith((".csv", ".tsv", ".txt")) else f"{file} edges"
    unknown = plan.options.get("unknown_countries", "error")
    if nodes is not None:
        if "Id" not in nodes.columns:
            errors.append(RowError(nfile, 1, "Id", "required column is missing"))
        else:
            label_col = ("node_label" if "node_label" in nodes.columns
                         else _type_column(nodes, _LABEL_COLUMNS[1:], _BY_NAME))
            for c in _LABEL_COLUMNS[1:]:
                if c in nodes.columns and c != label_col:
                    plan.notes.append(f"{nfile}: column {c!r} names no partnernet label; "
                                      f"kept as a property (nodes without one are "
                                      f"{default_label.value})")
                    break
            places = NodeTablePlaces(unknown_countries=unknown)
            pending = []
            for row_no, row in nodes:
                raw = str(row.get("Id") or "").strip()
                if not raw:
                    errors.append(RowError(nfile, row_no, "Id", "empty id"))
                    continue
                named = str(row.get(label_col) or "").strip() if label_col else ""
                if named and node_label_of(named) is None:
                    errors.append(RowError(nfile, row_no, label_col,
                                           unknown_name("node type", named, NodeLabel)))
                    continue
                label = node_label_of(named) or default_label
                if raw in ids:
                    errors.append(RowError(nfile, row_no, "Id",
                                           f"duplicate Id {raw!r}"))
                    continue
                exclude = {"Id", "Label", "name", "source", "timeset"}
                if label_col:
                    exclude.add(label_col)
                props = cell_props(row, exclude=exclude, label=label)
                name = str(row.get("name") or row.get("Label") or raw)
                if label in PLACE_LABELS and not ID_RE.match(raw):
                    places.add(raw, label, name, props, file=nfile, row=row_no,
                               name_column="Label" if "Label" in nodes.columns else "Id")
                    ids[raw] = ""
                else:
                    ids[raw] = local_id(raw, label)
                pending.append((row_no, raw, label, name, props, row.get("source")))
            placed = places.resolve(errors)
            for row_no, raw, label, name, props, source in pending:
                if raw in placed:
                    ids[raw], found = placed[raw]
                    props = {**found, **{k: v for k, v in props.items()
                                         if k not in ("country", "country_code", "iso",
                                                      "iso2", "iso3")}}
                node = node_of_table_row(ids[raw], label, name, props,
                                         source=source or f"loaded from {file}", file=nfile,
                                         row=row_no, errors=errors, unknown=unknown,
                                         notes=plan.notes)
                if node is not None:
                    plan.nodes.append(node)
    if edges is not None:
        missing = [c for c in ("Source", "Target") if c not in edges.columns]
        if missing:
            errors += [RowError(efile, 1, c, "required column is missing")
                       for c in missing]
            return
        type_col = "rel_type" if "rel_type" in edges.columns else None
        label_types = _type_column(edges, ("Label",), _TYPES)
        for row_no, row in edges:
            named = str(row.get(type_col) or "").strip() if type_col else ""
            if not named and label_types:
                named = str(row.get("Label") or "").strip()
            if named and rel_type_of(named) is None:
                errors.append(RowError(efile, row_no,
                                       type_col if row.get(type_col) else "Label",
                                       unknown_name("relationship type", named, RelType)))
                continue
            ends = []
            for col in ("Source", "Target"):
                raw = str(row.get(col) or "").strip()
                if raw in ids:
                    ends.append(ids[raw])
                elif ID_RE.match(raw):
                    ends.append(raw)
                else:
                    errors.append(RowError(efile, row_no, col,
                                           f"{raw!r} is not an Id of any nodes table"))
            if len(ends) != 2:
                continue
            rtype = rel_type_of(named) or default_type
            exclude = {"Source", "Target", "Type", "Id", "rel_type", "timeset", "key"}
            if label_types:
                exclude.add("Label")
            props = cell_props(row, exclude=exclude, rtype=rtype,
                               rename={"Weight": "weight", "Label": "label"})
            kind = str(row.get("Type") or "").strip().casefold()
            set_direction(props, rtype, {"directed": True, "undirected": False}.get(kind))
            rel = make_relationship({"start": ends[0], "type": rtype, "end": ends[1],
                                     "key": str(row.get("key") or row.get("Id") or ""),
                                     "props": props}, file=efile, row=row_no,
                                    errors=errors)
            if rel is not None:
                plan.add_relationship(rel, efile, row_no, ("Source", "Target"))
