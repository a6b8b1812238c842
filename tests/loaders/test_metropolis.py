"""The Metropolis report parser. Expected values are the report's own summary:
"65 outcomes ... Attained: 49, In progress: 10, Not developed: 6" and its three action lines."""

from __future__ import annotations

import shutil

import pytest

from partnernet.loaders.errors import LoadErrors
from partnernet.loaders.metropolis import parse_action_plan
from partnernet.loaders.reference_graph import read_action_plan_csv, write_action_plan_csv
from tests.conftest import SHARED

SEED = SHARED / "seeds" / "metropolis-action-plan-2018-2020.txt"


@pytest.fixture(scope="module")
def plan():
    return parse_action_plan(SEED)


def test_reproduces_the_reports_summary(plan):
    assert len(plan.action_lines) == 3
    assert [len(a.measures) for a in plan.action_lines] == [8, 11, 8]  # counted in the report
    assert len(plan.deliverables) == 65
    assert plan.counts() == {"attained": 49, "in_progress": 10, "not_developed": 6}
    assert plan.summary == {"attained": 49, "in_progress": 10, "not_developed": 6}
    assert plan.sdgs == [3, 5, 7, 11, 13, 16, 17]


def test_reads_both_row_styles_and_both_mark_styles(plan):
    by_code = {d.code: d for d in plan.deliverables}
    assert by_code["L1M1D2"].status == "not_developed"  # tab row, ✗
    assert by_code["L1M4D1"].status == "not_developed"  # <p> row, <p>✗</p>
    assert by_code["L2M2D1"].status == "in_progress"  # <p>code</p> <p>text</p>, ○
    assert by_code["L2M2D1"].text == "Knowledge management strategic plan"
    assert by_code["L3M6D2"].status == "in_progress"  # plain "o"
    assert by_code["L3M6D1"].status == "attained"  # plain "v"
    titles = [a.title for a in plan.action_lines]
    assert titles[0] == "Conducting urban diplomacy and advocacy on metropolitan issues"


def test_committed_csv_is_what_the_parser_yields(plan):
    from importlib import resources

    committed = resources.files("partnernet.loaders.reference").joinpath(
        "metropolis_action_plan.csv").read_text("utf-8")
    assert committed == write_action_plan_csv(plan)
    assert read_action_plan_csv().counts() == plan.counts()


def _broken_copy(tmp_path, old: str, new: str):
    path = tmp_path / "broken.txt"
    shutil.copy(SEED, path)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_unknown_status_mark_names_the_line(tmp_path):
    path = _broken_copy(tmp_path, "L1M1D1 Calendar of international events\t✓",
                        "L1M1D1 Calendar of international events\t?")
    with pytest.raises(LoadErrors) as err:
        parse_action_plan(path)
    (e,) = err.value.errors
    assert (e.row, e.column) == (20, "Status")  # line 20 of the seed file
    assert "unknown status mark '?'" in e.message


def test_deliverable_under_wrong_measure_is_refused(tmp_path):
    path = _broken_copy(tmp_path, "\tL1M1D2 Publications", "\tL1M2D9 Publications")
    with pytest.raises(LoadErrors, match="row 21.*does not belong to measure L1M1"):
        parse_action_plan(path)


def test_summary_mismatch_is_refused(tmp_path):
    path = _broken_copy(tmp_path, "Attained: 49", "Attained: 48")
    with pytest.raises(LoadErrors, match="the report says 48 attained, the tables hold 49"):
        parse_action_plan(path)


def test_row_with_too_many_cells(tmp_path):
    path = _broken_copy(tmp_path, "L3M1D1 Document of Regional Secretaries",
                        "L3M1D1 Document\tof Regional Secretaries")
    with pytest.raises(LoadErrors, match="expected 3 tab-separated cells"):
        parse_action_plan(path)
