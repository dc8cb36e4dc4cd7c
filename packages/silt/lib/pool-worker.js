// One worker thread of ./pool.js: claims files from the shared counter, reads and checks each with
// the linter the main thread's spec describes, and sends each result's bytes back.
import { createRequire } from "node:module";
import { workerData } from "node:worker_threads";
import { tuneWasm } from "./engine.js";
import { nodeHost } from "./node-host.js";

const { spec, files, digests, counters, port, modulePath } = workerData;
try {
  tuneWasm();
  const wasm = createRequire(modulePath)(modulePath);
  const linter = new wasm.WorkerLinter(spec);
  const host = nodeHost({ stdout: () => {}, stderr: () => {} });
  for (let i = Atomics.add(counters, 0, 1); i < files.length; i = Atomics.add(counters, 0, 1)) {
    const file = files[i];
    if (!file) continue; // a file discovery could not read: the main thread reports it
    const bytes = linter.check(host, file[0], file[1], digests);
    port.postMessage([i, bytes], [bytes.buffer]);
    Atomics.add(counters, 2, 1);
  }
} catch {
  // The file this worker was checking is checked again on the main thread.
} finally {
  Atomics.add(counters, 1, 1);
  Atomics.notify(counters, 1);
}
