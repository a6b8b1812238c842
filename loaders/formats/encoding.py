"""Text encodings of the files users bring: UTF-8 (with or without BOM), UTF-16 with a
BOM, Latin-1 / Windows-1252 (what Excel writes on Western European Windows), and the
case that cannot be read safely: a UTF-8 file with a few bytes of another encoding.

Where a byte does not fit, the message names the row (line) and column it is in.
"""

from __future__ import annotations

import re

from partnernet.loaders.errors import LoadErrors, RowError

__all__ = ["decode", "where"]

# a valid multi-byte UTF-8 sequence (two to four bytes)
_UTF8_MULTI = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|"
                         rb"[\xf0-\xf4][\x80-\xbf]{3}")


def where(data: bytes, pos: int, delimiter: bytes | None = None,
          header: list[str] | None = None) -> tuple[int, str | None]:
    """The line (1 = header, as a spreadsheet numbers rows when no cell spans lines) and
    the column name at byte ``pos``."""
    line = data.count(b"\n", 0, pos) + 1
    if delimiter is None or header is None:
        return line, None
    start = data.rfind(b"\n", 0, pos) + 1
    index = data[start:pos].count(delimiter)
    return line, header[index] if index < len(header) else None


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """Text of ``data`` and notes on how it was read; raises naming the row and column of
    a byte that fits no encoding the file can be in."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), [f"{name}: read as UTF-16"]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        bad = exc.start
    header_line = data.split(b"\n", 1)[0].decode("utf-8", "replace")
    delim = max(",;\t|", key=lambda d: (header_line.count(d), d == ","))
    header = [h.strip().strip('"') for h in header_line.rstrip("\r").split(delim)]
    line, column = where(data, bad, delim.encode(), header)
    at = f"row {line}" + (f", column {column!r}" if column else "")
    if _UTF8_MULTI.search(data):
        # UTF-8 elsewhere: reading it all as Windows-1252 would garble every accent
        raise LoadErrors([RowError(name, line, column,
                                   f"byte 0x{data[bad]:02X} is not UTF-8, while the rest of the "
                                   "file is: the file mixes two encodings; fix this cell (or "
                                   "save the whole file as UTF-8)")])
    try:
        return data.decode("cp1252"), [f"{name}: not UTF-8 (first at {at}); read as "
                                       "Windows-1252 / Latin-1"]
    except UnicodeDecodeError:
        return data.decode("latin-1"), [f"{name}: not UTF-8 (first at {at}); read as Latin-1"]
