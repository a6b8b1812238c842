"""What the demo shows after loading: top brokers, South-South gaps, a view and a report."""

from __future__ import annotations

from pathlib import Path

import click

from partnernet.cli.output import render_table
from partnernet.service import analyses

__all__ = ["run_demo_steps"]


def run_demo_steps(app, out: Path) -> None:
    store = app.store
    cache = analyses.GraphCache.for_store(store)
    definition = app.settings.south_definition
    b = analyses.brokers(store, cache=cache, top=5, definition=definition)
    click.echo(f"\ntop brokers ({b['betweenness']['description']}):")
    click.echo(render_table([{"rank": r["rank"], "name": r["name"], "region": r["group"],
                              "betweenness": r["betweenness"], "constraint": r["constraint"],
                              "brokerage": r["brokerage_total"]} for r in b["rows"]]))
    ss = analyses.south_south(store, cache=cache, definition=definition, top=3,
                              permutations=200)
    sh = ss["shares"]["overall"]
    click.echo(f"\npartnerships ({ss['definition']['title']}): "
               + ", ".join(f"{k} {v['count']}" for k, v in sh.items() if v["count"]))
    for p in ss["missing_links"]["pairs"]:
        click.echo(f"  missing link: {p['a_name']} ({p['a_country']}) - {p['b_name']} "
                   f"({p['b_country']}): {'; '.join(p['reasons'][:2])}")
    from partnernet.service.report import build_report
    from partnernet.visualisations.report import render_report
    from partnernet.visualisations.views import build_view, render_view

    out.mkdir(parents=True, exist_ok=True)
    g = cache.graph()
    view = build_view(g, color_by="region", size_by="betweenness", definition=definition)
    html, _ = render_view(view, snapshot=analyses.snapshot(store, g))
    (out / "network.html").write_text(html, encoding="utf-8")
    r = build_report(store, cache=cache, definition=definition, seeker="city:br:maringa")
    data, _ = render_report(r, "html")
    (out / "report.html").write_bytes(data)
    click.echo(f"\nwrote {out / 'network.html'} (interactive view) and {out / 'report.html'}")
    click.echo("next: partnernet match --for Maringá --sdg 11 --south-south; "
               "partnernet serve (API at http://127.0.0.1:8000/docs)")
