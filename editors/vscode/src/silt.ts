// The silt Wasm package (packages/silt, `wasm-pack --target nodejs` build) as the server uses it.
//
// The glue (`silt.js`) and `silt_bg.wasm` are copied next to the bundled server (dist/silt/) by
// scripts/build.mjs and loaded at run time with a plain `require`, not bundled: a Wasm trap (a Rust
// panic compiled with panic=abort) can leave the instance unusable, and a module loaded this way can
// be dropped from the require cache and instantiated afresh (`reload`).

import * as path from "path";

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

/** A linter with one configuration. */
export interface ConfiguredLinter {
  /** Lint the project's files: only files whose contents changed since the last call are parsed. */
  lint(files: InputFile[]): SiltReport;
  /** Effective access over the files of the last `lint` (`{user}` or `{permission}`). */
  access(query: { user?: string; permission?: string }): AccessReport;
  /** Files larger than this many bytes are not read: hand in `{path, size}` (a `parse-error`). */
  readonly maxFileSize: number;
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
  remove(path: string): void;
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
    // Per path, the contents last sent: the server hands in the same Buffer object while a file is
    // unchanged (disk contents until re-read, an open document's bytes per version), so identity is
    // the change test and only changed files cross into Wasm to be parsed again.
    const kept = new Map<string, unknown>();
    return {
      lint: (files) => {
        const seen = new Set<string>();
        for (const f of files) {
          seen.add(f.path);
          if (f.contents !== undefined && kept.get(f.path) === f.contents) continue;
          inner.update(f.path, f.contents !== undefined ? f.contents : f.size !== undefined ? { size: f.size } : { error: f.error });
          kept.set(f.path, f.contents);
        }
        for (const path of [...kept.keys()]) {
          if (!seen.has(path)) {
            inner.remove(path);
            kept.delete(path);
          }
        }
        return inner.report({});
      },
      access: (query) => inner.access(query),
      maxFileSize: inner.maxFileSize,
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
}

/** Whether an exception is a Wasm trap (the instance may be unusable after it). */
export function isTrap(e: unknown): boolean {
  // WebAssembly.RuntimeError (the name only: the WebAssembly typings are not in this project's lib).
  return e instanceof Error && (e.name === "RuntimeError" || e.constructor?.name === "RuntimeError");
}
