// The browser build: the same API as the Node entry, after `await init()`.
export * from "./index.js";

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;
export type SyncInitInput = BufferSource | WebAssembly.Module;

/** Instantiate the module (fetches `web/silt_bg.wasm` next to `web/silt.js` by default). Call once. */
export default function init(
  module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<unknown>;
/** Instantiate the module synchronously from bytes or a compiled module. */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): unknown;
