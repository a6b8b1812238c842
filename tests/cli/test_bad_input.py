"""Every command given bad input: one line naming what is wrong, never a traceback, never a
silent empty answer (issue 10, point 5; issue 14, point 6 for the store URIs).

Each case runs through click's runner with ``catch_exceptions=False`` (an exception that
escaped would fail the test with its traceback) and must exit non-zero with exactly one
``Error:`` line containing the expected words; the installed console script is run too,
once per command, to check what a user's terminal shows. A test checks that the sweep
covers every command. Expected words: the option or value at fault, by hand.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from partnernet.cli.main import cli
from partnernet.graph.store.sqlite import SQLiteStore
from partnernet.loaders.generate import GeneratedOptions, generate_plan
from partnernet.loaders.reference_graph import reference_plan

SECRET = "S3CRETPW"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A store with the reference graph and a small sample, files to feed the commands."""
    root = tmp_path_factory.mktemp("bad")
    db = root / "s.db"
    ref = reference_plan()
    gen = generate_plan(GeneratedOptions(cities=40, seed=5),
                        anchors=[n for n in ref.nodes if n.label == "City"])
    store = SQLiteStore(db)
    store.load(ref.nodes + gen.nodes, ref.relationships + gen.relationships)
    store.close()
    (root / "bad.csv").write_text("id,label,name\ncity:x,City,\n", encoding="utf-8")
    (root / "noise.csv").write_bytes(bytes(range(256)) * 10)
    (root / "empty.csv").write_bytes(b"")
    (root / "data.xyz").write_text("hello", encoding="utf-8")
    (root / "notastore.db").write_text("not a database", encoding="utf-8")
    (root / "folder.md").mkdir()
    (root / "afile").write_text("x", encoding="utf-8")
    return root


