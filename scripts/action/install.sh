#!/usr/bin/env bash
# GitHub Action step 1 (action.yml): install silt from npm — the package silt-lint, silt compiled to
# WebAssembly — with the runner's own node. No Rust toolchain, no build.
# Input (environment): SILT_VERSION: a silt-lint version (default: this action's own,
# packages/silt/package.json at the action's ref) or any npm package spec (e.g. a tarball path).
set -euo pipefail
version=${SILT_VERSION:-$(node -p 'require(process.argv[1]).version' "$GITHUB_ACTION_PATH/packages/silt/package.json")}
case "$version" in
  [0-9]*) spec="silt-lint@$version" ;;
  *) spec="$version" ;;
esac
prefix="$RUNNER_TEMP/silt-lint"
npm install --prefix "$prefix" --no-save --no-audit --no-fund --no-package-lock --loglevel=error -- "$spec"
"$prefix/node_modules/.bin/silt" --version
echo "$prefix/node_modules/.bin" >> "$GITHUB_PATH"
