#!/usr/bin/env bash
# GitHub Action step 2 (action.yml): lint, with annotations on stdout (--format github), SARIF in a
# file (an output of the action, for github/codeql-action/upload-sarif) and the Markdown report in the
# job summary. The exit code is silt's: 1 on findings at or above fail-on, 2 on a usage error.
# Inputs (environment, never expanded by a shell): SILT_PATHS (space-separated), SILT_FAIL_ON,
# SILT_SARIF_FILE. SILT_MODE `diff` (or `auto` on a pull-request event) hands over to diff.sh.
set -uo pipefail
case "${SILT_MODE:-lint}" in
  lint) ;;
  diff) exec bash "$GITHUB_ACTION_PATH/scripts/action/diff.sh" ;;
  auto)
    case "${GITHUB_EVENT_NAME:-}" in
      pull_request | pull_request_target) exec bash "$GITHUB_ACTION_PATH/scripts/action/diff.sh" ;;
    esac ;;
  *)
    echo "::error::silt: unknown mode \`${SILT_MODE//[$'\r\n%']/ }\`; expected lint, diff or auto"
    exit 2 ;;
esac
read -r -a paths <<< "${SILT_PATHS:-}" # split on spaces only: no globbing, no expansion
[ ${#paths[@]} -gt 0 ] || paths=(.)
summary="$RUNNER_TEMP/silt-summary.md"
rm -f "$summary"
silt lint --format github \
  --format sarif -o "$SILT_SARIF_FILE" \
  --format markdown -o "$summary" \
  --fail-on "$SILT_FAIL_ON" \
  -- "${paths[@]}"
code=$?
if [ -f "$summary" ]; then cat "$summary" >> "$GITHUB_STEP_SUMMARY"; fi
delimiter="silt-$RANDOM$RANDOM$RANDOM"
printf 'sarif-file<<%s\n%s\n%s\n' "$delimiter" "$SILT_SARIF_FILE" "$delimiter" >> "$GITHUB_OUTPUT"
exit "$code"
