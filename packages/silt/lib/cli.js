// `npx silt`: the whole `silt` command line of the native binary (crates/silt-workspace), compiled to
// Wasm, on Node's file system. Nothing but I/O lives here: see ./node-host.js.
import { createRequire } from "node:module";
import { tuneWasm } from "./engine.js";
import { nodeHost } from "./node-host.js";
import { workerPool } from "./pool.js";

// V8's flags first: they apply to modules compiled after them (./engine.js).
tuneWasm();
const require = createRequire(import.meta.url);
const wasm = require("../node/silt.js");

/** Text sinks (`sinks.stdout(text)`, `sinks.stderr(text)`) as the host's byte sinks. */
function byteSink(sink) {
  if (!sink) return undefined;
  const decoder = new TextDecoder();
  return (bytes) => sink(decoder.decode(bytes, { stream: true }));
}

/** Run the CLI on `argv` (without node and the script), writing to `sinks` (default: the process's
 * stdout and stderr). Resolves to the exit code. Hosts such as the `sf` plugin call this. */
export async function run(argv, sinks = {}) {
  // Files are checked on worker threads too (`--threads`, default: every core): ./pool.js.
  const host = { ...nodeHost({ stdout: byteSink(sinks.stdout), stderr: byteSink(sinks.stderr) }), pool: workerPool() };
  return wasm.run(argv, host);
}

/** `bin/silt.js`: run with the process's streams. */
export function main(argv) {
  return run(argv);
}
