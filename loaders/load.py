"""Load files into a store: detect the format, validate every row, write all or nothing.

``plan_files`` reads and validates (raising :class:`LoadErrors` with every problem,
each naming file, row and column); ``load_files`` then writes the plan in one
atomic, idempotent store load. Re-running the same load changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partnernet.graph.schema import NodeLabel, RelType, SchemaError
from partnernet.graph.schema.records import is_node_id
from partnernet.graph.store import GraphStore, LoadSummary
from partnernet.loaders.errors import LoadErrors, RowError
from partnernet.loaders.formats.tables import (
    Table,
    read_csv,
    read_json,
    read_xlsx_sheets,
    xlsx_sheet_names,
)
from partnernet.loaders.formats.values import Row
from partnernet.loaders.limits import Caps, over
from partnernet.loaders.plan import LoadPlan
from partnernet.vocabulary import LOAD_FORMATS

__all__ = ["FORMATS", "LoadResult", "detect_format", "load_files", "plan_files"]

FORMATS = LOAD_FORMATS


@dataclass
class LoadResult:
    plan: LoadPlan
    summary: LoadSummary
    formats: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        return {"formats": self.formats, **self.summary.as_dict(), "rejected": 0,
                "stats": dict(self.plan.stats), "notes": self.plan.notes[:50],
                "notes_total": len(self.plan.notes), "details": self.plan.details}


def _csv_kind(columns: list[str], rows: list[dict] | None = None) -> str | None:
    from partnernet.loaders.formats.columns import edge_ends
    from partnernet.loaders.formats.members import member_columns

    cols = set(columns)
    if {"id", "label", "name"} <= cols:
        return "canonical-nodes"
    if {"start", "type", "end"} <= cols:
        return "canonical-relationships"
    if "Id" in cols and "Source" not in cols:
        return "gephi-nodes"
    if {"Source", "Target"} <= cols:
        return "gephi-edges"
    if {"city1", "country1", "city2", "country2"} <= cols:
        return "pairs"
    if edge_ends(columns, rows) is not None:
        return "edges"
    found = member_columns(columns)
    if "member" in found and "organisation" in found:
        return "members"
    lower = {c.casefold() for c in columns}
    if "id" in lower and lower & {"name", "label"}:
        return "gephi-nodes"  # a plain nodes table (id, name, ...): its ids join an edge list
    return None


def _ends_are_ids(table: Table) -> bool:
    """Whether every Source and Target cell holds a partnernet node id."""
    values = [str(r.get(c) or "").strip() for _, r in table for c in ("Source", "Target")]
    return bool(values) and all(is_node_id(v) for v in values)


def _gephi_columns(table: Table) -> Table:
    """A nodes or edges table with lower-case ``id``/``label``/``source``/``target`` named as
    Gephi names them."""
    cols = set(table.columns)
    nodes = "id" in {c.casefold() for c in cols}
    names = {"id": "Id", "label": "Label"} if nodes else {"source": "Source", "target": "Target"}
    rename = {c: names[c.casefold()] for c in table.columns
              if c.casefold() in names and c != names[c.casefold()]
              and names[c.casefold()] not in cols}
    if not rename:
        return table
    kinds = {rename.get(k, k): v for k, v in getattr(table.rows[0], "kinds", {}).items()} \
        if table.rows else {}
    return Table(table.name, [rename.get(c, c) for c in table.columns],
                 [Row({rename.get(k, k): v for k, v in r.items()}, kinds=kinds)
                  for r in table.rows],
                 table.numbers, table.notes)


def detect_format(path: Path, *, caps: Caps | None = None) -> str:
    """Guess a file's format from its extension and first line or sheet names."""
    suffix = path.suffix.lower()
    if suffix in (".graphml", ".gexf"):
        return suffix[1:]
    if suffix == ".json":
        return "canonical"
    if suffix in (".xlsx", ".xlsm"):
        names = {n.lower() for n in xlsx_sheet_names(path, caps=caps)}
        if "elements" in names:
            return "kumu"
        if {"nodes", "relationships"} & names:
            return "canonical"
        if {"nodes", "edges"} & names:
            return "gephi"
        first = next(iter(read_xlsx_sheets(path, caps=caps).values()), None)
        kind = _csv_kind(first.columns, first.rows[:50]) if first is not None else None
        if kind in ("pairs", "edges", "members"):
            return kind
    if suffix in (".txt", ".text"):
        head = path.read_text(encoding="utf-8", errors="replace")[:20000]
        if "ACTION LINE" in head and "Metropolis" in head:
            return "metropolis-action-plan"
    if suffix in (".csv", ".tsv", ".txt"):
        table = read_csv(path, caps=caps)
        kind = _csv_kind(table.columns, table.rows[:50])
        if kind:
            return kind.split("-")[0]
    raise LoadErrors([RowError(path.name, None, None,
                               f"cannot tell the format of this file; name it (--input-format on "
                               f"the command line, the form field format in the API; one of "
                               f"{', '.join(FORMATS)})")])


