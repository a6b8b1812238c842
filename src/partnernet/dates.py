"""Dates typed by users, checked the same way on every face (CLI options, API parameters).

A leaf module: it imports nothing of partnernet, so every layer may use it. Errors are
:class:`BadDate` (a ``ValueError``) with one line naming the value, what is wrong with
it and the accepted form.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["DAY_PATTERN", "FIRST_YEAR", "LAST_YEAR", "PERIOD_PATTERN", "BadDate",
           "check_period", "parse_day", "parse_period"]

#: Years accepted in dates (the oldest city partnerships date from the 1920s).
FIRST_YEAR, LAST_YEAR = 1800, 2199

_YEAR = r"(1[89]|2[01])\d{2}"
_MONTH_DAY = (r"((0[13578]|1[02])-(0[1-9]|[12]\d|3[01])|(0[469]|11)-(0[1-9]|[12]\d|30)"
              r"|02-(0[1-9]|1\d|2[0-8]))")
#: The days :func:`parse_day` accepts, as a regular expression for API schemas (29 February
#: is left out: it is valid in leap years only, which :func:`parse_day` checks).
DAY_PATTERN = rf"^{_YEAR}-{_MONTH_DAY}$"
#: The same for :func:`parse_period`: a year, a month or a day.
PERIOD_PATTERN = rf"^{_YEAR}(-(0[1-9]|1[0-2])|-{_MONTH_DAY})?$"

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_PERIOD = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class BadDate(ValueError):
    """A date a user typed that is not a date (the message says why, in one line)."""


def _quote(what: str, value: object) -> str:
    return f"{what} {value!r}" if what else repr(value)


def _why(year: int, month: int, day: int) -> str | None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return f"the year must be from {FIRST_YEAR} to {LAST_YEAR}"
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    try:
        dt.date(year, month, day)
    except ValueError:
        return f"{dt.date(year, month, 1):%B} {year} has no day {day}"
    return None


def parse_day(value: str | dt.date, what: str = "date") -> dt.date:
    """A calendar day written ``YYYY-MM-DD``.

    >>> parse_day("2026-11-23")
    datetime.date(2026, 11, 23)
    >>> parse_day("2025-13-01", "--today")
    Traceback (most recent call last):
    ...
    partnernet.dates.BadDate: --today '2025-13-01' is not a date: there is no month 13; \
expected YYYY-MM-DD, e.g. 2026-11-23
    >>> parse_day("yesterday", "--today")
    Traceback (most recent call last):
    ...
    partnernet.dates.BadDate: --today 'yesterday' is not a date; expected YYYY-MM-DD, e.g. \
2026-11-23
    """
    if isinstance(value, dt.date):
        value = value.isoformat()
    text = str(value).strip()
    expected = "expected YYYY-MM-DD, e.g. 2026-11-23"
    if not _DAY.fullmatch(text):
        raise BadDate(f"{_quote(what, value)} is not a date; {expected}")
    year, month, day = (int(x) for x in text.split("-"))
    if why := _why(year, month, day):
        raise BadDate(f"{_quote(what, value)} is not a date: {why}; {expected}")
    return dt.date(year, month, day)


def parse_period(value: str, what: str = "date") -> str:
    """A year, month or day (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), as used to filter
    partnerships by their ``since`` date; returned as written (ISO text compares in date
    order).

    >>> parse_period("2018"), parse_period("2018-06")
    ('2018', '2018-06')
    >>> parse_period("20x", "--since")
    Traceback (most recent call last):
    ...
    partnernet.dates.BadDate: --since '20x' is not a date; expected YYYY, YYYY-MM or \
YYYY-MM-DD, e.g. 2018 or 2018-06
    """
    text = str(value).strip()
    expected = "expected YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2018 or 2018-06"
    m = _PERIOD.fullmatch(text)
    if not m:
        raise BadDate(f"{_quote(what, value)} is not a date; {expected}")
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    if why := _why(year, month, day):
        raise BadDate(f"{_quote(what, value)} is not a date: {why}; {expected}")
    return text


def check_period(since: str | None, until: str | None, *,
                 names: tuple[str, str] = ("since", "until")) -> None:
    """Refuse a period that ends before it starts (nothing could match it).

    The two are compared at the precision of ``until`` (``since 2018-06, until 2018`` is
    accepted).

    >>> check_period("2020", "2010", names=("--since", "--until"))
    Traceback (most recent call last):
    ...
    partnernet.dates.BadDate: --since 2020 is after --until 2010: no partnership can match
    """
    if since is None or until is None:
        return
    if since[:len(until)] > until:
        raise BadDate(f"{names[0]} {since} is after {names[1]} {until}: no partnership "
                      "can match")
