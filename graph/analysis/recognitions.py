"""Leading-level recognitions (UN Global Compact Cities Programme) and when they lapse."""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx

from partnernet.graph.schema import RelType

__all__ = ["recognitions"]


def _parse(value: Any) -> dt.date | None:
    s = str(value or "")
    try:
        if len(s) == 4:
            return dt.date(int(s), 1, 1)
        if len(s) == 7:
            return dt.date(int(s[:4]), int(s[5:7]), 1)
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        return None


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def recognitions(g: nx.MultiDiGraph, *, today: dt.date | None = None,
                 within_days: int = 365) -> dict[str, Any]:
    """Leading-level recognitions, their computed end dates, and those lapsing soon.

    A recognition is a ``MEMBER_OF {level: "Leading"}`` tie to a programme whose
    node gives ``leading_recognition_years`` (3), ``leading_extension_years`` (3) and
    ``leading_max_extensions`` (1). End = ``since`` + 3 years, + 3 more if the tie
    says ``extended: true``. A recognition without a start date is listed with an
    unknown end (the source does not say when it began).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("p", name="P", leading_recognition_years=3, leading_extension_years=3)
    >>> g.add_node("c", name="C")
    >>> _ = g.add_edge("c", "p", type="MEMBER_OF", level="Leading", since="2024-03-01")
    >>> r = recognitions(g, today=dt.date(2026, 11, 22))
    >>> r["lapsing"][0]["ends"], r["lapsing"][0]["can_extend"]
    ('2027-03-01', True)
    """
    today = today or dt.date.today()
    rows = []
    for a, b, d in g.edges(data=True):
        if d.get("type") != RelType.MEMBER_OF.value or d.get("level") != "Leading":
            continue
        prog = g.nodes[b]
        years = int(prog.get("leading_recognition_years") or 3)
        ext_years = int(prog.get("leading_extension_years") or 3)
        max_ext = int(prog.get("leading_max_extensions") or 1)
        start = _parse(d.get("since"))
        extended = bool(d.get("extended"))
        end = None
        if start is not None:
            end = _add_years(start, years + (ext_years if extended else 0))
        rows.append({"city": a, "name": g.nodes[a].get("name", a), "programme": b,
                     "programme_name": prog.get("name", b),
                     "since": start.isoformat() if start else None,
                     "ends": end.isoformat() if end else None,
                     "days_left": (end - today).days if end else None,
                     "extended": extended, "can_extend": not extended and max_ext > 0,
                     "generated": bool(d.get("generated")),
                     "note": None if start else "start date unknown: end cannot be computed"})
    rows.sort(key=lambda r: (r["ends"] is None, r["ends"] or "", r["name"]))
    lapsing = [r for r in rows if r["days_left"] is not None and 0 <= r["days_left"] <= within_days]
    lapsed = [r for r in rows if r["days_left"] is not None and r["days_left"] < 0]
    return {"recognitions": rows, "lapsing": lapsing, "lapsed": lapsed,
            "today": today.isoformat(), "within_days": within_days}
