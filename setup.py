"""Build hook: every wheel and sdist carries the front-end files the explorer, views and docs need.

The metadata is in ``pyproject.toml``; this file only makes ``python -m build``,
``pip install .`` and ``pip wheel .`` from a fresh clone vendor the front-end packages
(``tools/vendor_frontend.py``: ``npm ci`` against ``frontend/package-lock.json``, then a copy
into git-ignored package-data folders) before the package files are collected. Without it
the wheel silently lacked vis-network, the world outline and Swagger UI, and ``partnernet
demo`` stopped at its view. A build from an sdist (which holds the vendored files) needs no
npm; a build that would still lack them stops with the command to run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
TOOL = ROOT / "tools" / "vendor_frontend.py"
#: one file of each vendored folder: present means the vendoring ran
MARKERS = ("visualisations/assets/vendor/vis-network.min.js",
           "api/static/docs/swagger-ui-bundle.js")


def _vendor_frontend() -> None:
    if TOOL.exists():
        check = subprocess.run([sys.executable, str(TOOL), "--check"], capture_output=True)
        if check.returncode != 0:
            subprocess.run([sys.executable, str(TOOL)], check=True)
    gone = [m for m in MARKERS if not (ROOT / m).is_file()]
    if gone:
        raise SystemExit("partnernet build: the front-end files are missing ("
                         + ", ".join(gone) + "): run python tools/vendor_frontend.py "
                         "in a checkout (needs npm) before building")


class BuildPy(build_py):
    def run(self) -> None:
        _vendor_frontend()
        super().run()


class Sdist(sdist):
    def run(self) -> None:
        _vendor_frontend()
        super().run()


setup(cmdclass={"build_py": BuildPy, "sdist": Sdist})
