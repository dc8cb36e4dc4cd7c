// Generated from the Rust types by crates/silt-wasm/tests/types.rs (ts-rs); do not edit.
// Regenerate: bash scripts/build-wasm.sh, or SILT_WRITE_TYPES=1 cargo test -p silt-wasm --features ts --test types

// The JSON report of `silt lint --format json` (what `lint()` returns with format json)

/**
 * The result of a lint run: versioned, documented in the README (`--format json`).
 */
export interface Report {
  version: number;
  tool: Tool;
  diagnostics: Array<Diagnostic>;
  summary: Summary;
}

export interface Tool {
  name: string;
  version: string;
}

export interface Diagnostic {
  rule: string;
  severity: Severity;
  message: string;
  file: string;
  range: Range;
  related?: Array<Related>;
  fix?: Fix;
  /**
   * Stable identity: rule + file + element path, not line numbers (baselines, SARIF).
   */
  fingerprint: string;
  /**
   * The element path the fingerprint is made from, e.g. `Profile/userPermissions[ModifyAllData]`.
   */
  element?: string;
}

export type Severity = "note" | "warning" | "error";

/**
 * A 1-based position. `column` counts Unicode scalar values, `column_utf16` UTF-16 code units
 * (what LSP and JavaScript use); `offset` is the 0-based byte offset.
 */
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

export interface Fix {
  description: string;
  edits: Array<Edit>;
}

/**
 * One text replacement. `range.start.offset..range.end.offset` are the bytes replaced.
 */
export interface Edit {
  file: string;
  range: Range;
  newText: string;
}

export interface Summary {
  /**
   * Files silt read as metadata or user data.
   */
  files: number;
  errors: number;
  warnings: number;
  notes: number;
  /**
   * Findings silenced by `silt-ignore` comments.
   */
  suppressed: number;
  /**
   * Findings hidden by a baseline.
   */
  baselined: number;
  /**
   * Findings with a mechanical fix.
   */
  fixable: number;
  license: LicenseSummary;
}

/**
 * Integration license usage, carried by every output.
 */
export interface LicenseSummary {
  /**
   * Org edition, from silt.toml `[org] edition` or the scratch definition; `None` if unknown.
   */
  edition: string | null;
  /**
   * Usernames (or user-def file paths for users without one) of integration users found.
   */
  integrationUsers: Array<string>;
  activeIntegrationUsers: number;
  /**
   * Free seats of the edition (`None` when the edition is unknown).
   */
  freeSeats: number | null;
  purchasedSeats: number;
  /**
   * Add-on seats still needed beyond free + purchased.
   */
  addOnSeatsNeeded: number;
  pricePerSeatMonth: number;
  currency: string;
  /**
   * add_on_seats_needed × price.
   */
  monthlyCost: number;
}

// Baselines

/**
 * A baseline entry: a finding recorded by its fingerprint.
 */
export interface BaselineEntry {
  fingerprint: string;
  rule: string;
  file: string;
  element: string;
  message: string;
}

/**
 * What applying a baseline did.
 */
export interface BaselineOutcome {
  /**
   * Findings hidden because the baseline has them.
   */
  hidden: number;
  /**
   * Baseline entries with no finding any more: fixed, can be pruned.
   */
  fixed: Array<BaselineEntry>;
}

// Rule metadata (`rules()`)

export interface RuleMeta {
  name: string;
  severity: Severity;
  summary: string;
  rationale: string;
  sources: Array<string>;
  tags: Array<string>;
  fixable: boolean;
  examples: Array<RuleExample>;
  /**
   * Set for rules loaded from user files (custom rules): where the rule came from.
   */
  origin: string | null;
  help_uri: string | null;
  /**
   * Security Benchmark for Salesforce control IDs (`SBS-ACS-003`, …) the rule helps with.
   */
  sbs: Array<string>;
  /**
   * Salesforce Security Health Review control names (`API Only Access`, …).
   */
  health_check: Array<string>;
  /**
   * GitHub code scanning `security-severity` (0.0–10.0); derived from the severity when unset.
   */
  security_severity: number | null;
}

export interface RuleExample {
  /**
   * `bad` (the rule fires) or `good` (it stays silent).
   */
  kind: "bad" | "good";
  description: string;
  /**
   * Optional `silt.toml` text for the example.
   */
  config: string | null;
  /**
   * Bad examples: the severity the finding is reported with, when it is not the rule's default.
   */
  severity?: Severity;
  /**
   * Bad examples: text the finding's message contains.
   */
  message?: string;
  files: Array<RuleExampleFile>;
}

