"""Read CSV, XLSX and JSON tables into rows that remember where they came from.

Rows are dicts of column -> cell text, plus the row number as a spreadsheet
shows it (header = row 1). CSV input may carry a BOM, use ``,``, ``;``, tab or
``|`` as delimiter, and be UTF-8 or (with a note) Windows-1252.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnernet.loaders.errors import LoadErrors, RowError

__all__ = ["Table", "read_csv", "read_json", "read_xlsx_sheets", "MAX_CELL", "unneutralise"]

MAX_CELL = 100_000  # characters; longer cells are refused, not truncated
csv.field_size_limit(10 * MAX_CELL)
_NEUTRALISED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def unneutralise(cell: str) -> str:
    """Undo the formula neutralisation partnernet's CSV exports apply (a leading quote).

    >>> unneutralise("'=SUM(A1)"), unneutralise("'quoted")
    ('=SUM(A1)', "'quoted")
    """
    return cell[1:] if cell.startswith(_NEUTRALISED) else cell


@dataclass
class Table:
    """Rows of one sheet or file: ``rows[i]`` came from spreadsheet row ``numbers[i]``."""

    name: str
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __iter__(self):
        return iter(zip(self.numbers, self.rows, strict=True))

    def __len__(self) -> int:
        return len(self.rows)


def _decode(data: bytes, name: str) -> tuple[str, list[str]]:
    from partnernet.loaders.formats.encoding import decode

    return decode(data, name)


def _check_header(header: list[str], name: str) -> list[str]:
    cols = [h.strip() for h in header]
    errors = []
    if not cols or all(not c for c in cols):
        errors.append(RowError(name, 1, None, "the header row is empty"))
    seen: set[str] = set()
    for c in cols:
        if c and c in seen:
            errors.append(RowError(name, 1, c, "this column name appears twice"))
        seen.add(c)
    if errors:
        raise LoadErrors(errors)
    return cols


def read_csv(path: Path | str, *, data: bytes | None = None, name: str | None = None) -> Table:
    """Read a CSV file (delimiter sniffed among ``, ; TAB |``)."""
    path = Path(path)
    name = name or path.name
    raw = data if data is not None else path.read_bytes()
    text, notes = _decode(raw, name)
    if "\x00" in text:
        raise LoadErrors([RowError(name, None, None, "the file contains NUL bytes: is it a "
                                   "binary file (XLSX?) with a .csv name?")])
    header_line = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=lambda d: (header_line.count(d), d == ","))
    dialect: Any = type("Sniffed", (csv.excel,), {"delimiter": delimiter})
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise LoadErrors([RowError(name, None, None, "the file is empty")]) from None
    except csv.Error as exc:
        raise LoadErrors([RowError(name, 1, None, f"unreadable CSV: {exc}")]) from exc
    cols = _check_header(header, name)
    table = Table(name, cols, notes=notes)
    errors: list[RowError] = []
    row_no = 1
    while True:
        start_line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(name, row_no + 1, None, f"unreadable CSV from line "
                                   f"{start_line}: {exc}"))
            break
        row_no += 1
        if quote := _runaway_quote(cells, cols, start_line, reader.line_num, delimiter):
            errors.append(RowError(name, row_no, quote[0], quote[1]))
            break
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(cols) and any(c.strip() for c in cells[len(cols):]):
            errors.append(RowError(name, row_no, None,
                                   f"{len(cells)} cells but the header has {len(cols)} columns"))
            continue
        row = {}
        for col, cell in zip(cols, cells, strict=False):
            if len(cell) > MAX_CELL:
                errors.append(RowError(name, row_no, col,
                                       f"cell of {len(cell):,} characters; at most "
                                       f"{MAX_CELL:,} are allowed"))
            if col:
                row[col] = unneutralise(cell.strip())
        table.rows.append(row)
        table.numbers.append(row_no)
    if errors:
        raise LoadErrors(errors)
    return table


def _runaway_quote(cells: list[str], cols: list[str], first: int, last: int,
                   delimiter: str) -> tuple[str | None, str] | None:
    """A quote opened and never closed where meant: one cell swallowing whole lines of the
    file (each with delimiters). Returns (column, message) naming where it starts."""
    if last - first < 2:
        return None
    for i, cell in enumerate(cells):
        lines = cell.split("\n")
        if len(lines) > 2 and sum(delimiter in ln for ln in lines[1:]) >= len(lines[1:]) / 2:
            col = cols[i] if i < len(cols) else None
            return col, (f"a quote opened in this cell (line {first} of the file) is not "
                         f"closed where the cell ends: it runs over {len(lines) - 1} more "
                         f"lines ({cell[:40]!r}...); add the closing quote or remove the "
                         "opening one")
    return None


def read_xlsx_sheets(path: Path | str, *, data: bytes | None = None,
                     name: str | None = None) -> dict[str, Table]:
    """Every sheet of a workbook, first row as header, cells as text or numbers."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    name = name or path.name
    try:
        wb = load_workbook(io.BytesIO(data) if data is not None else path, read_only=True,
                           data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise LoadErrors([RowError(name, None, None, f"not a readable XLSX workbook: {exc}")
                          ]) from exc
    out: dict[str, Table] = {}
    errors: list[RowError] = []
    for ws in wb.worksheets:
        sheet = f"{name} [{ws.title}]"
        rows = ws.iter_rows(values_only=True)
        try:
            header = next(rows)
        except StopIteration:
            continue
        try:
            cols = _check_header(["" if h is None else str(h) for h in header], sheet)
        except LoadErrors as exc:
            errors += exc.errors
            continue
        table = Table(ws.title, cols)
        for row_no, values in enumerate(rows, start=2):
            if values is None or all(v is None or str(v).strip() == "" for v in values):
                continue
            row = {}
            for col, v in zip(cols, values, strict=False):
                if not col or v is None:
                    continue
                if isinstance(v, str):
                    v = unneutralise(v.strip())
                    if len(v) > MAX_CELL:
                        errors.append(RowError(sheet, row_no, col,
                                               f"cell of {len(v):,} characters; at most "
                                               f"{MAX_CELL:,} are allowed"))
                elif hasattr(v, "isoformat"):
                    v = v.isoformat()[:10]
                row[col] = v
            table.rows.append(row)
            table.numbers.append(row_no)
        out[ws.title] = table
    wb.close()
    if errors:
        raise LoadErrors(errors)
    return out


def read_json(path: Path | str, *, data: bytes | None = None, name: str | None = None) -> Any:
    path = Path(path)
    name = name or path.name
    raw = data if data is not None else path.read_bytes()
    text, _ = _decode(raw, name)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadErrors([RowError(name, exc.lineno, None,
                                   f"invalid JSON at line {exc.lineno}, column {exc.colno}: "
                                   f"{exc.msg}")]) from exc