def _cases(w: Path) -> list[tuple[str, list[str], dict[str, str], tuple[str, ...]]]:
    """(id, argv, environment, words the error must contain). ``{store}`` is the store."""
    s = f"sqlite:///{w / 's.db'}"
    missing = f"sqlite:///{w / 'none.db'}"
    return [
        # the store and the settings (issue 14 point 6: passwords never shown)
        ("store-scheme", ["--store", f"neoj4://neo4j:{SECRET}@host", "stats"], {},
         ("unknown scheme 'neoj4'", "neo4j:***@host")),
        ("store-env-scheme", ["stats"], {"PARTNERNET_STORE": f"neoj4://neo4j:{SECRET}@host"},
         ("PARTNERNET_STORE", "neo4j:***@host")),
        ("store-port", ["--store", f"bolt://neo4j:{SECRET}@host:abc", "stats"], {},
         ("not a valid Neo4j URI",)),
        ("store-slashes", ["--store", "sqlite://relative.db", "stats"], {}, ("three slashes",)),
        ("setting", ["--store", s, "stats"], {"PARTNERNET_SOUTH_DEFINITION": "nordic"},
         ("PARTNERNET_SOUTH_DEFINITION",)),
        ("no-store-stats", ["--store", missing, "stats"], {}, ("no store at", "partnernet init")),
        ("no-store-analyse", ["--store", missing, "analyse", "deliverables"], {},
         ("no store at",)),
        ("no-store-match", ["--store", missing, "match", "--for", "Maringá"], {},
         ("no store at",)),
        ("no-store-view", ["--store", missing, "view", "--out", str(w / "v.html")], {},
         ("no store at",)),
        ("no-store-report", ["--store", missing, "report", "--out", str(w / "r.md")], {},
         ("no store at",)),
        ("no-store-export", ["--store", missing, "export", "--out", str(w / "g.json")], {},
         ("no store at",)),
        ("no-store-generate", ["--store", missing, "generate"], {}, ("no store at",)),
        ("no-store-serve", ["--store", missing, "serve"], {}, ("no store at", "serve --create")),
        ("memory-store", ["--store", "sqlite:///:memory:", "stats"], {},
         ("new, empty store",)),
        ("not-a-store", ["--store", f"sqlite:///{w / 'notastore.db'}", "stats"], {},
         ("not a partnernet store",)),
        ("init-unwritable", ["--store", "sqlite:////proc/partnernet/x.db", "init"], {},
         ("cannot open SQLite store",)),
        # stats, load, export, generate, demo
        ("stats-format", ["--store", s, "stats", "--format", "xml"], {}, ("'xml'",)),
        ("load-nothing", ["--store", s, "load"], {}, ("at least one PATH",)),
        ("load-missing", ["--store", s, "load", str(w / "nope.csv")], {}, ("no such file",)),
        ("load-two-formats", ["--store", s, "load", "--input-format", "gexf", "--format",
                              "reference"], {}, ("reference", "gexf")),
        ("load-format", ["--store", s, "load", "--format", "yaml", str(w / "bad.csv")], {},
         ("unknown output format 'yaml'", "table, json, csv")),
        ("load-input-format", ["--store", s, "load", "--input-format", "yaml",
                               str(w / "bad.csv")], {}, ("'yaml'",)),
        ("load-rows", ["--store", s, "load", str(w / "bad.csv")], {},
         ("bad.csv, row 2, column 'name'", "nothing written")),
        ("load-noise", ["--store", s, "load", str(w / "noise.csv")], {}, ("noise.csv",)),
        ("load-empty", ["--store", s, "load", str(w / "empty.csv")], {}, ("empty.csv",)),
        ("load-unknown", ["--store", s, "load", str(w / "data.xyz")], {},
         ("cannot tell the format", "--input-format")),
        ("load-folder", ["--store", s, "load", str(w / "folder.md")], {}, ("folder.md",)),
        ("load-pairs", ["--store", s, "load", "--pair-columns", "a,b", str(w / "bad.csv")], {},
         ("four names",)),
        ("export-extension", ["--store", s, "export", "--out", str(w / "g.txt")], {},
         ("does not name an output format", ".gexf")),
        ("export-mismatch", ["--store", s, "export", "--format", "gexf", "--out",
                             str(w / "g.graphml")], {}, ("is a graphml file name", ".gexf")),
        ("export-folder", ["--store", s, "export", "--format", "json", "--out",
                           str(w / "folder.md")], {}, ("is a folder (gephi-csv)", ".json")),
        ("export-unwritable", ["--store", s, "export", "--out", "/proc/partnernet/g.json"], {},
         ("export failed", "/proc/partnernet")),
        ("export-label", ["--store", s, "export", "--label", "Castle", "--out",
                          str(w / "g.json")], {}, ("'Castle'",)),
        ("generate-cities", ["--store", s, "generate", "--cities", "1"], {}, ("--cities",)),
        ("generate-seed", ["--store", s, "generate", "--seed", "-5"], {}, ("--seed",)),
        ("demo-out", ["--store", f"sqlite:///{w / 'demo.db'}", "demo", "--out",
                      str(w / "afile")], {}, ("--out",)),
        ("demo-cities", ["--store", s, "demo", "--cities", "0"], {}, ("--cities",)),
        # analyses
        ("brokers-since", ["--store", s, "analyse", "brokers", "--since", "20x"], {},
         ("--since", "'20x' is not a date")),
        ("brokers-until", ["--store", s, "analyse", "brokers", "--until", "2025-13"], {},
         ("there is no month 13",)),
        ("brokers-period", ["--store", s, "analyse", "brokers", "--since", "2020", "--until",
                            "2010"], {}, ("--since 2020 is after --until 2010",)),
        ("brokers-pivots", ["--store", s, "analyse", "brokers", "--pivots", "1"], {},
         ("--pivots",)),
        ("brokers-definition", ["--store", s, "analyse", "brokers", "--definition", "nordic"],
         {}, ("'nordic'",)),
        ("group-by", ["--store", s, "analyse", "brokers", "--group-by", "nonsense"], {},
         ("nonsense", "region")),
        ("region", ["--store", s, "analyse", "brokers", "--region", "Afrika"], {},
         ("Afrika", "Africa")),
        ("south-south-since", ["--store", s, "analyse", "south-south", "--since",
                               "yesterday"], {}, ("'yesterday' is not a date",)),
        ("south-south-permutations", ["--store", s, "analyse", "south-south",
                                      "--permutations", "-1"], {}, ("--permutations",)),
        ("focal-units-today", ["--store", s, "analyse", "focal-units", "--today",
                               "2025-13-01"], {}, ("--today", "there is no month 13")),
        ("focal-units-word", ["--store", s, "analyse", "focal-units", "--today", "yesterday"],
         {}, ("'yesterday' is not a date", "YYYY-MM-DD")),
        ("focal-units-day", ["--store", s, "analyse", "focal-units", "--today", "2025-02-30"],
         {}, ("February 2025 has no day 30",)),
        ("deliverables-format", ["--store", s, "analyse", "deliverables", "--format", "xml"],
         {}, ("'xml'",)),
        ("communities-seed", ["--store", s, "analyse", "communities", "--seed", "abc"], {},
         ("--seed",)),
        ("recognitions-today", ["--store", s, "analyse", "recognitions", "--today", "2025"],
         {}, ("'2025' is not a date",)),
        ("recognitions-within", ["--store", s, "analyse", "recognitions", "--within", "0"],
         {}, ("--within",)),
        # match, view, report, serve
        ("match-unknown", ["--store", s, "match", "--for", "Nowhereville"], {},
         ("Nowhereville",)),
        ("match-sdg", ["--store", s, "match", "--for", "Maringá", "--sdg", "18"], {},
         ("--sdg",)),
        ("match-missing", ["--store", s, "match"], {}, ("--for",)),
        ("view-depth", ["--store", s, "view", "--depth", "9", "--out", str(w / "v.html")], {},
         ("--depth",)),
        ("view-unknown", ["--store", s, "view", "--focus", "Nowhereville", "--out",
                          str(w / "v.html")], {}, ("Nowhereville",)),
        ("view-corridor", ["--store", s, "view", "--corridor", "africa", "asyia", "--out",
                           str(w / "v.html")], {}, ("asyia", "Asia")),
        ("view-png", ["--store", s, "view", "--out", str(w / "v.png")], {}, (".png",)),
        ("report-extension", ["--store", s, "report", "--out", str(w / "r.txt")], {},
         ("does not name an output format", ".pdf")),
        ("report-no-extension", ["--store", s, "report", "--out", str(w / "report")], {},
         ("does not name an output format",)),
        ("report-folder", ["--store", s, "report", "--out", str(w / "folder.md")], {},
         ("is a directory",)),
        ("report-seeker", ["--store", s, "report", "--for", "Nowhereville", "--out",
                           str(w / "r.md")], {}, ("Nowhereville",)),
        ("report-pivots", ["--store", s, "report", "--pivots", "1", "--out",
                           str(w / "r.md")], {}, ("--pivots",)),
        ("serve-port", ["--store", s, "serve", "--port", "0"], {}, ("--port",)),
        ("serve-workers", ["--store", s, "serve", "--workers", "x"], {}, ("--workers",)),
    ]


