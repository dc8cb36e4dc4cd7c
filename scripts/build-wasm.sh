#!/usr/bin/env bash
# Build crates/silt-wasm into the npm package packages/silt (silt-lint), twice:
#   packages/silt/node/  wasm-pack --target nodejs (CommonJS; what index.js, bin/silt.js and the VS
#                        Code language server load)
#   packages/silt/web/   wasm-pack --target web (ES module; `import init from "silt-lint/web"`; the page
#                        and its worker)
# Both are built for speed: opt-level 3 (about twice as fast on big folders as opt-level z, for about
# 25 % more bytes), LTO, one codegen unit, panic=abort (Wasm cannot unwind anyway), Wasm SIMD (see
# `simd` below). Not run through binaryen's wasm-opt: in V8 (Node and Chromium) its -O2, -O3, -O4 and
# -Os each made silt's lint 10-20 % slower on the large benchmark, and -O1 gained nothing
# (bench/README.md); it saved 15 % of the raw bytes and 8 % gzipped, mostly the name section, which
# stays (a trap's stack names Rust functions). Not stripped by cargo either: without the
# `target_features` section wasm-bindgen cannot tell reference types are on. The settings are
# environment overrides, so the native CLI keeps its own release profile; each build has a target
# folder of its own so they do not rebuild each other (or fight the native builds for cargo's lock).
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

# Wasm SIMD (128-bit): memchr and quick-xml's scans and silt's newline counting vectorise; about 1.6x
# faster in Node on the large benchmark. Every current engine has it (Node 16.4+, Chrome 91+,
# Firefox 89+, Safari 16.4+).
simd="-C target-feature=+simd128"
export CARGO_PROFILE_RELEASE_PANIC=abort
export CARGO_PROFILE_RELEASE_LTO=true
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
export CARGO_PROFILE_RELEASE_OPT_LEVEL=3
pkg="$root/packages/silt"
target_base="${CARGO_TARGET_DIR:-$root/target}"

build() { # wasm-pack-target out-dir rustflags
  local target=$1 out=$2 flags=$3
  rm -rf "$out"
  RUSTFLAGS="$flags" CARGO_TARGET_DIR="$target_base/wasm-$target" \
    wasm-pack --quiet build crates/silt-wasm --release --no-opt --target "$target" --out-dir "$out" --out-name silt --no-pack
  # wasm-pack's own package.json / .gitignore / README: the package is packages/silt.
  rm -f "$out/package.json" "$out/.gitignore" "$out/README.md" "$out"/LICENSE*
  local wasm="$out/silt_bg.wasm" raw gz
  raw=$(wc -c < "$wasm")
  gz=$(gzip -9 -c "$wasm" | wc -c)
  printf '%s: %s bytes raw (%s KiB), %s bytes gzip -9 (%s KiB)\n' \
    "${out#"$root"/}/silt_bg.wasm" "$raw" "$((raw / 1024))" "$gz" "$((gz / 1024))"
}

# The TypeScript declarations of the report, rule metadata, file kinds and options
# (packages/silt/types.d.ts), generated from the Rust types; crates/silt-wasm/tests/types.rs fails
# when the committed file is stale.
SILT_WRITE_TYPES=1 cargo test -q -p silt-wasm --features ts --test types

build nodejs "$pkg/node" "$simd"
build web "$pkg/web" "$simd"
# The node build is CommonJS inside an ES module package.
echo '{ "type": "commonjs" }' > "$pkg/node/package.json"

# Smoke test: the module loads and answers.
node -e "const s = require('$pkg/node/silt.js'); if (!s.version()) process.exit(1)"

