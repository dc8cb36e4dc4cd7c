// The second worker of a big folder: it checks the share of the files the lint worker gives it
// (worker.ts) with a Wasm instance of its own, built from the lint worker's compiled module and its
// linter's spec, and sends each result back encoded; the lint worker keeps them with its own
// (`Linter.keepEncoded`) and joins them. Whatever this worker does not deliver, the lint worker
// checks itself.

import { initSync, WorkerLinter } from "silt-lint/web";

export interface CheckerJob {
  module: WebAssembly.Module;
  spec: string;
  files: { path: string; file: File }[];
}

export type CheckerReply = { path: string; bytes: Uint8Array } | { done: true };

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent) => void) | null;
}
const scope = self as unknown as WorkerScope;

scope.onmessage = async (e: MessageEvent<CheckerJob>) => {
  const { module, spec, files } = e.data;
  try {
    initSync({ module });
    const linter = new WorkerLinter(spec);
    // The next file is being read while one is checked.
    let next = files.length > 0 ? files[0].file.arrayBuffer() : null;
    for (let i = 0; i < files.length; i++) {
      const bytes = new Uint8Array(await next!);
      next = i + 1 < files.length ? files[i + 1].file.arrayBuffer() : null;
      const encoded = linter.checkBytes(files[i].path, bytes);
      scope.postMessage({ path: files[i].path, bytes: encoded } satisfies CheckerReply, [encoded.buffer]);
    }
  } catch {
    // A file that could not be read, or a trap: the lint worker checks what is left.
  } finally {
    scope.postMessage({ done: true } satisfies CheckerReply);
  }
};
