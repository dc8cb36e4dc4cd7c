// silt language server: lints each workspace folder as `silt lint <folder>` does, with the silt Wasm
// package. silt's workspace layer (`Workspace`, over Node's file system with the open documents laid
// over it: host.ts) decides which files belong to the project and which configuration applies; the
// incremental linter reads the closed ones itself (straight into Wasm memory, checked and dropped:
// only open documents' texts are kept, a closed file is read again when it changed on disk or was
// closed after an edit), keeps each file's small result, and the server publishes every project file's
// findings (a finding in one file can come from another: a user definition is flagged because of the
// permission set it assigns, so all files are republished whenever their findings change). Speaks LSP over IPC (VS Code) or stdio (`node server.js --stdio`).

import * as fs from "fs";
import * as path from "path";
import {
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  Diagnostic,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  Hover,
  InitializeParams,
  InitializeResult,
  MarkupKind,
  ProposedFeatures,
  Range,
  TextDocuments,
  TextDocumentSyncKind,
  TextEdit,
  createConnection,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { URI } from "vscode-uri";
import {
  DiagnosticData,
  SOURCE,
  atLeast,
  canSuppress,
  contains,
  fixChanges,
  overlaps,
  suppressEdit,
  toDiagnostic,
  toRange,
} from "./convert";
import { overlayHost, relPath, slashed } from "./host";
import { ConfiguredLinter, LintInput, RuleMeta, Silt, SiltConfigError, SiltDiagnostic, SiltReport, SiltSeverity, SiltWorkspace, isTrap } from "./silt";

// ---------------------------------------------------------------------------------------------------
// Settings

interface Settings {
  enable: boolean;
  severityThreshold: SiltSeverity;
  configPath: string;
}

const DEFAULT_SETTINGS: Settings = { enable: true, severityThreshold: "note", configPath: "" };

function readSettings(raw: unknown, base: Settings = DEFAULT_SETTINGS): Settings {
  const s = { ...base };
  if (raw && typeof raw === "object") {
    const r = raw as Record<string, unknown>;
    if (typeof r.enable === "boolean") s.enable = r.enable;
    if (r.severityThreshold === "error" || r.severityThreshold === "warning" || r.severityThreshold === "note") {
      s.severityThreshold = r.severityThreshold;
    }
    if (typeof r.configPath === "string") s.configPath = r.configPath;
  }
  return s;
}

// ---------------------------------------------------------------------------------------------------
// State

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const silt = new Silt();

let settings: Settings = { ...DEFAULT_SETTINGS };
let debounceMs = 150;
let folders: string[] = [];
let ready = false;
let canRegisterWatchers = false;
let canPullConfiguration = false;
let canRegisterConfiguration = false;
let workspaceFolderEvents = false;

const log = (m: string): void => connection.console.log(m);
const logError = (m: string): void => connection.console.error(m);

/** Run a handler; log and swallow any exception (the server never goes down for one request). */
function safe<T>(what: string, fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (e) {
    logError(`silt: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return fallback;
  }
}

interface Shown {
  rel?: string;
  silt: SiltDiagnostic[];
  lsp: Diagnostic[];
}

/** One lint root: what `silt lint <workspace folder>` lints, or `silt lint <file>` for an open
 * metadata file outside every folder (`loose`). */
class Project {
  /** The lint root the workspace layer chose (the SFDX project root, or the folder). */
  root: string;
  /** The configuration file that applies, if any. */
  configFile: string | undefined;
  linter: ConfiguredLinter | undefined;
  linterGeneration = -1;
  /** What the workspace layer selected: relative path → absolute path. */
  selected = new Map<string, string>();
  /** Problems of silt.toml or a custom rule file: uri → diagnostics. */
  configProblems = new Map<string, Diagnostic[]>();
  /** Selected files discovery could not read: relative path → why. */
  unreadable = new Map<string, string>();
  /** Files on disk that changed since the last lint (file watcher): relative paths. The server keeps
   * no text of closed files: the linter reads them again from disk (straight into Wasm memory). */
  changed = new Set<string>();
  /** What was last published: uri → serialized diagnostics. */
  published = new Map<string, string>();
  /** The findings shown now, by uri (hover and code actions read these). */
  shown = new Map<string, Shown>();
  lastReport: SiltReport | undefined;
  forcePublish = new Set<string>();
  /** Cancels the scheduled lint, if one is (a timer, or an immediate for a debounce of 0). */
  cancel: (() => void) | undefined;
  /** Before the next lint: open the workspace again (`"files"`), also with a new configuration
   * and linter (`"config"`). */
  pending: "files" | "config" | undefined;
  helpUris = new Map<string, string>();
  explained = new Map<string, string>();

  constructor(
    /** The workspace folder, or the loose file. */
    readonly folder: string,
    readonly loose: boolean,
  ) {
    this.root = loose ? path.dirname(folder) : folder;
  }

  get name(): string {
    return path.basename(this.root) || this.root;
  }
}

let projects: Project[] = [];

// ---------------------------------------------------------------------------------------------------
// Paths and documents

function fsPathOf(uri: string): string | undefined {
  try {
    const u = URI.parse(uri);
    return u.scheme === "file" ? path.resolve(u.fsPath) : undefined;
  } catch {
    return undefined;
  }
}

/** Open documents by file system path. */
function openDocs(): Map<string, TextDocument> {
  const m = new Map<string, TextDocument>();
  for (const d of documents.all()) {
    const p = fsPathOf(d.uri);
    if (p) m.set(p, d);
  }
  return m;
}

function openDoc(abs: string): TextDocument | undefined {
  for (const d of documents.all()) {
    if (fsPathOf(d.uri) === abs) return d;
  }
  return undefined;
}

function uriOf(p: Project, rel: string): string {
  const abs = path.join(p.root, ...rel.split("/"));
  return openDoc(abs)?.uri ?? URI.file(abs).toString();
}

/** The project whose root is the deepest one containing `abs`. */
function ownerOf(abs: string): Project | undefined {
  let best: Project | undefined;
  for (const p of projects) {
    if (p.loose) continue;
    if (relPath(p.root, abs) !== undefined && (!best || p.root.length > best.root.length)) best = p;
  }
  return best;
}

/** Whether the project lints `abs` (the workspace layer selected it). */
function selects(p: Project, abs: string): boolean {
  const rel = relPath(p.root, abs);
  return rel !== undefined && p.selected.has(rel);
}

/** The project an open document is linted in (a loose project for a metadata file outside all). */
function projectForDoc(abs: string): Project | undefined {
  const owner = ownerOf(abs);
  if (owner) return owner;
  if (silt.classify(path.basename(abs)) === null) return undefined;
  let loose = projects.find((p) => p.loose && p.folder === abs);
  if (!loose) {
    loose = new Project(abs, true);
    projects.push(loose);
    safe("open", () => discover(loose as Project, "config"), undefined);
  }
  return loose;
}

function readText(abs: string): string | undefined {
  const doc = openDoc(abs);
  if (doc) return doc.getText();
  try {
    return fs.readFileSync(abs, "utf8");
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// The workspace: files and configuration, as `silt lint` decides them

/** The folder relative paths are resolved from: the workspace folder, or the loose file's. */
function baseOf(p: Project): string {
  return p.loose ? path.dirname(p.folder) : p.folder;
}

function configPathSetting(p: Project): string | undefined {
  const s = settings.configPath.trim();
  if (!s) return undefined;
  return path.isAbsolute(s) ? s : path.resolve(baseOf(p), s);
}

/** A configuration error (structured: file, line, column) → a diagnostic on that file. */
function configProblem(p: Project, e: SiltConfigError, cwd: string): void {
  const abs = e.file ? path.resolve(cwd, e.file) : (configPathSetting(p) ?? p.configFile ?? p.root);
  const line = Math.max(0, (e.line ?? 1) - 1);
  const character = Math.max(0, (e.column ?? 1) - 1);
  const uri = openDoc(abs)?.uri ?? URI.file(abs).toString();
  const list = p.configProblems.get(uri) ?? [];
  list.push({
    range: { start: { line, character }, end: { line, character: character + 1 } },
    severity: DiagnosticSeverity.Error,
    code: "config-error",
    source: SOURCE,
    message: `${e.reason ?? e.message} (silt lints with the default configuration until this is fixed)`,
  });
  p.configProblems.set(uri, list);
}

/**
 * Open the project's workspace (over the disk with the open documents over it) and take its file
 * list; with `"config"` (or no linter yet) also its configured linter. Files still selected keep
 * their bytes (and their parse in the linter); new ones are read.
 */
function discover(p: Project, what: "files" | "config"): void {
  const started = performance.now();
  const docs = new Map<string, Uint8Array>();
  for (const [abs, doc] of openDocs()) docs.set(abs, encoded(doc));
  const cwd = baseOf(p);
  const host = overlayHost(cwd, docs);
  const options = { paths: [slashed(p.folder)], config: configPathSetting(p) };
  const problems: SiltConfigError[] = [];
  let ws: SiltWorkspace;
  try {
    ws = silt.workspace(host, options);
  } catch (e) {
    if (isTrap(e)) throw e;
    // A bad configuration: lint with the defaults, and show the problem on its file.
    problems.push(e as SiltConfigError);
    ws = silt.workspace(host, { paths: options.paths, noConfig: true });
  }
  try {
    const root = path.resolve(ws.root);
    if (root !== p.root || what === "config" || !p.linter || p.linterGeneration !== silt.generation) {
      p.root = root;
      p.linter?.dispose();
      p.linter = silt.wrap(ws.linter());
      p.linterGeneration = silt.generation;
      p.configFile = ws.configPath === undefined ? undefined : path.resolve(ws.configPath);
      p.configProblems.clear();
      for (const e of problems) configProblem(p, e, cwd);
      p.helpUris.clear();
      p.explained.clear();
      for (const r of safe("rules", () => p.linter?.rules() ?? [], [] as RuleMeta[])) {
        // Only web links: a custom rule's `docs` could be `command:` (runs an editor command when
        // clicked), `file:` or anything else.
        const href = r.help_uri;
        if (typeof href === "string" && /^https?:\/\/[^\s]+$/i.test(href)) p.helpUris.set(r.name, href);
      }
    }
    p.selected.clear();
    p.unreadable.clear();
    for (const f of ws.files()) {
      if ("abs" in f) p.selected.set(f.path, path.resolve(f.abs));
      else {
        p.selected.set(f.path, path.join(p.root, f.path));
        p.unreadable.set(f.path, f.error);
      }
    }
    for (const w of ws.warnings()) log(`silt: ${p.root}: ${w}`);
    log(`silt: indexed ${p.root}: ${p.selected.size} files, discovered in ${ms(started)} ms`);
  } finally {
    ws.free();
  }
}

function ms(since: number): string {
  return (performance.now() - since).toFixed(1);
}

// ---------------------------------------------------------------------------------------------------
// Linting and publishing

function schedule(p: Project, what?: "files" | "config", delay = debounceMs): void {
  if (what === "config" || (what === "files" && p.pending === undefined)) p.pending = what;
  p.cancel?.();
  const run = () => {
    p.cancel = undefined;
    safe(`lint of ${p.root}`, () => lintProject(p), undefined);
  };
  // An immediate is cancelled with clearImmediate, not clearTimeout: with a debounce of 0, opening a
  // document (didOpen, then its content event) linted twice.
  if (delay <= 0) {
    const t = setImmediate(run);
    p.cancel = () => clearImmediate(t);
  } else {
    const t = setTimeout(run, delay);
    p.cancel = () => clearTimeout(t);
  }
}

/** Open the workspace again when asked to, or when the Wasm module was reloaded. */
function ensureLinter(p: Project): void {
  const what = p.pending ?? (!p.linter || p.linterGeneration !== silt.generation ? "config" : undefined);
  p.pending = undefined;
  if (what) discover(p, what);
}

/** The files of a lint: open documents' bytes, else the file on disk (read by the linter). */
function inputs(p: Project, docs: Map<string, TextDocument>): LintInput[] {
  const files: LintInput[] = [];
  const open = new Map<string, TextDocument>();
  for (const [abs, doc] of docs) {
    const rel = relPath(p.root, abs);
    if (rel !== undefined) open.set(rel, doc);
  }
  for (const [rel, abs] of p.selected) {
    const doc = open.get(rel);
    const error = p.unreadable.get(rel);
    if (doc) files.push({ path: rel, contents: encoded(doc) });
    else if (error !== undefined) files.push({ path: rel, error });
    else files.push({ path: rel, abs });
  }
  return files;
}

/**
 * An open document's text as UTF-8 bytes, cached per version. Bytes cross into Wasm as one memory
 * copy; a JS string would be re-encoded by the wasm-bindgen glue's JS encoder on every lint, which
 * costs more than the parse of a multi-megabyte profile's worth of lines (measured: bench/relint.mjs).
 */
const encodedDocs = new Map<string, { version: number; bytes: Buffer }>();
function encoded(doc: TextDocument): Buffer {
  const hit = encodedDocs.get(doc.uri);
  if (hit && hit.version === doc.version) return hit.bytes;
  const bytes = Buffer.from(doc.getText(), "utf8");
  encodedDocs.set(doc.uri, { version: doc.version, bytes });
  return bytes;
}

function lintProject(p: Project): void {
  if (!settings.enable) return;
  const started = performance.now();
  let report: SiltReport | undefined;
  let count = 0;
  let wasmStarted = started;
  for (let attempt = 0; attempt < 2 && !report; attempt++) {
    try {
      ensureLinter(p);
      const files = inputs(p, openDocs());
      count = files.length;
      wasmStarted = performance.now();
      report = p.linter?.lint(files, p.changed);
      p.changed.clear();
    } catch (e) {
      logError(`silt: linting ${p.root} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!isTrap(e)) return;
      // A trap may leave the Wasm instance unusable: instantiate it again and retry once.
      safe("reloading the Wasm module", () => silt.reload(), undefined);
    }
  }
  if (!report) return;
  const linted = performance.now();
  p.lastReport = report;
  const published = publish(p, report);
  log(
    `silt: linted ${p.name}: ${count} files in ${(linted - started).toFixed(1)} ms ` +
      `(Wasm ${(linted - wasmStarted).toFixed(1)} ms, ${p.linter?.onWorkers ?? 0} files on worker threads), ` +
      `${report.diagnostics.length} findings, ` +
      `${published} files published (${ms(started)} ms in all)`,
  );
}

