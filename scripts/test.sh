#!/usr/bin/env bash
# The one test command (README): installs everything a fresh machine needs, then runs every test.
#   bash scripts/test.sh
# Stages can be skipped for quick local runs: SILT_SKIP="web vscode fuzz bench" bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
skip=" ${SILT_SKIP:-} "
results=()
failed=0

stage() { # name command...
  local name=$1; shift
  if [[ "$skip" == *" $name "* ]]; then echo "=== $name: skipped (SILT_SKIP)"; return 0; fi
  echo "=== $name"
  local t0=$SECONDS log="$logs/$name.log" rc
  # The output goes to the terminal and to a log, whose end is printed again after the summary when the
  # stage fails: CI keeps the end of a run's output only, and the bench stages come last.
  rc=0; "$@" 2>&1 | tee "$log" || rc=${PIPESTATUS[0]}
  if [ "$rc" -eq 0 ]; then results+=("$name: ok ($((SECONDS - t0)) s)")
  else results+=("$name: FAILED ($((SECONDS - t0)) s)"); failed=$((failed + 1)); failures+=("$name"); fi
}
logs=$(mktemp -d "${TMPDIR:-/tmp}/silt-test.XXXXXX")
trap 'rm -rf "$logs"' EXIT
failures=()

# --- set-up (idempotent) ---------------------------------------------------------------------
apt_install() { # packages... (only when missing)
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then echo "need root to apt-get install ${missing[*]}" >&2; return 1; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}
setup() {
  apt_install chromium time
  if [ -x scripts/install-wasm-tools.sh ] || [ -f scripts/install-wasm-tools.sh ]; then bash scripts/install-wasm-tools.sh; fi
  if [ -f package.json ]; then
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
    # Microsoft's SARIF validator ships its binary without the execute bit.
    find node_modules/@microsoft -path '*sarif-multitool*' -name 'Sarif.Multitool' -exec chmod u+x {} + 2>/dev/null || true
  fi
}
stage setup setup

# --- tests ---------------------------------------------------------------------------------
# Snapshot tests (insta, tests/snapshots/*.snap) only compare here: a missing or changed snapshot fails
# and nothing is written. Review changes with `cargo insta review`, or accept them with
# `INSTA_UPDATE=always cargo test ...`, then commit the .snap files.
export INSTA_UPDATE=no
unset INSTA_FORCE_PASS
stage rust cargo test --workspace --exclude silt-wasm --no-fail-fast
# The committed TypeScript declarations (packages/silt/types.d.ts) match the Rust types.
stage types cargo test -p silt-wasm --features ts --test types
stage clippy cargo clippy --workspace --exclude silt-wasm --all-targets -q -- -D warnings
stage wasm-build npm run build:wasm
stage wasm-node npm run test:wasm
stage action node --test tests/action/
stage sf-plugin bash scripts/test-sf-plugin.sh
stage release node --test tests/release/
[ -f tests/sarif/validate.sh ] && stage sarif bash -c 'cargo run -q --release -p silt-cli -- lint examples/integration-gone-wrong --format sarif -o /tmp/silt-example.sarif --fail-on never && bash tests/sarif/validate.sh /tmp/silt-example.sarif'
[ -f tests/malformed/cli.test.sh ] && stage malformed bash tests/malformed/cli.test.sh
[ -f web/package.json ] && stage web npm run --workspace web test
[ -f editors/vscode/package.json ] && stage vscode npm run --workspace editors/vscode test
[ -f scripts/fuzz.sh ] && stage fuzz bash scripts/fuzz.sh --smoke
[ -f scripts/bench.sh ] && stage bench bash -c 'bash scripts/bench.sh small && bash scripts/bench-linear.sh'

for name in "${failures[@]}"; do
  echo
  echo "=== $name FAILED: the last 60 lines of its output"
  tail -n 60 "$logs/$name.log"
done

echo
echo "=== summary"
printf '%s\n' "${results[@]}"
passed=$(( ${#results[@]} - failed ))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
