#!/usr/bin/env bash
# Build partnernet's wheel and install it, not editable, into .venv (created if missing),
# with the extras given as arguments (e.g. `dev`). What users get is the wheel, so the wheel
# is what the demo runs and what the tests import.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
extras=""
if [ $# -gt 0 ]; then extras="[$(IFS=,; echo "$*")]"; fi
# the front-end files the wheel carries (npm ci against frontend/package-lock.json)
python3 tools/vendor_frontend.py
rm -rf build dist  # a stale build/ would put deleted modules back into the wheel
.venv/bin/pip wheel -q --disable-pip-version-check --no-deps -w dist . >/dev/null
wheel=$(ls dist/partnernet-*.whl)
.venv/bin/pip install -q --disable-pip-version-check "${wheel}${extras}"
# the same version number as an earlier install would be skipped: replace it explicitly
.venv/bin/pip install -q --disable-pip-version-check --force-reinstall --no-deps "$wheel"
rm -rf build
echo "installed $(basename "$wheel") into .venv${extras:+ with $extras}" >&2