/** Publish what changed since the last time; returns how many files were sent. */
function publish(p: Project, report: SiltReport | undefined): number {
  const next = new Map<string, Shown>();
  if (settings.enable && report) {
    const open = new Map<string, string>();
    for (const [abs, doc] of openDocs()) open.set(abs, doc.uri);
    const uris = new Map<string, string>();
    const uriOfRel = (rel: string): string => {
      let uri = uris.get(rel);
      if (uri === undefined) {
        const abs = path.join(p.root, ...rel.split("/"));
        uri = open.get(abs) ?? URI.file(abs).toString();
        uris.set(rel, uri);
      }
      return uri;
    };
    for (const d of report.diagnostics) {
      if (!atLeast(d.severity, settings.severityThreshold)) continue;
      const uri = uriOfRel(d.file);
      let entry = next.get(uri);
      if (!entry) {
        entry = { rel: d.file, silt: [], lsp: [] };
        next.set(uri, entry);
      }
      entry.silt.push(d);
      entry.lsp.push(toDiagnostic(d, uriOfRel, (rule) => p.helpUris.get(rule)));
    }
  }
  if (settings.enable) {
    for (const [uri, list] of p.configProblems) {
      const entry = next.get(uri) ?? { silt: [], lsp: [] };
      entry.lsp.push(...list);
      next.set(uri, entry);
    }
  }
  let sent = 0;
  const send = (uri: string, diagnostics: Diagnostic[]) => {
    void connection.sendDiagnostics({ uri, diagnostics });
    sent++;
  };
  for (const [uri, entry] of next) {
    const key = JSON.stringify(entry.lsp);
    if (p.published.get(uri) !== key || p.forcePublish.has(uri)) {
      send(uri, entry.lsp);
      p.published.set(uri, key);
    }
  }
  for (const uri of [...p.published.keys()]) {
    if (!next.has(uri)) {
      send(uri, []);
      p.published.delete(uri);
    }
  }
  for (const uri of p.forcePublish) {
    if (!next.has(uri) && !p.published.has(uri)) send(uri, []);
  }
  p.forcePublish.clear();
  p.shown = next;
  return sent;
}

