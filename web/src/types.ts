// The JSON report of `silt lint --format json` (what the Wasm `lint()` returns; its types are generated
// from the Rust types, packages/silt/types.d.ts) and the messages between the page and the lint worker.

import type { DiffReport, LintReport, RuleMeta } from "silt-lint/web";

export type {
  Diagnostic,
  Edit,
  Fix,
  LicenseSummary as License,
  Position,
  Range,
  Related,
  RuleMeta,
  Severity,
  Summary,
} from "silt-lint/web";

/** The report of a run: the JSON report and whether it fails. */
export type Report = LintReport;

/** What the user gave: a folder's files, a zip, text (the example project or a pasted file). */
export type Source =
  | {
      kind: "files";
      label: string;
      files: { path: string; file: File }[];
      /** The files staged before (`stage` requests) come first: a big folder is handed over in chunks. */
      staged?: boolean;
      /** Files left out because they are in folders silt never walks (`node_modules`, `.git`, …). */
      skipped?: number;
    }
  | { kind: "zip"; label: string; file: File }
  | { kind: "texts"; label: string; files: { path: string; contents: string }[]; example?: boolean };

/** What the Wasm `handOver` answers: `files`, indices into the listed paths; `narrowed`, only what a
 * lint without configuration reads (a configuration applied later needs the whole folder). */
export interface HandOverPlan {
  files: Uint32Array;
  narrowed: boolean;
}

export type Request =
  | { type: "init" }
  | { type: "classify"; path: string }
  /** Which of a listed folder's files to hand over for a lint (`configured`: with a configuration of
   * the page's own): the Wasm `handOver`, a `HandOverPlan`. */
  | { type: "select"; paths: string[]; configured: boolean }
  | { type: "explain"; rule: string }
  | { type: "lint"; source: Source; config: string | null }
  /** Part of a folder's files, handed over ahead of the `lint` request whose source has `staged`. */
  | { type: "stage"; files: { path: string; file: File }[] }
  | { type: "relint"; config: string | null }
  | { type: "export"; format: "json" | "sarif" }
  | { type: "source"; path: string }
  | { type: "access" }
  | { type: "diff"; base: Source; head: Source; config: string | null };

/** `silt access --format json` (version 1): the package's own declarations. */
export type { AccessHop, AccessReport } from "silt-lint/web";

/** `silt diff --format json` (version 1): the package's own declarations. */
export type { AccessChange, AccessGrant, AppChange, AppSettingChange, DiffReport } from "silt-lint/web";

/** The compare view's run: the diff report of the two versions and what was read of each. */
export interface DiffResult {
  report: DiffReport;
  /** Files silt read of each version. */
  files: { base: number; head: number };
  warnings: string[];
  millis: number;
}

export interface InitResult {
  version: string;
  /** The folders silt never walks (the Wasm `skippedDirs()`): a chosen folder's files in them are
   * not handed to the worker (each `File` handed over costs the page a call to the browser). */
  skippedDirs: string[];
  rules: RuleMeta[];
  starterConfig: string;
}

export interface LintResult {
  report: Report;
  /** Paths linted, relative to the lint root. */
  paths: string[];
  /** Files seen in the input, before selection. */
  seen: number;
  /** Where the configuration came from: the config box, the folder's silt.toml, or none. */
  configFrom: "box" | "folder" | null;
  /** The folder's own silt.toml text, when it has one. */
  folderConfig: string | null;
  /** A top folder removed from zip entry paths (`unpackaged/`). */
  strippedPrefix: string | null;
  warnings: string[];
  millis: number;
}

/** A configuration error from the Wasm module (its `file`, `line`, `column` and `reason`), as it
 * crosses from the worker to the page. */
export interface ConfigProblem {
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

/** A run's progress: files done of total; while checking, also bytes checked of the total bytes. */
export type Progress = { phase: "read" | "unzip" | "lint"; done: number; total: number; bytes?: number; totalBytes?: number };

export type Reply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string; config?: ConfigProblem }
  | { id: number; progress: Progress };
