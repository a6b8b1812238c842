"""Value formatting shared by every face (CLI tables, CSV, reports, API, exports).

A leaf module: it imports nothing from partnernet, so any layer may use it.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["format_cell", "json_safe", "neutralise_cell", "to_csv"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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

    >>> neutralise_cell("=HYPERLINK(\\"x\\")")
    '\\'=HYPERLINK("x")'
    >>> neutralise_cell(-3)
    -3
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def format_cell(v: Any) -> str:
    """A value as table text: ``None`` empty, NaN ``undefined``, floats to 4 digits.

    >>> format_cell(float("nan")), format_cell(0.123456), format_cell([1, "a"])
    ('undefined', '0.1235', '1; a')
    """
    if v is None:
        return ""
    if isinstance(v, float):
        return "undefined" if not math.isfinite(v) else f"{v:.4g}"
    if isinstance(v, list | tuple):
        return "; ".join(format_cell(x) for x in v)
    return str(v)


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    rows = list(rows)
    if not rows:
        return ""
    cols = list(columns or rows[0].keys())
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(cols)
    for r in rows:
        w.writerow([neutralise_cell(format_cell(r.get(c))) for c in cols])
    return buf.getvalue()