// ---------------------------------------------------------------------------------------------------
// Workspace setup

function setUp(): void {
  for (const p of projects) {
    p.cancel?.();
    p.linter?.dispose();
    for (const uri of p.published.keys()) void connection.sendDiagnostics({ uri, diagnostics: [] });
  }
  projects = folders.map((f) => new Project(f, false));
  for (const p of projects) safe(`opening ${p.folder}`, () => discover(p, "config"), undefined);
  // Open documents outside every project get loose projects.
  for (const abs of openDocs().keys()) safe("open document", () => projectForDoc(abs), undefined);
  for (const p of projects) {
    for (const [abs, doc] of openDocs()) if (relPath(p.root, abs) !== undefined) p.forcePublish.add(doc.uri);
    safe(`lint of ${p.root}`, () => lintProject(p), undefined);
  }
}

/** Whether a file can change a configuration: one in use, or any `.toml` (a silt.toml that would be
 * found, a custom rule file). Every project then opens its workspace again. */
function reconfigures(abs: string): boolean {
  if (!abs.toLowerCase().endsWith(".toml") && !projects.some((p) => p.configFile === abs)) return false;
  for (const p of projects) schedule(p, "config");
  return true;
}

/** Whether an edit to a file the project does not lint can change what it lints: a hidden file (the
 * ignore files: `.forceignore`, `.gitignore`, …) or one in `.git` (`.git/info/exclude`). */
