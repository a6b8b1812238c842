"""Small inline SVG charts for reports (no JavaScript, no external files).

Labels are measured, not cut: margins grow with the longest label (DejaVu Sans at 11 px is
about 6.6 px per character) and long bar labels wrap onto two lines.
"""

from __future__ import annotations

import math
from html import escape

__all__ = ["bar_chart", "heatmap"]

_CHAR = 6.6  # px per character at font-size 11 (DejaVu Sans, average)


def _shade(x: float, top: float) -> str:
    if not math.isfinite(x) or top <= 0:
        return "#eeeeee"
    t = min(1.0, x / top) ** 0.5
    r, g, b = int(255 - 200 * t), int(255 - 140 * t), int(255 - 60 * t)
    return f"#{r:02x}{g:02x}{b:02x}"


def _per_mille(v: float) -> str:
    """A density as ties per 1,000 possible pairs, with two significant digits."""
    x = v * 1000
    if x == 0:
        return "0"
    if x >= 10:
        return f"{x:.0f}"
    return f"{x:.2g}"


def _wrap(label: str, width: int, lines: int = 3) -> list[str]:
    """``label`` on at most ``lines`` lines of about ``width`` characters, cut at spaces."""
    out: list[str] = []
    rest = label.strip()
    while rest and len(out) < lines:
        if len(rest) <= width:
            out.append(rest)
            rest = ""
            break
        cut = rest.rfind(" ", 0, width)
        cut = cut if cut > 0 else width
        out.append(rest[:cut])
        rest = rest[cut:].strip()
    if rest:
        out[-1] = out[-1][:width - 1] + "…"
    return out


def heatmap(labels: list[str], matrix: dict[str, dict[str, float]], *,
            title: str = "") -> str:
    """A square heatmap of ``matrix[a][b]`` (densities), values as ties per 1,000 possible
    pairs printed in the cells; labels escaped and never cut."""
    n = len(labels)
    cell = 58
    longest = max((len(a) for a in labels), default=4)
    left = int(longest * _CHAR) + 14
    top = int(longest * _CHAR * 0.64) + 24  # column labels at -40 degrees
    values = [matrix[a][b] for a in labels for b in labels
              if isinstance(matrix[a][b], float) and math.isfinite(matrix[a][b])]
    hi = max(values) if values else 1.0
    w, h = left + n * cell + 40, top + n * cell + 26
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
           f'role="img" aria-label="{escape(title)}" font-family="DejaVu Sans, sans-serif" '
           f'font-size="11">']
    for i, a in enumerate(labels):
        out.append(f'<text x="{left - 6}" y="{top + i * cell + cell / 2 + 4}" '
                   f'text-anchor="end">{escape(a)}</text>')
        out.append(f'<text transform="translate({left + i * cell + cell / 2 + 4},{top - 6}) '
                   f'rotate(-40)">{escape(a)}</text>')
        for j, b in enumerate(labels):
            v = matrix[a][b]
            finite = isinstance(v, float) and math.isfinite(v)
            out.append(f'<rect x="{left + j * cell}" y="{top + i * cell}" width="{cell - 2}" '
                       f'height="{cell - 2}" fill="{_shade(v, hi) if finite else "#eeeeee"}"/>')
            label = _per_mille(v) if finite else "–"
            color = "#ffffff" if finite and v / hi > 0.55 else "#222222"
            out.append(f'<text x="{left + j * cell + cell / 2 - 1}" '
                       f'y="{top + i * cell + cell / 2 + 4}" text-anchor="middle" '
                       f'fill="{color}">{label}</text>')
    out.append(f'<text x="{left}" y="{h - 8}" font-size="10" fill="#555">Ties per 1,000 '
               'possible pairs of cities; darker = denser.</text>')
    out.append("</svg>")
    return "".join(out)


def bar_chart(rows: list[tuple[str, dict[str, int]]], colors: dict[str, str], *,
              title: str = "") -> str:
    """Horizontal stacked bars: one row per label (wrapped, never cut), segments per key."""
    wrap = 40
    lines = [_wrap(label, wrap) for label, _ in rows]
    left = int(max((len(x) for ls in lines for x in ls), default=10) * _CHAR) + 14
    width, bar_h = left + 420, 24
    row_h = max(bar_h + 10, 12 * max((len(x) for x in lines), default=1) + 10)
    h = 30 + len(rows) * row_h + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" role="img" '
           f'aria-label="{escape(title)}" font-family="DejaVu Sans, sans-serif" font-size="11">']
    for i, key in enumerate(colors):
        out.append(f'<rect x="{left + i * 130}" y="4" width="10" height="10" '
                   f'fill="{colors[key]}"/><text x="{left + i * 130 + 14}" y="13">'
                   f'{escape(key.replace("_", " "))}</text>')
    for r, ((_, counts), label_lines) in enumerate(zip(rows, lines, strict=True)):
        y = 26 + r * row_h
        total = sum(counts.values()) or 1
        for k, text in enumerate(label_lines):
            dy = bar_h / 2 + 4 + (k - (len(label_lines) - 1) / 2) * 12
            out.append(f'<text x="{left - 6}" y="{y + dy:.1f}" text-anchor="end">'
                       f'{escape(text)}</text>')
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
