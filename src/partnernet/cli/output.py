"""One way to print results on every command: ``--format table|json|csv``."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import click

from partnernet.formatting import format_cell, json_safe, to_csv

__all__ = ["FORMAT_OPTION", "emit", "render_table"]

FORMAT_OPTION = click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]),
                             default="table", show_default=True, help="Output format.")

def render_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """A plain-text table with aligned columns."""
    if not rows:
        return "(no rows)"
    cols = list(columns or rows[0].keys())
    cells = [[format_cell(r.get(c)) for c in cols] for r in rows]
    widths = [min(60, max(len(c), *(len(row[i]) for row in cells))) for i, c in enumerate(cols)]
    line = "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    for row in cells:
        out.append("  ".join((v if len(v) <= w else v[: w - 1] + "…").ljust(w)
                             for v, w in zip(row, widths, strict=True)))
    return "\n".join(x.rstrip() for x in out)


def emit(data: Any, fmt: str, *, rows: Sequence[Mapping[str, Any]] | None = None,
         columns: Sequence[str] | None = None, title: str | None = None) -> None:
    """Print ``data`` as JSON, or ``rows`` (default: ``data``) as a table or CSV."""
    if fmt == "json":
        click.echo(json.dumps(json_safe(data), indent=2, ensure_ascii=False, allow_nan=False))
        return
    table_rows = rows if rows is not None else data
    if fmt == "csv":
        click.echo(to_csv(table_rows, columns), nl=False)
        return
    if title:
        click.echo(title)
    click.echo(render_table(table_rows, columns))
