"""The wheel is what users get: the tests import it, and it holds every package and data file.

Expected values come from the repository itself: every folder with an ``__init__.py``
under the design card's top-level folders must be a package of the wheel, and every data
file the code reads must be installed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from importlib import resources
from pathlib import Path

import pytest

import partnernet
from partnernet.visualisations.explorer import EXPLORER_PARTS

ROOT = Path(__file__).resolve().parents[1]
MAPPING = {"graph": "partnernet.graph", "loaders": "partnernet.loaders",
           "api": "partnernet.api", "visualisations": "partnernet.visualisations",
           "src/partnernet": "partnernet"}


def test_tests_import_the_installed_wheel_not_the_checkout():
    location = Path(partnernet.__file__).resolve()
    assert ROOT / "src" not in location.parents, (
        f"partnernet was imported from the checkout ({location}); run the suite with "
        "./tools/test.sh, which installs the wheel")
    assert "site-packages" in location.parts


def test_every_source_package_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = set()
    for folder, name in MAPPING.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder)
            found.add(".".join([name, *rel.parts]))
    assert found - listed == set(), "add these to [tool.setuptools] packages"
    # the rest are directories of data files (listed so that setuptools ships them without
    # a warning): they must exist and hold no module that would go unimported
    by_name = {name: folder for folder, name in MAPPING.items()}
    for package in listed - found:
        parent = max((n for n in by_name if package.startswith(n + ".")), key=len)
        folder = ROOT / by_name[parent] / Path(*package[len(parent) + 1:].split("."))
        assert folder.is_dir() and any(folder.iterdir()), f"{package}: no such data directory"
        assert not list(folder.glob("*.py")), f"{package} holds modules: add an __init__.py"


def test_data_files_are_installed():
    ref = resources.files("partnernet.loaders.reference")
    for name in ("sop.yaml", "mcsr.yaml", "metropolis.yaml", "ungc.yaml", "sdgs.yaml",
                 "metropolis_action_plan.csv"):
        assert ref.joinpath(name).is_file(), name
    assert resources.files("partnernet.graph.geography").joinpath(
        "data/countries.csv").is_file()
    templates = resources.files("partnernet.visualisations").joinpath("templates")
    assert {p.name for p in templates.iterdir()} >= {"explorer.html.j2", "explorer_shell.html.j2",
                                                     "report.html.j2"}


def test_front_end_files_are_vendored_into_the_wheel():
    # tools/vendor_frontend.py copies them from frontend/node_modules before the build
    assets = resources.files("partnernet.visualisations").joinpath("assets")
    for name in ("vendor/vis-network.min.js", "vendor/d3-geo.min.js",
                 "vendor/topojson-client.min.js", "vendor/countries-110m.json",
                 "explorer/explorer.css"):
        assert assets.joinpath(name).is_file(), name
    for name in EXPLORER_PARTS:  # joined into explorer.js by the package
        assert assets.joinpath("explorer", name).is_file(), name
    docs = resources.files("partnernet.api").joinpath("static", "docs")
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"):
        assert docs.joinpath(name).is_file(), name
    assert "cdn.redoc.ly" not in docs.joinpath("redoc.standalone.js").read_text("utf-8")


def test_no_generic_top_level_names_are_installed():
    import importlib.util

    for name in ("graph", "loaders", "api", "visualisations"):
        spec = importlib.util.find_spec(name)
        # the checkout's folders are on sys.path under pytest; nothing else may provide them
        assert spec is None or ROOT in Path(spec.origin or "").resolve().parents, name


@pytest.mark.slow
def test_a_build_from_a_fresh_clone_vendors_the_front_end(tmp_path):
    # Found trying the README as a new user: `python -m build` in a fresh clone built a wheel
    # without vis-network, the world outline or Swagger UI, and `partnernet demo` stopped at
    # its view. The build (sdist, then the wheel from the sdist, as `python -m build` does)
    # must vendor them itself. No network: the checkout's frontend/node_modules is reused.
    if not (ROOT / ".git").exists() or not (ROOT / "frontend" / "node_modules").is_dir():
        pytest.skip("needs a git checkout with frontend/node_modules (tools/install.sh)")
    clone = tmp_path / "clone"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode().split("\0")
    for rel in filter(None, tracked):
        if (ROOT / rel).is_file():
            (clone / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / rel, clone / rel)
    (clone / "frontend" / "node_modules").symlink_to(ROOT / "frontend" / "node_modules")
    hooks = ("import sys; from setuptools import build_meta as b; "
             "print(getattr(b, sys.argv[1])(sys.argv[2]))")
    dist = tmp_path / "dist"
    sdist = subprocess.run([sys.executable, "-c", hooks, "build_sdist", str(dist)], cwd=clone,
                           capture_output=True, text=True)
    assert sdist.returncode == 0, sdist.stderr[-2000:]
    with tarfile.open(dist / sdist.stdout.strip().splitlines()[-1]) as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
    (unpacked,) = (tmp_path / "unpacked").iterdir()
    wheel = subprocess.run([sys.executable, "-c", hooks, "build_wheel", str(dist)],
                           cwd=unpacked, capture_output=True, text=True)
    assert wheel.returncode == 0, wheel.stderr[-2000:]
    with zipfile.ZipFile(dist / wheel.stdout.strip().splitlines()[-1]) as whl:
        names = set(whl.namelist())
    for name in ("partnernet/visualisations/assets/vendor/vis-network.min.js",
                 "partnernet/visualisations/assets/vendor/countries-110m.json",
                 "partnernet/api/static/docs/swagger-ui-bundle.js",
                 "partnernet/api/static/docs/redoc.standalone.js"):
        assert name in names, name


def test_stores_and_their_results_files_are_ignored_not_committed():
    # a partnernet.db.results (16 KB of cached answers) had been committed at the top level
    if not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    assert [t for t in tracked if ".db" in Path(t).name] == []
    for name in ("partnernet.db", "partnernet.db.results", "partnernet.db.results-wal",
                 "out/report.pdf"):
        ignored = subprocess.run(["git", "check-ignore", "-q", "--no-index", name], cwd=ROOT)
        assert ignored.returncode == 0, f"{name} is not git-ignored"
