// silt-lint for browsers and bundlers: the `--target web` Wasm build. Call the default export once
// (`await init()`; it fetches web/silt_bg.wasm next to this file, or takes a URL, Response or
// WebAssembly.Module) before any other function; `initSync({ module })` does the same synchronously.
export {
  default,
  initSync,
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
} from "./web/silt.js";
