"""Parser for the Metropolis "Implementation of the Action Plan 2018-2020" report text.

The report as published mixes tab-separated rows and ``<p>`` fragments; status
marks are ``✓``/``v`` (attained), ``○``/``o`` (in progress) and ``✗`` (not developed).
The parser yields action lines, measures and deliverables, checks them against the
report's own summary ("65 outcomes ... Attained: 49 ...") and fails loudly, naming
the line, on any row it cannot read.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from partnernet.loaders.errors import LoadErrors, RowError

__all__ = ["ActionPlan", "Deliverable", "Measure", "ActionLine", "parse_action_plan", "STATUS"]

STATUS = {"✓": "attained", "v": "attained", "○": "in_progress", "o": "in_progress",
          "✗": "not_developed"}
_SUMMARY_LABEL = {"attained": "attained", "in progress": "in_progress",
                  "not developed": "not_developed"}

# "ACTION LINE 1^(L1) Title": the caret is the report's superscript mark
_ACTION_LINE = re.compile(r"^ACTION LINE\s*(\d+)\s*\^?\s*\(L(\d+)\)\s*(.+)$")
_TOTAL = re.compile(r"had\s+(\d+)\s+outcomes to deliver")
_SUMMARY = re.compile(r"^-\s*(?:[✓✗○]\s*)?(Attained|In progress|Not developed)\s*:\s*(\d+)\s*$")
_MEASURE = re.compile(r"^(L(\d+)M(\d+))\s+(.+)$")
_DELIVERABLE = re.compile(r"^(L(\d+)M(\d+)D(\d+))\s+(.+)$")
_SDG = re.compile(r"^(\d{1,2})\.\s+([A-Z][A-Z ,\-]+)$")
_CODE_START = re.compile(r"^(<p>)?L\d+M\d+")


@dataclass
class Deliverable:
    code: str
    text: str
    status: str
    line: int


@dataclass
class Measure:
    code: str
    text: str
    line: int
    deliverables: list[Deliverable] = field(default_factory=list)


@dataclass
class ActionLine:
    number: int
    code: str
    title: str
    line: int
    measures: list[Measure] = field(default_factory=list)


@dataclass
class ActionPlan:
    action_lines: list[ActionLine]
    summary_total: int
    summary: dict[str, int]
    sdgs: list[int]

    @property
    def deliverables(self) -> list[Deliverable]:
        return [d for al in self.action_lines for m in al.measures for d in m.deliverables]

    @property
    def measures(self) -> list[Measure]:
        return [m for al in self.action_lines for m in al.measures]

    def counts(self) -> dict[str, int]:
        c = Counter(d.status for d in self.deliverables)
        return {s: c.get(s, 0) for s in ("attained", "in_progress", "not_developed")}


def _clean(cell: str) -> str:
    cell = re.sub(r"</p>\s*<p>", " ", cell)
    cell = cell.replace("<p>", "").replace("</p>", "")
    return " ".join(cell.split())


def parse_action_plan(path: str | Path) -> ActionPlan:
    """Parse the report text at ``path``; raise :class:`LoadErrors` naming every bad line."""
    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadErrors([RowError(name, None, None, f"not UTF-8 text: {exc}")]) from exc
    errors: list[RowError] = []
    lines: list[ActionLine] = []
    total: int | None = None
    summary: dict[str, int] = {}
    sdgs: list[int] = []
    current: ActionLine | None = None
    measure: Measure | None = None
    in_table = False

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\n\r")
        stripped = line.strip()
        if not stripped:
            continue
        if (m := _TOTAL.search(stripped)) and total is None:
            total = int(m.group(1))
            continue
        if m := _SUMMARY.match(stripped):
            summary[_SUMMARY_LABEL[m.group(1).lower()]] = int(m.group(2))
            continue
        if m := _ACTION_LINE.match(stripped):
            number, code_no, title = int(m.group(1)), int(m.group(2)), m.group(3).strip()
            if number != code_no:
                errors.append(RowError(name, lineno, None,
                                       f"ACTION LINE {number} is labelled (L{code_no})"))
            current = ActionLine(number, f"L{number}", title, lineno)
            lines.append(current)
            measure, in_table = None, True
            continue
        if in_table and stripped.startswith("Measure\t"):
            continue
        is_row = "\t" in line or _CODE_START.match(stripped)
        if not is_row:
            if m := _SDG.match(stripped):
                sdgs.append(int(m.group(1)))
            in_table = False  # prose after a table ends it
            continue
        if current is None:
            errors.append(RowError(name, lineno, None,
                                   "table row before any 'ACTION LINE' heading"))
            continue
        cells = [_clean(c) for c in line.split("\t")]
        while len(cells) > 3 and cells[-1] == "":
            cells.pop()
        if len(cells) != 3:
            errors.append(RowError(name, lineno, None,
                                   f"expected 3 tab-separated cells (measure, deliverable, "
                                   f"status), found {len(cells)}: {stripped[:80]!r}"))
            continue
        mcell, dcell, scell = cells
        if mcell:
            mm = _MEASURE.match(mcell)
            if not mm:
                errors.append(RowError(name, lineno, "Measure",
                                       f"expected a measure code such as 'L1M1' then its text, "
                                       f"got {mcell[:60]!r}"))
                continue
            if int(mm.group(2)) != current.number:
                errors.append(RowError(name, lineno, "Measure",
                                       f"measure {mm.group(1)} is under ACTION LINE "
                                       f"{current.number}"))
                continue
            measure = Measure(mm.group(1), mm.group(4), lineno)
            current.measures.append(measure)
        if measure is None:
            errors.append(RowError(name, lineno, "Measure",
                                   "deliverable row with no measure above it"))
            continue
        dm = _DELIVERABLE.match(dcell)
        if not dm:
            errors.append(RowError(name, lineno, "Outcomes and deliverables",
                                   f"expected a deliverable code such as 'L1M1D1' then its "
                                   f"text, got {dcell[:60]!r}"))
            continue
        if not dm.group(1).startswith(measure.code + "D"):
            errors.append(RowError(name, lineno, "Outcomes and deliverables",
                                   f"deliverable {dm.group(1)} does not belong to measure "
                                   f"{measure.code}"))
            continue
        status = STATUS.get(scell)
        if status is None:
            errors.append(RowError(name, lineno, "Status",
                                   f"unknown status mark {scell!r}; expected one of "
                                   f"{' '.join(STATUS)}"))
            continue
        measure.deliverables.append(Deliverable(dm.group(1), dm.group(5), status, lineno))

    if errors:
        raise LoadErrors(errors)
    plan = ActionPlan(lines, total or 0, summary, sdgs)
    problems = []
    if total is None or not summary:
        problems.append("the report's summary (total and counts by status) was not found")
    else:
        parsed = plan.counts()
        if len(plan.deliverables) != total:
            problems.append(f"the report says {total} outcomes, the tables hold "
                            f"{len(plan.deliverables)}")
        for status, n in summary.items():
            if parsed[status] != n:
                problems.append(f"the report says {n} {status.replace('_', ' ')}, the tables "
                                f"hold {parsed[status]}")
    codes = Counter(d.code for d in plan.deliverables)
    problems += [f"deliverable {c} appears {n} times" for c, n in codes.items() if n > 1]
    if problems:
        raise LoadErrors([RowError(name, None, None, p) for p in problems])
    return plan