CASE_IDS = [c[0] for c in _cases(Path("/w"))]


def _case(world, case_id):
    return next(c for c in _cases(world) if c[0] == case_id)


def _check(output: str, words: tuple[str, ...], exit_code: int, case_id: str) -> None:
    assert "Traceback" not in output, f"{case_id}: traceback\n{output}"
    assert exit_code != 0, f"{case_id}: accepted (exit 0)\n{output}"
    errors = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, f"{case_id}: {len(errors)} error lines\n{output}"
    assert "internal error" not in errors[0], f"{case_id}: unhandled\n{output}"
    for word in words:  # (a refused load lists its rows above the error line)
        assert word in output, f"{case_id}: {word!r} not in {output!r}"
    assert SECRET not in output


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_bad_input_gives_one_line_and_no_traceback(world, case_id, monkeypatch):
    _, argv, env, words = _case(world, case_id)
    for name in ("PARTNERNET_STORE", "PARTNERNET_SOUTH_DEFINITION"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(world)
    import uvicorn

    def started(*args, **kwargs):  # a refused serve must not start a server (or hang here)
        raise AssertionError(f"{case_id}: the server was started")

    monkeypatch.setattr(uvicorn, "run", started)
    result = CliRunner().invoke(cli, argv, catch_exceptions=False)
    _check(result.output, words, result.exit_code, case_id)


def _leaves(group: click.Group, prefix=()):
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            yield from _leaves(cmd, (*prefix, name))
        else:
            yield " ".join((*prefix, name))


def _command_of(argv: list[str]) -> str:
    rest = argv[2:] if argv[:1] == ["--store"] else argv
    words = [a for a in rest if not a.startswith("-")]
    return " ".join(words[:2]) if words and words[0] == "analyse" else words[0]


def test_the_sweep_covers_every_command(world):
    covered = {_command_of(argv) for _, argv, _, _ in _cases(world)}
    assert set(_leaves(cli)) - covered == set()


def test_installed_console_script_shows_no_traceback(world):
    """The script a user runs, in a subprocess: one bad case per command."""
    script = Path(sys.executable).with_name("partnernet")
    seen = set()
    for case_id, argv, env, words in _cases(world):
        command = _command_of(argv)
        if command in seen:
            continue
        seen.add(command)
        environ = {k: v for k, v in os.environ.items()
                   if k not in ("PARTNERNET_STORE", "PARTNERNET_SOUTH_DEFINITION")}
        r = subprocess.run([str(script), *argv], capture_output=True, text=True,
                           env={**environ, **env}, cwd=world, timeout=120)
        _check(r.stdout + r.stderr, words, r.returncode, case_id)
    assert len(seen) == len(set(_leaves(cli)))
