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
from partnernet.graph.store import GraphStore, LoadSummary
from partnernet.loaders.errors import LoadErrors, RowError
from partnernet.loaders.formats.tables import read_csv, read_json, read_xlsx_sheets
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


def _csv_kind(columns: list[str]) -> str | None:
    cols = set(columns)
    if {"id", "label", "name"} <= cols:
        return "canonical-nodes"
    if {"start", "type", "end"} <= cols:
        return "canonical-relationships"
    if "Id" in cols:
        return "gephi-nodes"
    if {"Source", "Target"} <= cols:
        return "gephi-edges"
    if {"city1", "country1", "city2", "country2"} <= cols:
        return "pairs"
    return None


def detect_format(path: Path) -> str:
    """Guess a file's format from its extension and first line or sheet names."""
    suffix = path.suffix.lower()
    if suffix in (".graphml", ".gexf"):
        return suffix[1:]
    if suffix == ".json":
        return "canonical"
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            names = {n.lower() for n in load_workbook(path, read_only=True).sheetnames}
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook
            raise LoadErrors([RowError(path.name, None, None,
                                       f"not a readable XLSX workbook: {exc}")]) from exc
        if "elements" in names:
            return "kumu"
        if {"nodes", "relationships"} & names:
            return "canonical"
        if {"nodes", "edges"} & names:
            return "gephi"
    if suffix in (".txt", ".text"):
        head = path.read_text(encoding="utf-8", errors="replace")[:20000]
        if "ACTION LINE" in head and "Metropolis" in head:
            return "metropolis-action-plan"
    if suffix in (".csv", ".tsv", ".txt"):
        kind = _csv_kind(read_csv(path).columns)
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
               pair_kind: str = "twinning", progress: Any = None) -> tuple[LoadPlan, dict]:
    """Read and validate ``paths``; raise :class:`LoadErrors` listing every bad row."""
    from partnernet.loaders.formats.canonical import plan_json, plan_nodes, plan_relationships
    from partnernet.loaders.formats.gephi import plan_gephi
    from partnernet.loaders.formats.graphfiles import plan_graph_file
    from partnernet.loaders.formats.kumu import plan_kumu
    from partnernet.loaders.formats.pairs import DEFAULT_COLUMNS, plan_pairs
    from partnernet.loaders.reference_graph import metropolis_plan, reference_plan, yaml_plan

    plan = LoadPlan()
    errors: list[RowError] = []
    formats: dict[str, str] = {}
    gephi_nodes = gephi_edges = None
    if fmt == "reference" and not paths:
        formats["(built in)"] = "reference"
        return reference_plan(), formats
    for p in paths:
        path = Path(p)
        name = path.name
        if not path.is_file():
            errors.append(RowError(str(path), None, None, "no such file"))
            continue
        try:
            f = fmt or detect_format(path)
            formats[str(path)] = f
            if f == "reference":
                plan.extend(reference_plan())
            elif f == "metropolis-action-plan":
                from partnernet.loaders.metropolis import parse_action_plan

                mentions = yaml_plan("metropolis.yaml").details.get("mentions", [])
                plan.extend(metropolis_plan(parse_action_plan(path), mentions=mentions))
            elif f in ("graphml", "gexf"):
                plan_graph_file(path, f, errors, plan, default_label=default_label,
                                default_type=default_type)
            elif path.suffix.lower() == ".json":
                if f != "canonical":
                    raise LoadErrors([RowError(name, None, None,
                                               f"JSON input is read as 'canonical', not {f!r}")])
                plan_json(read_json(path), name, errors, plan)
            elif path.suffix.lower() in (".xlsx", ".xlsm"):
                sheets = read_xlsx_sheets(path)
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
                    plan_gephi(lower.get("nodes"), lower.get("edges"), name, errors, plan,
                               default_label=default_label, default_type=default_type)
                elif f == "pairs":
                    first = next(iter(sheets.values()))
                    plan_pairs(first, name, errors, plan,
                               columns=pair_columns or DEFAULT_COLUMNS, kind=pair_kind,
                               progress=progress)
                else:
                    raise LoadErrors([RowError(name, None, None,
                                               f"format {f!r} cannot be read from XLSX")])
            else:
                table = read_csv(path)
                kind = _csv_kind(table.columns) or ""
                plan.notes += table.notes
                if f == "canonical":
                    if kind == "canonical-relationships":
                        plan_relationships(table, name, errors, plan)
                    else:
                        plan_nodes(table, name, errors, plan)
                elif f == "gephi":
                    if kind == "gephi-edges" or ("Source" in table.columns
                                                 and "Id" not in table.columns):
                        gephi_edges = (gephi_edges, table, name)
                    else:
                        gephi_nodes = (gephi_nodes, table, name)
                elif f == "pairs":
                    plan_pairs(table, name, errors, plan,
                               columns=pair_columns or DEFAULT_COLUMNS, kind=pair_kind,
                               progress=progress)
                else:
                    raise LoadErrors([RowError(name, None, None,
                                               f"format {f!r} cannot be read from CSV")])
        except LoadErrors as exc:
            errors += exc.errors
    if gephi_nodes or gephi_edges:
        n_table = gephi_nodes[1] if gephi_nodes else None
        e_table = gephi_edges[1] if gephi_edges else None
        label = gephi_nodes[2] if gephi_nodes else gephi_edges[2]  # type: ignore[index]
        plan_gephi(n_table, e_table, label, errors, plan, default_label=default_label,
                   default_type=default_type)
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
    plan, formats = plan_files(paths, **options)
    try:
        summary = store.load(plan.nodes, plan.relationships, dry_run=dry_run)
    except SchemaError as exc:
        raise LoadErrors([RowError(", ".join(Path(p).name for p in paths) or "reference",
                                   None, None, str(exc))]) from exc
    return LoadResult(plan, summary, formats)
