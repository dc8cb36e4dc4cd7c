#!/usr/bin/env bash
# The sf plugin (packages/sf-plugin) through the real Salesforce CLI, as a user gets it: `sf` from npm
# (@salesforce/cli, with the Node it requires, also from npm), the plugin linked with `sf plugins link`
# in a throw-away home folder, then packages/sf-plugin/tests/ runs `sf silt …` on the example projects.
# Needs the Wasm build (npm run build:wasm) and the root `npm ci` (the plugin's dependencies).
#   bash scripts/test-sf-plugin.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

SF_CLI_VERSION=2.150.6 # @salesforce/cli; it requires Node >= 22
NODE_VERSION=22.23.3   # the npm package `node` (a Node binary)
tools="${SILT_SF_TOOLS:-$root/target/sf-cli}"
stamp="$tools/installed-$SF_CLI_VERSION-$NODE_VERSION"
if [ ! -f "$stamp" ]; then
  t0=$SECONDS
  rm -rf "$tools" && mkdir -p "$tools"
  npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error \
    "@salesforce/cli@$SF_CLI_VERSION" "node@$NODE_VERSION"
  touch "$stamp"
  echo "installed @salesforce/cli $SF_CLI_VERSION and node $NODE_VERSION in $((SECONDS - t0)) s"
fi

home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" XDG_CACHE_HOME="$home/.cache"
export SF_DISABLE_TELEMETRY=true SF_AUTOUPDATE_DISABLE=true SF_HIDE_RELEASE_NOTES=true
export OCLIF_DISABLE_LINKED_ESM_WARNING=true
export PATH="$tools/node_modules/.bin:$PATH" # node 22 and sf first
export SILT_SF="$tools/node_modules/.bin/sf"
sf --version
sf plugins link packages/sf-plugin --no-install
sf plugins | grep -q 'silt-sf-plugin .*(link)' || { echo "error: the plugin is not linked" >&2; sf plugins >&2; exit 1; }
node --test packages/sf-plugin/tests/*.test.mjs
