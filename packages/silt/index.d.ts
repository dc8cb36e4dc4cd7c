// Types of silt-lint: the API of the Wasm build (crates/silt-wasm). The report, rule metadata, file
// kinds and options are generated from the Rust types (types.d.ts).

import type {
  AccessGrant,
  BaselineOutcome,
  ConfigErrorFields,
  DiffOptions,
  DiffReport,
  FileKind,
  FixOptions,
  InputFile,
  OutputFormat,
  OutputOptions,
  Report,
  RuleMeta,
  SetupOptions,
  Severity,
  WorkspaceOptions,
} from "./types.js";

export * from "./types.js";

/** What `baseline`/`writeBaseline` did to a result. */
export interface BaselineResult {
  /** With `writeBaseline`: the baseline file to write. */
  baselineText?: string;
  /** With `baseline`: how many findings it hid, and its entries no finding matches any more. */
  baseline?: BaselineOutcome;
}

/** A file `Linter.fix` changes (`text`: its new contents), or one it could not fix (`warning`). */
export type FixedFile =
  | { path: string; text: string; edits: number; diff?: string }
  | { path: string; warning: string };

export interface LintOptions extends SetupOptions, OutputOptions {}

/** An `Error` thrown for a bad configuration, custom rule file or baseline: `message` is
 * `silt.toml:3:7: …`, the other properties the same facts apart. */
export type ConfigError = Error & ConfigErrorFields;

/** `lint` with format `json` (the default). */
export interface LintReport extends Report, BaselineResult {
  /** A finding at or above `failOn` remains (the CLI's exit code 1). */
  fails: boolean;
}

/** `lint` with another format, and `lintText`. */
export interface LintText extends BaselineResult {
  /** Exactly what `silt lint --format <format>` prints. */
  text: string;
  fails: boolean;
}

/**
 * Lint files. Throws a `ConfigError` for a bad configuration (`silt.toml:3:7: message`, with `file`,
 * `line`, `column` and `reason`) and an `Error` for badly shaped arguments; findings in the files (malformed XML included) are diagnostics, never exceptions.
 */
export function lint(files: InputFile[], options?: LintOptions & { format?: "json" }): LintReport;
export function lint(files: InputFile[], options: LintOptions & { format: Exclude<OutputFormat, "json"> }): LintText;
export function lint(files: InputFile[], options?: LintOptions): LintReport | LintText;
/** Lint files and render them in any format (json included). */
export function lintText(files: InputFile[], options?: LintOptions): LintText;
/** Lint files and return the JSON report text, byte for byte what `silt lint --format json` prints. */
export function lintJson(files: InputFile[], options?: LintOptions): string;
/** An access query (`silt access --user/--permission/--object/--access`); `{}` is the summary. */
export interface AccessQuery {
  user?: string | null;
  permission?: string | null;
  object?: string | null;
  /** With `object`: read | create | edit | delete | viewall | modifyall | viewallfields. */
  access?: string | null;
}
export interface AccessUser {
  username: string | null;
  kind: "user" | "runAs" | "profile";
  profile: string | null;
  license: string | null;
  integration: boolean;
  active: boolean;
  runAs: string[];
  file: string | null;
  line: number | null;
  tiers: { tier: number; permissions: string[] }[];
  grants: AccessGrant[];
}
/** `silt access --format json` (version 1, documented in the README). */
export interface AccessReport {
  version: 1;
  query: AccessQuery;
  users: AccessUser[];
}
/** Effective access of `files`: the object `silt access --format json` prints. Throws for a bad query. */
export function access(files: InputFile[], query?: AccessQuery, options?: SetupOptions): AccessReport;
/** `silt diff` between two sets of files: the object `silt diff --format json` prints (effective
 * access added and removed per user, app changes, licenses before and after, findings introduced and
 * fixed by fingerprint). `options.base` / `options.head` name the two versions. */
export function diff(baseFiles: InputFile[], headFiles: InputFile[], options?: SetupOptions & DiffOptions): DiffReport;
/** `silt diff` as text in any format (`options.format`: human, json, markdown, github); `fails`: an
 * introduced finding is at or above `failOn`. */
