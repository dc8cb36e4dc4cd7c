/** A host's `pool` of worker threads (see lib/pool.js): the Wasm build checks files on them. */
export interface WorkerPool {
  start(spec: string, files: ([string, string] | null)[], digests: boolean, threads: number): number;
  claim(): number;
  finish(): [number, Uint8Array][];
}

/** Worker threads for a host's `pool`. A bundle names the worker script (lib/pool-worker.js, bundled)
 * and the Wasm module's Node glue (`node/silt.js`) it ships. */
export function workerPool(options?: { script?: string | URL; modulePath?: string }): WorkerPool;
