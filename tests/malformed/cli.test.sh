#!/usr/bin/env bash
# Lint the malformed-input cases (tests/malformed/make-cases.sh) with the native CLI and the Node CLI
# (`--format json`) and check: exit code 1, a positioned parse-error on every bad file (a CLI
# parse-error for the unreadable file and the non-UTF-8 name), the valid files' findings at their
# positions, no hang (timeout 120 s each), and native and Node agreeing on every file both read.
#
#   tests/malformed/cli.test.sh [SILT_BIN] [NODE_CLI_JS]
#
# SILT_BIN defaults to target/release/silt (built when missing); NODE_CLI_JS to
# packages/silt/bin/silt.js (built with `npm run build:wasm` when missing and possible; else the Node
# half is skipped with a message). Prints `N passed, N failed`; exits 1 on any failure.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SILT=${1:-$REPO/target/release/silt}
NODE_JS=${2:-$REPO/packages/silt/bin/silt.js}
TIMEOUT=${SILT_MALFORMED_TIMEOUT:-120}
passed=0
failed=0
known=0
pass() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/silt-malformed.XXXXXX")
cleanup() { chmod -R u+rwX "$WORK" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
CASES=$WORK/cases
"$HERE/make-cases.sh" "$CASES" || { echo "make-cases.sh failed"; exit 2; }

# As root, chmod 000 does not make a file unreadable: run the CLIs as `nobody` when possible, that
# is when `nobody` can read both the cases and the checkout the CLIs run from (a clone inside a
# `mktemp -d` folder, mode 700, is closed to it).
RUN_AS=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
  chmod 755 "$WORK"
  RUN_AS=(setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups --)
  if "${RUN_AS[@]}" test -r "$CASES/.cases.json" && "${RUN_AS[@]}" test -r "$HERE/cli.test.sh"; then
    export SILT_CHECK_UNREADABLE=1
    echo "     running the CLIs as nobody (so the chmod 000 file is unreadable)"
  else
    RUN_AS=()
  fi
fi

# Check one CLI's JSON output against .cases.json; prints `ok ...`/`FAIL ...`/`skip ...` lines.
check_output() { # name json rc
  python3 - "$1" "$2" "$3" "$CASES/.cases.json" "$CASES" <<'PY'
import json, os, sys
name, out, rc, manifest, root = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
cases = json.load(open(manifest))
def ok(m): print(f"ok   {name}: {m}")
def fail(m): print(f"FAIL {name}: {m}")
def skip(m): print(f"skip {name}: {m}")
unreadable_testable = os.environ.get("SILT_CHECK_UNREADABLE") == "1"
if rc == 124:
    fail("timed out (hang)"); sys.exit()
(ok if rc == 1 else fail)(f"exit code {rc} (want 1: parse errors are errors)")
try:
    report = json.load(open(out, encoding="utf-8", errors="surrogateescape"))
except Exception as e:
    fail(f"output is not JSON: {e}"); sys.exit()
diags = report.get("diagnostics", [])
def pos(d): return d["range"]["start"]["line"], d["range"]["start"]["column"]
def where(d): return f'{d["file"]}:{pos(d)[0]}:{pos(d)[1]} {d["rule"]}: {d["message"][:120]}'
for c in cases:
    path, expect = c["path"], c["expect"]
    if c.get("known_bug"):
        ok = lambda m, c=c: print(f"ok   {name}: {m} (known bug fixed? drop known_bug in make-cases.sh)")
        fail = lambda m, c=c: print(f"xfail {name}: known bug: {c['known_bug']}: {m}")
    else:
        ok = lambda m: print(f"ok   {name}: {m}")
        fail = lambda m: print(f"FAIL {name}: {m}")
    mine = [d for d in diags if d["file"] == path]
    if expect == "parse-error":
        errs = [d for d in mine if d["rule"] == "parse-error"]
        if not errs:
            fail(f"{path}: no parse-error (got {[where(d) for d in mine]})"); continue
        e = errs[0]
        line, col = pos(e)
        want = (c.get("line", line), c.get("column", col))
        if line < 1 or col < 1 or (line, col) != want or len(e["message"]) < 10:
            fail(f"{path}: parse-error at {line}:{col} (want {want[0]}:{want[1]}): {e['message']}")
        else:
            ok(f"{path}: parse-error at {line}:{col}: {e['message'][:80]}")
    elif expect == "finding":
        if any(d["rule"] == "parse-error" for d in mine):
            fail(f"{path}: unexpected parse-error {[where(d) for d in mine if d['rule'] == 'parse-error']}"); continue
        hits = [d for d in mine if d["rule"] == c["rule"] and pos(d) == (c["line"], c["column"])]
        if c.get("message_contains"):
            hits = [d for d in hits if c["message_contains"] in d["message"]]
        if hits:
            ok(f"{path}: {c['rule']} at {c['line']}:{c['column']}")
        else:
            fail(f"{path}: want {c['rule']} at {c['line']}:{c['column']}, got {[where(d) for d in mine]}")
    elif expect == "cli-error":
        if c.get("unreadable") and not unreadable_testable and os.access(os.path.join(root, path), os.R_OK):
            skip(f"{path}: chmod 000 does not stop this user (root?) from reading it")
            continue
        prefix = c.get("prefix")
        errs = [d for d in diags if d["rule"] == "parse-error"
                and (d["file"] == path or (prefix and d["file"].startswith(prefix)))]
        if errs and all(pos(e)[0] >= 1 and pos(e)[1] >= 1 for e in errs):
            ok(f"{path}: CLI parse-error: {errs[0]['message'][:80]}")
        else:
            got = [where(d) for d in diags if d["file"].startswith(prefix or path)]
            fail(f"{path}: no positioned parse-error (got {got})")
    elif expect == "no-hang":
        twice = [d["file"] for d in diags if d["file"].startswith(path + "/")]
        (fail if twice else ok)(f"{path}: no hang; {len(twice)} files linted through it")
PY
}

# Diagnostics of the files both CLIs can read, one JSON line each, sorted.
comparable() { # json
  python3 - "$1" "$CASES/.cases.json" <<'PY'
import json, sys
cases = json.load(open(sys.argv[2]))
readable = {c["path"] for c in cases if c["expect"] in ("parse-error", "finding")}
report = json.load(open(sys.argv[1], encoding="utf-8", errors="surrogateescape"))
rows = [json.dumps({k: d.get(k) for k in ("file", "rule", "severity", "message", "range", "fingerprint")}, sort_keys=True)
        for d in report.get("diagnostics", []) if d["file"] in readable]
print("\n".join(sorted(rows)))
PY
}

run_cli() { # name json -- command...
  local name=$1 out=$2
  shift 3
  local start=$SECONDS
  (cd "$CASES" && timeout "$TIMEOUT" "${RUN_AS[@]}" "$@" lint . --format json >"$out" 2>"$out.stderr")
  local rc=$?
  echo "     $name: exit $rc in $((SECONDS - start)) s"
  while IFS= read -r line; do
    case $line in
      ok*) pass "${line#ok   }" ;;
      FAIL*) fail "${line#FAIL }" ;;
      xfail*) known=$((known + 1)); echo "$line" ;;
      *) echo "$line" ;;
    esac
  done < <(check_output "$name" "$out" "$rc")
  [ -s "$out.stderr" ] && sed -n '1,5s/^/     stderr: /p' "$out.stderr"
  return 0
}

