"""Results shaped as rows: the tables of the report (Markdown, XLSX, HTML)."""

from __future__ import annotations

from typing import Any

__all__ = ["empty_reasons", "report_tables"]


def report_tables(r: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The report's tables, as rows (shared by Markdown and XLSX)."""
    ss = r["south_south"]
    fu = r["focal_units"]
    t = {
        "Counts": [{"what": k, "count": v} for k, v in r["counts"]["nodes"].items()]
        + [{"what": f"relationship {k}", "count": v}
           for k, v in r["counts"]["relationships"].items()],
        "Cities by region": [{"region": k, "cities": v}
                             for k, v in r["counts"]["cities_by_region"].items()],
        "Brokers": [{"rank": b["rank"], "name": b["name"], "region": b["group"],
                     "betweenness": b["betweenness"], "constraint": b["constraint"],
                     "coordinator": b["coordinator"], "itinerant": b["itinerant"],
                     "gatekeeper": b["gatekeeper"], "representative": b["representative"],
                     "liaison": b["liaison"],
                     "cut point": (f"yes, holds {b['separated']}" if b.get("cut_point")
                                   else "no"),
                     "connects": "; ".join(f"{c['from']} -> {c['to']} ({c['role']}, "
                                           f"{c['count']})" for c in b.get("connects", [])[:3])}
                    for b in r["brokers"]["rows"]],
        "Partnership shares": [{"type": k, "count": v["count"], "share": v["share"]}
                               for k, v in ss["shares"]["overall"].items()],
        "Thin corridors": [{"corridor": f"{x['a']} - {x['b']}", "ties": x["ties"],
                            "possible": x["possible"], "density": x["density"]}
                           for x in ss["density"]["thin"]],
        "Missing links": [{"city a": f"{p['a_name']} ({p['a_country']})",
                           "city b": f"{p['b_name']} ({p['b_country']})", "score": p["score"],
                           "reasons": "; ".join(p["reasons"])}
                          for p in ss["missing_links"]["pairs"]],
        "Triangular brokers": [{"name": b["name"], "bloc": b["bloc"],
                                "southern neighbours": b["southern_neighbours"],
                                "brokered pairs": b["brokered_pairs"],
                                "dependency": b["dependency"]}
                               for b in ss["triangular"]["brokers"]],
        "Focal units": [{"#": c["number"], "category": c["name"],
                         "focal units": "; ".join(c["focal_units"]),
                         "shared": "shared by several units" if c["shared"] else "one unit",
                         "dispatching": "; ".join(x for rt in c["routing"]
                                                  for x in rt["dispatching"]) or "(no rule)"}
                        for c in fu["categories"]],
        "Workload": [{"unit": w["name"], "partners": w["partners"],
                      "categories": "; ".join(w["categories"])}
                     for w in fu["coverage"]["workload"] if w["partners"] or w["categories"]],
        "Overdue duties": (
            [{"duty": "end-of-agreement assessment", "item": a["name"], "due since": a["end"]}
             for a in fu["coverage"]["agreements_without_assessment"]]
            + [{"duty": "due diligence", "item": d["name"], "due since": d["status"]}
               for d in fu["coverage"]["due_diligence_needed"]]
            + [{"duty": "assign a partner category", "item": u["name"], "due since": ""}
               for u in fu["coverage"]["uncategorised"]]),
        "Deliverables": [{"network": n["name"], "total": n["total"],
                          **{k.replace("_", " "): v for k, v in n["counts"].items()}}
                         for n in r["deliverables"]["networks"]]
        + [{"network": f"  {a['code']} {a['name']}", "total": a["total"],
            **{k.replace("_", " "): v for k, v in a["counts"].items()}}
           for a in r["deliverables"]["action_lines"]],
        "Recognitions": [{"name": x["name"], "programme": x["programme_name"],
                          "since": x["since"], "ends": x["ends"], "days left": x["days_left"],
                          "note": x["note"] or ""}
                         for x in r["recognitions"]["recognitions"]],
    }
    if r.get("sources"):
        t["Sources"] = r["sources"]["documents"]
        t["Data credits"] = r["sources"]["credits"]
    if r.get("match"):
        t["Recommended partners"] = [{"rank": i, "name": c["name"], "score": c["score"],
                                      "contact": "; ".join(c["contact_focal_units"]),
                                      "reasons": "; ".join(c["reasons"])}
                                     for i, c in enumerate(r["match"]["candidates"], 1)]
    return t


def empty_reasons(r: dict[str, Any]) -> dict[str, str]:
    """Why a report table is empty, by table name, where the result says (else "(none)").

    >>> empty_reasons({"south_south": {"missing_links": {"empty": {"why": "no groups",
    ...     "try": ["load memberships"]}}}, "recognitions": {"recognitions": [1]}})
    {'Missing links': 'none proposed: no groups; load memberships'}
    """
    out = {}
    missing = r["south_south"]["missing_links"].get("empty")
    if missing:
        out["Missing links"] = "; ".join(["none proposed: " + missing["why"], *missing["try"]])
    if not r["recognitions"]["recognitions"]:
        out["Recognitions"] = ("no Leading-level recognitions in this store (MEMBER_OF with "
                               "level Leading): load the reference graph or your own")
    return out
