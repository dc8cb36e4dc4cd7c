// Types of silt-lint: the API of the Wasm build (crates/silt-wasm) and the JSON report of
// `silt lint --format json` (schema version 1).

/** A file handed to silt. `contents` is text or raw bytes (UTF-8, UTF-8 with BOM, UTF-16 with BOM). */
export interface InputFile {
  /** Path relative to the lint root, `/`-separated: findings are reported against it. */
  path: string;
  contents?: string | Uint8Array | ArrayBuffer;
  /** Instead of `contents`: why the host could not read the file (reported as a `parse-error` at 1:1). */
  error?: string;
  /** Instead of `contents`, for a file over the size limit (`Linter.maxFileSize`): its size in bytes,
   * reported as a `parse-error` without the host reading the file. */
  size?: number;
}

export type Severity = "error" | "warning" | "note";
export type OutputFormat = "json" | "sarif" | "junit" | "github" | "human";

/** How the linter is configured (what the native CLI reads from `silt.toml` and its custom rule files). */
export interface SetupOptions {
  /** `silt.toml` text. */
  config?: string;
  /** Name of the configuration in error messages (default `silt.toml`). */
  configPath?: string;
  /** Custom rule files the configuration names (see `customRuleFiles`), already read by the host. */
  customRules?: InputFile[];
  /** Files larger than this many bytes are a `parse-error` (overrides `[files] max_size`; default 64 MiB). */
  maxFileSize?: number;
}

/** How the result is rendered. */
export interface OutputOptions {
  /** Default `json`. */
  format?: OutputFormat;
  /** `fails` is true when a finding at or above this level remains (default: `fail_on`, else `error`). */
  failOn?: Severity;
  /** ANSI colours in the human format. */
  color?: boolean;
  /** Human format: only the summary. */
  quiet?: boolean;
  /** A baseline file's text (`silt lint --baseline`): the findings it records are hidden. */
  baseline?: string;
  /** The baseline's path, for error messages. */
  baselinePath?: string;
  /** Record the findings in a baseline (`silt lint --write-baseline`): returned as `baselineText`, then hidden. */
  writeBaseline?: boolean;
}

/** A baseline entry: a finding recorded by its fingerprint. */
export interface BaselineEntry {
  fingerprint: string;
  rule: string;
  file: string;
  element: string;
  message: string;
}

/** What `baseline`/`writeBaseline` did to a result. */
export interface BaselineResult {
  /** With `writeBaseline`: the baseline file to write. */
  baselineText?: string;
  /** With `baseline`: how many findings it hid, and its entries no finding matches any more. */
  baseline?: { hidden: number; fixed: BaselineEntry[] };
}

/** A file `Linter.fix` changes (`text`: its new contents), or one it could not fix (`warning`). */
export type FixedFile =
  | { path: string; text: string; edits: number; diff?: string }
  | { path: string; warning: string };

export interface LintOptions extends SetupOptions, OutputOptions {}