# Native CLI.
have_native=0
if [ ! -x "$SILT" ] && [ $# -lt 1 ]; then
  echo "building the native CLI (cargo build --release -p silt-cli)"
  (cd "$REPO" && cargo build --release -p silt-cli >/dev/null 2>&1) || echo "skip native: cargo build failed"
fi
if [ -x "$SILT" ]; then
  have_native=1
  run_cli native "$WORK/native.json" -- "$SILT"
else
  echo "skip native: no silt binary at $SILT"
fi

# Node CLI.
have_node=0
if ! command -v node >/dev/null; then
  echo "skip node: node is not installed"
else
  if [ ! -f "$NODE_JS" ] && [ $# -lt 2 ] && [ -f "$REPO/package.json" ] && grep -q '"build:wasm"' "$REPO/package.json"; then
    echo "building the npm package (npm run build:wasm)"
    (cd "$REPO" && npm run build:wasm >/dev/null 2>&1) || echo "skip node: npm run build:wasm failed"
  fi
  if [ -f "$NODE_JS" ]; then
    have_node=1
    run_cli node "$WORK/node.json" -- node "$NODE_JS"
  else
    echo "skip node: no Node CLI at $NODE_JS (the npm package is not built yet)"
  fi
fi

if [ $have_native = 1 ] && [ $have_node = 1 ]; then
  if diff <(comparable "$WORK/native.json") <(comparable "$WORK/node.json") >"$WORK/parity.diff"; then
    pass "native and Node report the same diagnostics on the files both read"
  else
    fail "native and Node disagree:"
    head -40 "$WORK/parity.diff"
  fi
fi
[ $have_native = 0 ] && [ $have_node = 0 ] && fail "neither CLI is available"

[ $known -gt 0 ] && echo "$known known bugs (xfail: see crates/silt-core/tests/malformed.rs)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
