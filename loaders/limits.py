"""Caps on what one load may read, and the XML guard.

Every reader takes a :class:`Caps` (the CLI and the API build it from the
``PARTNERNET_LOAD_*`` settings; the library default is ``Caps()``) and stops at the
first cap passed, with an error naming the file, where it stopped, the cap and the
setting that raises it. CSV, XLSX, GraphML and GEXF are counted as they are read
(streamed); JSON is measured once parsed (its size capped first, its nesting bounded
by the parser).

- ``max_bytes``: a file as read (CSV, JSON, GraphML, GEXF, text; an XLSX or ZIP as stored),
  checked from its size before a byte is parsed;
- ``max_uncompressed_bytes``: the members of an XLSX or ZIP once inflated, added up from
  the archive's directory before anything is inflated; members are then inflated in
  pieces of at most 1 MiB, and ``zipfile`` stops a member at its declared size (an
  archive that lies about it fails its CRC check);
- ``max_rows``: rows (nodes and edges, records) of one file;
- ``max_cells``: non-empty cells (values) of one file;
- ``max_value_chars``: one cell or value (never above the value domain's ``MAX_TEXT``);
- ``max_depth``: nesting of JSON arrays and objects and of XML elements (JSON: Python's
  parser stops near 1,000 levels by itself, a deeper file is refused there; the depth
  up to that is measured after parsing).

XML (GraphML, GEXF and every part of an XLSX) with a document type declaration is
refused outright, whatever its encoding (UTF-16 too) and wherever the declaration is
(after a long comment too): the parser (defusedxml over expat) stops at the
declaration, so no entity is ever defined, let alone expanded.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from partnernet.graph.schema.properties import MAX_TEXT
from partnernet.loaders.errors import LoadErrors, RowError

__all__ = ["Caps", "SETTING", "check_json", "check_zip", "load_json", "over",
           "read_limited", "read_member", "refuse_dtd", "scan_sheet"]

MiB = 1024 * 1024

#: The setting (environment variable) that sets each cap.
SETTING = {
    "max_bytes": "PARTNERNET_LOAD_MAX_BYTES",
    "max_uncompressed_bytes": "PARTNERNET_LOAD_MAX_UNCOMPRESSED_BYTES",
    "max_rows": "PARTNERNET_LOAD_MAX_ROWS",
    "max_cells": "PARTNERNET_LOAD_MAX_CELLS",
    "max_value_chars": "PARTNERNET_LOAD_MAX_VALUE_CHARS",
    "max_depth": "PARTNERNET_LOAD_MAX_DEPTH",
}
_MEMBERS = 10_000  # entries of one XLSX or ZIP


@dataclass(frozen=True)
class Caps:
    """How much one load may read (defaults: what a large real network needs, well
    below what a decompression or nesting bomb asks for)."""

    max_bytes: int = 100 * MiB
    max_uncompressed_bytes: int = 200 * MiB
    max_rows: int = 250_000
    max_cells: int = 5_000_000
    max_value_chars: int = MAX_TEXT
    max_depth: int = 32

    def __post_init__(self) -> None:
        for name in SETTING:
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.max_value_chars > MAX_TEXT:
            raise ValueError(f"max_value_chars cannot exceed the value domain's {MAX_TEXT:,} "
                             "characters: longer values could not be stored or exported")


def over(cap: str, caps: Caps, file: str, row: int | None = None, column: str | None = None,
         *, what: str) -> LoadErrors:
    """The error for passing ``cap``: ``what`` was found, the cap, and how to raise it."""
    return LoadErrors([RowError(file, row, column,
                                f"{what}; the limit is {getattr(caps, cap):,} "
                                f"({SETTING[cap]}); nothing was loaded")])


def read_limited(path: Path, caps: Caps, *, name: str | None = None) -> bytes:
    """The bytes of ``path``, refused from its size before reading if over ``max_bytes``."""
    name = name or path.name
    size = path.stat().st_size
    if size > caps.max_bytes:
        raise over("max_bytes", caps, name, what=f"a file of {size:,} bytes")
    chunks, total = [], 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            total += len(chunk)
            if total > caps.max_bytes:  # it grew while we looked
                raise over("max_bytes", caps, name, what=f"more than {caps.max_bytes:,} bytes")
            chunks.append(chunk)
    return b"".join(chunks)


def check_size(data: bytes, caps: Caps, name: str) -> bytes:
    if len(data) > caps.max_bytes:
        raise over("max_bytes", caps, name, what=f"a file of {len(data):,} bytes")
    return data


def refuse_dtd(stream: IO[bytes], name: str) -> None:
    """Refuse XML whose prolog declares a DTD (read up to the root element only).

    Malformed XML passes: the reader that parses it reports where it breaks.
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, iterparse

    try:
        for _ in iterparse(stream, events=("start",), forbid_dtd=True, forbid_entities=True,
                           forbid_external=True):
            return
    except DefusedXmlException as exc:
        raise dtd_error(name, exc) from None
    except (ParseError, ValueError, UnicodeError):
        return


