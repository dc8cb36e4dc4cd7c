// silt language server: lints the SFDX projects of the workspace with the silt Wasm package and
// publishes every project file's findings (a finding in one file can come from another: a user
// definition is flagged because of the permission set it assigns, so all files are republished
// whenever their findings change). Speaks LSP over IPC (VS Code) or stdio (`node server.js --stdio`).

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
import {
  CONFIG_FILE,
  PROJECT_FILE,
  accepts,
  enclosingProject,
  findConfig,
  findProjectRoots,
  isIgnored,
  packageDirs,
  relPath,
  walkProject,
} from "./project";
import { ConfigErrorFields, ConfiguredLinter, InputFile, RuleMeta, Silt, SiltDiagnostic, SiltReport, SiltSeverity, isTrap } from "./silt";

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

/** One lint root: an SFDX project, a plain workspace folder, or the folder of a loose open file. */
class Project {
  pkgs: string[] | null = null;
  configFile: string | undefined;
  ruleFiles: string[] = [];
  linter: ConfiguredLinter | undefined;
  linterGeneration = -1;
  /** Problems of silt.toml or a custom rule file: uri → diagnostics. */
  configProblems = new Map<string, Diagnostic[]>();
  /** Files read from disk: relative path → bytes (or why they could not be read, or the size of one
   * over the size limit). */
  disk = new Map<string, Buffer | { error: string } | { size: number }>();
  /** What was last published: uri → serialized diagnostics. */
  published = new Map<string, string>();
  /** The findings shown now, by uri (hover and code actions read these). */
  shown = new Map<string, Shown>();
  lastReport: SiltReport | undefined;
  forcePublish = new Set<string>();
  timer: NodeJS.Timeout | undefined;
  helpUris = new Map<string, string>();
  explained = new Map<string, string>();

