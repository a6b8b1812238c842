"""Value formatting shared by every face (CLI tables, CSV, reports, API, exports).

A leaf module: it imports nothing from partnernet, so any layer may use it.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["format_cell", "json_safe", "na", "neutralise_cell", "p_text", "percent", "to_csv",
           "unneutralise", "with_reasons"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: After a leading quote, these mark a cell that :func:`neutralise_cell` quoted.
_QUOTED = (*_FORMULA_START, "'")
#: A number a spreadsheet reads as a number, never as a formula (``-0.1852``, ``+3``, ``1e-5``).
_PLAIN_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


def json_safe(value: Any) -> Any:
    """Replace NaN and infinities by ``None`` (JSON has no NaN), recursively.

    >>> json_safe({"a": float("nan"), "b": [1.5, float("inf")]})
    {'a': None, 'b': [1.5, None]}
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return json_safe(value.item())
    return value


def neutralise_cell(value: Any) -> Any:
    """Stop a spreadsheet from reading a text cell as a formula (CSV/XLSX injection).

    Text starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading
    ``'``, unless it is a plain number (``-0.1852`` stays a number); text that already
    starts with ``'`` before one of those (or before another ``'``) gets one too, so that
    :func:`unneutralise` gives back exactly the original text.

    >>> neutralise_cell("=HYPERLINK(\\"x\\")")
    '\\'=HYPERLINK("x")'
    >>> neutralise_cell(-3), neutralise_cell("-0.1852"), neutralise_cell("-2+3+cmd|'/C calc'!A0")
    (-3, '-0.1852', "'-2+3+cmd|'/C calc'!A0")
    >>> all(unneutralise(neutralise_cell(s)) == s for s in ("'=x", "''", "'a", "=1", "-5"))
    True
    """
    if isinstance(value, str) and value and (
            (value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value))
            or (value[0] == "'" and value[1:2] != "" and value[1] in _QUOTED)):
        return "'" + value
    return value


def unneutralise(cell: str) -> str:
    """Undo :func:`neutralise_cell` (what readers of partnernet's CSV and XLSX do).

    >>> unneutralise("'=SUM(A1)"), unneutralise("'quoted"), unneutralise("''=x")
    ('=SUM(A1)', "'quoted", "'=x")
    """
    if cell[:1] == "'" and cell[1:2] != "" and cell[1] in _QUOTED:
        return cell[1:]
    return cell


def format_cell(v: Any) -> str:
    """A value as table text: ``None`` empty, NaN ``n/a``, floats to 4 digits.

    Rows that say why a value is undefined get "n/a (reason)" from :func:`with_reasons`.

    >>> format_cell(float("nan")), format_cell(0.123456), format_cell([1, "a"])
    ('n/a', '0.1235', '1; a')
    """
    if v is None:
        return ""
    if isinstance(v, float):
        return "n/a" if not math.isfinite(v) else f"{v:.4g}"
    if isinstance(v, list | tuple):
        return "; ".join(format_cell(x) for x in v)
    return str(v)


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """Rows as CSV: numbers as numbers at full precision (``-0.1852``, never text such as
    ``'-0.1852``), lists joined by ``; ``, NaN as ``n/a``, formula-like text neutralised.

    >>> to_csv([{"name": "=cmd", "score": -0.18523, "n": 3}]).splitlines()
    ['name,score,n', "'=cmd,-0.18523,3"]
    """
    rows = list(rows)
    if not rows:
        return ""
    cols = list(columns or rows[0].keys())
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(cols)
    for r in rows:
        w.writerow([_csv_cell(r.get(c)) for c in cols])
    return buf.getvalue()


def _csv_cell(v: Any) -> Any:
    if hasattr(v, "item") and callable(v.item):  # numpy scalars
        v = v.item()
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    if isinstance(v, float) and math.isfinite(v):
        return repr(v)
    return neutralise_cell(format_cell(v))
def percent(share: float) -> str:
    """``share`` (0 to 1) as a percentage with one decimal that never reads 100.0% or 0.0%
    unless it is exactly that (found on the twin-town file: 4 country-less spellings of
    some 12,000 read "with a country: 100.0%").

    >>> percent(0.99967), percent(1.0), percent(0.00002), percent(0.5)
    ('99.9%', '100.0%', '0.1%', '50.0%')
    """
    value = round(share * 100, 1)
    if value >= 100 and share < 1:
        value = 99.9
    elif value <= 0 < share:
        value = 0.1
    return f"{value:.1f}%"


def na(reason: str) -> str:
    """How an undefined value reads in tables and reports.

    >>> na("isolate")
    'n/a (isolate)'
    """
    return f"n/a ({reason})"


def with_reasons(row: Mapping[str, Any], reasons: Mapping[str, str] | None = None,
                 *, short: bool = True) -> dict[str, Any]:
    """``row`` with each undefined value (``None`` or NaN) that ``reasons`` (default: the
    row's own ``undefined``) explains replaced by "n/a (reason)"; with ``short`` only the
    reason's first clause.

    >>> with_reasons({"constraint": float("nan"), "undefined": {"constraint": "isolate: x"}})
    {'constraint': 'n/a (isolate)', 'undefined': {'constraint': 'isolate: x'}}
    """
    reasons = reasons if reasons is not None else row.get("undefined") or {}
    out = dict(row)
    for k, why in reasons.items():
        v = out.get(k)
        if k in out and (v is None or (isinstance(v, float) and not math.isfinite(v))):
            out[k] = na(why.split(":")[0].split(";")[0].strip() if short else why)
    return out


def p_text(p: float | None, permutations: int = 0, *, undefined: str = "not tested") -> str:
    """A permutation p-value as text: ``p < 0.001`` below the resolution of the test or
    0.001, never ``p = 0`` or ``nan``.

    >>> p_text(0.0001, 10000), p_text(0.0342, 1000), p_text(None), p_text(1 / 101, 100)
    ('p < 0.001', 'p = 0.034', 'p n/a (not tested)', 'p = 0.0099')
    """
    if p is None or (isinstance(p, float) and not math.isfinite(p)):
        return f"p {na(undefined)}"
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.2g}" if p < 0.01 else f"p = {p:.3f}".rstrip("0").rstrip(".")
