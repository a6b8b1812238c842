"""Option types and checks shared by the commands: dates, output files whose extension
names their format, and the store a command needs to exist.

Each refuses a bad value with one line naming the option, the value and what is accepted
(click prints it as ``Error: Invalid value for '--today': ...``, exit code 2).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from partnernet.dates import BadDate, check_period, parse_day, parse_period

__all__ = ["DAY", "PERIOD", "SEED", "check_since_until", "format_from_extension"]


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