  constructor(
    readonly root: string,
    readonly hasProject: boolean,
    readonly loose: boolean,
    readonly folder: string,
    public nested: string[] = [],
  ) {}

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

/** The project an open document is linted in (a loose project for a metadata file outside all). */
function projectForDoc(abs: string): Project | undefined {
  const owner = ownerOf(abs);
  if (owner) return owner;
  const dir = path.dirname(abs);
  if (silt.classify(path.basename(abs)) === null) return undefined;
  let loose = projects.find((p) => p.loose && p.root === dir);
  if (!loose) {
    loose = new Project(dir, false, true, dir);
    projects.push(loose);
    safe("configure", () => configure(loose as Project), undefined);
  }
  return loose;
}

function selection(p: Project) {
  const linter = p.linter;
  return {
    classify: (rel: string) => silt.classify(rel),
    isIncluded: (rel: string) => (linter ? linter.isIncluded(rel) : true),
    isUserData: (rel: string) => (linter ? linter.isUserData(rel) : false),
  };
}

function accepted(p: Project, rel: string): boolean {
  return accepts(selection(p), rel, p.hasProject, p.pkgs);
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
// Configuration (silt.toml and custom rules)

function configPathSetting(p: Project): string | undefined {
  const s = settings.configPath.trim();
  if (!s) return undefined;
  return path.isAbsolute(s) ? s : path.resolve(p.folder, s);
}

function display(p: Project, abs: string): string {
  return relPath(p.root, abs) ?? abs;
}

/** A configuration problem → a diagnostic on its file: silt's configuration errors carry `file` (as
 * shown in `files`), `line`, `column` and `reason`; the server's own name the file and a reason. */
function configProblem(p: Project, e: unknown, files: Map<string, string>, fallback: string): void {
  const c: Partial<ConfigErrorFields> = typeof e === "object" && e !== null ? e : {};
  const known = typeof c.file === "string" ? files.get(c.file) : undefined;
  const abs = known ?? fallback;
  const placed = known !== undefined;
  const line = placed && typeof c.line === "number" ? Math.max(0, c.line - 1) : 0;
  const character = placed && typeof c.column === "number" ? Math.max(0, c.column - 1) : 0;
  const text = (placed && c.reason) || (e instanceof Error ? e.message : String(e));
  const uri = openDoc(abs)?.uri ?? URI.file(abs).toString();
  const list = p.configProblems.get(uri) ?? [];
  list.push({
    range: { start: { line, character }, end: { line, character: character + 1 } },
    severity: DiagnosticSeverity.Error,
    code: "config-error",
    source: SOURCE,
    message: `${text} (silt lints with the default configuration until this is fixed)`,
  });
  p.configProblems.set(uri, list);
}

/** Find and read the configuration and custom rules, and build the project's linter. */
function configure(p: Project): void {
  p.linter?.dispose();
  p.linter = undefined;
  p.configProblems.clear();
  p.helpUris.clear();
  p.explained.clear();
  p.ruleFiles = [];
  p.configFile = configPathSetting(p) ?? findConfig(p.root);
  const shownToAbs = new Map<string, string>();
  let setup: { config?: string; configPath?: string; customRules?: InputFile[] } = {};
  if (p.configFile) {
    const configAbs = p.configFile;
    const configShown = display(p, configAbs);
    shownToAbs.set(configShown, configAbs);
    const text = readText(configAbs);
    if (text === undefined) {
      configProblem(p, { file: configShown, reason: "cannot read the configuration" }, shownToAbs, configAbs);
    } else {
      setup = { config: text, configPath: configShown, customRules: [] };
      try {
        for (const rel of silt.customRuleFiles(text, configShown)) {
          const abs = path.resolve(path.dirname(configAbs), rel);
          p.ruleFiles.push(abs);
          const shown = display(p, abs);
          shownToAbs.set(shown, abs);
          const contents = readText(abs);
          if (contents === undefined) {
            const reason = `cannot read custom rule file \`${rel}\``;
            throw Object.assign(new Error(`${configShown}: ${reason}`), { file: configShown, reason });
          }
          setup.customRules?.push({ path: shown, contents });
        }
      } catch (e) {
        configProblem(p, e, shownToAbs, configAbs);
        setup = {};
      }
    }
  }
  try {
    p.linter = silt.createLinter(setup);
  } catch (e) {
    if (isTrap(e)) throw e;
    configProblem(p, e, shownToAbs, p.configFile ?? p.root);
    p.linter = silt.createLinter({});
  }
  p.linterGeneration = silt.generation;
  for (const r of safe("rules", () => p.linter?.rules() ?? [], [] as RuleMeta[])) {
    // Only web links: a custom rule's `docs` could be `command:` (runs an editor command when
    // clicked), `file:` or anything else.
    const href = r.help_uri;
    if (typeof href === "string" && /^https?:\/\/[^\s]+$/i.test(href)) p.helpUris.set(r.name, href);
  }
}

/** Walk the project and read its files. */
function index(p: Project): void {
  const started = performance.now();
  p.pkgs = p.hasProject ? packageDirs(p.root, log) : null;
  p.disk.clear();
  if (p.loose) return;
  const files = walkProject(p.root, (rel) => accepted(p, rel), p.nested);
  let bytes = 0;
  for (const [rel, abs] of files) {
    p.disk.set(rel, readFile(p, abs));
    const b = p.disk.get(rel);
    if (Buffer.isBuffer(b)) bytes += b.length;
  }
  log(`silt: indexed ${p.root}: ${p.disk.size} files, ${(bytes / 1024).toFixed(0)} KiB in ${ms(started)} ms`);
}

/** A file's bytes; over the configuration's size limit only its size (the core reports it). */
function readFile(p: Project, abs: string): Buffer | { error: string } | { size: number } {
  try {
    const st = fs.statSync(abs);
    if (p.linter && st.size > p.linter.maxFileSize) return { size: st.size };
    return fs.readFileSync(abs);
  } catch (e) {
    return { error: `cannot read the file: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function ms(since: number): string {
  return (performance.now() - since).toFixed(1);
}

// ---------------------------------------------------------------------------------------------------
// Linting and publishing

function schedule(p: Project, delay = debounceMs): void {
  if (p.timer) clearTimeout(p.timer);
  const run = () => {
    p.timer = undefined;
    safe(`lint of ${p.root}`, () => lintProject(p), undefined);
  };
  p.timer = delay <= 0 ? (setImmediate(run) as unknown as NodeJS.Timeout) : setTimeout(run, delay);
}

function ensureLinter(p: Project): void {
  if (!p.linter || p.linterGeneration !== silt.generation) configure(p);
}

/** The files of a lint: disk contents, overridden by open editors; open new files added. */
function inputs(p: Project, docs: Map<string, TextDocument>): InputFile[] {
  const files = new Map<string, InputFile>();
  for (const [rel, c] of p.disk) {
    files.set(rel, Buffer.isBuffer(c) ? { path: rel, contents: c } : { path: rel, ...c });
  }
  for (const [abs, doc] of docs) {
    const rel = relPath(p.root, abs);
    if (rel === undefined) continue;
    if (!files.has(rel)) {
      // Not on disk (new, unsaved, or not read): lint it if silt would read it there.
      if (p.loose ? path.dirname(abs) !== p.root : ownerOf(abs) !== p) continue;
      if (!accepted(p, rel) || (!p.loose && isIgnored(p.root, rel))) continue;
    }
    files.set(rel, { path: rel, contents: encoded(doc) });
  }
  return [...files.values()];
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
      report = p.linter?.lint(files);
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
      `(Wasm ${(linted - wasmStarted).toFixed(1)} ms), ${report.diagnostics.length} findings, ` +
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
    if (p.timer) clearTimeout(p.timer);
    p.linter?.dispose();
    for (const uri of p.published.keys()) void connection.sendDiagnostics({ uri, diagnostics: [] });
  }
  projects = [];
  const roots = new Map<string, { hasProject: boolean; folder: string }>();
  for (const folder of folders) {
    const found = findProjectRoots(folder);
    const above = enclosingProject(folder);
    if (above && !found.includes(above)) found.unshift(above);
    if (found.length === 0) {
      roots.set(folder, { hasProject: false, folder });
    }
    for (const r of found) if (!roots.has(r)) roots.set(r, { hasProject: true, folder });
  }
  const all = [...roots.keys()];
  for (const [root, { hasProject, folder }] of roots) {
    const nested = all.filter((r) => r !== root && relPath(root, r) !== undefined);
    projects.push(new Project(root, hasProject, false, folder, nested));
  }
  for (const p of projects) {
    safe(`configuring ${p.root}`, () => configure(p), undefined);
    safe(`indexing ${p.root}`, () => index(p), undefined);
  }
  // Open documents outside every project get loose projects.
  for (const abs of openDocs().keys()) safe("open document", () => projectForDoc(abs), undefined);
  for (const p of projects) {
    for (const [abs, doc] of openDocs()) if (relPath(p.root, abs) !== undefined) p.forcePublish.add(doc.uri);
    safe(`lint of ${p.root}`, () => lintProject(p), undefined);
  }
}

function refresh(p: Project): void {
  configure(p);
  index(p);
  schedule(p);
}

/** Projects a silt.toml or custom rule file at `abs` configures. */
function configuredBy(abs: string): Project[] {
  const isConfigName = path.basename(abs).toLowerCase() === CONFIG_FILE;
  const dir = path.dirname(abs);
  return projects.filter(
    (p) =>
      p.configFile === abs ||
      p.ruleFiles.includes(abs) ||
      (isConfigName && !configPathSetting(p) && (p.root === dir || relPath(dir, p.root) !== undefined)),
  );
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
            { globPattern: "**/.forceignore" },
            { globPattern: "**/.gitignore" },
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
          if (ready) for (const p of projects) refresh(p);
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

function onDocument(uri: string): void {
  if (!ready) return; // setUp lints every open document
  const abs = fsPathOf(uri);
  if (!abs) return;
  const configured = configuredBy(abs);
  if (configured.length > 0) {
    for (const p of configured) {
      if (p.timer) clearTimeout(p.timer);
      p.timer = setTimeout(() => {
        p.timer = undefined;
        safe(`reconfiguring ${p.root}`, () => refresh(p), undefined);
      }, debounceMs);
    }
    return;
  }
  if (path.basename(abs) === PROJECT_FILE) {
    const p = ownerOf(abs);
    if (p && p.root === path.dirname(abs)) {
      p.pkgs = packageDirs(p.root, log);
    }
  }
  const p = projectForDoc(abs);
  if (!p) return;
  // The edited document always gets a publish for its new text, even when its findings are the same:
  // the client learns that this version was linted. Other files only when their findings change.
  p.forcePublish.add(uri);
  schedule(p);
}

// Fired for didOpen too.
documents.onDidChangeContent((e) => safe("didOpen/didChange", () => onDocument(e.document.uri), undefined));
documents.onDidClose((e) =>
  safe(
    "didClose",
    () => {
      encodedDocs.delete(e.document.uri);
      if (!ready) return;
      const abs = fsPathOf(e.document.uri);
      if (!abs) return;
      const configured = configuredBy(abs);
      if (configured.length > 0) {
        for (const p of configured) refresh(p);
        return;
      }
      const p = projectForDoc(abs);
      if (!p) return;
      if (p.loose) {
        // A loose file is linted only while it is open.
        schedule(p);
        if (!documents.all().some((d) => d.uri !== e.document.uri && path.dirname(fsPathOf(d.uri) ?? "") === p.root)) {
          if (p.timer) clearTimeout(p.timer);
          for (const uri of p.published.keys()) void connection.sendDiagnostics({ uri, diagnostics: [] });
          p.linter?.dispose();
          projects = projects.filter((q) => q !== p);
        }
        return;
      }
      schedule(p);
    },
    undefined,
  ),
);

connection.onDidChangeWatchedFiles((params) =>
  safe(
    "didChangeWatchedFiles",
    () => {
      if (!ready) return;
      const refreshed = new Set<Project>();
      const relint = new Set<Project>();
      let rediscover = false;
      for (const change of params.changes) {
        const abs = fsPathOf(change.uri);
        if (!abs) continue;
        const name = path.basename(abs);
        if (name === PROJECT_FILE) {
          rediscover = true;
          continue;
        }
        const configured = configuredBy(abs);
        if (configured.length > 0) {
          configured.forEach((p) => refreshed.add(p));
          continue;
        }
        const p = ownerOf(abs);
        if (!p) continue;
        if (name === ".forceignore" || name === ".gitignore") {
          refreshed.add(p);
          continue;
        }
        const rel = relPath(p.root, abs);
        if (rel === undefined) continue;
        if (change.type === FileChangeType.Deleted) {
          // A file, or a folder: drop everything below it.
          for (const key of [...p.disk.keys()]) {
            if (key === rel || key.startsWith(rel + "/")) {
              p.disk.delete(key);
              relint.add(p);
            }
          }
          continue;
        }
        let isDir = false;
        try {
          isDir = fs.statSync(abs).isDirectory();
        } catch {
          continue;
        }
        if (isDir) {
          refreshed.add(p); // a folder appeared (copied or moved in): walk again
        } else if (accepted(p, rel) && !isIgnored(p.root, rel)) {
          p.disk.set(rel, readFile(p, abs));
          relint.add(p);
        } else if (p.disk.delete(rel)) {
          relint.add(p);
        }
      }
      if (rediscover) {
        setUp();
        return;
      }
      for (const p of refreshed) refresh(p);
      for (const p of relint) if (!refreshed.has(p)) schedule(p);
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

connection.onHover(
  (params): Hover | null =>
    safe(
      "hover",
      () => {
        const found = shownFor(params.textDocument.uri);
        if (!found) return null;
        const hits = found.entry.silt.filter((d) => contains(toRange(d.range), params.position));
        if (hits.length === 0) return null;
        const rules = [...new Set(hits.map((d) => d.rule))];
        const docs = rules.map((r) => explain(found.project, r)).filter((m): m is string => !!m);
        if (docs.length === 0) return null;
        return {
          contents: { kind: MarkupKind.Markdown, value: docs.join("\n\n---\n\n") },
          range: toRange(hits[0].range),
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

connection.onShutdown(() => {
  for (const p of projects) if (p.timer) clearTimeout(p.timer);
});

process.on("uncaughtException", (e) => logError(`silt: uncaught exception: ${e?.stack ?? String(e)}`));
process.on("unhandledRejection", (e) => logError(`silt: unhandled rejection: ${String(e)}`));

documents.listen(connection);
connection.listen();
