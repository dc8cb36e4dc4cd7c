// The silt Wasm package (packages/silt, `wasm-pack --target nodejs` build) as the server uses it.
//
// The glue (`silt.js`) and `silt_bg.wasm` are copied next to the bundled server (dist/silt/) by
// scripts/build.mjs and loaded at run time with a plain `require`, not bundled: a Wasm trap (a Rust
// panic compiled with panic=abort) can leave the instance unusable, and a module loaded this way can
// be dropped from the require cache and instantiated afresh (`reload`).

import * as path from "path";
import { tuneWasm } from "../../../packages/silt/lib/engine.js";
import { nodeHost } from "../../../packages/silt/lib/node-host.js";
import { workerPool } from "../../../packages/silt/lib/pool.js";
import { slashed } from "./host";

// The report, rule metadata and option types: generated from the Rust types (packages/silt/types.d.ts).
import type { InputFile, RuleMeta, SetupOptions, Report as SiltReport } from "../../../packages/silt/types";
export type {
  ConfigErrorFields,
  Diagnostic as SiltDiagnostic,
  InputFile,
  Position as SiltPosition,
  Range as SiltRange,
  Report as SiltReport,
  RuleMeta,
  Severity as SiltSeverity,
} from "../../../packages/silt/types";

/** `silt access --format json` (version 1): the package's own declarations. */
import type { AccessReport } from "../../../packages/silt/index";
export type { AccessHop, AccessReport } from "../../../packages/silt/index";

/** A file of a lint: an open document's bytes, a file on disk (read by the Wasm module itself, see
 * `ConfiguredLinter.lint`), or one discovery could not read. */
export type LintInput = { path: string; contents: Uint8Array } | { path: string; abs: string } | { path: string; error: string };

/** A linter with one configuration. */
export interface ConfiguredLinter {
  /**
   * Lint the project's files. Only what changed since the last call is parsed: an open document
   * whose bytes are not the ones last sent; a file on disk that is new to the linter, was last sent
   * as an open document (it was closed), or is in `changed` (the disk says it changed). Files on disk
   * are read by the Wasm module straight into its memory, checked and dropped: the server keeps no
   * text of files that are not open.
   */
  lint(files: LintInput[], changed: ReadonlySet<string>): SiltReport;
  /** Effective access over the files of the last `lint` (`{user}` or `{permission}`). */
  access(query: { user?: string; permission?: string }): AccessReport;
  /** How many files the linter keeps results of. */
  readonly fileCount: number;
  /** How many files of the last `lint` the worker threads checked. */
  readonly onWorkers: number;
  explain(rule: string): string;
  rules(): RuleMeta[];
  dispose(): void;
}

/** The file system a workspace is opened on (packages/silt/lib/node-host.js and the overlay of host.ts). */
export type WorkspaceHost = object;

/** A workspace opened as `silt lint [paths]` opens it (crates/silt-workspace through the Wasm build). */
export interface SiltWorkspace {
  readonly root: string;
  readonly configPath: string | undefined;
  files(): ({ path: string; abs: string } | { path: string; error: string })[];
  warnings(): string[];
  linter(): RawLinter;
  free(): void;
}

/** A configuration error thrown when a workspace is opened. */
export interface SiltConfigError extends Error {
  file?: string;
  line?: number;
  column?: number;
  reason?: string;
}

interface RawLinter {
  // Incremental: the linter keeps each file's parse; `report` joins them (cross-file rules).
  update(path: string, contents: unknown): void;
  read(host: WorkspaceHost, path: string, abs: string): void;
  readAll(host: WorkspaceHost, files: { path: string; abs: string }[]): number;
  remove(path: string): void;
  readonly fileCount: number;
  report(options: unknown): SiltReport;
  access(query: unknown): AccessReport;
  readonly maxFileSize: number;
  explain(name: string): string;
  rules(): RuleMeta[];
  free(): void;
}

// The raw module: only what is used here.
interface SiltModule {
  lint(files: unknown, options: unknown): SiltReport;
  explain(name: string): string;
  rules(): RuleMeta[];
  version(): string;
  classify(path: string): string | null | undefined;
  Workspace: new (host: WorkspaceHost, options: unknown) => SiltWorkspace;
}

/** The module file: next to the bundled server, or `SILT_WASM_JS` (development). */
export function defaultModulePath(): string {
  return process.env.SILT_WASM_JS || path.join(__dirname, "silt", "silt.js");
}