export interface RuleExampleFile {
  path: string;
  contents: string;
}

// What `classify()` answers

/**
 * What kind of file a path is (`classify()`).
 */
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

// The diff report of `silt diff --format json` (what `diff()` returns)

/**
 * The diff report: JSON version 1, documented in the README.
 */
export interface DiffReport {
  version: number;
  /**
   * The base version's name.
   */
  base: string;
  /**
   * The head version's name.
   */
  head: string;
  /**
   * Users and run-as users whose effective access changed, by username.
   */
  access: Array<AccessChange>;
  /**
   * Connected apps and External Client App files whose security settings changed.
   */
  apps: Array<AppChange>;
  /**
   * Integration seats and cost before and after.
   */
  license: LicenseChange;
  findings: FindingsChange;
}

/**
 * One user's (or run-as user's) change of effective access.
 */
export interface AccessChange {
  username: string;
  /**
   * `user`, or `runAs` (a client-credentials run-as user absent from the user data).
   */
  kind: string;
  /**
   * `added` (the user is new), `removed` (the user is gone) or `changed`.
   */
  status: string;
  /**
   * On the Salesforce Integration license (in head; in base for a removed user).
   */
  integration: boolean;
  /**
   * The apps whose client-credentials run-as user this is (in head; in base for a removed user).
   */
  runAs: Array<string>;
  /**
   * Grants head has and base had not (in head's chains).
   */
  added: Array<AccessGrant>;
  /**
   * Grants base had and head has not (in base's chains).
   */
  removed: Array<AccessGrant>;
}

export interface AccessGrant {
  /**
   * The user permission, object, field (`Object.Field`), class, page, app, tab, custom permission
   * or external credential principal.
   */
  permission: string;
  /**
   * `userPermission`, `objectPermission`, `fieldPermission`, `apexClass`, `apexPage`,
   * `application`, `tab`, `customPermission`, `externalCredentialPrincipal`.
   */
  kind: string;
  /**
   * Object and field grants: `read`, `create`, `edit`, `delete`, `viewAll`, `modifyAll`,
   * `viewAllFields`.
   */
  access?: string;
  /**
   * Dangerous user permissions: their tier.
   */
  tier?: number;
  muted: boolean;
  /**
   * The muting permission set that turns it off, at its muting element.
   */
  mutedBy: AccessHop | null;
  /**
   * From the outermost container to the element that grants it.
   */
  via: Array<AccessHop>;
  /**
   * The record that assigns the outermost container (user definition, assignment export, the
   * user's profile field); `null` for profile principals and app routes.
   */
  assignedAt: AccessHop | null;
}

export interface AccessHop {
  kind: string;
  name: string;
  file: string;
  line: number;
}

/**
 * A connected app or External Client App file that was added, removed or changed.
 */
export interface AppChange {
  /**
   * The app's API name (for ECA files, the External Client App's).
   */
  app: string;
  /**
   * `ConnectedApp`, `EcaPolicy`, `EcaGlobalOauth` or `EcaOauth`.
   */
  kind: string;
  /**
   * The file's API name (the connected app, or the ECA policy/settings file).
   */
  name: string;
  /**
   * The file (head's; base's for a removed app).
   */
  file: string;
  /**
   * `added`, `removed` or `changed`.
   */
  status: string;
  changes: Array<AppSettingChange>;
}

/**
 * One setting of an app before and after (`null`: absent or off). Secrets are never shown: a
 * `consumerSecret` is `present` or `null`.
 */
export interface AppSettingChange {
  /**
   * `clientCredentialsFlow`, `runAsUser`, `jwtBearerFlow`, `consumerSecret`, `ipRelaxation`,
   * `adminApproval`, `refreshTokenPolicy`, `scope`, `callbackUrl`, `permissionSet`, `profile`.
   */
  setting: string;
  before: string | null;
  after: string | null;
  /**
   * Whether the change widens access or exposure (a `Full` scope, a flow turned on, a new run-as
   * user, IP restrictions relaxed, self-authorization, a secret in source, tokens that never expire).
   */
  risky: boolean;
}

export interface LicenseChange {
  before: LicenseSummary;
  after: LicenseSummary;
}

/**
 * Findings head has and base had not (`introduced`) and the reverse (`fixed`), by fingerprint.
 */