export function diffText(baseFiles: InputFile[], headFiles: InputFile[], options?: SetupOptions & DiffOptions): { text: string; fails: boolean };
/** The built-in rules. */
export function rules(): RuleMeta[];
/** The built-in rule table in Markdown (`silt rules --format markdown`). */
export function rulesMarkdown(): string;
/** A built-in rule's documentation in Markdown. Throws an `Error` for an unknown rule. */
export function explain(name: string): string;
/** silt's version. */
export function version(): string;
/** What kind of file a path is, or `null` when silt does not read it. */
export function classify(path: string): FileKind | null;
/** The folders silt never walks (`node_modules`, `.git`, …; of `.git` it reads only `info/exclude`): a
 * host that lists a folder itself need not hand over what is in them. */
export function skippedDirs(): string[];
/** Which of a listed folder's files (`paths`: relative, `/`-separated) a host hands over for a lint of
 * the folder: `files`, indices into `paths`. Left out: files in folders silt never walks and, when the
 * folder has no `silt.toml` and the host gives no configuration (`configured` false), files a lint
 * without one cannot read (`narrowed` true: a configuration given afterwards needs the whole folder). */
export function handOver(paths: string[], configured: boolean): { files: Uint32Array; narrowed: boolean };
/** The commented starter `silt.toml`. */
export function starterConfig(): string;
/** The custom rule files a `silt.toml` names, relative to it. Throws an `Error` for a bad configuration. */
export function customRuleFiles(config: string, configPath?: string): string[];
/** Text from a file, a file name, a baseline or a configuration made safe to print on a line of its
 * own: newlines and other control characters become visible escapes (`\n`, `\u{1b}`). */
export function escapeText(text: string): string;

/** A linter configured once (hosts that lint repeatedly: the CLI, a language server). Call `free()` when done. */
export class Linter {
  /** Throws an `Error` for a bad configuration or custom rule file. */
  constructor(options?: SetupOptions);
  /** Whether `[files] include` / `exclude` select a path (relative to the lint root). */
  isIncluded(path: string): boolean;
  /** Whether `[files] user_data` declares a path user data. */
  isUserData(path: string): boolean;
  /** The configuration's `fail_on`. */
  readonly failOn: Severity | undefined;
  /** Files larger than this many bytes are a `parse-error`: pass `{path, size}` instead of reading them. */
  readonly maxFileSize: number;
  lint(files: InputFile[], options?: OutputOptions & { format?: "json" }): LintReport;
  lint(files: InputFile[], options: OutputOptions & { format: Exclude<OutputFormat, "json"> }): LintText;
  lint(files: InputFile[], options?: OutputOptions): LintReport | LintText;
  lintText(files: InputFile[], options?: OutputOptions): LintText;
  /** The mechanical fixes applied to the given contents (`silt lint --fix`); `diff: true` adds each
   * file's unified diff (`--fix --diff`). The caller writes the files. */
  fix(files: InputFile[], options?: FixOptions): FixedFile[];
  /** Incremental use: parse one file (or `{error}` for one that could not be read, `{size}` for one
   * over the size limit) and keep it. */
  update(path: string, contents: string | Uint8Array | { error: string } | { size: number }): void;
  /** Incremental use: read the file at `abs` through `host` (straight into Wasm memory when the host
   * has `readInto`), check it and keep its result under `path`; the bytes are not kept. A file over
   * the size limit is not read; one that cannot be read gets a `parse-error`, as in `silt lint`. */
  read(host: WorkspaceHost, path: string, abs: string): void;
  /** Incremental use: `read` of many files at once, on the host's worker threads when it has a
   * `pool` (lib/pool.js): a language server's first lint of a workspace. How many of the files the
   * worker threads checked. */
  readAll(host: WorkspaceHost, files: { path: string; abs: string }[]): number;
  /** What a `WorkerLinter` in another worker builds this same linter from (`undefined` for a linter
   * not made by a `Workspace`). */
  spec(): string | undefined;
  /** Incremental use: keep a result a `WorkerLinter` encoded (`checkBytes`) under `path`; false, and
   * nothing kept, for bytes that are not such a result. */
  keepEncoded(path: string, bytes: Uint8Array): boolean;
  /** Incremental use: forget a file. */
  remove(path: string): void;
  /** Incremental use: how many files the linter keeps results of. */
  readonly fileCount: number;
  /** Incremental use: effective access over the kept files (without fields, classes, pages, apps, tabs). */
  access(query?: AccessQuery): AccessReport;
  /** Incremental use: join the kept files into a report, as `lint` returns it. */
  report(options?: OutputOptions & { format?: "json" }): LintReport;
  report(options: OutputOptions): LintReport | LintText;
  /** Incremental use: like `report`, as `lintText` of the same files gives it (the human format
   * without code frames: the files' texts are not kept): an export without reading a file again. */
  reportText(options?: OutputOptions): LintText;
  /** Streaming use: like `report`, and the kept files are forgotten (their results go into the report
   * without being copied): for a host that gives each file to `update` once and wants one report. */
  takeReport(options?: OutputOptions & { format?: "json" }): LintReport;
  takeReport(options: OutputOptions): LintReport | LintText;
  /** Built-in and custom rules, sorted by name. */
  rules(): RuleMeta[];
  /** Documentation of a built-in or custom rule. Throws an `Error` for an unknown rule. */
  explain(name: string): string;
  free(): void;
  [Symbol.dispose](): void;
}