export class Silt {
  private mod: SiltModule | undefined;
  /** Bumped at every (re)load: linters of an older generation must be rebuilt. */
  generation = 0;

  constructor(readonly modulePath: string = defaultModulePath()) {}

  private get m(): SiltModule {
    if (!this.mod) {
      this.load();
    }
    return this.mod as SiltModule;
  }

  load(): void {
    // V8's flags for Wasm before the module is compiled (packages/silt/lib/engine.js).
    tuneWasm();
    // Plain Node require (the module is not bundled); see the header.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    this.mod = require(this.modulePath) as SiltModule;
    this.generation++;
  }

  /** Drop the instance (after a trap) and instantiate the module again. */
  reload(): void {
    const resolved = require.resolve(this.modulePath);
    delete require.cache[resolved];
    this.mod = undefined;
    this.load();
  }

  version(): string {
    return this.m.version();
  }

  classify(rel: string): string | null {
    return this.m.classify(rel) ?? null;
  }

  /** Open a workspace: the files `silt lint [paths]` reads and the configuration that applies.
   * Throws an `Error` (a `SiltConfigError` for a bad silt.toml or custom rule file). */
  workspace(host: WorkspaceHost, options: { paths: string[]; config?: string; noConfig?: boolean }): SiltWorkspace {
    return new this.m.Workspace(host, options);
  }

  /** The incremental API of a workspace's configured linter, fed only what changed. */
  wrap(inner: RawLinter): ConfiguredLinter {
    // Per path, what was last sent: an open document's bytes (the server hands in the same Buffer
    // while a document's version is unchanged, so identity is the change test), DISK for a file the
    // Wasm module read itself, or the error text of an unreadable one.
    const kept = new Map<string, unknown>();
    const host = this.diskHost;
    let onWorkers = 0;
    return {
      lint: (files, changed) => {
        const seen = new Set<string>();
        // Files to read from disk are read together, on the worker threads (a workspace's first
        // lint); documents and errors are handed in one by one.
        const reads: { path: string; abs: string }[] = [];
        for (const f of files) {
          seen.add(f.path);
          const last = kept.get(f.path);
          if ("contents" in f) {
            if (last === f.contents) continue;
            inner.update(f.path, f.contents);
            kept.set(f.path, f.contents);
          } else if ("abs" in f) {
            if (last === DISK && !changed.has(f.path)) continue;
            reads.push({ path: f.path, abs: slashed(f.abs) });
            kept.set(f.path, DISK);
          } else {
            const key = `error: ${f.error}`;
            if (last === key) continue;
            inner.update(f.path, { error: f.error });
            kept.set(f.path, key);
          }
        }
        onWorkers = 0;
        if (reads.length === 1) inner.read(host, reads[0].path, reads[0].abs);
        else if (reads.length > 1) onWorkers = inner.readAll(host, reads);
        for (const path of [...kept.keys()]) {
          if (!seen.has(path)) {
            inner.remove(path);
            kept.delete(path);
          }
        }
        return inner.report({});
      },
      access: (query) => inner.access(query),
      get fileCount() {
        return inner.fileCount;
      },
      get onWorkers() {
        return onWorkers;
      },
      explain: (rule) => inner.explain(rule),
      rules: () => inner.rules(),
      dispose: () => {
        try {
          inner.free();
        } catch {
          // already freed, or the instance is gone after a reload
        }
      },
    };
  }

  /** Node's file system, for the files the Wasm module reads itself (closed files), with worker
   * threads (dist/pool-worker.js next to the bundled server) that check files too. */
  private get diskHost(): WorkspaceHost {
    this.disk ??= {
      ...nodeHost({ stdout: () => {}, stderr: () => {} }),
      pool: workerPool({ script: path.join(__dirname, "pool-worker.js"), modulePath: path.resolve(this.modulePath) }),
    };
    return this.disk;
  }
  private disk: WorkspaceHost | undefined;
}

const DISK = Symbol("read from disk");

/** Whether an exception is a Wasm trap (the instance may be unusable after it). */
export function isTrap(e: unknown): boolean {
  // WebAssembly.RuntimeError (the name only: the WebAssembly typings are not in this project's lib).
  return e instanceof Error && (e.name === "RuntimeError" || e.constructor?.name === "RuntimeError");
}