export interface FindingsChange {
  /**
   * In head's report shape (positions in head's files).
   */
  introduced: Array<Diagnostic>;
  /**
   * In base's report shape (positions in base's files).
   */
  fixed: Array<Diagnostic>;
  /**
   * The lines of head the change touched, for each file that holds an introduced finding and
   * differs from base's (or that base lacks): `[first, last]` ranges of 1-based lines, the added
   * and changed lines of a line diff against base (every line of a file new in head; none when
   * lines were only deleted). A file not listed did not change. An introduced finding is on a
   * touched line when its lines overlap a range of its file (one without a line: when its file
   * is listed); only those are annotated by the `github` format. `null` when the host gave no
   * file digests: every introduced finding then counts as on a touched line.
   */
  touched: { [key in string]: Array<[number, number]> } | null;
}

/**
 * `diff(baseFiles, headFiles, options)` and `diffText` options besides the setup options.
 */
export interface DiffOptions {
  /**
   * `diffText`: human, json (default), markdown or github.
   */
  format?: DiffFormat;
  /**
   * `diffText`'s `fails`: an introduced finding at or above this level (default: `fail_on`, else `error`).
   */
  failOn?: Severity;
  /**
   * How the base version is named in the report (default `base`).
   */
  base?: string;
  /**
   * How the head version is named in the report (default `head`).
   */
  head?: string;
}

/**
 * A format of `silt diff --format`.
 */
export type DiffFormat =
  | "human"
  | "json"
  | "markdown"
  | "github";

// Options and errors

/**
 * A file handed to silt. `contents` is text or raw bytes (UTF-8, UTF-8 with BOM, UTF-16 with BOM).
 */
export interface InputFile {
  /**
   * Path relative to the lint root, `/`-separated: findings are reported against it.
   */
  path: string;
  contents?: string | Uint8Array | ArrayBuffer;
  /**
   * Instead of `contents`: why the host could not read the file (reported as a `parse-error` at 1:1).
   */
  error?: string;
  /**
   * Instead of `contents`, for a file over the size limit (`Linter.maxFileSize`): its size in
   * bytes, reported as a `parse-error` without the host reading the file.
   */
  size?: number;
}

/**
 * How the linter is configured (what the native CLI reads from `silt.toml` and its custom rule files).
 */
export interface SetupOptions {
  /**
   * `silt.toml` text.
   */
  config?: string;
  /**
   * Name of the configuration in error messages (default `silt.toml`).
   */
  configPath?: string;
  /**
   * Custom rule files the configuration names (see `customRuleFiles`), already read by the host.
   */
  customRules?: Array<InputFile>;
  /**
   * Files larger than this many bytes are a `parse-error` (overrides `[files] max_size`; default 64 MiB).
   */
  maxFileSize?: number;
}

/**
 * How the result is rendered.
 */
export interface OutputOptions {
  /**
   * Default `json`.
   */
  format?: OutputFormat;
  /**
   * `fails` is true when a finding at or above this level remains (default: `fail_on`, else `error`).
   */
  failOn?: Severity;
  /**
   * ANSI colours in the human format.
   */
  color?: boolean;
  /**
   * Human format: only the summary.
   */
  quiet?: boolean;
  /**
   * A baseline file's text (`silt lint --baseline`): the findings it records are hidden.
   */
  baseline?: string;
  /**
   * The baseline's path, for error messages.
   */
  baselinePath?: string;
  /**
   * Record the findings in a baseline (`silt lint --write-baseline`): returned as `baselineText`,
   * then hidden.
   */
  writeBaseline?: boolean;
}

/**
 * A format of `silt lint --format`.
 */
export type OutputFormat =
  | "human"
  | "json"
  | "sarif"
  | "junit"
  | "github"
  | "markdown";

/**
 * `Linter.fix` options.
 */
export interface FixOptions {
  /**
   * Add each file's unified diff (`silt lint --fix --diff`).
   */
  diff?: boolean;
}

/**
 * `new Workspace(host, options)`: what `silt lint`'s arguments say.
 */
export interface WorkspaceOptions {
  /**
   * The paths given to `silt lint` (default: the current folder).
   */
  paths?: Array<string>;
  /**
   * `--config`: the configuration file to use.
   */
  config?: string;
  /**
   * `--no-config`: no `silt.toml` even when one is found.
   */
  noConfig?: boolean;
  /**
   * `--max-file-size`.
   */
  maxFileSize?: number;
}

/**
 * What an `Error` about a configuration, custom rule or baseline file carries besides its `message`
 * (`silt.toml:3:7: unknown key …`): the file as the message names it, the 1-based position (absent
 * when the error is about the file as a whole, e.g. it cannot be read) and the message alone.
 */
export interface ConfigErrorFields {
  file: string;
  line?: number;
  column?: number;
  reason: string;
}
