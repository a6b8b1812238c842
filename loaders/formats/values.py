"""Cell values to property values: typed columns, lists, empties.

How a cell becomes a value, in this order:

1. A column named ``name:kind`` (``kind`` one of ``text``, ``int``, ``float``, ``bool``,
   ``list``) gives property ``name`` of that kind; exports use it only where a plain
   name would not read back as it was (``postcode:text`` for a text column whose
   values all look like numbers, ``name:text`` for a property called like a column of
   the format). Several ``name:kind`` columns may feed one property (one per row).
2. A property the schema types as text (``admin1``, ``country``, dates...) keeps the
   cell's text: a region code ``13`` stays ``"13"``.
3. A property the schema types as a list takes a JSON list (``["a", "b"]``) or
   ``|``-separated values.
4. Other cells of a CSV file take the kind of their whole column, as Gephi and pandas
   do: integers if every cell of the column is one, numbers if every cell is a number,
   ``true``/``false``, JSON lists, else text.
5. Values that arrive typed (JSON, GraphML and GEXF attributes, XLSX numbers) keep
   their type. JSON names are taken as they are (rule 1 does not apply to them).
"""

from __future__ import annotations

import json
import math
import re
import typing
from collections.abc import Iterable, Mapping
from typing import Any

from partnernet.graph.schema import NodeLabel, RelType
from partnernet.graph.schema.properties import (
    INT_MAX,
    INT_MIN,
    NODE_PROPERTIES,
    REL_PROPERTIES,
    text_fields,
)

__all__ = ["KINDS", "LITERAL", "NATIVE", "Row", "cell_props", "column_kind", "infer", "kind_of",
           "list_fields", "read_cell", "split_column"]

#: The kinds a column may declare with a ``:kind`` suffix.
KINDS = ("text", "int", "float", "bool", "list")
_SUFFIX = re.compile(r"^(?P<name>.+):(?P<kind>text|int|float|bool|list)$", re.DOTALL)
_INT = re.compile(r"^(0|-?[1-9]\d*)$")
_NUMBER = re.compile(r"^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$")
_INFER_INT = re.compile(r"^-?(0|[1-9]\d{0,15})$")  # a lone cell: 16 digits at most


class _Native:
    def __repr__(self) -> str:
        return "NATIVE"


#: Column kinds of rows whose values arrive typed (GraphML, GEXF): kept as they are.
NATIVE: Any = _Native()


class _Literal(_Native):
    def __repr__(self) -> str:
        return "LITERAL"


#: Column kinds of JSON rows: values kept as they are, and names too (no ``name:kind``).
LITERAL: Any = _Literal()


class Row(dict):
    """A row of cells that knows the kinds of its table's columns (``kinds``: column ->
    kind, or :data:`NATIVE`); a plain dict row is read cell by cell."""

    __slots__ = ("kinds",)

    def __init__(self, cells: Mapping[str, Any] = (), kinds: Any = None):
        super().__init__(cells)
        self.kinds = kinds


def split_column(column: str) -> tuple[str, str | None]:
    """``("population", "int")`` for ``population:int``; ``(column, None)`` otherwise.

    >>> split_column("postcode:text"), split_column("geo:lat"), split_column("x:int:int")
    (('postcode', 'text'), ('geo:lat', None), ('x:int', 'int'))
    """
    m = _SUFFIX.match(column)
    return (m["name"], m["kind"]) if m else (column, None)


def list_fields(model: type) -> set[str]:
    """Names of the model's fields whose type is a list (cells split on ``|``)."""
    out = set()
    for name, f in model.model_fields.items():
        ann = f.annotation
        args = typing.get_args(ann) or (ann,)
        if any(typing.get_origin(a) is list for a in args):
            out.add(name)
    return out


def infer(s: str) -> Any:
    """Text cell to a value on its own: numbers and ``true``/``false`` are typed, the rest
    stays text.

    >>> infer("12"), infer("1.5"), infer("true"), infer("01234")
    (12, 1.5, True, '01234')
    """
    if _INFER_INT.match(s) or (_NUMBER.match(s) and not _INT.match(s)):
        v = json.loads(s)
        return v if not isinstance(v, float) or math.isfinite(v) else s
    if s in ("true", "false"):
        return s == "true"
    return s


def _json_list(s: str) -> list | None:
    if not (s.startswith("[") and s.endswith("]")):
        return None
    try:
        parsed = json.loads(s)
    except (json.JSONDecodeError, RecursionError):
        return None
    if not isinstance(parsed, list):
        return None
    if any(isinstance(x, dict | list) for x in parsed):
        return None
    return parsed


def kind_of(s: str) -> str:
    """The kind one non-empty text cell reads as on its own.

    >>> [kind_of(s) for s in ("13", "-0.18", "1e400", "true", '["a"]', "01", "-0")]
    ['int', 'float', 'text', 'bool', 'list', 'text', 'float']
    """
    if _INT.match(s):
        return "int" if INT_MIN <= int(s) <= INT_MAX else "text"
    if _NUMBER.match(s):
        return "float" if math.isfinite(float(s)) else "text"
    if s in ("true", "false"):
        return "bool"
    if _json_list(s) is not None:
        return "list"
    return "text"


