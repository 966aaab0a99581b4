#!/usr/bin/env bash
# Vendor the browser libraries that `warta serve` embeds (include_bytes) and
# serves under /assets/vendor/: YASGUI (the SPARQL editor) and Cytoscape.js
# (the entity graph). The output is committed, so building and CI never need npm.
#
# Usage, from anywhere in the repository (needs node + npm and the npm registry):
#
#     scripts/vendor-assets.sh            # fetch the pinned versions, rewrite assets/vendor/
#     scripts/vendor-assets.sh --verify   # no network: check the vendored files against VERSIONS
#
# Writes crates/warta-serve/assets/vendor/:
#     yasgui.min.js, yasgui.min.css   from @zazuko/yasgui   (build/)
#     cytoscape.min.js                from cytoscape        (dist/)
#     LICENSES/<package>.LICENSE      each package's licence; yasgui-bundled.LICENSE
#                                     gathers the licences of the code yasgui.min.js bundles
#     VERSIONS                        package@version per line, then where each file came from
#
# To upgrade: change a version below, clear its integrity (the script then
# prints the registry's value to pin), run, look at the diff, test the pages.
#
# @zazuko/yasgui is the maintained fork of @triply/yasgui; its build uses the
# prefixes bundled at build time (prefixCcApi: null) instead of fetching
# prefix.cc, so the editor works offline. assets/editor.js turns off the two
# autocompleters that still query a remote service (classes, properties: LOV).
set -euo pipefail

# name, version, tarball integrity (sha512 from the registry), files "src:dest" (src relative to the package).
YASGUI_PKG=@zazuko/yasgui
YASGUI_VERSION=4.6.2
YASGUI_INTEGRITY=sha512-Zw45KdPoAE1KRaAoxIHdQqeJxvaVG1oQdntw0hy0ktX35Zu8ZccuOLrXCLwR+GU+0xMzLw8Mjw6BkSZV2vUuQw==
YASGUI_FILES=(build/yasgui.min.js:yasgui.min.js build/yasgui.min.css:yasgui.min.css)

CYTOSCAPE_PKG=cytoscape
CYTOSCAPE_VERSION=3.35.0
CYTOSCAPE_INTEGRITY=sha512-sMvBIXiGMnhkCaWz2R06FwF/27MNlS+Tqvi17foO9UhnUg3XGZccKjxsvEqQFAQYMSSZmN5SxYzUYlQ0DOJJ3g==
CYTOSCAPE_FILES=(dist/cytoscape.min.js:cytoscape.min.js)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEST="$ROOT/crates/warta-serve/assets/vendor"
export LC_ALL=C

die() { echo "vendor-assets: $*" >&2; exit 1; }

# --verify: every "file <- source sha256:HEX" line of VERSIONS must match the file.
if [ "${1:-}" = "--verify" ]; then
  [ -f "$DEST/VERSIONS" ] || die "no $DEST/VERSIONS; run scripts/vendor-assets.sh"
  bad=0 n=0
  while read -r file arrow rest; do
    [ "$arrow" = "<-" ] || continue
    n=$((n + 1))
    want=$(echo "$rest" | grep -o -E 'sha256:[0-9a-f]{64}' | head -n 1 | cut -d: -f2 || true)
    got=$(sha256sum "$DEST/$file" 2>/dev/null | cut -d' ' -f1 || true)
    if [ "$got" != "$want" ]; then echo "vendor-assets: $file: sha256 ${got:-missing}, VERSIONS says $want" >&2; bad=1; fi
  done < "$DEST/VERSIONS"
  [ "$n" -gt 0 ] || die "VERSIONS lists no files"
  [ "$bad" = 0 ] || exit 1
  echo "vendor-assets: $n vendored files match VERSIONS"
  exit 0
