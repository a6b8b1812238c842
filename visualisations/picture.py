"""A static picture of the network for reports: SVG that WeasyPrint (and any browser) draws.

Cities with coordinates are drawn on an offline world outline (world-atlas' Natural Earth
110m countries, vendored from the npm registry), partnerships as arcs, South-South ones
in the South colour, the best-connected cities named without overlap. Without
coordinates, regions are drawn as circles with their partnership counts. Colours come
from :mod:`partnernet.visualisations.palette`; every name is escaped.
"""

from __future__ import annotations

import json
import math
from functools import cache
from html import escape
from typing import Any

from partnernet.visualisations.explorer import asset_path
from partnernet.visualisations.palette import BLOC_COLORS, region_color

__all__ = ["network_picture", "world_rings"]


@cache
def world_rings() -> tuple[tuple[tuple[float, float], ...], ...]:
    """The land polygons' rings as (lon, lat) tuples, decoded from the TopoJSON file."""
    path = asset_path("countries-110m.json")
    assert path is not None
    topo = json.loads(path.read_text("utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(indices: list[int]) -> tuple[tuple[float, float], ...]:
        out: list[tuple[float, float]] = []
        for i in indices:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts if not out else pts[1:])
        return tuple(out)

    rings = []
    for geom in topo["objects"]["land"]["geometries"]:
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        for poly in polys:
            rings.extend(ring(r) for r in poly)
    return tuple(rings)


def _project(lon: float, lat: float, w: float, h: float) -> tuple[float, float]:
    """Equirectangular, latitudes 60 S to 85 N (Antarctica left out)."""
    return (lon + 180) / 360 * w, (85 - lat) / 145 * h


def network_picture(map_data: dict[str, Any] | None, aggregate: dict[str, Any] | None, *,
                    width: int = 1000, labels: int = 30) -> str:
    """The picture as an SVG string (``map_data``: :func:`service.explore.map_of`;
    ``aggregate``: :func:`service.explore.aggregate_of`, used without coordinates)."""
    if map_data and map_data.get("ids"):
        return _map_svg(map_data, width=width, labels=labels)
    if aggregate and aggregate.get("nodes"):
        return _regions_svg(aggregate, width=width)
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40">'
            '<text x="4" y="24" font-size="13">No partnership to draw yet: load '
            'partnerships (partnernet load) to see the network.</text></svg>')


def _map_svg(m: dict[str, Any], *, width: int, labels: int) -> str:
    w, h = width, width * 145 / 360
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h:.0f}" '
           f'viewBox="0 0 {w} {h:.0f}" font-family="DejaVu Sans, sans-serif" role="img" '
           f'aria-label="Map of the partnership network">',
           f'<rect width="{w}" height="{h:.0f}" fill="#dfe9f3"/>']
    for ring in world_rings():
        if all(lat < -60 for _, lat in ring):
            continue
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (_project(lo, la, w, h) for lo, la in ring))
        out.append(f'<polygon points="{pts}" fill="#fbfbf8" stroke="#c9c9c0" '
                   f'stroke-width="0.4"/>')
    xy = [_project(lo, la, w, h) for lo, la in zip(m["lon"], m["lat"], strict=True)]
    ties = m["ties"]
    alpha = max(0.05, min(0.5, 300 / (len(ties) + 1)))
    ss_color = BLOC_COLORS["South"]
    for group in ("other", "ss"):
        parts = []
        for a, b, *_ in ties:
            ss = m["bloc"][a] == "South" and m["bloc"][b] == "South"
            if (group == "ss") != ss:
                continue
            (x1, y1), (x2, y2) = xy[a], xy[b]
            if abs(x1 - x2) > w / 2:  # the short way round is across the date line: skip
                continue
            mx, my = (x1 + x2) / 2, (y1 + y2) / 2 - math.hypot(x2 - x1, y2 - y1) * 0.18
            parts.append(f"M{x1:.1f},{y1:.1f}Q{mx:.1f},{my:.1f} {x2:.1f},{y2:.1f}")
        if parts:
            color = ss_color if group == "ss" else "#46465a"
            op = min(0.8, alpha * 2) if group == "ss" else alpha
            out.append(f'<path d="{"".join(parts)}" fill="none" stroke="{color}" '
                       f'stroke-opacity="{op:.2f}" stroke-width="0.6"/>')
    order = sorted(range(len(xy)), key=lambda i: m["degree"][i])
    for i in order:
        x, y = xy[i]
        r = min(1.2 + math.sqrt(m["degree"][i]) * 0.5, 7)
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" '
                   f'fill="{region_color(m["region"][i])}"/>')
    boxes: list[tuple[float, float, float, float]] = []
    for i in reversed(order):
        if len(boxes) >= labels:
            break
        x, y = xy[i]
        text = m["names"][i][:28]
        tw = 6.2 * len(text)
        box = (x + 4, y - 6, x + 6 + tw, y + 6)
        if box[2] > w:
            box = (x - 6 - tw, y - 6, x - 4, y + 6)
        if any(box[0] < o[2] and box[2] > o[0] and box[1] < o[3] and box[3] > o[1]
               for o in boxes):
            continue
        boxes.append(box)
        # a white outline first, then the text (WeasyPrint has no paint-order)
        for paint in ('fill="#ffffff" stroke="#ffffff" stroke-width="2.6"', 'fill="#1a1a1a"'):
            out.append(f'<text x="{box[0] + 1:.1f}" y="{y + 4:.1f}" font-size="10.5" '
                       f'{paint}>{escape(text)}</text>')
    out.append("</svg>")
    return "".join(out)


def _regions_svg(agg: dict[str, Any], *, width: int) -> str:
    nodes = agg["nodes"]
    n = len(nodes)
    h = 420
    cx, cy, rad = width / 2, h / 2, min(width, h) / 2 - 70
    pos = {x["id"]: (cx + rad * math.cos(2 * math.pi * i / n - math.pi / 2),
                     cy + rad * math.sin(2 * math.pi * i / n - math.pi / 2))
           for i, x in enumerate(nodes)}
    top = max((e["weight"] for e in agg["edges"]), default=1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" '
           f'font-family="DejaVu Sans, sans-serif" role="img" '
           f'aria-label="Partnerships between regions">']
    for e in agg["edges"]:
        (x1, y1), (x2, y2) = pos[e["from"]], pos[e["to"]]
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                   f'stroke="#8a8a8a" stroke-width="{1 + 9 * e["weight"] / top:.1f}" '
                   f'stroke-opacity="0.6"/><text x="{(x1 + x2) / 2:.1f}" '
                   f'y="{(y1 + y2) / 2:.1f}" font-size="10" text-anchor="middle">'
                   f'{e["weight"]}</text>')
    big = max(x["members"] for x in nodes)
    for x in nodes:
        px, py = pos[x["id"]]
        r = 10 + 30 * math.sqrt(x["members"] / big)
        out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{r:.1f}" '
                   f'fill="{region_color(x.get("region"))}"/>'
                   f'<text x="{px:.1f}" y="{py + r + 13:.1f}" font-size="11" '
                   f'text-anchor="middle">{escape(str(x["name"]))} ({x["members"]})</text>')
    out.append("</svg>")
    return "".join(out)
