#!/usr/bin/env bash
# Installs what the real-client tests of `warta serve` (tests/serve.rs) need,
# and nothing when it is all there already:
#   - Debian's Chromium (/usr/bin/chromium), driven by tests/serve/browser.mjs
#     through playwright-core (which downloads no browser of its own);
#   - the Python SPARQL clients tests/serve/clients.py uses: SPARQLWrapper and
#     rdflib (its SPARQLStore), at the pinned versions below;
#   - playwright-core, exactly as tests/serve/package-lock.json pins it (npm ci).
# .ci/run calls it before `cargo test`; run it by hand before
# `cargo test --release --test serve` on a new machine. Needs root for apt.
set -euo pipefail
cd "$(dirname "$0")"

SPARQLWRAPPER_VERSION=2.0.0
RDFLIB_VERSION=7.6.0

export DEBIAN_FRONTEND=noninteractive
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -m pip --version >/dev/null 2>&1 || need+=(python3-pip)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# The Python clients, pinned; pip --user as .ci/run installs oxigraph
# (--break-system-packages where pip knows it: Debian 12+ marks its Python
# externally managed).
have_python_clients() {
  python3 - "$SPARQLWRAPPER_VERSION" "$RDFLIB_VERSION" <<'EOF' 2>/dev/null
import sys
import SPARQLWrapper, rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore  # noqa: F401
sys.exit(0 if (SPARQLWrapper.__version__, rdflib.__version__) == tuple(sys.argv[1:3]) else 1)
EOF
}
if ! have_python_clients; then
  brk=()
  python3 -m pip install --help 2>/dev/null | grep -q -- --break-system-packages && brk=(--break-system-packages)
  python3 -m pip install --quiet --user --no-warn-script-location "${brk[@]}" "SPARQLWrapper==$SPARQLWRAPPER_VERSION" "rdflib==$RDFLIB_VERSION" \
    || python3 -m pip install --quiet --no-warn-script-location "${brk[@]}" "SPARQLWrapper==$SPARQLWRAPPER_VERSION" "rdflib==$RDFLIB_VERSION"
  have_python_clients || { echo "tests/serve/setup.sh: SPARQLWrapper $SPARQLWRAPPER_VERSION / rdflib $RDFLIB_VERSION did not install" >&2; exit 1; }
fi

# playwright-core as the lock file pins it; npm ci only when node_modules does
# not hold that version already (npm ci always starts node_modules afresh).
want=$(node -p 'require("./package-lock.json").packages["node_modules/playwright-core"].version')
got=$(node -p 'try { require("./node_modules/playwright-core/package.json").version } catch (e) { "" }')
if [ "$want" != "$got" ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
echo "tests/serve/setup.sh: chromium $(/usr/bin/chromium --version 2>/dev/null | grep -o -E '[0-9]+(\.[0-9]+)+' | head -n 1)," \
  "SPARQLWrapper $SPARQLWRAPPER_VERSION, rdflib $RDFLIB_VERSION, playwright-core $want"