fi
[ $# -eq 0 ] || die "usage: scripts/vendor-assets.sh [--verify]"

command -v npm >/dev/null || die "npm not found (apt-get install npm)"
command -v node >/dev/null || die "node not found"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/warta-vendor.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
OUT="$TMP/out"
mkdir -p "$OUT/LICENSES"

# install PKG VERSION INTEGRITY: npm install into its own prefix (so the
# dependency tree, and with it the licence list, is that package's alone),
# without running any package scripts; check the tarball's integrity.
# Sets PREFIX.
install() {
  local pkg=$1 version=$2 integrity=$3 got
  PREFIX="$TMP/$(echo "$pkg" | tr '@/' '__')"
  mkdir -p "$PREFIX"
  echo "vendor-assets: npm install $pkg@$version" >&2
  npm install --prefix "$PREFIX" --ignore-scripts --no-audit --no-fund \
    --loglevel=error "$pkg@$version" >&2
  got=$(node -e '
    const lock = require(process.argv[1]);
    const e = (lock.packages || {})["node_modules/" + process.argv[2]];
    if (!e) process.exit(1);
    if (e.version !== process.argv[3]) { console.error("installed " + e.version); process.exit(1); }
    process.stdout.write(e.integrity || "");
  ' "$PREFIX/package-lock.json" "$pkg" "$version") || die "$pkg@$version did not install as asked"
  if [ -z "$integrity" ]; then
    echo "vendor-assets: $pkg@$version has integrity $got; pin it in this script" >&2
  elif [ "$got" != "$integrity" ]; then
    die "$pkg@$version: integrity $got, expected $integrity"
  fi
}

# licence_file DIR: the package's own licence file, if it ships one.
licence_file() {
  find "$1" -maxdepth 1 -type f \( -iname 'licen[cs]e' -o -iname 'licen[cs]e.*' -o -iname 'copying' \) \
    | sort | { grep -v -i -E '\.(m?js|ts)$' || true; } | head -n 1
}

# pkg_field DIR FIELD: a package.json field as text (licence objects and arrays flattened).
pkg_field() {
  node -e '
    const p = require(process.argv[1] + "/package.json");
    let v = p[process.argv[2]];
    if (v === undefined && process.argv[2] === "license" && p.licenses) v = p.licenses;
    if (Array.isArray(v)) v = v.map((x) => (x && x.type) || x).join(" OR ");
    else if (v && typeof v === "object") v = v.type || JSON.stringify(v);
    process.stdout.write(v === undefined ? "UNKNOWN" : String(v));
  ' "$1" "$2"
}

VERSIONS_PKGS=()
VERSIONS_FILES=()

# vendor SHORT PKG VERSION INTEGRITY SRC:DEST...: install, copy the files and
# the package's licence file. Sets PREFIX, and NO_LICENCE=1 if the package ships none.
vendor() {
  local short=$1 pkg=$2 version=$3 integrity=$4
  shift 4
  local dir spec src dst lic note
  install "$pkg" "$version" "$integrity"
  dir="$PREFIX/node_modules/$pkg"
  VERSIONS_PKGS+=("$pkg@$version $(pkg_field "$dir" license) ${integrity:-unpinned}")
  for spec in "$@"; do
    src=${spec%%:*} dst=${spec#*:} note=""
    [ -f "$dir/$src" ] || die "$pkg@$version has no $src"
    if grep -q -E '^//# sourceMappingURL=' "$dir/$src"; then
      # The .map is not vendored: drop the pointer to it, so a browser's
      # developer tools do not ask the server for a file it does not have.
      grep -v -E '^//# sourceMappingURL=' "$dir/$src" > "$OUT/$dst"
      note=" (sourceMappingURL comment removed)"
    elif grep -q -E '/\*# sourceMappingURL=[^*]*\*/' "$dir/$src"; then
      sed -E 's@/\*# sourceMappingURL=[^*]*\*/@@' "$dir/$src" > "$OUT/$dst"
      note=" (sourceMappingURL comment removed)"
    else
      cp "$dir/$src" "$OUT/$dst"
    fi
    VERSIONS_FILES+=("$dst <- $pkg@$version/$src sha256:$(sha256sum "$OUT/$dst" | cut -d' ' -f1)$note")
  done
  lic=$(licence_file "$dir")
  NO_LICENCE=0
  if [ -z "$lic" ]; then NO_LICENCE=1; return 0; fi
  cp "$lic" "$OUT/LICENSES/$short.LICENSE"
  VERSIONS_FILES+=("LICENSES/$short.LICENSE <- $pkg@$version/$(basename "$lic") sha256:$(sha256sum "$OUT/LICENSES/$short.LICENSE" | cut -d' ' -f1)")
}

# The @zazuko/yasgui tarball ships no licence file; its package.json says MIT and
# its repository (github.com/rdfjs/Yasgui, LICENSE) holds the plain MIT text below.
yasgui_licence_fallback() {
  cat <<'EOF'
@zazuko/yasgui: package.json "license": "MIT"; author Triply <info@triply.cc>,
contributors Zazuko GmbH. The npm package ships no licence file; this is the
LICENSE file of its repository, https://github.com/rdfjs/Yasgui.

The MIT License (MIT)

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.
EOF
}

# --- YASGUI -------------------------------------------------------------------
vendor yasgui "$YASGUI_PKG" "$YASGUI_VERSION" "$YASGUI_INTEGRITY" "${YASGUI_FILES[@]}"
if [ "$NO_LICENCE" = 1 ]; then
  yasgui_licence_fallback > "$OUT/LICENSES/yasgui.LICENSE"
  VERSIONS_FILES+=("LICENSES/yasgui.LICENSE <- https://github.com/rdfjs/Yasgui/blob/main/LICENSE sha256:$(sha256sum "$OUT/LICENSES/yasgui.LICENSE" | cut -d' ' -f1) (the package ships none; text kept in scripts/vendor-assets.sh)")
fi
YASGUI_PREFIX=$PREFIX

# yasgui.min.js is a bundle: CodeMirror, jQuery, DataTables, lodash, DOMPurify, ...
# Gather the licences of the packages in @zazuko/yasgui's dependency tree.
{
  echo "Third-party code bundled in yasgui.min.js ($YASGUI_PKG@$YASGUI_VERSION)."
  echo "The licences of the packages in its npm dependency tree when scripts/vendor-assets.sh"
  echo "ran (the bundle was built upstream; versions there may differ slightly)."
  echo "The @zazuko/yasgui, yasqe, yasr and yasgui-utils packages are MIT (see yasgui.LICENSE)."
  (cd "$YASGUI_PREFIX/node_modules" && find . -name package.json -not -path '*/node_modules/*/node_modules/*' \
     -mindepth 2 -maxdepth 3 | sed 's@^\./@@; s@/package\.json$@@' | sort) | while read -r p; do
    case "$p" in @zazuko/*|@types/*) continue ;; esac
    d="$YASGUI_PREFIX/node_modules/$p"
    name=$(pkg_field "$d" name)
    [ "$name" = "$p" ] || continue # a nested package.json (e.g. an "esm" folder), not a package
    echo
    echo "================================================================================"
    echo "$name@$(pkg_field "$d" version)  license: $(pkg_field "$d" license)"
    echo "================================================================================"
    lic=$(licence_file "$d")
    if [ -n "$lic" ]; then cat "$lic"; else echo "(the package ships no licence file)"; fi
  done
} > "$OUT/LICENSES/yasgui-bundled.LICENSE"
VERSIONS_FILES+=("LICENSES/yasgui-bundled.LICENSE <- dependency-tree-of:$YASGUI_PKG@$YASGUI_VERSION sha256:$(sha256sum "$OUT/LICENSES/yasgui-bundled.LICENSE" | cut -d' ' -f1)")

# --- Cytoscape.js -------------------------------------------------------------
vendor cytoscape "$CYTOSCAPE_PKG" "$CYTOSCAPE_VERSION" "$CYTOSCAPE_INTEGRITY" "${CYTOSCAPE_FILES[@]}"
[ "$NO_LICENCE" = 0 ] || die "$CYTOSCAPE_PKG@$CYTOSCAPE_VERSION ships no licence file"

# --- VERSIONS -----------------------------------------------------------------
{
  echo "# Written by scripts/vendor-assets.sh; check with scripts/vendor-assets.sh --verify. Do not edit."
  echo "# package@version licence tarball-integrity"
  printf '%s\n' "${VERSIONS_PKGS[@]}"
  echo
  echo "# file <- source sha256 [note]"
  printf '%s\n' "${VERSIONS_FILES[@]}"
} > "$OUT/VERSIONS"

rm -rf "$DEST"
mkdir -p "$(dirname "$DEST")"
cp -R "$OUT" "$DEST"
echo "vendor-assets: wrote $DEST:" >&2
(cd "$DEST" && find . -type f | sort | xargs ls -l | awk '{printf "  %9d  %s\n", $5, $9}') >&2
