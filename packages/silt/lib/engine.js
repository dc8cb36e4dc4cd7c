// The Node build of the Wasm module (packages/silt/node), loaded once for `npx silt`, the JS API and
// the language server, with V8 tuned for how silt runs before the module is compiled.
//
// V8 compiles every Wasm function with its baseline compiler (Liftoff) when the module is loaded and
// re-compiles a function with its optimising compiler (TurboFan) once it has run "enough" (dynamic
// tiering; the budget is a rough count of bytes of code executed). With the default budget a lint
// of a small project spends most of its time in TurboFan, optimising code that runs for a few
// milliseconds (`npx silt lint` on the example project: 0.51 s of CPU against 0.12 s with the budget
// below); on a big project the hot functions (the XML scan, the rules) still reach TurboFan within
// the first files, so a long run loses nothing measurable. Measured alternatives: --liftoff-only
// (start-up as fast, a big project 40 % slower), --wasm-lazy-compilation (no gain: the cost is
// TurboFan, not Liftoff), --no-wasm-dynamic-tiering (everything through TurboFan up front: slowest).
import v8 from "node:v8";

/** The dynamic tiering budget silt's Wasm module is compiled with. */
export const TIERING_BUDGET = 100_000_000;

let tuned = false;

/** Set V8's flags for silt's Wasm module; before the module is compiled, once per process. */
export function tuneWasm() {
  if (tuned) return;
  tuned = true;
  if (process.env.SILT_V8_DEFAULTS === "1") return; // for comparisons
  // V8 prints "Error: unrecognized flag" on stderr for a flag it does not know: only the V8 versions
  // known to have this one (9.x: Node 16 and 18, through 13.x: Node 24) are given it.
  const major = Number(process.versions.v8.split(".")[0]);
  if (major >= 9 && major <= 13) v8.setFlagsFromString(`--wasm-tiering-budget=${TIERING_BUDGET}`);
}
