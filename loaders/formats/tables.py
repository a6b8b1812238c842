"""Read CSV, XLSX and JSON tables into rows that remember where they came from.

Rows are dicts of column -> cell text, plus the row number as a spreadsheet
shows it (header = row 1). CSV input may carry a BOM, use ``,``, ``;``, tab or
``|`` as delimiter, and be UTF-8 or (with a note) Windows-1252. Every reader takes
the load's :class:`~partnernet.loaders.limits.Caps` and stops at the first one passed.
CSV rows know the kind of each column (:class:`~partnernet.loaders.formats.values.Row`);
``name:kind`` columns are checked cell by cell here.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnernet.formatting import unneutralise
from partnernet.loaders.errors import LoadErrors, RowError
from partnernet.loaders.formats.values import Row, column_kind, convert, split_column
from partnernet.loaders.limits import (
    SETTING,
    Caps,
    check_size,
    check_zip,
    load_json,
    over,
    read_limited,
    scan_sheet,
)

__all__ = ["Table", "open_xlsx", "read_csv", "read_json", "read_xlsx_sheets", "MAX_CELL",
           "unneutralise", "xlsx_sheet_names"]

MAX_CELL = Caps().max_value_chars  # characters; longer cells are refused, not truncated
_MAX_ERRORS = 100  # a file this broken is not read further


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
    cols = [unneutralise(h.strip()) for h in header]
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


def _value_error(file: str, row: int, col: str, n: int, caps: Caps) -> RowError:
    return RowError(file, row, col, f"cell of {n:,} characters; at most "
                    f"{caps.max_value_chars:,} are allowed ({SETTING['max_value_chars']})")


def _declared(table: Table, file: str, errors: list[RowError]) -> None:
    """Check the cells of ``name:kind`` columns, and that no row fills two columns that
    give the same property."""
    groups: dict[str, list[str]] = {}
    for c in table.columns:
        name, kind = split_column(c)
        if kind is not None:
            groups.setdefault(name, []).append(c)
    if not groups:
        return
    for row_no, row in table:
        for name, cols in groups.items():
            filled = [c for c in cols if str(row.get(c) or "").strip() != ""]
            if len(filled) > 1:
                errors.append(RowError(file, row_no, filled[1],
                                       f"property {name!r} has a value in {len(filled)} "
                                       f"columns ({', '.join(filled)}); give one"))
            for c in filled:
                kind = split_column(c)[1]
                v = row[c]
                if kind is None or not isinstance(v, str):
                    continue
                try:
                    convert(v.strip(), kind)
                except ValueError as exc:
                    errors.append(RowError(file, row_no, c, str(exc)))
        if len(errors) >= _MAX_ERRORS:
            return


def read_csv(path: Path | str, *, data: bytes | None = None, name: str | None = None,
             caps: Caps | None = None) -> Table:
    """Read a CSV file (delimiter sniffed among ``, ; TAB |``), within ``caps``."""
    path = Path(path)
    name = name or path.name
    caps = caps or Caps()
    raw = check_size(data, caps, name) if data is not None else read_limited(path, caps,
                                                                             name=name)
    text, notes = _decode(raw, name)
    if "\x00" in text:
        raise LoadErrors([RowError(name, None, None, "the file contains NUL bytes: is it a "
                                   "binary file (XLSX?) with a .csv name?")])
    header_line = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=lambda d: (header_line.count(d), d == ","))
    dialect: Any = type("Sniffed", (csv.excel,), {"delimiter": delimiter})
    # the csv module stops at a field this long (a neutralising quote and slack above the
    # cap, so that the usual overlong cell is reported with its column)
    csv.field_size_limit(max(csv.field_size_limit(), 4 * caps.max_value_chars + 16))
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise LoadErrors([RowError(name, None, None, "the file is empty")]) from None
    except csv.Error as exc:
        raise LoadErrors([RowError(name, 1, None, f"unreadable CSV: {exc}")]) from exc
    cols = _check_header(header, name)
    table = Table(name, cols, notes=notes)
    kinds: dict[str, str] = {}
    errors: list[RowError] = []
    row_no = 1
    cells_read = 0
    while len(errors) < _MAX_ERRORS:
        start_line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            message = (f"a cell longer than {caps.max_value_chars:,} characters "
                       f"({SETTING['max_value_chars']}); not read further"
                       if "field larger than field limit" in str(exc) else
                       f"unreadable CSV from line {start_line}: {exc}")
            errors.append(RowError(name, row_no + 1, None, message))
            break
        row_no += 1
        if quote := _runaway_quote(cells, cols, start_line, reader.line_num, delimiter):
            errors.append(RowError(name, row_no, quote[0], quote[1]))
            break
        if not any(c.strip() for c in cells):
            continue
        if len(table.rows) >= caps.max_rows:
            raise over("max_rows", caps, name, row_no, what=f"more than {caps.max_rows:,} rows")
        if len(cells) > len(cols) and any(c.strip() for c in cells[len(cols):]):
            errors.append(RowError(name, row_no, None,
                                   f"{len(cells)} cells but the header has {len(cols)} columns"))
            continue
        row = Row(kinds=kinds)
        for col, cell in zip(cols, cells, strict=False):
            cell = unneutralise(cell.strip())
            if cell:
                cells_read += 1
            if len(cell) > caps.max_value_chars:
                errors.append(_value_error(name, row_no, col, len(cell), caps))
            if col:
                row[col] = cell
        if cells_read > caps.max_cells:
            raise over("max_cells", caps, name, row_no,
                       what=f"more than {caps.max_cells:,} non-empty cells")
        table.rows.append(row)
        table.numbers.append(row_no)
    _declared(table, name, errors)
    if errors:
        raise LoadErrors(errors)
    for col in cols:
        declared = split_column(col)[1]
        kinds[col] = declared or column_kind(r.get(col, "") for r in table.rows)
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


def open_xlsx(path: Path | str, *, data: bytes | None = None, name: str | None = None,
              caps: Caps | None = None):
    """An openpyxl workbook (read-only), opened only after the archive passed the caps:
    its inflated size and no DTD in any part."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    name = name or path.name
    caps = caps or Caps()
    raw = check_size(data, caps, name) if data is not None else read_limited(path, caps,
                                                                             name=name)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            infos = check_zip(zf, caps, name)
            rows = 0
            for info in infos:  # every worksheet, streamed, before openpyxl reads it whole
                if info.filename.startswith("xl/worksheets/") and \
                        info.filename.endswith(".xml"):
                    with zf.open(info) as member:
                        rows += scan_sheet(member, caps, f"{name} [{info.filename}]",
                                           before=rows)
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except LoadErrors:
        raise
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError,
            EOFError, TypeError) as exc:
        raise LoadErrors([RowError(name, None, None, f"not a readable XLSX workbook: {exc}")
                          ]) from exc


