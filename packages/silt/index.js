// silt-lint for Node.js: the Wasm build of silt (crates/silt-wasm), loaded synchronously.
// Browsers and bundlers get ./web.js instead (package.json "exports": "browser" and "./web").
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const wasm = require("./node/silt.js");

export const {
  lint,
  lintText,
  lintJson,
  access,
  diff,
  diffText,
  rules,
  rulesMarkdown,
  explain,
  version,
  classify,
  skippedDirs,
  handOver,
  starterConfig,
  customRuleFiles,
  escapeText,
  Linter,
  Workspace,
  WorkerLinter,
  cliSpec,
} = wasm;
