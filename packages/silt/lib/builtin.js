// A Node built-in module loaded on first use: `npx silt` on a small project needs neither threads nor
// git, and loading node:worker_threads or node:child_process costs its start-up about 2 ms each.
// (`require` exists in the VS Code extension's CommonJS bundle; an ES module makes its own.)
import { createRequire } from "node:module";

/** A function that returns the built-in module `name`, loading it the first time. */
export function lazyBuiltin(name) {
  let mod;
  return () => (mod ??= (typeof require === "function" ? require : createRequire(import.meta.url))(name));
}