def dtd_error(name: str, exc: Exception) -> LoadErrors:
    return LoadErrors([RowError(name, None, None,
                                "XML with a document type declaration (DOCTYPE/ENTITY) is "
                                "refused: it could expand entities (billion laughs) or read "
                                f"other files ({type(exc).__name__})")])


def check_zip(zf: zipfile.ZipFile, caps: Caps, name: str, *,
              xml_suffixes: Iterable[str] = (".xml", ".rels", ".vml")) -> list[zipfile.ZipInfo]:
    """Check an archive before a reader opens it: member count and declared sizes (each
    and together) against ``max_uncompressed_bytes`` before anything is inflated, then no
    DTD in any XML part and every member's true size (inflated in 1 MiB pieces)."""
    infos = zf.infolist()
    if len(infos) > _MEMBERS:
        raise LoadErrors([RowError(name, None, None, f"an archive of {len(infos):,} entries; "
                                   f"at most {_MEMBERS:,} are read")])
    total = sum(i.file_size for i in infos)
    if total > caps.max_uncompressed_bytes:
        biggest = max(infos, key=lambda i: i.file_size)
        raise over("max_uncompressed_bytes", caps, name,
                   what=f"the archive inflates to {total:,} bytes ({biggest.filename!r} alone "
                        f"to {biggest.file_size:,}) from {sum(i.compress_size for i in infos):,}")
    suffixes = tuple(xml_suffixes)
    for info in infos:
        try:
            if info.filename.lower().endswith(suffixes):
                with zf.open(info) as member:
                    refuse_dtd(member, f"{name} [{info.filename}]")
            # every member inflated once in 1 MiB pieces: one that lies about its size
            # fails here (its CRC), before a reader calls read() on it and inflates it whole
            with zf.open(info) as member:
                while member.read(MiB):
                    pass
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise LoadErrors([RowError(name, None, None, f"not a readable ZIP archive "
                                       f"(XLSX files are ZIP archives): {exc}")]) from exc
    return infos


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, caps: Caps, name: str) -> bytes:
    """One member of an archive checked by :func:`check_zip`, inflated in 1 MiB pieces (a
    single ``read()`` would inflate all its compressed data at once, whatever it declares)."""
    chunks, total = [], 0
    try:
        with zf.open(info) as f:
            while chunk := f.read(MiB):
                total += len(chunk)
                if total > min(info.file_size, caps.max_uncompressed_bytes):
                    raise LoadErrors([RowError(name, None, None, f"{info.filename!r} inflates "
                                               "past its declared size: a damaged archive")])
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise LoadErrors([RowError(name, None, None, f"not a readable ZIP archive: {exc}")
                          ]) from exc
    return b"".join(chunks)


