// The page's side of the lint worker: promise-returning calls with progress callbacks.

import type { ConfigProblem, Progress, Reply, Request } from "./types.ts";

/** Files per message when a folder is handed to the worker. */
const STAGE_CHUNK = 100;

export class WorkerError extends Error {
  config?: ConfigProblem;
  constructor(message: string, config?: ConfigProblem) {
    super(message);
    this.config = config;
  }
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  onProgress?: (p: Progress) => void;
}

export class LintClient {
  private worker: Worker;
  private next = 1;
  private pending = new Map<number, Pending>();

  constructor() {
    this.worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "silt-lint" });
    this.worker.onmessage = (e: MessageEvent<Reply>) => {
      const r = e.data;
      const p = this.pending.get(r.id);
      if (!p) return;
      if ("progress" in r) {
        p.onProgress?.(r.progress);
        return;
      }
      this.pending.delete(r.id);
      if (r.ok) p.resolve(r.value);
      else p.reject(new WorkerError(r.error, r.config));
    };
    this.worker.onerror = (e) => {
      const err = new WorkerError(`the lint worker failed: ${e.message || "unknown error"}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }

  /**
   * A lint request. A big folder's files are handed to the worker in chunks, each posted in a task of
   * its own (`stage` requests ahead of the `lint` one; the worker answers requests in order), so that
   * cloning thousands of `File` objects never blocks the page for long.
   */
  async lint<T>(req: Request & { type: "lint" }, onProgress?: (p: Progress) => void): Promise<T> {
    const source = req.source;
    if (source.kind !== "files" || source.files.length <= STAGE_CHUNK) return this.call<T>(req, onProgress);
    const files = source.files;
    const staged: Promise<unknown>[] = [];
    let at = 0;
    for (; at + STAGE_CHUNK < files.length; at += STAGE_CHUNK) {
      staged.push(this.call({ type: "stage", files: files.slice(at, at + STAGE_CHUNK) }));
      await new Promise((r) => setTimeout(r, 0));
    }
    const result = this.call<T>({ ...req, source: { ...source, files: files.slice(at), staged: true } }, onProgress);
    await Promise.all(staged);
    return result;
  }

  call<T>(req: Request, onProgress?: (p: Progress) => void): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      this.worker.postMessage({ id, req });
    });
  }
}