def plan_files(paths: Sequence[str | Path], *, fmt: str | None = None,
               default_label: NodeLabel = NodeLabel.CITY,
               default_type: RelType = RelType.PARTNERS_WITH,
               pair_columns: tuple[str, str, str, str] | None = None,
               pair_kind: str | None = "twinning", columns: dict[str, str] | None = None,
               unknown_countries: str = "error", org_label: NodeLabel = NodeLabel.NETWORK,
               progress: Any = None, caps: Caps | None = None) -> tuple[LoadPlan, dict]:
    """Read and validate ``paths`` within ``caps``; raise :class:`LoadErrors` listing every
    bad row. A ``.zip`` (such as a Gephi CSV export) is read as the files it holds.

    ``columns`` names columns detection would miss (``{"source": "from_city"}``);
    ``unknown_countries``: ``"error"`` (default) or ``"warn"`` (load those places without
    a country and list every such value in the notes).
    """
    import tempfile

    caps = caps or Caps()
    with tempfile.TemporaryDirectory(prefix="partnernet-zip-") as tmp:
        return _plan_files(_unzip(paths, Path(tmp), caps), fmt=fmt,
                           default_label=default_label, default_type=default_type,
                           pair_columns=pair_columns, pair_kind=pair_kind, columns=columns,
                           unknown_countries=unknown_countries, org_label=org_label,
                           progress=progress, caps=caps)


def _unzip(paths: Sequence[str | Path], tmp: Path, caps: Caps) -> list[Path]:
    """``paths`` with each ``.zip`` replaced by the files it holds (checked against the
    caps before anything is inflated; names reduced to their last part)."""
    import io
    import re
    import zipfile

    from partnernet.loaders.limits import check_zip, read_limited, read_member

    out: list[Path] = []
    for i, p in enumerate(paths):
        path = Path(p)
        if path.suffix.lower() != ".zip" or not path.is_file():
            out.append(path)
            continue
        folder = tmp / str(i)
        folder.mkdir()
        try:
            with zipfile.ZipFile(io.BytesIO(read_limited(path, caps))) as zf:
                infos = [x for x in check_zip(zf, caps, path.name) if not x.is_dir()]
                for info in infos:
                    name = re.sub(r"[^\w.-]", "_", info.filename.replace("\\", "/")
                                  .rsplit("/", 1)[-1]).lstrip(".") or "member"
                    if name.lower().endswith(".zip") or (folder / name).exists():
                        raise LoadErrors([RowError(path.name, None, None,
                                                   f"{info.filename!r}: archives inside an "
                                                   "archive and repeated names are not read")])
                    (folder / name).write_bytes(read_member(zf, info, caps, path.name))
                    out.append(folder / name)
        except zipfile.BadZipFile as exc:
            raise LoadErrors([RowError(path.name, None, None,
                                       f"not a readable ZIP archive: {exc}")]) from exc
        if not infos:
            raise LoadErrors([RowError(path.name, None, None, "the archive is empty")])
    return out


