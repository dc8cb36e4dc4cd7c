/** The dynamic tiering budget silt's Wasm module is compiled with (see engine.js). */
export const TIERING_BUDGET: number;
/** Set V8's flags for silt's Wasm module; before the module is compiled, once per process. */
export function tuneWasm(): void;
