// The JSON report of `silt lint --format json` (what the Wasm `lint()` returns) and the messages
// between the page and the lint worker.

export type Severity = "error" | "warning" | "note";

export interface Position {
  line: number;
  column: number;
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
  fingerprint: string;
  element?: string;
}

export interface License {
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
  license?: License | null;
}

export interface Report {
  version: number | string;
  tool: unknown;
  diagnostics: Diagnostic[];
  summary: Summary;
  fails?: boolean;
}

export interface RuleMeta {
  name: string;
  severity: Severity;
  summary: string;
  fixable?: boolean;
  tags?: string[];
}

/** What the user gave: a folder's files, a zip, text (the example project or a pasted file). */
export type Source =
  | { kind: "files"; label: string; files: { path: string; file: File }[] }
  | { kind: "zip"; label: string; file: File }
  | { kind: "texts"; label: string; files: { path: string; contents: string }[]; example?: boolean };

export type Request =
  | { type: "init" }
  | { type: "classify"; path: string }
  | { type: "explain"; rule: string }
  | { type: "lint"; source: Source; config: string | null }
  | { type: "relint"; config: string | null }
  | { type: "export"; format: "json" | "sarif" }
  | { type: "source"; path: string }
  | { type: "access" };

/** `silt access --format json` (version 1): only what the page shows. */
export interface AccessHop {
  kind: string;
  name: string;
  file: string;
  line: number;
}
export interface AccessReport {
  version: number;
  users: {
    username: string | null;
    kind: string;
    profile: string | null;
    license: string | null;
    integration: boolean;
    runAs: string[];
    tiers: { tier: number; permissions: string[] }[];
    grants: { permission: string; kind: string; access?: string; tier?: number; muted: boolean; mutedBy: AccessHop | null; via: AccessHop[]; assignedAt: AccessHop | null }[];
  }[];
}

export interface InitResult {
  version: string;
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

/** A configuration error from the Wasm module: `silt.toml:3:1: message`. */
export interface ConfigProblem {
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

export type Progress = { phase: "read" | "unzip" | "lint"; done: number; total: number };

export type Reply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string; config?: ConfigProblem }
  | { id: number; progress: Progress };