def scan_sheet(stream: IO[bytes], caps: Caps, name: str, *, before: int = 0) -> int:
    """Count the rows and cells of a worksheet part in one streamed pass, stopping at the
    first cap passed; return its rows but the header (``before``: rows of earlier sheets).

    openpyxl parses a whole sheet when it opens a workbook (to find its size): this
    pass keeps a bomb from reaching it.
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, iterparse

    rows = cells = depth = 0
    try:
        for event, elem in iterparse(stream, events=("start", "end"), forbid_dtd=True,
                                     forbid_entities=True, forbid_external=True):
            tag = elem.tag.rsplit("}", 1)[-1]
            if event == "end":
                depth -= 1
                if tag == "row":
                    elem.clear()
                continue
            depth += 1
            if depth > caps.max_depth:
                raise over("max_depth", caps, name, what=f"XML nested {depth} levels deep")
            if tag == "row":
                rows += 1
                if before + rows - 1 > caps.max_rows:
                    raise over("max_rows", caps, name, rows,
                               what=f"more than {caps.max_rows:,} rows")
            elif tag == "c":
                cells += 1
                if cells > caps.max_cells:
                    raise over("max_cells", caps, name, rows,
                               what=f"more than {caps.max_cells:,} cells")
    except DefusedXmlException as exc:
        raise dtd_error(name, exc) from None
    except ParseError as exc:
        raise LoadErrors([RowError(name, None, None, f"not a readable XLSX workbook: {exc}")
                          ]) from exc
    return max(rows - 1, 0)


def load_json(text: str, caps: Caps, name: str) -> Any:
    """Parse JSON text, then check it against the caps (:func:`check_json`).

    Python's parser recurses once per level and stops with ``RecursionError`` near 1,000
    levels (a 200,000-level document is refused there, not a crash); the depth up to that
    is measured against ``max_depth`` afterwards.
    """
    try:
        data = json.loads(text)
    except RecursionError:
        raise over("max_depth", caps, name, what="JSON nested more than 900 levels deep"
                   ) from None
    check_json(data, caps, name)
    return data


def check_json(data: Any, caps: Caps, name: str) -> None:
    """Measure parsed JSON against the caps: nesting depth, records, values, text length.

    Records are the items of a top-level ``nodes`` or ``relationships`` list; errors
    name the list, the item (from 1) and the field.
    """
    groups = ({k: v for k, v in data.items() if k in ("nodes", "relationships")}
              if isinstance(data, dict) else {})
    rows = sum(len(v) for v in groups.values() if isinstance(v, list))
    if rows > caps.max_rows:
        raise over("max_rows", caps, name, what=f"{rows:,} records")
    cells = 0
    errors: list[RowError] = []
    stack: list[tuple[Any, str, int | None, str | None, int]] = [(data, name, None, None, 0)]
    while stack:
        value, file, row, column, depth = stack.pop()
        if isinstance(value, dict | list):
            depth += 1
            if depth > caps.max_depth:
                raise over("max_depth", caps, file, row, column,
                           what=f"JSON nested more than {caps.max_depth} levels deep")
        if isinstance(value, dict):
            for k, v in value.items():
                if row is None and k in groups and isinstance(v, list):
                    stack.extend((item, f"{name} {k}", i, None, depth + 1)
                                 for i, item in enumerate(v, start=1))
                else:
                    stack.append((v, file, row, column if k == "props" else
                                  (f"{column}.{k}" if column else str(k)), depth))
        elif isinstance(value, list):
            stack.extend((v, file, row, column, depth) for v in value)
        else:
            cells += 1
            if cells > caps.max_cells:
                raise over("max_cells", caps, name, row, what=f"more than {caps.max_cells:,} "
                                                              "values")
            if isinstance(value, str) and len(value) > caps.max_value_chars:
                errors.append(RowError(file, row, column,
                                       f"text of {len(value):,} characters; at most "
                                       f"{caps.max_value_chars:,} are allowed "
                                       f"({SETTING['max_value_chars']})"))
                if len(errors) >= 50:
                    break
    if errors:
        raise LoadErrors(sorted(errors, key=lambda e: (e.file, e.row or 0)))
