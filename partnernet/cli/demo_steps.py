"""What the demo shows after loading: filled in as analyses, views and reports land."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["run_demo_steps"]


def run_demo_steps(app, out: Path) -> None:
    counts = app.store.counts()
    rows = sorted(counts.nodes.items(), key=lambda kv: -kv[1])
    click.echo("nodes by label: " + ", ".join(f"{k} {v}" for k, v in rows))