/** The file system a `Workspace` (and `run`) works on: absolute `/`-separated paths; a failing call
 * throws an error whose `code` is Node's (`ENOENT`, `EACCES`, …). See lib/node-host.js. */
export interface WorkspaceHost {
  cwd(): string;
  env(name: string): string | undefined;
  stdoutIsTerminal(): boolean;
  /** `[name, kind, nameIsUtf8]` per entry; kind `file`, `dir`, `link` or `other`. */
  list(dir: string): [string, "file" | "dir" | "link" | "other", boolean][];
  /** `missing` when nothing is at `path` (like throwing `ENOENT`, without the cost of an error: the
   * walk asks for ignore files that most folders do not have). */
  kind(path: string, follow: boolean): "file" | "dir" | "link" | "other" | "missing";
  /** The size in bytes; -1 when nothing is at `path` (like throwing `ENOENT`). */
  size(path: string): number;
  realpath(path: string): string;
  read(path: string, max: number): Uint8Array;
  /** Optional: fill `buffer` (a view of Wasm memory) from the start of the file; the bytes read.
   * Without it files are read with `read` (one JS buffer per file, copied into Wasm memory). */
  readInto?(path: string, buffer: Uint8Array): number;
  write(path: string, bytes: Uint8Array): void;
  createNew(path: string, bytes: Uint8Array): void;
  replace(path: string, bytes: Uint8Array): void;
  stdout(bytes: Uint8Array): void;
  stderr(bytes: Uint8Array): void;
  /** Optional: worker threads that check files too (`workerPool()` of lib/pool.js). */
  pool?: import("./lib/pool.js").WorkerPool;
}

/** The files `silt lint [paths]` reads and the configuration that applies, decided by silt itself. */
export class Workspace {
  /** Throws an `Error` (a `ConfigError` for a bad silt.toml or custom rule file). */
  constructor(host: WorkspaceHost, options?: WorkspaceOptions);
  /** The lint root: finding paths are relative to it. */
  readonly root: string;
  /** The SFDX project root, if any. */
  readonly project: string | undefined;
  /** The configuration file that applies, if any. */
  readonly configPath: string | undefined;
  /** The files to lint, sorted by `path` (relative to the root). */
  files(): ({ path: string; abs: string } | { path: string; error: string })[];
  /** Discovery's warnings. */
  warnings(): string[];
  /** Whether discovery selected a path (relative to the root, or absolute). */
  includes(path: string): boolean;
  /** A `Linter` with the workspace's configuration and custom rules. */
  linter(): Linter;
  lint(host: WorkspaceHost, options?: OutputOptions): LintReport | LintText;
  free(): void;
}

/** A worker's linter, built from `Linter.spec()`: checks files for another instance, which keeps the
 * encoded results (`Linter.keepEncoded`, `Linter.readAll`). */
export class WorkerLinter {
  /** Throws an `Error` for a spec that is not one. */
  constructor(spec: string);
  /** Read and check the file `abs` through `host` as `path`; the encoded result. */
  check(host: WorkspaceHost, path: string, abs: string, digest: boolean): Uint8Array;
  /** Check `bytes` as the file `path`; the encoded result. */
  checkBytes(path: string, bytes: Uint8Array): Uint8Array;
  free(): void;
}

/** The CLI's formats and each command's options, from its own description. */
export function cliSpec(): { formats: string[]; commands: Record<string, string[]> };
