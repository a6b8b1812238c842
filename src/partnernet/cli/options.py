"""Options of the analysis commands with closed sets of values, checked where they enter:
one-line errors naming what is accepted and the closest match, never a traceback."""

from __future__ import annotations

from collections.abc import Iterable

import click

from partnernet.vocabulary import (
    DEFINITIONS,
    GROUP_BY,
    GROUP_LABELS,
    PROJECTIONS,
    REGIONS,
    choose,
    date_text,
    day,
)

__all__ = ["DATE_FILTERS", "DEFINITION", "GROUP_BY_OPTION", "GROUP_LABEL", "PROJECTION",
           "REGION", "TODAY", "closed", "with_options"]


def closed(accepted: Iterable[str], what: str):
    """A click callback: the value (or each of several) must be one of ``accepted``."""
    accepted = tuple(accepted)

    def check(_ctx, _param, value):
        if value is None:
            return None
        try:
            if isinstance(value, tuple):
                return tuple(choose(v, accepted, what) for v in value)
            return choose(value, accepted, what)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    return check


def _date(what: str, full: bool = False):
    def check(_ctx, _param, value):
        if value is None:
            return None
        try:
            return day(value, what) if full else date_text(value, what)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    return check


PROJECTION = click.option(
    "--projection", callback=closed(PROJECTIONS, "projection"), metavar="NAME",
    help="The graph to analyse: partnerships (PARTNERS_WITH), co-membership (actors tied by "
         "the groups they share, Newman-weighted), two-mode (actors and groups), all (every "
         "tie). Default: what the store holds (stated in the output).")
DEFINITION = click.option(
    "--definition", "--south-definition", "definition", metavar="NAME",
    callback=closed(DEFINITIONS, "Global South definition"),
    help="Global South definition: g77, dac or wb-income (default: "
         "PARTNERNET_SOUTH_DEFINITION, g77).")
GROUP_BY_OPTION = click.option(
    "--group-by", default="region", show_default=True, metavar="ATTR",
    callback=closed(GROUP_BY, "group-by attribute"),
    help="Node attribute grouping nodes for brokerage roles: " + ", ".join(GROUP_BY) + ".")
REGION = click.option(
    "--region", "regions", multiple=True, metavar="REGION",
    callback=closed(REGIONS, "region"),
    help="Only actors in this region (repeatable): " + ", ".join(REGIONS) + ".")
GROUP_LABEL = click.option(
    "--group-label", "group_labels", multiple=True, metavar="LABEL",
    callback=closed(GROUP_LABELS, "group label"),
    help="Co-membership and two-mode: only these kinds of group (repeatable): "
         + ", ".join(GROUP_LABELS) + " (default: all).")
DATE_FILTERS = [
    click.option("--kind", "kinds", multiple=True, metavar="KIND",
                 help="Only partnerships of this kind (repeatable; the kinds in the store, "
                      "e.g. twinning, cooperation)."),
    click.option("--since", callback=_date("since"), metavar="DATE",
                 help="Only ties that started on or after this date (YYYY[-MM[-DD]]); "
                      "undated ties are then left out."),
    click.option("--until", callback=_date("until"), metavar="DATE",
                 help="Only ties that started on or before this date (YYYY[-MM[-DD]])."),
]
TODAY = click.option("--today", callback=_date("today", full=True), metavar="YYYY-MM-DD",
                     help="Reference date (YYYY-MM-DD; default today).")


def with_options(*options):
    """Apply several click options (the first given ends up first in --help)."""
    flat = []
    for o in options:
        flat.extend(o if isinstance(o, list) else [o])

    def wrap(f):
        for opt in reversed(flat):
            f = opt(f)
        return f
    return wrap
