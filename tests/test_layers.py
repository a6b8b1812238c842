"""The layers hold: each imports only those below it (import-linter contracts in pyproject).

The negative test copies the installed package, adds one forbidden import and checks that
the contracts then fail: a contract that cannot fail is no contract.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import partnernet

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([str(LINT), "--config", str(ROOT / "pyproject.toml"),
                           "--no-cache"], capture_output=True, text=True, env=env,
                          cwd=pythonpath or ROOT.parent, timeout=300)


def test_import_contracts_hold():
    r = _lint()
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Contracts: 3 kept, 0 broken" in r.stdout


def test_import_contracts_fail_on_a_forbidden_import(tmp_path):
    copy = tmp_path / "partnernet"
    shutil.copytree(Path(partnernet.__file__).parent, copy)
    target = copy / "graph" / "analysis" / "betweenness.py"
    target.write_text(target.read_text() + "\nfrom partnernet.service import analyses\n")
    r = _lint(tmp_path)
    assert r.returncode != 0
    assert "partnernet.graph.analysis.betweenness -> partnernet.service.analyses" in r.stdout
