// The second worker of a big folder: it checks the share of the files the lint worker gives it
// (worker.ts) with a Wasm instance of its own, built from the lint worker's compiled module and its
// linter's spec, and sends each result back encoded; the lint worker keeps them with its own
// (`Linter.keepEncoded`) and joins them. Whatever this worker does not deliver, the lint worker
// checks itself.

import { initSync, WorkerLinter } from "silt-lint/web";
import { streamFiles } from "./read.ts";

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
    const byPath = new Map(files.map((f) => [f.path, f.file] as const));
    // The lint worker gave only files within the size limit; one it cannot read here is left to it.
    for await (const f of streamFiles([...byPath.keys()], (path) => byPath.get(path), Infinity)) {
      if (!(f.data instanceof Uint8Array)) continue;
      const encoded = linter.checkBytes(f.path, f.data);
      scope.postMessage({ path: f.path, bytes: encoded } satisfies CheckerReply, [encoded.buffer]);
    }
  } catch {
    // A trap: the lint worker checks what is left.
  } finally {
    scope.postMessage({ done: true } satisfies CheckerReply);
  }
};