def _plan_files(paths: Sequence[Path], *, fmt: str | None, default_label: NodeLabel,
                default_type: RelType, pair_columns: tuple[str, str, str, str] | None,
                pair_kind: str | None, columns: dict[str, str] | None,
                unknown_countries: str, org_label: NodeLabel, progress: Any,
                caps: Caps) -> tuple[LoadPlan, dict]:
    from partnernet.loaders.formats.canonical import plan_json, plan_nodes, plan_relationships
    from partnernet.loaders.formats.edges import plan_edges
    from partnernet.loaders.formats.gephi import plan_gephi
    from partnernet.loaders.formats.graphfiles import plan_graph_file
    from partnernet.loaders.formats.kumu import plan_kumu
    from partnernet.loaders.formats.members import plan_members
    from partnernet.loaders.reference_graph import metropolis_plan, reference_plan, yaml_plan
    from partnernet.vocabulary import choose

    if fmt is not None:
        fmt = choose(fmt, FORMATS, "load format")
    unknown_countries = choose(unknown_countries, ("error", "warn"), "--unknown-countries value")
    plan = LoadPlan()
    plan.options["unknown_countries"] = unknown_countries
    errors: list[RowError] = []
    formats: dict[str, str] = {}
    node_tables: list[tuple[Table, str]] = []
    edge_tables: list[tuple[Table, str]] = []
    detected_edges: list[tuple[Table, str]] = []
    if fmt == "reference" and not paths:
        formats["(built in)"] = "reference"
        return reference_plan(), formats
    cols = dict(columns or {})
    if pair_columns:
        cols.update(zip(("source", "source_country", "target", "target_country"),
                        pair_columns, strict=True))

    def lists(table: Table, name: str, f: str) -> None:
        if f == "members":
            plan_members(table, name, errors, plan, org_label=org_label, columns=cols,
                         unknown_countries=unknown_countries, progress=progress)
        else:
            plan_edges(table, name, errors, plan, default_label=default_label,
                       default_type=default_type, kind=pair_kind, columns=cols,
                       unknown_countries=unknown_countries, progress=progress)

    for p in paths:
        path = Path(p)
        name = path.name
        if not path.is_file():
            errors.append(RowError(str(path), None, None, "no such file"))
            continue
        size = path.stat().st_size
        if size > caps.max_bytes:  # before a byte is read, whatever the format
            errors += over("max_bytes", caps, name, what=f"a file of {size:,} bytes").errors
            continue
        try:
            f = fmt or detect_format(path, caps=caps)
            formats[str(path)] = f
            if f == "reference":
                plan.extend(reference_plan())
            elif f == "metropolis-action-plan":
                from partnernet.loaders.metropolis import parse_action_plan

                mentions = yaml_plan("metropolis.yaml").details.get("mentions", [])
                plan.extend(metropolis_plan(parse_action_plan(path), mentions=mentions))
            elif f in ("graphml", "gexf"):
                plan_graph_file(path, f, errors, plan, default_label=default_label,
                                default_type=default_type, caps=caps)
            elif path.suffix.lower() == ".json":
                if f != "canonical":
                    raise LoadErrors([RowError(name, None, None,
                                               f"JSON input is read as 'canonical', not {f!r}")])
                plan_json(read_json(path, caps=caps), name, errors, plan)
            elif path.suffix.lower() in (".xlsx", ".xlsm"):
                sheets = read_xlsx_sheets(path, caps=caps)
                lower = {k.lower(): v for k, v in sheets.items()}
                if f == "canonical":
                    if "nodes" in lower:
                        plan_nodes(lower["nodes"], f"{name} [nodes]", errors, plan)
                    if "relationships" in lower:
                        plan_relationships(lower["relationships"], f"{name} [relationships]",
                                           errors, plan)
                elif f == "kumu":
                    if "elements" not in lower:
                        raise LoadErrors([RowError(name, None, None,
                                                   "a Kumu workbook needs an 'Elements' sheet")])
                    plan_kumu(lower["elements"], lower.get("connections"), name, errors, plan,
                              default_type=default_type)
                elif f == "gephi":
                    for title, table in sheets.items():
                        if "Id" in table.columns and "Source" not in table.columns:
                            node_tables.append((table, f"{name} [{title}]"))
                        elif "Source" in table.columns:
                            edge_tables.append((table, f"{name} [{title}]"))
                elif f in ("pairs", "edges", "members"):
                    title, first = next(iter(sheets.items()))
                    if f == "edges" and fmt is None:
                        detected_edges.append((first, f"{name} [{title}]"))
                    else:
                        lists(first, f"{name} [{title}]", f)
                else:
                    raise LoadErrors([RowError(name, None, None,
                                               f"format {f!r} cannot be read from XLSX")])
            else:
                table = read_csv(path, caps=caps)
                kind = _csv_kind(table.columns, table.rows[:50]) or ""
                plan.notes += table.notes
                if f == "canonical":
                    if kind == "canonical-relationships":
                        plan_relationships(table, name, errors, plan)
                    else:
                        plan_nodes(table, name, errors, plan)
                elif f == "gephi":
                    table = _gephi_columns(table)
                    if kind == "gephi-edges" or ("Source" in table.columns
                                                 and "Id" not in table.columns):
                        edge_tables.append((table, name))
                    else:
                        node_tables.append((table, name))
                elif f == "edges" and fmt is None:
                    detected_edges.append((table, name))
                elif f in ("pairs", "edges", "members"):
                    lists(table, name, f)
                else:
                    raise LoadErrors([RowError(name, None, None,
                                               f"format {f!r} cannot be read from CSV")])
        except LoadErrors as exc:
            errors += exc.errors
    for table, name in detected_edges:
        ends = {c.casefold() for c in table.columns} >= {"source", "target"}
        if node_tables and ends:  # an edge list between the ids of a nodes table
            edge_tables.append((_gephi_columns(table), name))
            formats[next(k for k in formats if Path(k).name == name.split(" [")[0])] = "gephi"
        else:
            lists(table, name, "edges")
    if node_tables:
        ids: dict[str, str] = {}
        for table, name in node_tables:
            plan_gephi(table, None, name, errors, plan, default_label=default_label,
                       default_type=default_type, ids=ids)
        for table, name in edge_tables:
            plan_gephi(None, table, name, errors, plan, default_label=default_label,
                       default_type=default_type, ids=ids)
    else:
        for table, name in edge_tables:
            if _ends_are_ids(table):  # an export's edges.csv: ties between stored nodes
                plan_gephi(None, table, name, errors, plan, default_label=default_label,
                           default_type=default_type, ids={})
                continue
            plan.notes.append(f"{name}: Gephi edges without a nodes table: the Source and "
                              "Target values are read as place names (an edge list)")
            plan_edges(table, name, errors, plan, default_label=default_label,
                       default_type=default_type, kind=pair_kind,
                       columns={"source": "Source", "target": "Target", **cols},
                       unknown_countries=unknown_countries, progress=progress)
    if errors:
        raise LoadErrors(errors)
    _check_duplicates(plan)
    return plan, formats


def _check_duplicates(plan: LoadPlan) -> None:
    """Same id with two labels within one load is an error, named by id."""
    seen: dict[str, NodeLabel] = {}
    errors = []
    for n in plan.nodes:
        if n.id in seen and seen[n.id] != n.label:
            errors.append(RowError(n.source, None, "id",
                                   f"id {n.id!r} is both a {seen[n.id].value} and a "
                                   f"{n.label.value}"))
        seen.setdefault(n.id, n.label)
    if errors:
        raise LoadErrors(errors)


def load_files(store: GraphStore, paths: Sequence[str | Path], *, dry_run: bool = False,
               **options: Any) -> LoadResult:
    """Plan ``paths`` and load them in one atomic transaction (or only report: ``dry_run``)."""
    from partnernet.loaders.store_checks import connect_ends, keep_identities_apart

    plan, formats = plan_files(paths, **options)
    files = ", ".join(Path(p).name for p in paths) or "reference"
    keep_identities_apart(store, plan)
    connect_ends(store, plan, files=files)
    try:
        summary = store.load(plan.nodes, plan.relationships, dry_run=dry_run)
    except SchemaError as exc:
        raise LoadErrors([RowError(files, None, None, str(exc))]) from exc
    return LoadResult(plan, summary, formats)
