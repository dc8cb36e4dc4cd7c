#!/usr/bin/env bash
# Build crates/silt-wasm into the npm package packages/silt (silt-lint), twice:
#   packages/silt/node/  wasm-pack --target nodejs (CommonJS; what index.js, bin/silt.js and the VS
#                        Code language server load), built for speed: opt-level 3, wasm-opt -O3.
#   packages/silt/web/   wasm-pack --target web (ES module; `import init from "silt-lint/web"`; the page
#                        and its worker), also built for speed: opt-level 3, wasm-opt -O3. About 25 %
#                        more bytes than opt-level z / -Oz, and about twice as fast on big folders.
# Both: Wasm SIMD (see `simd` below).
# Both: LTO, one codegen unit, panic=abort (Wasm cannot unwind anyway). The settings are environment
# overrides, so the native CLI keeps its own release profile; each build has a target folder of its
# own so they do not rebuild each other (or fight the native builds for cargo's lock).
# wasm-opt must be binaryen >= 116: the npm package `binaryen` (root devDependency, `npm install`),
# else a wasm-opt on PATH if new enough. Debian 12's binaryen 108 breaks wasm-bindgen's externref
# table, so it is never used.
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

# wasm-opt: the first one on PATH whose version is >= 116 (node_modules/.bin comes first).
opt=""
IFS=: read -ra dirs <<< "$PATH"
for d in "${dirs[@]}"; do
  if [ -x "$d/wasm-opt" ]; then
    v=$("$d/wasm-opt" --version 2>/dev/null | sed -n 's/.*version \([0-9]*\).*/\1/p')
    if [ -n "$v" ] && [ "$v" -ge 116 ]; then opt="$d/wasm-opt"; break; fi
  fi
done
[ -n "$opt" ] || echo "warning: no wasm-opt >= 116 found (run npm install at the repository root); the .wasm is not optimised" >&2

# Wasm SIMD (128-bit): memchr and quick-xml's scans and silt's newline counting vectorise; about 1.6x
# faster in Node on the large benchmark. Every current engine has it (Node 16.4+, Chrome 91+,
# Firefox 89+, Safari 16.4+).
simd="-C target-feature=+simd128"
export CARGO_PROFILE_RELEASE_PANIC=abort
export CARGO_PROFILE_RELEASE_LTO=true
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
pkg="$root/packages/silt"
target_base="${CARGO_TARGET_DIR:-$root/target}"

build() { # wasm-pack-target out-dir cargo-opt-level wasm-opt-level [rustflags]
  local target=$1 out=$2 level=$3 olevel=$4 flags=${5:-}
  rm -rf "$out"
  RUSTFLAGS="$flags" CARGO_TARGET_DIR="$target_base/wasm-$target" CARGO_PROFILE_RELEASE_OPT_LEVEL="$level" \
    wasm-pack --quiet build crates/silt-wasm --release --no-opt --target "$target" --out-dir "$out" --out-name silt --no-pack
  # wasm-pack's own package.json / .gitignore / README: the package is packages/silt.
  rm -f "$out/package.json" "$out/.gitignore" "$out/README.md" "$out"/LICENSE*
  local wasm="$out/silt_bg.wasm" before raw gz
  before=$(wc -c < "$wasm")
  if [ -n "$opt" ]; then
    "$opt" "$olevel" --enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int \
      --enable-sign-ext --enable-reference-types --enable-multivalue --enable-simd "$wasm" -o "$wasm.opt"
    mv "$wasm.opt" "$wasm"
  fi
  raw=$(wc -c < "$wasm")
  gz=$(gzip -9 -c "$wasm" | wc -c)
  printf '%s: %s bytes raw (%s KiB), %s bytes gzip -9 (%s KiB); %s bytes before wasm-opt %s\n' \
    "${out#"$root"/}/silt_bg.wasm" "$raw" "$((raw / 1024))" "$gz" "$((gz / 1024))" "$before" "$olevel"
}

# The TypeScript declarations of the report, rule metadata, file kinds and options
# (packages/silt/types.d.ts), generated from the Rust types; crates/silt-wasm/tests/types.rs fails
# when the committed file is stale.
SILT_WRITE_TYPES=1 cargo test -q -p silt-wasm --features ts --test types

[ -n "$opt" ] && echo "wasm-opt: $("$opt" --version); the npm build of binaryen takes a minute or two per module"
build nodejs "$pkg/node" 3 -O3 "$simd"
build web "$pkg/web" 3 -O3 "$simd"
# The node build is CommonJS inside an ES module package.
echo '{ "type": "commonjs" }' > "$pkg/node/package.json"

# Smoke test: the module loads and answers.
node -e "const s = require('$pkg/node/silt.js'); if (!s.version()) process.exit(1)"

