#!/usr/bin/env bash
# Validate a SARIF file with Microsoft's SARIF multitool (npm package @microsoft/sarif-multitool,
# installed by the repository's root package.json).
#
#   tests/sarif/validate.sh FILE.sarif [--strict] [--notes]
#
# Runs the SARIF rules and the GitHub ingestion rules (`--rule-kind Sarif;Gh`) and exits 1 if the
# validator reports any error-level result (with --strict, also any warning); 2 on usage or tool
# problems. --notes also prints note-level advice (missing help URIs, snippets, ...).
#
# Generate a file to check from the unit tests:
#   SILT_SARIF_OUT=/tmp/silt.sarif cargo test -p silt-core report_sarif_write_for_validator
#
# SARIF_MULTITOOL_DIR: directory whose node_modules holds the multitool (default: repository root).
set -euo pipefail

usage() { echo "usage: $0 FILE.sarif [--strict] [--notes]" >&2; exit 2; }
[ $# -ge 1 ] || usage
file=$1; shift
strict=0; levels="Error;Warning"
for a in "$@"; do
  case $a in
    --strict) strict=1 ;;
    --notes) levels="Error;Warning;Note" ;;
    *) usage ;;
  esac
done
[ -f "$file" ] || { echo "validate.sh: no such file: $file" >&2; exit 2; }
command -v npx >/dev/null || { echo "validate.sh: npx not found (install Node.js)" >&2; exit 2; }

abs="$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"
root="${SARIF_MULTITOOL_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
cd "$root"

if [ ! -e node_modules/.bin/sarif-multitool ]; then
  # Checked here: without a local install, npx would look the (unscoped) name up in the registry.
  echo "validate.sh: @microsoft/sarif-multitool is not installed in $root (run npm install there)" >&2
  exit 2
fi

# The platform package's postinstall (`chmod u+x Sarif.Multitool`) does not run when install scripts
# are disabled (npm allowScripts, --ignore-scripts): make the binary executable here.
for bin in node_modules/@microsoft/sarif-multitool*/Sarif.Multitool; do
  if [ -f "$bin" ] && [ ! -x "$bin" ]; then chmod u+x "$bin"; fi
done

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
out="$tmp/validation.sarif"

# The package's bin.js runs the binary through a shell (spawnSync with shell: true), so every argument
# must be quoted for sh once more: paths may contain spaces, and ';' separates list values.
q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

set +e
npx --no-install sarif-multitool validate "$(q "$abs")" --output "$(q "$out")" \
  --level "$(q "$levels")" --rule-kind "$(q "Sarif;Gh")"
status=$?
set -e
if [ ! -s "$out" ]; then
  echo "validate.sh: the validator wrote no log (exit $status); is @microsoft/sarif-multitool installed in $root?" >&2
  exit 2
fi

# The multitool exits 0 even when it finds errors: count them in its own SARIF log.
node - "$out" "$strict" <<'JS'
const fs = require("fs");
const [, , path, strict] = process.argv;
const log = JSON.parse(fs.readFileSync(path, "utf8").replace(/^\uFEFF/, ""));
const counts = { error: 0, warning: 0, note: 0, none: 0 };
for (const run of log.runs || []) {
  for (const r of run.results || []) counts[r.level || "warning"] = (counts[r.level || "warning"] || 0) + 1;
  for (const inv of run.invocations || []) {
    for (const n of [...(inv.toolExecutionNotifications || []), ...(inv.toolConfigurationNotifications || [])]) {
      if ((n.level || "warning") === "error") {
        counts.error++;
        console.error(`tool error: ${(n.message && n.message.text) || JSON.stringify(n)}`);
      }
    }
  }
}
console.log(`SARIF validation: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.note} note(s)`);
process.exit(counts.error > 0 || (strict === "1" && counts.warning > 0) ? 1 : 0);
JS