def xlsx_sheet_names(path: Path | str, *, caps: Caps | None = None) -> list[str]:
    """The sheet names of a workbook, from ``xl/workbook.xml`` alone (no sheet is parsed)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, iterparse

    path = Path(path)
    caps = caps or Caps()
    raw = read_limited(path, caps)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            check_zip(zf, caps, path.name, xml_suffixes=())
            with zf.open("xl/workbook.xml") as f:
                return [e.get("name") or "" for _, e in iterparse(f, forbid_dtd=True)
                        if e.tag.rsplit("}", 1)[-1] == "sheet"]
    except LoadErrors:
        raise
    except DefusedXmlException as exc:
        from partnernet.loaders.limits import dtd_error

        raise dtd_error(path.name, exc) from None
    except (zipfile.BadZipFile, KeyError, ParseError, OSError, EOFError) as exc:
        raise LoadErrors([RowError(path.name, None, None,
                                   f"not a readable XLSX workbook: {exc}")]) from exc


def read_xlsx_sheets(path: Path | str, *, data: bytes | None = None,
                     name: str | None = None, caps: Caps | None = None) -> dict[str, Table]:
    """Every sheet of a workbook, first row as header, cells as text or numbers."""
    path = Path(path)
    name = name or path.name
    caps = caps or Caps()
    wb = open_xlsx(path, data=data, name=name, caps=caps)
    out: dict[str, Table] = {}
    errors: list[RowError] = []
    rows_read = cells_read = 0
    try:
        for ws in wb.worksheets:
            sheet = f"{name} [{ws.title}]"
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # a declared A1:XFD1048576 is not padded out
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
                if rows_read >= caps.max_rows:  # counted as the sheet numbers them
                    raise over("max_rows", caps, sheet, row_no,
                               what=f"more than {caps.max_rows:,} rows")
                rows_read += 1
                if values is None or all(v is None or str(v).strip() == "" for v in values):
                    continue
                row = {}
                for col, v in zip(cols, values, strict=False):
                    if not col or v is None:
                        continue
                    cells_read += 1
                    if isinstance(v, str):
                        v = unneutralise(v.strip())
                        if len(v) > caps.max_value_chars:
                            errors.append(_value_error(sheet, row_no, col, len(v), caps))
                    elif hasattr(v, "isoformat"):
                        v = v.isoformat()[:10]
                    row[col] = v
                if cells_read > caps.max_cells:
                    raise over("max_cells", caps, sheet, row_no,
                               what=f"more than {caps.max_cells:,} non-empty cells")
                table.rows.append(row)
                table.numbers.append(row_no)
                if len(errors) >= _MAX_ERRORS:
                    raise LoadErrors(errors)
            _declared(table, sheet, errors)
            out[ws.title] = table
    except LoadErrors:
        raise
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise LoadErrors([RowError(name, None, None, f"not a readable XLSX workbook: {exc}")
                          ]) from exc
    finally:
        wb.close()
    if errors:
        raise LoadErrors(errors)
    return out


def read_json(path: Path | str, *, data: bytes | None = None, name: str | None = None,
              caps: Caps | None = None) -> Any:
    """Parsed JSON, after its size passed the caps (before parsing) and its nesting,
    records, values and texts (while and after parsing)."""
    path = Path(path)
    name = name or path.name
    caps = caps or Caps()
    raw = check_size(data, caps, name) if data is not None else read_limited(path, caps,
                                                                             name=name)
    text, _ = _decode(raw, name)
    try:
        return load_json(text, caps, name)
    except json.JSONDecodeError as exc:
        raise LoadErrors([RowError(name, exc.lineno, None,
                                   f"invalid JSON at line {exc.lineno}, column {exc.colno}: "
                                   f"{exc.msg}")]) from exc

