#!/usr/bin/env bash
# GitHub Action, diff mode (lint.sh hands over here): review a pull request. `silt diff BASE` compares
# the base commit with the checked-out tree: effective access added and removed per user, connected app
# changes, integration seats and cost before and after, findings introduced and fixed. Annotations on
# stdout (--format github), the Markdown report in the job summary and in ONE pull-request comment
# (comment.mjs: created once, then updated). The exit code is silt's: 1 on introduced findings at or
# above fail-on, 2 on a usage error (e.g. a base that cannot be found); the comment never changes it.
# Inputs (environment, never expanded by a shell): SILT_BASE (default: the pull request's base commit
# from the event at GITHUB_EVENT_PATH), SILT_PATHS (one project folder, default .), SILT_FAIL_ON,
# SILT_COMMENT (true | false), SILT_GITHUB_TOKEN.
set -uo pipefail
here="$GITHUB_ACTION_PATH/scripts/action"

# A workflow command's message: `%`, CR and LF escaped.
escape() { local s=${1//%/%25}; s=${s//$'\r'/%0D}; printf '%s' "${s//$'\n'/%0A}"; }

# A field of the event (`pull_request.base.sha`), empty when there is no event or no such field.
event() {
  [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ] || return 0
  node -e '
    let v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const k of process.argv[2].split(".")) v = v == null ? undefined : v[k];
    if (typeof v === "string" || typeof v === "number") process.stdout.write(String(v));
  ' "$GITHUB_EVENT_PATH" "$1"
}

# The token goes to comment.mjs only (not to git or silt).
token=${SILT_GITHUB_TOKEN:-}
unset SILT_GITHUB_TOKEN

case "${SILT_COMMENT:-true}" in
  true | false) ;;
  *) echo "::error::silt: input comment must be true or false, not \`$(escape "$SILT_COMMENT")\`"; exit 2 ;;
esac
read -r -a paths <<< "${SILT_PATHS:-}" # split on spaces only: no globbing, no expansion
project=()
if [ ${#paths[@]} -gt 1 ]; then
  echo "::error::silt: diff mode compares one project: give one folder as paths, not $(escape "${SILT_PATHS}")"
  exit 2
elif [ ${#paths[@]} -eq 1 ] && [ "${paths[0]}" != . ]; then
  project=(--project "${paths[0]}")
fi
base=${SILT_BASE:-$(event pull_request.base.sha)}
number=$(event pull_request.number)
if [ -z "$base" ]; then
  echo "::error::silt: diff mode needs a base revision: run it on a pull_request event or set the input base"
  exit 2
fi
if [[ "$base" == -* ]]; then
  echo "::error::silt: the base revision \`$(escape "$base")\` starts with -"
  exit 2
fi

# actions/checkout fetches only the commit it checks out: fetch the base commit if it is missing
# (`fetch-depth: 0` makes this a no-op).
if ! git rev-parse --quiet --verify "$base^{commit}" > /dev/null 2>&1 && [[ "$base" != *:* ]]; then
  echo "silt: fetching the base $base from origin" >&2
  if git fetch --no-tags --quiet --depth=1 origin "$base"; then
    git rev-parse --quiet --verify "$base^{commit}" > /dev/null 2>&1 || base=$(git rev-parse FETCH_HEAD)
  else
    echo "::warning title=silt::$(escape "could not fetch the base $base from origin; use actions/checkout with fetch-depth: 0")"
  fi
fi

summary="$RUNNER_TEMP/silt-diff.md"
rm -f "$summary"
silt diff --format github \
  --format markdown -o "$summary" \
  "${project[@]}" \
  --fail-on "$SILT_FAIL_ON" \
  -- "$base"
code=$?
if [ -f "$summary" ]; then
  cat "$summary" >> "$GITHUB_STEP_SUMMARY"
  if [ "${SILT_COMMENT:-true}" = true ]; then
    if [ -n "$number" ]; then
      SILT_GITHUB_TOKEN="$token" node "$here/comment.mjs" "$number" "$summary" || true
    else
      echo "silt: not a pull-request event: no comment" >&2
    fi
  fi
fi
exit "$code"
