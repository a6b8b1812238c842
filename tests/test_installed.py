"""The installed package does what the README advertises, run as a user runs it.

Every command goes through the console script installed from the wheel, in an empty
folder outside the checkout, with no PARTNERNET_ variable set: init, the reference graph,
the demo, a view, the report in its four formats, every export format loaded back, and
the API answering /health, /docs and a view.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

CLI = Path(sys.executable).with_name("partnernet")
EXPORTS = {"json": "export.json", "graphml": "export.graphml", "gexf": "export.gexf",
           "gephi-csv": "gephi"}


def run(cwd: Path, *args: str, store: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTNERNET_")}
    cmd = [str(CLI), *(["--store", store] if store else []), *args]
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, f"{' '.join(args)} failed:\n{r.stdout}\n{r.stderr}"
    assert "Traceback" not in r.stderr
    return r.stdout


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("user")
    out = run(d, "init")
    assert "initialised sqlite store" in out
    out = run(d, "load", "--input-format", "reference")
    assert "changed" in out
    run(d, "demo", "--cities", "80")
    assert (d / "out" / "network.html").is_file() and (d / "out" / "report.html").is_file()
    return d


def test_the_installed_package_is_not_the_checkout():
    assert CLI.is_file()
    import partnernet

    assert "site-packages" in Path(partnernet.__file__).parts


def test_view(demo_dir):
    run(demo_dir, "view", "--out", "v.html")
    page = (demo_dir / "v.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "src=\"http" not in page


@pytest.mark.parametrize("fmt,magic", [("html", b"<!DOCTYPE html>"), ("md", b"# "),
                                       ("xlsx", b"PK"), ("pdf", b"%PDF-")])
def test_report(demo_dir, fmt, magic):
    run(demo_dir, "report", "--out", f"r.{fmt}")
    data = (demo_dir / f"r.{fmt}").read_bytes()
    assert data.startswith(magic)
    if fmt == "xlsx":
        names = zipfile.ZipFile(demo_dir / "r.xlsx").namelist()
        assert "xl/workbook.xml" in names


@pytest.mark.parametrize("fmt", list(EXPORTS))
def test_export_loads_back(demo_dir, fmt):
    out = demo_dir / f"{fmt}-{EXPORTS[fmt]}"
    run(demo_dir, "export", "--format", fmt, "--out", str(out))
    files = sorted(out.iterdir()) if out.is_dir() else [out]
    fresh = f"sqlite:///{demo_dir / f'fresh-{fmt}.db'}"
    run(demo_dir, "init", store=fresh)
    run(demo_dir, "load", *map(str, files), store=fresh)
    # into the store it came from: every record unchanged
    again = run(demo_dir, "load", *map(str, files))
    assert "changed 0 records" in again


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve(demo_dir):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTNERNET_")}
    proc = subprocess.Popen([str(CLI), "serve", "--port", str(port)], cwd=demo_dir, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/health", timeout=5) as r:  # noqa: S310
                    assert r.status == 200
                    break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "the API did not answer within 60 s"
                time.sleep(0.5)
        for path, needle in (("/docs", b"swagger"), ("/openapi.json", b'"openapi"'),
                             ("/views/network", b"<!doctype html>")):
            with urllib.request.urlopen(base + path, timeout=120) as r:  # noqa: S310
                assert r.status == 200 and needle in r.read().lower(), path
    finally:
        proc.terminate()
        proc.wait(timeout=30)
