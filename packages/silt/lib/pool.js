// Worker threads for the Wasm build's command line (`npx silt`, the `sf` plugin): the host's `pool`
// (crates/silt-wasm/src/pool.rs). Rust decides what is checked and joins the results; this file only
// starts threads, keeps the shared counter and carries each result's bytes back.
//
// The command runs synchronously in Wasm on the main thread, so the main thread cannot wait for
// messages on its event loop: the workers count in a SharedArrayBuffer, the main thread sleeps in
// Atomics.wait until they are done and takes their messages with receiveMessageOnPort.
import os from "node:os";
import { fileURLToPath } from "node:url";
import { lazyBuiltin } from "./builtin.js";

// Loaded when a pool first starts: a small project never starts one.
const workerThreads = lazyBuiltin("node:worker_threads");

// counters: [0] the next file to claim, [1] workers finished, [2] results sent.
const NEXT = 0;
const DONE = 1;
const SENT = 2;
/** A worker that sends nothing for this long is given up on; its files are checked on the main thread. */
const STALL_MS = 30_000;

const cores = () => (typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length);

/** A pool for a host's `pool`: `{start, claim, finish}`. A bundle (the VS Code extension's server)
 * names the worker script (./pool-worker.js, bundled) and the Wasm module's Node glue it ships. */
export function workerPool({
  script = new URL("./pool-worker.js", import.meta.url),
  modulePath = fileURLToPath(new URL("../node/silt.js", import.meta.url)),
} = {}) {
  let workers = [];
  let ports = [];
  let counters = null;
  let total = 0;

  const stop = () => {
    for (const w of workers) w.terminate();
    workers = [];
    ports = [];
  };

  return {
    /** Start `min(threads, cores) - 1` workers on `files`; how many started. */
    start(spec, files, digests, threads) {
      stop();
      const want = Math.min(threads, cores()) - 1;
      if (!(want >= 1)) return 0;
      const { MessageChannel, Worker } = workerThreads();
      counters = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
      total = files.length;
      for (let k = 0; k < want; k++) {
        const { port1, port2 } = new MessageChannel();
        let worker;
        try {
          worker = new Worker(script, {
            workerData: { spec, files, digests, counters, port: port1, modulePath },
            transferList: [port1],
            stdout: true, // a worker prints nothing of the command's
            stderr: true,
          });
        } catch {
          break;
        }
        worker.unref();
        workers.push(worker);
        ports.push(port2);
      }
      return workers.length;
    },

    /** The next unclaimed file's index, or -1. */
    claim() {
      const i = Atomics.add(counters, NEXT, 1);
      return i < total ? i : -1;
    },

    /** Wait for the workers, stop them and return `[[index, bytes], …]`. */
    finish() {
      const out = [];
      const { receiveMessageOnPort } = workerThreads();
      const drain = () => {
        for (const port of ports) {
          for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) out.push(m.message);
        }
      };
      let sent = Atomics.load(counters, SENT);
      let quiet = 0;
      for (let done = Atomics.load(counters, DONE); done < workers.length; done = Atomics.load(counters, DONE)) {
        Atomics.wait(counters, DONE, done, 100);
        drain();
        const now = Atomics.load(counters, SENT);
        quiet = now === sent ? quiet + 100 : 0;
        sent = now;
        if (quiet >= STALL_MS) break;
      }
      drain();
      stop();
      return out;
    },
  };
}
