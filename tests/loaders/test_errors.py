"""Refusals a person can act on: file, row (as a spreadsheet numbers it) and column; values
cut to a readable length; quote and encoding errors at the row where they start; a few
identical errors then a count; dry runs leave nothing behind; a source whose context is
missing brings it from the reference graph. Expected values: by hand from the fixtures."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from partnernet.cli.main import cli
from partnernet.loaders.errors import LoadErrors
from partnernet.loaders.load import load_files, plan_files
from tests.conftest import SHARED


def _errors(paths, **options):
    with pytest.raises(LoadErrors) as err:
        plan_files(paths, **options)
    return err.value


def test_unbalanced_quote_names_the_row_where_it_opens(tmp_path):
    lines = ["id,label,name,source"] + [f"city:x:c{i},City,C{i},t" for i in range(2, 40)]
    lines[5] = 'city:x:c6,City,"C6 and a quote never closed,t'
    big = "x" * 12000
    lines[20] = f"city:x:c21,City,C21,{big}"
    path = tmp_path / "q.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = _errors([path])
    assert len(err.errors) == 1
    e = err.errors[0]
    assert (e.file, e.row, e.column) == ("q.csv", 6, "name")
    assert "line 6 of the file" in e.message and "not closed" in e.message
    assert len(str(err)) < 600  # never the 12 KB the quote swallowed


def test_an_invalid_byte_names_its_row_and_column(tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes("member,country,organisation\nSão Paulo,Brazil,ICLEI\n".encode()
                     + "Zürich,Switzerland,C40\n".encode("latin-1"))
    e = _errors([path]).errors[0]
    assert (e.row, e.column) == (3, "member")
    assert "byte 0xFC is not UTF-8" in e.message and "mixes two encodings" in e.message


def test_latin1_file_loads_with_a_note_naming_the_first_row(tmp_path):
    path = tmp_path / "l.csv"
    path.write_bytes("member,country,organisation\nLyon,France,C40\nZürich,Suisse,C40\n"
                     .encode("latin-1"))
    plan, _ = plan_files([path])
    assert "l.csv: not UTF-8 (first at row 3, column 'member'); read as Windows-1252 / " \
           "Latin-1" in plan.notes
    assert any(n.name == "Zürich" for n in plan.nodes)


def test_identical_errors_are_shown_a_few_times_then_counted(tmp_path):
    path = tmp_path / "p.csv"
    rows = "".join(f"Lyon,France,Place {i},Atlantis\n" for i in range(2, 402))
    path.write_text("city1,country1,city2,country2\n" + rows, encoding="utf-8")
    err = _errors([path])
    assert len(err.errors) == 400
    text = err.summary()
    assert text.count("unknown country 'Atlantis'") == 3
    assert "... the same error on 397 more rows (5, 6, 7, 8, 9, 10, 11, 12 ...)" in text


def test_long_values_are_cut(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(f"source,target,kind\nLyon,Beirut,{'z' * 5000}\n", encoding="utf-8")
    message = _errors([path]).errors[0].message
    assert "(5,000 characters)" in message and len(message) < 400


def test_dangling_end_names_file_row_and_column(store, tmp_path):
    (tmp_path / "n.csv").write_text("id,label,name\npartner:a,Partner,A\n", encoding="utf-8")
    (tmp_path / "r.csv").write_text("start,type,end\npartner:a,SUPPORTS,partner:a\n"
                                    "partner:a,SUPPORTS,partner:zz\n", encoding="utf-8")
    with pytest.raises(LoadErrors) as err:
        load_files(store, [tmp_path / "n.csv", tmp_path / "r.csv"])
    assert [(e.file, e.row, e.column) for e in err.value.errors] == [("r.csv", 3, "end")]
    assert store.counts().total_nodes == 0


def test_metropolis_report_into_a_fresh_store_brings_its_context(store):
    report = SHARED / "seeds" / "metropolis-action-plan-2018-2020.txt"
    result = load_files(store, [report], fmt="metropolis-action-plan")
    assert store.get_node("network:metropolis") is not None
    assert result.plan.stats["context nodes from the reference graph"] >= 1
    assert any("taken from the reference graph" in n and "partnernet load --input-format "
               "reference" in n for n in result.plan.notes)
    assert store.counts().nodes["Deliverable"] == 65
    assert load_files(store, [report], fmt="metropolis-action-plan").summary.changed == 0


def test_dry_run_leaves_no_file_behind(tmp_path):
    db = tmp_path / "new.db"
    path = tmp_path / "ties.csv"
    path.write_text("source,target\nLyon,Beirut\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--store", f"sqlite:///{db}", "load", str(path),
                                      "--dry-run"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "would change 3 records" in result.output and "dry run: nothing written" in \
        result.output
    assert list(tmp_path.iterdir()) == [path]


def test_cli_load_options(tmp_path):
    db = f"sqlite:///{tmp_path / 's.db'}"
    path = tmp_path / "list.csv"
    path.write_text("who,in,nation\nCuritiba,ICLEI,BRA\nAtlantis City,ICLEI,Atlantis\n",
                    encoding="utf-8")
    run = CliRunner().invoke
    bad = run(cli, ["--store", db, "load", str(path), "--input-format", "members"])
    assert bad.exit_code != 0 and "no member column found" in bad.output
    refused = run(cli, ["--store", db, "load", str(path), "--input-format", "members", "--columns",
                        "member=who,organisation=in,country=nation"])
    assert refused.exit_code == 1
    assert "list.csv, row 3, column 'nation': unknown country 'Atlantis'" in refused.output
    ok = run(cli, ["--store", db, "load", str(path), "--input-format", "MEMBERS", "--columns",
                   "member=who,organisation=in,country=nation", "--unknown-countries", "warn",
                   "--format", "json"], catch_exceptions=False)
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.output)
    assert data["stats"]["memberships"] == 2 and data["relationships"]["created"] == 2
    wrong = run(cli, ["--store", db, "load", str(path), "--columns", "membr=who"])
    assert wrong.exit_code == 2 and "unknown role 'membr'" in wrong.output