function mayReselect(p: Project, abs: string): boolean {
  return path.basename(abs).startsWith(".") || abs.includes(`${path.sep}.git${path.sep}`) || isProjectFile(p, abs);
}

/** The SFDX project file: its package directories decide what is linted. */
function isProjectFile(p: Project, abs: string): boolean {
  const rel = relPath(p.root, abs);
  return rel !== undefined && p.selected.has(rel) && silt.classify(rel) === "SfdxProject";
}

// ---------------------------------------------------------------------------------------------------
// LSP handlers

connection.onInitialize((params: InitializeParams): InitializeResult => {
  return safe(
    "initialize",
    () => {
      const caps = params.capabilities;
      canRegisterWatchers = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
      canPullConfiguration = !!caps.workspace?.configuration;
      canRegisterConfiguration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
      workspaceFolderEvents = !!caps.workspace?.workspaceFolders;
      const init = (params.initializationOptions ?? {}) as { settings?: unknown; debounceMs?: unknown; silt?: unknown };
      if (typeof init.debounceMs === "number" && init.debounceMs >= 0) debounceMs = init.debounceMs;
      settings = readSettings(init.settings ?? init.silt);
      folders = (params.workspaceFolders ?? [])
        .map((f) => fsPathOf(f.uri))
        .filter((f): f is string => !!f);
      if (folders.length === 0) {
        const root = params.rootUri ? fsPathOf(params.rootUri) : params.rootPath;
        if (root) folders = [path.resolve(root)];
      }
      return result();
    },
    result(),
  );
});

