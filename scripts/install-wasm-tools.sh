#!/usr/bin/env bash
# Install what scripts/build-wasm.sh needs. Idempotent: each tool is installed only when missing or at
# the wrong version.
#   - the wasm32-unknown-unknown Rust target
#   - wasm-pack (drives cargo + wasm-bindgen + wasm-opt)
#   - wasm-bindgen-cli, pinned to the version crates/silt-wasm pins (the JS glue must match it)
#   - binaryen's wasm-opt from Debian (wasm-pack would otherwise try to download binaryen, which fails
#     where only package registries are reachable)
set -euo pipefail

WASM_BINDGEN_VERSION=0.2.130
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

if ! command -v wasm-pack >/dev/null 2>&1; then
  cargo install wasm-pack
fi

if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  cargo install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! command -v wasm-opt >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    if ! apt-get install -y --no-install-recommends binaryen; then
      apt-get update
      apt-get install -y --no-install-recommends binaryen
    fi
  else
    echo "warning: wasm-opt (binaryen) is missing and this is not a root Debian shell; install binaryen yourself" >&2
  fi
fi

echo "wasm tools ready: $(wasm-pack --version), $(wasm-bindgen --version), wasm-opt $(wasm-opt --version 2>/dev/null || echo missing)"
