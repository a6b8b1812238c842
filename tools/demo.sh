#!/usr/bin/env bash
# The main job on the embedded store: build and install partnernet's wheel into .venv,
# then `partnernet demo` (reference graph + generated sample, analysis, view and report).
set -euo pipefail
cd "$(dirname "$0")/.."
./tools/install.sh
exec .venv/bin/partnernet demo "$@"
