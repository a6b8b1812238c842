"""Errors that name the file, the row and the column, and say what was expected."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["LoadErrors", "RowError", "cut"]

#: identical errors (same file, column and message) printed before a count takes over
SAME_ERRORS_SHOWN = 3


def cut(value: object, limit: int = 80) -> str:
    """A value cut to a readable length, saying how long it was.

    >>> cut("x" * 200, 10)
    'xxxxxxxxx… (200 characters)'
    """
    text = str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit - 1]}… ({len(text):,} characters)"


@dataclass(frozen=True)
class RowError:
    """One bad cell or row. ``row`` counts lines as a spreadsheet shows them (header = 1)."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "row": self.row, "column": self.column,
                "message": self.message}


@dataclass
class LoadErrors(Exception):
    """A load refused: every error found, and nothing was written."""

    errors: list[RowError] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.summary())

    def summary(self, limit: int = 20) -> str:
        """The errors for a person: at most a few of each kind (same file, column and
        message), then how many more and on which rows; at most ``limit`` lines."""
        groups: dict[tuple, list[RowError]] = {}
        for e in self.errors:
            groups.setdefault((e.file, e.column, e.message), []).append(e)
        lines: list[str] = []
        for same in groups.values():
            lines += [str(e) for e in same[:SAME_ERRORS_SHOWN]]
            rest = same[SAME_ERRORS_SHOWN:]
            if rest:
                rows = ", ".join(str(e.row) for e in rest[:8] if e.row is not None)
                more = " ..." if len(rest) > 8 else ""
                lines.append(f"  ... the same error on {len(rest)} more row"
                             f"{'s' if len(rest) != 1 else ''}" + (f" ({rows}{more})" if rows
                                                                    else ""))
        shown = lines[:limit]
        if len(lines) > limit:
            shown.append(f"... and {len(lines) - limit} more lines")
        head = f"{len(self.errors)} error{'s' if len(self.errors) != 1 else ''}; nothing written"
        return head + ("\n" + "\n".join(shown) if shown else "")
