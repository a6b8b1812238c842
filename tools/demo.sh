#!/usr/bin/env bash
# The main job on the embedded default store: install partnernet into .venv, then
# `partnernet demo` (reference graph + generated sample, analysis, view and report).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check -e .
exec .venv/bin/partnernet demo "$@"
