#!/usr/bin/env bash
# Build crates/silt-wasm into the npm package packages/silt (silt-lint):
#   packages/silt/node/  wasm-pack --target nodejs (CommonJS; what index.js and bin/silt.js load)
#   packages/silt/web/   wasm-pack --target web    (ES module; `import init from "silt-lint/web"`)
#
# Size matters for the browser:
#   - Rust: opt-level z, LTO and one codegen unit (the workspace release profile), panic=abort (Wasm
#     cannot unwind anyway). Env overrides, so the native CLI keeps its own release settings.
#   - wasm-opt -Oz, run here once (both targets get the same .wasm) with binaryen >= 116: the npm
#     package `binaryen` (root devDependency, `npm install`), else a wasm-opt on PATH if new enough.
#     Debian 12's binaryen 108 breaks wasm-bindgen's externref table, so it is never used.
# Tools: scripts/install-wasm-tools.sh (wasm-pack, wasm-bindgen-cli 0.2.130, wasm32 target).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"

for tool in wasm-pack wasm-bindgen; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: $tool is missing; run scripts/install-wasm-tools.sh" >&2
    exit 2
  fi
done

# A target folder of its own: the profile overrides below would otherwise fight the native builds
# for the same artifacts (and for cargo's lock).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target/wasm}"
export CARGO_PROFILE_RELEASE_OPT_LEVEL="${CARGO_PROFILE_RELEASE_OPT_LEVEL:-z}"
export CARGO_PROFILE_RELEASE_PANIC=abort
export CARGO_PROFILE_RELEASE_LTO=true
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1

pkg="$root/packages/silt"
for target in nodejs web; do
  case "$target" in
    nodejs) out="$pkg/node" ;;
    web) out="$pkg/web" ;;
  esac
  rm -rf "$out"
  wasm-pack --quiet build crates/silt-wasm --release --no-opt --target "$target" --out-dir "$out" --out-name silt --no-pack
  # wasm-pack's own package.json / .gitignore / README: the package is packages/silt.
  rm -f "$out/package.json" "$out/.gitignore" "$out/README.md" "$out"/LICENSE*
done
# The node build is CommonJS inside an ES module package.
echo '{ "type": "commonjs" }' > "$pkg/node/package.json"

if ! cmp -s "$pkg/node/silt_bg.wasm" "$pkg/web/silt_bg.wasm"; then
  echo "error: the nodejs and web builds produced different .wasm files" >&2
  exit 1
fi

# wasm-opt: the first one on PATH whose version is >= 116 (node_modules/.bin comes first).
opt=""
IFS=: read -ra dirs <<< "$PATH"
for d in "${dirs[@]}"; do
  if [ -x "$d/wasm-opt" ]; then
    v=$("$d/wasm-opt" --version 2>/dev/null | sed -n 's/.*version \([0-9]*\).*/\1/p')
    if [ -n "$v" ] && [ "$v" -ge 116 ]; then opt="$d/wasm-opt"; break; fi
  fi
done
wasm="$pkg/web/silt_bg.wasm"
before=$(wc -c < "$wasm")
if [ -n "$opt" ]; then
  echo "wasm-opt -Oz ($("$opt" --version)); the npm build of binaryen takes a minute or two"
  "$opt" -Oz --enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-reference-types --enable-multivalue \
    "$wasm" -o "$wasm.opt"
  mv "$wasm.opt" "$wasm"
else
  echo "warning: no wasm-opt >= 116 found (run npm install at the repository root); the .wasm is not optimised" >&2
fi

# One .wasm in the package: the node glue loads the web build's copy.
if grep -q '^const wasmPath = `${__dirname}/silt_bg.wasm`;$' "$pkg/node/silt.js"; then
  sed -i 's|^const wasmPath = `${__dirname}/silt_bg.wasm`;$|const wasmPath = `${__dirname}/../web/silt_bg.wasm`;|' "$pkg/node/silt.js"
  rm "$pkg/node/silt_bg.wasm"
fi

# Smoke test: the module loads and answers.
node -e "const s = require('$pkg/node/silt.js'); if (!s.version()) process.exit(1)"

raw=$(wc -c < "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
printf 'silt_bg.wasm: %s bytes raw (%s KiB), %s bytes gzip -9 (%s KiB); %s bytes before wasm-opt\n' \
  "$raw" "$((raw / 1024))" "$gz" "$((gz / 1024))" "$before"
