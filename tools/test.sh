#!/usr/bin/env bash
# The whole test suite on a fresh machine, Neo4j included.
# Installs what it needs: partnernet's wheel (built here, installed not editable) with its
# dev tools into .venv, Debian's Chromium/ChromeDriver/poppler/Pango when missing (as root),
# and the Neo4j 5.26 jars from Maven Central (cached in ~/.m2). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

./tools/install.sh dev

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian packages: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" fonts-dejavu-core >/dev/null
  else
    echo "missing ${need[*]}: install them (Debian: apt-get install ${need[*]})" >&2
    exit 1
  fi
fi

# Resolve the Neo4j jars and compile the launcher once (first run: a few minutes).
.venv/bin/python -c "from tools.neo4j_local import build_launcher; build_launcher()"

# The console script, not `python -m pytest`: the checkout is not put first on sys.path, so
# the tests import the installed wheel (tests/test_packaging.py checks that they do).
exec .venv/bin/pytest "$@"