function result(): InitializeResult {
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: false },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: "silt", version: safe("version", () => silt.version(), "unknown") },
  };
}

connection.onInitialized(async () => {
  const started = performance.now();
  try {
    // Registrations are not awaited: a client that is slow to answer must not hold up the first lint.
    const registered = (what: string) => (e: unknown) => logError(`silt: cannot register ${what}: ${String(e)}`);
    if (canRegisterWatchers) {
      connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [
            { globPattern: "**/*.{xml,json,csv,toml}" },
            { globPattern: "**/.*ignore" },
            { globPattern: "**/.git/info/exclude" },
          ],
        })
        .catch(registered("file watchers"));
    }
    if (canRegisterConfiguration) {
      connection.client.register(DidChangeConfigurationNotification.type, { section: "silt" }).catch(registered("settings"));
    }
    if (canPullConfiguration) {
      const timeout = new Promise<undefined>((res) => setTimeout(() => res(undefined), 2000));
      const pulled = (await Promise.race([connection.workspace.getConfiguration("silt"), timeout])) as unknown;
      if (pulled && typeof pulled === "object") settings = readSettings(pulled, settings);
    }
    if (workspaceFolderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders((e) =>
        safe("workspace folders", () => {
          const removed = new Set(e.removed.map((f) => fsPathOf(f.uri)));
          folders = folders.filter((f) => !removed.has(f));
          for (const f of e.added) {
            const p = fsPathOf(f.uri);
            if (p && !folders.includes(p)) folders.push(p);
          }
          setUp();
        }, undefined),
      );
    }
  } catch (e) {
    logError(`silt: client setup failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  safe("loading the Wasm module", () => log(`silt ${silt.version()} (Wasm), debounce ${debounceMs} ms`), undefined);
  safe("setup", () => setUp(), undefined);
  ready = true;
  log(`silt: ready in ${ms(started)} ms (${projects.length} lint roots)`);
});

connection.onDidChangeConfiguration((change) => {
  safe(
    "configuration change",
    () => {
      const raw = (change.settings as { silt?: unknown } | null)?.silt;
      const apply = (s: Settings) => {
        const before = settings;
        settings = s;
        if (before.configPath !== s.configPath || (!before.enable && s.enable)) {
          if (ready) for (const p of projects) schedule(p, "config");
        } else {
          for (const p of projects) publish(p, p.lastReport);
        }
      };
      if (raw !== undefined) {
        apply(readSettings(raw, settings));
      } else if (canPullConfiguration) {
        void connection.workspace.getConfiguration("silt").then(
          (pulled) => safe("configuration", () => apply(readSettings(pulled, settings)), undefined),
          (e) => logError(`silt: cannot read the settings: ${String(e)}`),
        );
      }
    },
    undefined,
  );
});

function onDocument(uri: string, opened: boolean): void {
  if (!ready) return; // setUp lints every open document
  const abs = fsPathOf(uri);
  if (!abs || reconfigures(abs)) return;
  const p = projectForDoc(abs);
  if (!p) return;
  // The edited document always gets a publish for its new text, even when its findings are the same:
  // the client learns that this version was linted. Other files only when their findings change.
  p.forcePublish.add(uri);
  // A document the project does not lint yet (a new, unsaved file) may join it when opened.
  const reselect = selects(p, abs) ? isProjectFile(p, abs) : opened || mayReselect(p, abs);
  schedule(p, reselect ? "files" : undefined);
}

documents.onDidOpen((e) => safe("didOpen", () => onDocument(e.document.uri, true), undefined));
documents.onDidChangeContent((e) => safe("didChange", () => onDocument(e.document.uri, false), undefined));
documents.onDidClose((e) =>
  safe(
    "didClose",
    () => {
      encodedDocs.delete(e.document.uri);
      if (!ready) return;
      const abs = fsPathOf(e.document.uri);
      if (!abs || reconfigures(abs)) return;
      const loose = projects.find((p) => p.loose && p.folder === abs);
      if (loose) {
        // A loose file is linted only while it is open.
        loose.cancel?.();
        for (const uri of loose.published.keys()) void connection.sendDiagnostics({ uri, diagnostics: [] });
        loose.linter?.dispose();
        projects = projects.filter((q) => q !== loose);
        return;
      }
      const p = ownerOf(abs);
      if (!p) return;
      // Back to the disk's contents; a file that exists only in the editor leaves the project.
      const reselect = selects(p, abs) ? !fs.existsSync(abs) || isProjectFile(p, abs) : mayReselect(p, abs);
      schedule(p, reselect ? "files" : undefined);
    },
    undefined,
  ),
);

connection.onDidChangeWatchedFiles((params) =>
  safe(
    "didChangeWatchedFiles",
    () => {
      if (!ready) return;
      for (const change of params.changes) {
        const abs = fsPathOf(change.uri);
        if (!abs || reconfigures(abs)) continue;
        const p = ownerOf(abs);
        const rel = p && relPath(p.root, abs);
        if (!p || rel === undefined) continue;
        if (p.selected.has(rel) && !isProjectFile(p, abs)) {
          // A file the project lints: read again, or dropped.
          if (change.type === FileChangeType.Deleted) {
            p.selected.delete(rel);
            p.unreadable.delete(rel);
          } else {
            p.changed.add(rel);
          }
          schedule(p);
        } else if (change.type === FileChangeType.Deleted && [...p.selected.keys()].some((k) => k.startsWith(rel + "/"))) {
          // A folder: drop everything below it.
          for (const key of [...p.selected.keys()]) {
            if (key.startsWith(rel + "/")) {
              p.selected.delete(key);
              p.unreadable.delete(key);
            }
          }
          schedule(p);
        } else {
          // Anything else (a new file or folder, an ignore file, the project file): ask silt again.
          schedule(p, "files");
        }
      }
    },
    undefined,
  ),
);

/** The findings shown for a document. */
function shownFor(uri: string): { project: Project; entry: Shown } | undefined {
  const abs = fsPathOf(uri);
  for (const p of projects) {
    const entry = p.shown.get(uri) ?? (abs ? p.shown.get(URI.file(abs).toString()) : undefined);
    if (entry) return { project: p, entry };
  }
  if (abs) {
    for (const p of projects) {
      for (const [u, entry] of p.shown) if (fsPathOf(u) === abs) return { project: p, entry };
    }
  }
  return undefined;
}

function explain(p: Project, rule: string): string | undefined {
  const cached = p.explained.get(rule);
  if (cached !== undefined) return cached;
  try {
    ensureLinter(p);
    const md = p.linter?.explain(rule);
    if (md !== undefined) p.explained.set(rule, md);
    return md;
  } catch {
    return undefined;
  }
}

/** The word (name or username characters) at a position of a line: [start, end). */
function wordAt(line: string, character: number): [number, number] | undefined {
  const ok = (c: string) => /[A-Za-z0-9_@.+\-]/.test(c);
  let start = character;
  let end = character;
  while (start > 0 && ok(line[start - 1])) start--;
  while (end < line.length && ok(line[end])) end++;
  return end > start ? [start, end] : undefined;
}

/**
 * Effective access on hover (silt's access model, from the Wasm build): on a user permission's
 * `<name>` in a permission set, profile or muting permission set, the users it reaches through this
 * file (and through which group) or that it is muted; on a username in user data, that user's
 * dangerous effective permissions.
 */
function accessHover(uri: string, pos: { line: number; character: number }): { markdown: string; range: Range } | undefined {
  const abs = fsPathOf(uri);
  const p = abs ? ownerOf(abs) : undefined;
  if (!abs || !p?.linter) return undefined;
  const rel = relPath(p.root, abs);
  if (rel === undefined) return undefined;
  const text = readText(abs);
  const line = text?.split(/\r?\n|\r/)[pos.line];
  if (line === undefined) return undefined;
  const w = wordAt(line, pos.character);
  if (!w) return undefined;
  const word = line.slice(w[0], w[1]);
  const range: Range = { start: { line: pos.line, character: w[0] }, end: { line: pos.line, character: w[1] } };
  const kind = silt.classify(rel);
  const md = (s: string) => s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
  if (kind === "Profile" || kind === "PermissionSet" || kind === "PermissionSetPart" || kind === "MutingPermissionSet") {
    if (line.slice(0, w[0]).trimEnd().slice(-6) !== "<name>" || !line.slice(w[1]).startsWith("</name>")) return undefined;
    const report = p.linter.access({ permission: word });
    const rows: string[] = [];
    for (const u of report.users) {
      const who = u.username ? `\`${md(u.username)}\`` : `users on profile \`${md(u.profile ?? "")}\``;
      for (const g of u.grants) {
        const here = g.via.some((h) => h.file === rel) || g.mutedBy?.file === rel;
        if (!here) continue;
        const group = g.via.find((h) => h.kind === "PermissionSetGroup");
        const through = group ? `through group \`${md(group.name)}\`` : g.via.length > 1 ? `through ${md(g.via[0].kind)} \`${md(g.via[0].name)}\`` : "directly";
        rows.push(g.muted ? `- ${who}: muted by \`${md(g.mutedBy?.name ?? "")}\` (${through})` : `- ${who}: ${through}`);
      }
    }
    const head = `**silt access: \`${md(word)}\`**`;
    return { markdown: rows.length ? `${head}, reached through this file:\n\n${rows.join("\n")}` : `${head}: reaches no user of the project through this file`, range };
  }
  if (kind === "UserDef" || kind === "Csv" || kind === "JsonData" || kind === "BulkXml") {
    if (!word.includes("@")) return undefined;
    const u = p.linter.access({ user: word }).users[0];
    if (!u || !u.username) return undefined;
    const rows = u.tiers.map((t) => `- tier ${t.tier}: ${t.permissions.map((n) => `\`${md(n)}\``).join(", ")}`);
    const muted = [...new Set(u.grants.filter((g) => g.muted && g.tier !== undefined).map((g) => `\`${md(g.permission)}\` by \`${md(g.mutedBy?.name ?? "")}\``))];
    if (muted.length) rows.push(`- muted: ${muted.join(", ")}`);
    const head = `**silt access: \`${md(u.username)}\`**${u.integration ? " (integration user)" : ""}`;
    return { markdown: rows.length ? `${head}, dangerous effective permissions:\n\n${rows.join("\n")}` : `${head}: no dangerous effective permission`, range };
  }
  return undefined;
}

