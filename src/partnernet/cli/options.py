"""Option types and checks shared by the commands: dates, closed sets of values (with the
closest match), output files whose extension names their format.

Each refuses a bad value with one line naming the option, the value and what is accepted
(click prints it as ``Error: Invalid value for '--today': ...``, exit code 2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import click

from partnernet.dates import BadDate, check_period, parse_day, parse_period
from partnernet.graph.schema.properties import PARTNERSHIP_KINDS
from partnernet.vocabulary import (
    DEFINITIONS,
    GROUP_BY,
    GROUP_LABELS,
    PROJECTIONS,
    REGIONS,
    choose,
)

__all__ = ["DATE_FILTERS", "DAY", "DEFINITION", "GROUP_BY_OPTION", "GROUP_LABEL", "PERIOD",
           "PROJECTION", "REGION", "SEED", "TODAY", "check_since_until", "closed",
           "format_from_extension", "with_options"]


class _Day(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return parse_day(value, "")
        except BadDate as exc:
            self.fail(str(exc), param, ctx)


class _Period(click.ParamType):
    name = "YYYY[-MM[-DD]]"

    def convert(self, value, param, ctx) -> str:
        try:
            return parse_period(value, "")
        except BadDate as exc:
            self.fail(str(exc), param, ctx)


#: A calendar day, ``YYYY-MM-DD`` (``--today``).
DAY = _Day()
#: A year, month or day (``--since``, ``--until``).
PERIOD = _Period()
#: A random seed (what NumPy and igraph accept).
SEED = click.IntRange(0, 2**32 - 1)


def check_since_until(since: str | None, until: str | None) -> None:
    """Refuse ``--since`` after ``--until`` (nothing could match)."""
    try:
        check_period(since, until, names=("--since", "--until"))
    except BadDate as exc:
        raise click.BadParameter(str(exc), param_hint="'--since'") from None


def format_from_extension(out: Path, fmt: str | None, formats: dict[str, str], *,
                          folder_format: str | None = None, option: str = "--format") -> str:
    """The output format of ``out``: named by its extension (``formats`` maps extensions
    to formats), or a folder for ``folder_format``. A ``fmt`` given as well must agree.

    >>> format_from_extension(Path("g.gexf"), None, {".gexf": "gexf"})
    'gexf'
    """
    suffix = out.suffix.lower()
    by_extension = formats.get(suffix)
    if by_extension is None and folder_format is not None and (suffix == "" or out.is_dir()):
        by_extension = folder_format
    accepted = ", ".join(sorted(formats)) + (" or a folder" if folder_format else "")
    if by_extension is None:
        raise click.BadParameter(
            f"{str(out)!r} does not name an output format: its extension must be one of "
            f"{accepted}", param_hint="'--out'")
    if fmt is not None and fmt != by_extension:
        wanted = [ext for ext, f in formats.items() if f == fmt]
        hint = (f"end it in {wanted[0]}" if wanted else "give a folder")
        kind = ("a folder (gephi-csv)" if by_extension == folder_format
                else f"a {by_extension} file name")
        raise click.BadParameter(
            f"{str(out)!r} is {kind} but {option} is {fmt}: {hint}, or leave out {option}",
            param_hint="'--out'")
    return by_extension


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
                 callback=closed(PARTNERSHIP_KINDS, "partnership kind"),
                 help="Only partnerships of this kind (repeatable): "
                      + ", ".join(PARTNERSHIP_KINDS) + "; a kind the store does not hold "
                      "gives an empty answer naming the kinds it holds."),
    click.option("--since", type=PERIOD,
                 help="Only ties that started on or after this date (YYYY[-MM[-DD]]); "
                      "undated ties are then left out."),
    click.option("--until", type=PERIOD,
                 help="Only ties that started on or before this date (YYYY[-MM[-DD]])."),
]
TODAY = click.option("--today", type=DAY, help="Reference date (YYYY-MM-DD; default today).")


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
