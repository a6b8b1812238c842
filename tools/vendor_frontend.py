"""Copy the front-end files partnernet serves into the package (run before the wheel is built).

The packages come from the npm registry, pinned with integrity hashes in
``frontend/package-lock.json`` (``npm ci`` checks them). Only the files listed here are
copied, into git-ignored package-data folders:

- ``visualisations/assets/vendor/``: vis-network (graph drawing), d3-array + d3-geo
  (map projection), topojson-client and world-atlas' 110m land and country outlines
  (the offline world map); inlined into views and served to the explorer.
- ``api/static/docs/``: swagger-ui-dist 5 (reads OpenAPI 3.1) and redoc's standalone bundle.

    python tools/vendor_frontend.py          # npm ci (if needed) then copy
    python tools/vendor_frontend.py --check  # fail if a vendored file is missing
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRONTEND = ROOT / "frontend"
MODULES = FRONTEND / "node_modules"

#: (package, file inside it, destination relative to the repository)
FILES = [
    ("vis-network", "standalone/umd/vis-network.min.js", "visualisations/assets/vendor"),
    ("vis-network", "LICENSE-MIT", "visualisations/assets/vendor/licenses/vis-network"),
    ("d3-array", "dist/d3-array.min.js", "visualisations/assets/vendor"),
    ("d3-array", "LICENSE", "visualisations/assets/vendor/licenses/d3-array"),
    ("d3-geo", "dist/d3-geo.min.js", "visualisations/assets/vendor"),
    ("d3-geo", "LICENSE", "visualisations/assets/vendor/licenses/d3-geo"),
    ("topojson-client", "dist/topojson-client.min.js", "visualisations/assets/vendor"),
    ("topojson-client", "LICENSE", "visualisations/assets/vendor/licenses/topojson-client"),
    ("world-atlas", "land-110m.json", "visualisations/assets/vendor"),
    ("world-atlas", "countries-110m.json", "visualisations/assets/vendor"),
    ("world-atlas", "LICENSE", "visualisations/assets/vendor/licenses/world-atlas"),
    ("swagger-ui-dist", "swagger-ui-bundle.js", "api/static/docs"),
    ("swagger-ui-dist", "swagger-ui.css", "api/static/docs"),
    ("swagger-ui-dist", "favicon-32x32.png", "api/static/docs"),
    ("swagger-ui-dist", "LICENSE", "api/static/docs/licenses/swagger-ui-dist"),
    ("redoc", "bundles/redoc.standalone.js", "api/static/docs"),
    ("redoc", "LICENSE", "api/static/docs/licenses/redoc"),
]

#: Rewrites of vendored files so that nothing reaches for the internet: (file, text, new).
#: Each text must occur exactly once (a new package version that changes it fails here).
PATCHES = [
    # ReDoc's footer loads its logo from Redocly's CDN: an empty inline image instead
    ("api/static/docs/redoc.standalone.js", 'src:"https://cdn.redoc.ly/redoc/logo-mini.svg"',
     'src:"data:image/svg+xml,%3Csvg xmlns=\'http://www.w3.org/2000/svg\' width=\'1\' '
     'height=\'1\'/%3E"'),
]


def _npm_ci() -> None:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("vendor_frontend: npm is needed to fetch the front-end packages "
                 "(Node 20: apt-get install nodejs npm)")
    subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=FRONTEND,
                   check=True)


def _installed_matches_lock() -> bool:
    lock = json.loads((FRONTEND / "package-lock.json").read_text("utf-8"))
    for pkg in {p for p, _, _ in FILES}:
        meta = MODULES / pkg / "package.json"
        want = lock["packages"].get(f"node_modules/{pkg}", {}).get("version")
        if not meta.exists() or json.loads(meta.read_text("utf-8"))["version"] != want:
            return False
    return True


def copy() -> list[Path]:
    out = []
    for pkg, name, dest in FILES:
        src = MODULES / pkg / name
        target_dir = ROOT / dest
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / Path(name).name
        shutil.copyfile(src, target)
        out.append(target)
    for rel, old, new in PATCHES:
        path = ROOT / rel
        text = path.read_text("utf-8")
        if text.count(old) != 1:
            sys.exit(f"vendor_frontend: {rel}: expected {old!r} once, found it "
                     f"{text.count(old)} times (package changed? review PATCHES)")
        path.write_text(text.replace(old, new), encoding="utf-8")
    versions = {p: json.loads((MODULES / p / "package.json").read_text("utf-8"))["version"]
                for p in sorted({p for p, _, _ in FILES})}
    for folder in ("visualisations/assets/vendor", "api/static/docs"):
        (ROOT / folder / "versions.json").write_text(json.dumps(versions, indent=1) + "\n",
                                                     encoding="utf-8")
    return out


def missing() -> list[str]:
    return [f"{dest}/{Path(name).name}" for _, name, dest in FILES
            if not (ROOT / dest / Path(name).name).exists()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only check the vendored files")
    args = ap.parse_args()
    if args.check:
        gone = missing()
        if gone:
            sys.exit("vendor_frontend: missing " + ", ".join(gone)
                     + " (run python tools/vendor_frontend.py)")
        return
    if not _installed_matches_lock():
        _npm_ci()
    files = copy()
    print(f"vendored {len(files)} front-end files", file=sys.stderr)


if __name__ == "__main__":
    main()