connection.onHover(
  (params): Hover | null =>
    safe(
      "hover",
      () => {
        const access = accessHover(params.textDocument.uri, params.position);
        const found = shownFor(params.textDocument.uri);
        const hits = found ? found.entry.silt.filter((d) => contains(toRange(d.range), params.position)) : [];
        const rules = [...new Set(hits.map((d) => d.rule))];
        const docs = found ? rules.map((r) => explain(found.project, r)).filter((m): m is string => !!m) : [];
        if (access) docs.unshift(access.markdown);
        if (docs.length === 0) return null;
        return {
          contents: { kind: MarkupKind.Markdown, value: docs.join("\n\n---\n\n") },
          range: access ? access.range : toRange(hits[0].range),
        };
      },
      null,
    ),
);

connection.onCodeAction(
  (params: CodeActionParams): CodeAction[] =>
    safe(
      "codeAction",
      () => {
        const only = params.context.only;
        if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(k + "."))) {
          return [];
        }
        const found = shownFor(params.textDocument.uri);
        if (!found) return [];
        const { project: p, entry } = found;
        // The diagnostics the client names (by fingerprint), else every finding in the range.
        const named = params.context.diagnostics
          .filter((d) => d.source === SOURCE && d.data && typeof (d.data as DiagnosticData).fingerprint === "string")
          .map((d) => (d.data as DiagnosticData).fingerprint);
        const pairs: { silt: SiltDiagnostic; lsp: Diagnostic }[] = [];
        entry.silt.forEach((d, i) => {
          const lsp = entry.lsp[i];
          const wanted = named.length > 0 ? named.includes(d.fingerprint) && overlaps(lsp.range, params.range) : overlaps(lsp.range, params.range);
          if (wanted) pairs.push({ silt: d, lsp });
        });
        const actions: CodeAction[] = [];
        const uriOfRel = (rel: string) => uriOf(p, rel);
        for (const { silt: d, lsp } of pairs) {
          const changes = fixChanges(d, uriOfRel);
          if (changes && d.fix) {
            actions.push({
              title: `Fix: ${d.fix.description} (${d.rule})`,
              kind: CodeActionKind.QuickFix,
              diagnostics: [lsp],
              isPreferred: true,
              edit: { changes },
            });
          }
        }
        const suppressed = new Set<string>();
        const text = entry.rel ? readText(path.join(p.root, ...entry.rel.split("/"))) : undefined;
        const lines = text?.split("\n") ?? [];
        for (const { silt: d, lsp } of pairs) {
          if (!entry.rel || text === undefined) continue;
          if (!canSuppress(d, entry.rel, lines[lsp.range.start.line] ?? "")) continue;
          const key = `${d.rule}@${lsp.range.start.line}`;
          if (suppressed.has(key)) continue;
          suppressed.add(key);
          const edit: TextEdit = suppressEdit(text, lsp.range.start.line, d.rule);
          actions.push({
            title: `Suppress ${d.rule} with a comment`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [lsp],
            edit: { changes: { [params.textDocument.uri]: [edit] } },
          });
        }
        return actions;
      },
      [],
    ),
);

/**
 * `silt/status` (a silt extension of LSP, for tests and bug reports): per lint root, how many files
 * are selected and how many the linter keeps results of, and which file texts the server holds (the
 * open documents only: closed files are read from disk when they must be checked again).
 */
connection.onRequest("silt/status", () =>
  safe(
    "status",
    () => ({
      projects: projects.map((p) => ({ root: p.root, loose: p.loose, selected: p.selected.size, linted: p.linter?.fileCount ?? 0 })),
      texts: [...new Set([...documents.all().map((d) => d.uri), ...encodedDocs.keys()])].sort(),
      textBytes: [...encodedDocs.values()].reduce((n, e) => n + e.bytes.length, 0),
    }),
    { projects: [], texts: [], textBytes: 0 },
  ),
);

connection.onShutdown(() => {
  for (const p of projects) p.cancel?.();
});

process.on("uncaughtException", (e) => logError(`silt: uncaught exception: ${e?.stack ?? String(e)}`));
process.on("unhandledRejection", (e) => logError(`silt: unhandled rejection: ${String(e)}`));

documents.listen(connection);
connection.listen();
