#!/usr/bin/env bash
# Install what scripts/build-wasm.sh needs. Idempotent: each tool is installed only when missing or at
# the wrong version.
#   - the wasm32-unknown-unknown Rust target
#   - wasm-pack (drives cargo + wasm-bindgen; told not to run wasm-opt)
#   - wasm-bindgen-cli, pinned to the version crates/silt-wasm pins (the JS glue must match it)
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

echo "wasm tools ready: $(wasm-pack --version), $(wasm-bindgen --version)"
