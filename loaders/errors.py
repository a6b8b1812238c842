"""Errors that name the file, the row and the column, and say what was expected."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["LoadErrors", "RowError"]


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
        lines = [str(e) for e in self.errors[:limit]]
        if len(self.errors) > limit:
            lines.append(f"... and {len(self.errors) - limit} more errors")
        head = f"{len(self.errors)} error{'s' if len(self.errors) != 1 else ''}; nothing written"
        return head + ("\n" + "\n".join(lines) if lines else "")
