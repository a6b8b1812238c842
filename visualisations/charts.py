"""Small inline SVG charts for reports (no JavaScript, no external files)."""

from __future__ import annotations

import math
from html import escape

__all__ = ["bar_chart", "heatmap"]


def _shade(x: float, top: float) -> str:
    if not math.isfinite(x) or top <= 0:
        return "#eeeeee"
    t = min(1.0, x / top) ** 0.5
    r, g, b = int(255 - 200 * t), int(255 - 140 * t), int(255 - 60 * t)
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap(labels: list[str], matrix: dict[str, dict[str, float]], *,
            title: str = "") -> str:
    """A square heatmap of ``matrix[a][b]`` (escaped labels, values printed in cells)."""
    n = len(labels)
    cell, left, top = 54, 190, 150
    values = [matrix[a][b] for a in labels for b in labels
              if isinstance(matrix[a][b], float) and math.isfinite(matrix[a][b])]
    hi = max(values) if values else 1.0
    w, h = left + n * cell + 10, top + n * cell + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
           f'role="img" aria-label="{escape(title)}" font-family="sans-serif" font-size="11">']
    for i, a in enumerate(labels):
        out.append(f'<text x="{left - 6}" y="{top + i * cell + cell / 2 + 4}" '
                   f'text-anchor="end">{escape(a)}</text>')
        out.append(f'<text transform="translate({left + i * cell + cell / 2 + 4},{top - 6}) '
                   f'rotate(-50)">{escape(a)}</text>')
        for j, b in enumerate(labels):
            v = matrix[a][b]
            out.append(f'<rect x="{left + j * cell}" y="{top + i * cell}" width="{cell - 2}" '
                       f'height="{cell - 2}" fill="{_shade(v, hi)}"/>')
            label = "" if not (isinstance(v, float) and math.isfinite(v)) else f"{v:.4f}"
            out.append(f'<text x="{left + j * cell + cell / 2 - 1}" '
                       f'y="{top + i * cell + cell / 2 + 3}" text-anchor="middle" '
                       f'font-size="9">{label}</text>')
    out.append("</svg>")
    return "".join(out)


def bar_chart(rows: list[tuple[str, dict[str, int]]], colors: dict[str, str], *,
              title: str = "") -> str:
    """Horizontal stacked bars: one row per label, segments per key of the dict."""
    width, left, bar_h = 640, 230, 22
    h = 30 + len(rows) * (bar_h + 8) + 20
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" role="img" '
           f'aria-label="{escape(title)}" font-family="sans-serif" font-size="11">']
    x0 = left
    for i, key in enumerate(colors):
        out.append(f'<rect x="{x0 + i * 130}" y="4" width="10" height="10" '
                   f'fill="{colors[key]}"/><text x="{x0 + i * 130 + 14}" y="13">'
                   f'{escape(key.replace("_", " "))}</text>')
    for r, (label, counts) in enumerate(rows):
        y = 26 + r * (bar_h + 8)
        total = sum(counts.values()) or 1
        out.append(f'<text x="{left - 6}" y="{y + bar_h / 2 + 4}" text-anchor="end">'
                   f'{escape(label[:38])}</text>')
        x = left
        for key, color in colors.items():
            wpx = (width - left - 20) * counts.get(key, 0) / total
            if wpx > 0:
                out.append(f'<rect x="{x:.1f}" y="{y}" width="{wpx:.1f}" height="{bar_h}" '
                           f'fill="{color}"/>')
                if wpx > 18:
                    out.append(f'<text x="{x + wpx / 2:.1f}" y="{y + bar_h / 2 + 4}" '
                               f'text-anchor="middle" fill="#fff">{counts[key]}</text>')
            x += wpx
    out.append("</svg>")
    return "".join(out)
