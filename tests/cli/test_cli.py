"""The command line, through click's runner, asserting real output."""

from __future__ import annotations

import json
import os

import click
import pytest
from click.testing import CliRunner

from partnernet.cli.main import cli


def _commands(group: click.Group, prefix=()):
    for name, cmd in group.commands.items():
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()
    uri = f"sqlite:///{tmp_path / 'cli.db'}"

    def invoke(*args, ok=True):
        result = runner.invoke(cli, ["--store", uri, *args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result
    return invoke


def test_every_command_has_help_text(run):
    for path, cmd in _commands(cli):
        assert cmd.help and len(cmd.help) > 20, f"{' '.join(path)} has no help"
        result = run(*path, "--help")
        assert "Usage:" in result.output


def test_init_and_stats(run):
    assert "initialised sqlite store" in run("init").output
    data = json.loads(run("stats", "--format", "json").output)
    assert data["total_nodes"] == 0 and data["store"]["kind"] == "sqlite"


def test_load_reference_then_stats(run):
    out = run("load", "--input-format", "reference").output
    assert "deliverables: 65 (attained 49, in progress 10, not developed 6)" in out
    data = json.loads(run("stats", "--format", "json").output)
    assert data["nodes"]["PartnerCategory"] == 19
    again = run("load", "--input-format", "reference").output
    assert "changed 0 records" in again
    # issue 10 writes it `load --format reference`: an input format there is the input
    # format (--format otherwise prints the summary, like every command)
    alias = run("load", "--format", "reference").output
    assert "changed 0 records" in alias and "534" in alias
    summary = json.loads(run("load", "--input-format", "reference", "--format", "json").output)
    assert summary["nodes"]["unchanged"] == 534 and summary["nodes"]["created"] == 0


def test_load_error_exit_code_and_message(run, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,label,name\ncity:x,City,\n", encoding="utf-8")
    result = run("load", str(bad), ok=False)
    assert result.exit_code == 1
    assert "bad.csv, row 2, column 'name'" in result.output
    assert "nothing written" in result.output


def test_generate_needs_reference_graph(run):
    run("init")
    result = run("generate", "--cities", "20", ok=False)
    assert result.exit_code == 1 and "load the reference graph first" in result.output


def test_export_writes_files(run, tmp_path):
    run("load", "--input-format", "reference")
    out = tmp_path / "g.graphml"
    assert "wrote" in run("export", "--format", "graphml", "--out", str(out)).output
    assert out.stat().st_size > 10_000


def test_demo_analyses_match_view_and_report(run, tmp_path):
    out = tmp_path / "out"
    demo = run("demo", "--cities", "80", "--out", str(out)).output
    assert "top brokers" in demo and (out / "network.html").exists()
    assert (out / "report.html").stat().st_size > 50_000
    ss = json.loads(run("analyse", "south-south", "--format", "json", "--permutations",
                        "20", "--definition", "dac").output)
    assert ss["definition"]["name"] == "dac"
    assert set(ss["shares"]["overall"]) == {"South-South", "North-South", "North-North",
                                            "unclassified"}
    brokers = run("analyse", "brokers", "--format", "csv", "--top", "3").output
    assert brokers.splitlines()[0].startswith("rank,name,group")
    m = run("match", "--for", "Maringá", "--sdg", "11", "--top", "3").output
    assert "partners for Maringá" in m
    bad = run("match", "--for", "Maringaa", ok=False)
    assert bad.exit_code == 1 and "did you mean Maringá" in bad.output
    assert "wrote" in run("view", "--focus", "Maringá", "--out", str(tmp_path / "v.html")).output
    # any kind of node can be the focus; the output format follows the extension or is refused
    assert "wrote" in run("view", "--focus", "network:metropolis", "--depth", "1",
                          "--out", str(tmp_path / "m.html")).output
    png = run("view", "--out", str(tmp_path / "v.png"), ok=False)
    assert png.exit_code == 2 and "written as .html (got .png)" in png.output
    assert not (tmp_path / "v.png").exists()
    bad = run("view", "--corridor", "afrika", "Asia", "--out", str(tmp_path / "c.html"), ok=False)
    assert bad.exit_code == 2 and "did you mean 'Africa'" in bad.output
    bad = run("view", "--color-by", "shoe", "--out", str(tmp_path / "c.html"), ok=False)
    assert bad.exit_code == 2 and "'region', 'bloc', 'label'" in bad.output
    assert "wrote" in run("report", "--out", str(tmp_path / "r.md")).output
    fu = run("analyse", "focal-units", "--today", "2026-11-22").output
    assert "annual partner update due 2026-12-01 (9 days)" in fu


def test_serve_refuses_a_missing_store_unless_asked_to_create_it(tmp_path, monkeypatch):
    import uvicorn

    from partnernet.settings import get_settings

    started = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: started.append(k))
    # serve hands --store to the API's processes as PARTNERNET_STORE: restored afterwards,
    # and the settings read from it forgotten
    before = os.environ.get("PARTNERNET_STORE")
    db = tmp_path / "new.db"
    runner = CliRunner()
    try:
        refused = runner.invoke(cli, ["--store", f"sqlite:///{db}", "serve"])
        assert refused.exit_code == 1 and "serve --create" in refused.output
        assert not db.exists() and started == []
        ok = runner.invoke(cli, ["--store", f"sqlite:///{db}", "serve", "--create", "--port",
                                 "8765"], catch_exceptions=False)
        assert ok.exit_code == 0 and db.exists() and started[0]["port"] == 8765
    finally:
        if before is None:
            os.environ.pop("PARTNERNET_STORE", None)
        else:
            os.environ["PARTNERNET_STORE"] = before
        get_settings.cache_clear()