def column_kind(cells: Iterable[str]) -> str:
    """The kind of a column from its non-empty cells: one kind for all, ``float`` for
    integers and numbers mixed, else ``text``.

    >>> column_kind(["13", "11"]), column_kind(["13", "SP"]), column_kind(["1", "2.5"])
    ('int', 'text', 'float')
    """
    kinds: set[str] = set()
    for c in cells:
        if c != "":
            kinds.add(kind_of(c))
            if "text" in kinds or (len(kinds) > 1 and not kinds <= {"int", "float"}):
                return "text"
    if len(kinds) == 1:
        return kinds.pop()
    return "float" if kinds else "text"


def convert(s: str, kind: str) -> Any:
    """Text of a cell as a value of ``kind``; ``ValueError`` if it is not one."""
    if kind == "text":
        return s
    if kind == "int":
        if not _INT.match(s) or not INT_MIN <= int(s) <= INT_MAX:
            raise ValueError(f"expected a whole number (64-bit) for this ':int' column, got "
                             f"{s[:40]!r}")
        return int(s)
    if kind == "float":
        if not _NUMBER.match(s) or not math.isfinite(float(s)):
            raise ValueError(f"expected a number for this ':float' column, got {s[:40]!r}")
        return float(s)
    if kind == "bool":
        if s not in ("true", "false"):
            raise ValueError(f"expected true or false for this ':bool' column, got {s[:40]!r}")
        return s == "true"
    value = _json_list(s)
    if value is None:
        raise ValueError(f"expected a JSON list such as [\"a\", \"b\"] for this ':list' "
                         f"column, got {s[:40]!r}")
    return value


def read_cell(v: Any, key: str, model: type, kind: Any = None, declared: str | None = None
              ) -> Any:
    """One cell as the value of property ``key`` of a record validated by ``model``.

    ``kind`` is the column's kind (CSV), :data:`NATIVE` for typed input, or ``None`` to
    read the cell on its own; ``declared`` the kind of a ``name:kind`` column.
    """
    if isinstance(v, str):
        s = v.strip()
        if s == "":
            return None
        if declared is not None:
            return convert(s, declared)
        if key in _lists(model):
            parsed = _json_list(s)
            return parsed if parsed is not None else [p.strip() for p in s.split("|")
                                                      if p.strip()]
        if kind is NATIVE or key in _texts(model):
            return s
        if key in model.model_fields:  # typed by the schema: validation converts it
            return infer(s)
        if kind is not None:  # the kind of the whole column
            return convert(s, kind)
        parsed = _json_list(s)  # a cell on its own
        return parsed if parsed is not None else infer(s)
    if v is None:
        return None
    if declared is not None:
        if declared == "text" and not isinstance(v, list):
            return _text_of(v)
        if declared == "int" and isinstance(v, float) and v.is_integer():
            return int(v)
        if declared == "float" and isinstance(v, int) and not isinstance(v, bool):
            return float(v)
    if key in _lists(model):
        if isinstance(v, float) and v.is_integer():
            return [int(v)]
        return v if isinstance(v, list) else [v]
    return v


def _text_of(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


_LISTS: dict[type, frozenset[str]] = {}
_TEXTS: dict[type, frozenset[str]] = {}


def _lists(model: type) -> frozenset[str]:
    if model not in _LISTS:
        _LISTS[model] = frozenset(list_fields(model))
    return _LISTS[model]


def _texts(model: type) -> frozenset[str]:
    if model not in _TEXTS:
        _TEXTS[model] = text_fields(model)
    return _TEXTS[model]


def cell_props(row: dict[str, Any], *, exclude: set[str], label: NodeLabel | None = None,
               rtype: RelType | None = None, rename: dict[str, str] | None = None
               ) -> dict[str, Any]:
    """Every column but ``exclude`` as a property; empties dropped, lists split, each cell
    read as the module docstring says (the column kinds come with a :class:`Row`)."""
    model = NODE_PROPERTIES[label] if label is not None else REL_PROPERTIES[rtype]  # type: ignore[index]
    kinds = getattr(row, "kinds", None)
    out: dict[str, Any] = {}
    # a name:kind column comes after a plain one of the same name (and wins)
    for k, v in sorted(row.items(), key=lambda kv: split_column(kv[0])[1] is not None):
        if k in exclude or k is None:
            continue
        name, declared = (k, None) if kinds is LITERAL else split_column(k)
        key = name if declared else (rename or {}).get(name, name)  # name:kind is exact
        kind = NATIVE if isinstance(kinds, _Native) else (kinds or {}).get(k)
        try:
            val = read_cell(v, key, model, kind, declared)
        except ValueError:  # the reader reports a bad declared cell; keep the text
            val = v
        if val is not None:
            out[key] = val
    return out
