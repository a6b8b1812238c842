"""The wheel is what users get: the tests import it, and it holds every package and data file.

Expected values come from the repository itself: every folder with an ``__init__.py``
under the design card's top-level folders must be a package of the wheel, and every data
file the code reads must be installed.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

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
    assert listed - found == set(), "listed packages without an __init__.py"


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