/** A 1-based position; `offset` is the 0-based byte offset in the (decoded UTF-8) text. */
export interface Position {
  line: number;
  /** Unicode scalar values. */
  column: number;
  /** UTF-16 code units (LSP, JavaScript strings). */
  columnUtf16: number;
  offset: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Related {
  file: string;
  range: Range;
  message: string;
}

export interface Edit {
  file: string;
  /** Bytes `range.start.offset .. range.end.offset` are replaced. */
  range: Range;
  newText: string;
}

export interface Fix {
  description: string;
  edits: Edit[];
}

export interface Diagnostic {
  rule: string;
  severity: Severity;
  message: string;
  file: string;
  range: Range;
  related?: Related[];
  fix?: Fix;
  /** Stable identity: rule + file + element path (16 hex digits). */
  fingerprint: string;
  /** Element path the fingerprint is made from, e.g. `Profile/userPermissions[ModifyAllData]`. */
  element?: string;
}

export interface LicenseSummary {
  edition: string | null;
  integrationUsers: string[];
  activeIntegrationUsers: number;
  freeSeats: number | null;
  purchasedSeats: number;
  addOnSeatsNeeded: number;
  pricePerSeatMonth: number;
  currency: string;
  monthlyCost: number;
}

export interface Summary {
  files: number;
  errors: number;
  warnings: number;
  notes: number;
  suppressed: number;
  baselined: number;
  fixable: number;
  license: LicenseSummary;
}

/** `silt lint --format json`. */
export interface Report {
  version: 1;
  tool: { name: "silt"; version: string };
  diagnostics: Diagnostic[];
  summary: Summary;
}

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

export interface RuleExampleFile {
  path: string;
  contents: string;
}

export interface RuleExample {
  kind: "bad" | "good";
  description: string;
  config: string | null;
  files: RuleExampleFile[];
}

export interface RuleMeta {
  name: string;
  severity: Severity;
  summary: string;
  rationale: string;
  sources: string[];
  tags: string[];
  fixable: boolean;
  examples: RuleExample[];
  /** Set for custom rules: the file they came from. */
  origin: string | null;
  help_uri: string | null;
  /** Security Benchmark for Salesforce control IDs (`SBS-ACS-003`, …). */
  sbs: string[];
  /** Salesforce Security Health Review control names. */
  health_check: string[];
  /** GitHub code scanning security-severity (0.0–10.0), when the rule sets one. */
  security_severity: number | null;
}

export type FileKind =
  | "Profile"
  | "PermissionSet"
  | "PermissionSetPart"
  | "MutingPermissionSet"
  | "PermissionSetGroup"
  | "ConnectedApp"
  | "EcaPolicy"
  | "EcaGlobalOauth"
  | "EcaOauth"
  | "OauthOidcSettings"
  | "SecuritySettings"
  | "ExternalCredential"
  | "NamedCredential"
  | "UserDef"
  | "ScratchDef"
  | "SfdxProject"
  | "JsonData"
  | "Csv"
  | "BulkXml"
  | "Config";

/**
 * Lint files. Throws an `Error` for a bad configuration (`silt.toml:3:7: message`) or badly shaped
 * arguments; findings in the files (malformed XML included) are diagnostics, never exceptions.
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
/** One hop of a provenance chain, or a muting set, or an assignment record. */
export interface AccessHop {
  kind: string;
  name: string;
  file: string;
  line: number;
}
export interface AccessGrant {
  permission: string;
  kind: string;
  access?: string;
  tier?: number;
  muted: boolean;
  mutedBy: AccessHop | null;
  via: AccessHop[];
  assignedAt: AccessHop | null;
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
  fix(files: InputFile[], options?: { diff?: boolean }): FixedFile[];
  /** Incremental use: parse one file (or `{error}` for one that could not be read, `{size}` for one
   * over the size limit) and keep it. */
  update(path: string, contents: string | Uint8Array | { error: string } | { size: number }): void;
  /** Incremental use: forget a file. */
  remove(path: string): void;
  /** Incremental use: effective access over the kept files (without fields, classes, pages, apps, tabs). */
  access(query?: AccessQuery): AccessReport;
  /** Incremental use: join the kept files into a report, as `lint` returns it. */
  report(options?: OutputOptions & { format?: "json" }): LintReport;
  report(options: OutputOptions): LintReport | LintText;
  /** Built-in and custom rules, sorted by name. */
  rules(): RuleMeta[];
  /** Documentation of a built-in or custom rule. Throws an `Error` for an unknown rule. */
  explain(name: string): string;
  free(): void;
  [Symbol.dispose](): void;
}

/** One entry of `WorkspaceHost.list`: name, kind, and whether the name was valid UTF-8. */
export type HostEntry = [name: string, kind: "file" | "dir" | "link" | "other", utf8: boolean];

/**
 * The file system a `Workspace` (and `run`) works on. Paths are absolute with `/`; every method is
 * synchronous; a failure throws an error whose `code` is Node's (`ENOENT`, `EACCES`, …).
 * See lib/node-host.js for Node's.
 */
export interface WorkspaceHost {
  cwd(): string;
  env(name: string): string | undefined;
  stdoutIsTerminal(): boolean;
  list(dir: string): HostEntry[];
  kind(path: string, follow: boolean): "file" | "dir" | "link" | "other";
  size(path: string): number;
  realpath(path: string): string;
  read(path: string, max: number): Uint8Array;
  write(path: string, bytes: Uint8Array): void;
  createNew(path: string, bytes: Uint8Array): void;
  replace(path: string, bytes: Uint8Array): void;
  stdout(bytes: Uint8Array): void;
  stderr(bytes: Uint8Array): void;
}

export interface WorkspaceOptions {
  /** The paths `silt lint` is given (default: the host's current folder). */
  paths?: string[];
  /** `--config`. */
  config?: string;
  /** `--no-config`. */
  noConfig?: boolean;
  /** `--max-file-size`. */
  maxFileSize?: number;
}

/** A configuration error thrown by `new Workspace`: where it is. */
export interface ConfigError extends Error {
  file?: string;
  line?: number;
  column?: number;
  reason?: string;
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

/** The CLI's formats and each command's options, from its own description. */
export function cliSpec(): { formats: string[]; commands: Record<string, string[]> };
