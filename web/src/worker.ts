// The lint worker: loads the silt Wasm module, holds what the user gave (folder, zip, text) in memory
// and lets silt's workspace layer (the Wasm `Workspace`, over the in-memory host of host.ts) select
// what `silt lint <folder>` would read and load silt.toml and custom rules; then reads only that,
// lints and answers the page. Nothing is stored: the input stays in this worker's memory (File
// handles, the zip's bytes, pasted text) for re-runs and the source view, and the last run's linter
// its per-file results for exports and the access view, until the next input replaces them.

import init, { Linter, Workspace, classify, customRuleFiles, diff, explain, handOver, rules, skippedDirs, starterConfig, version } from "silt-lint/web";
import type { ConfigError, DiffReport, InputFile } from "silt-lint/web";
import { Budget, listZip, readEntry } from "./zip.ts";
import { memoryHost, type HostFile } from "./host.ts";
import { readError, streamFiles, type FileData, type Streamed } from "./read.ts";
import type { CheckerJob, CheckerReply } from "./checker.ts";
import type { ConfigProblem, DiffResult, InitResult, LintResult, Progress, Reply, Report, Request, RuleMeta, Source } from "./types.ts";

interface WorkerScope {
  postMessage(message: unknown): void;
  onmessage: ((e: MessageEvent) => void) | null;
}
const scope = self as unknown as WorkerScope;
/** Workers only (the page's typings are DOM's). */
declare class FileReaderSync {
  readAsArrayBuffer(blob: Blob): ArrayBuffer;
}

/** The module, compiled once: this worker's instance and the checker worker's (checker.ts) share it. */
const wasmModule: Promise<WebAssembly.Module> = (async () => {
  const res = await fetch(new URL("../../packages/silt/web/silt_bg.wasm", import.meta.url));
  if (!res.ok) throw new Error(`cannot load silt's Wasm module: HTTP ${res.status}`);
  return WebAssembly.compile(await res.arrayBuffer());
})();
const ready = wasmModule.then((module) => init({ module_or_path: module }));

function post(reply: Reply): void {
  scope.postMessage(reply);
}

// ---------------------------------------------------------------------------------------------
// Text decoding

/** UTF-8 keeping a byte-order mark: silt's positions count it, as the core reads it. */
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** A file's text the way silt-core's `source::decode` reads it, so columns line up. */
function decodeSource(b: Uint8Array): string {
  if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder("utf-16le").decode(b);
  if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder("utf-16be").decode(b);
  try {
    return new TextDecoder("utf-8", { ignoreBOM: true, fatal: true }).decode(b);
  } catch {
    const head = new TextDecoder("utf-8").decode(b.subarray(0, 200)).toLowerCase();
    if (head.startsWith("<?xml") && ["iso-8859-1", "latin1", "latin-1", "windows-1252", "iso8859-1"].some((n) => head.includes(n))) {
      let s = "";
      for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
      return s;
    }
    return utf8.decode(b);
  }
}

// ---------------------------------------------------------------------------------------------
// Inputs: a list of paths and a way to read some of them

/** A file's bytes, why it could not be read, or (over the size limit, not read) its size. */
type Read = Map<string, FileData>;

interface Input {
  kind: Source["kind"];
  /** Every file's path, relative to the lint root. */
  paths: string[];
  /** A top folder removed from zip entry paths (`unpackaged`). */
  strippedPrefix: string | null;
  /** The files for the workspace host, read synchronously (a fresh zip budget each time). */
  hostFiles(): Map<string, HostFile>;
  /** Files over `maxSize` bytes are not read: their size is given instead. */
  read(paths: string[], maxSize: number, progress?: (done: number, total: number) => void): Promise<Read>;
  /** The same, one file at a time in the order given, for a run that checks each file as it comes and
   * drops its bytes: only a few files are read ahead (read.ts), so memory stays flat. */
  stream(paths: string[], maxSize: number): AsyncGenerator<Streamed>;
  /** A chosen file itself (folders and files only), to hand to the checker worker. */
  file?(path: string): File | undefined;
  /** Files the page left out (in folders silt never walks): counted as seen, never read. */
  skipped?: number;
}

/** A failed host read: Rust turns the code into the CLI's message. */
function hostError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

function filesInput(files: { path: string; file: File }[]): Input {
  const byPath = new Map(files.map((f) => [f.path, f.file] as const));
  return {
    kind: "files",
    paths: [...byPath.keys()],
    strippedPrefix: null,
    file: (path) => byPath.get(path),
    hostFiles() {
      const reader = new FileReaderSync();
      return new Map(
        [...byPath].map(([p, file]) => [p, { size: file.size, read: (max: number) => new Uint8Array(reader.readAsArrayBuffer(file.slice(0, max + 1))) }]),
      );
    },
    async read(paths, maxSize, progress) {
      const out: Read = new Map();
      let next = 0;
      let done = 0;
      let last = 0;
      const one = async () => {
        while (next < paths.length) {
          const path = paths[next++];
          const file = byPath.get(path);
          try {
            if (!file) throw new Error("not in the chosen files");
            out.set(path, file.size > maxSize ? { size: file.size } : new Uint8Array(await file.arrayBuffer()));
          } catch (e) {
            out.set(path, readError(e));
          }
          done++;
          const now = performance.now();
          if (progress && (now - last > 40 || done === paths.length)) {
            last = now;
            progress(done, paths.length);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(16, paths.length) }, one));
      return out;
    },
    stream: (paths, maxSize) => streamFiles(paths, (path) => byPath.get(path), maxSize),
  };
}

/** The one top folder all zip entries share (`unpackaged`), if any: it becomes the lint root. */
function commonTopFolder(paths: string[]): string | null {
  let top: string | null = null;
  for (const p of paths) {
    const slash = p.indexOf("/");
    if (slash <= 0) return null;
    const first = p.slice(0, slash);
    if (top === null) top = first;
    else if (top !== first) return null;
  }
  return top;
}

function zipInput(bytes: Uint8Array): Input {
  // List the entries without inflating anything (zip.ts: limits on entries and inflated sizes).
  const entries = listZip(bytes)
    .map((e) => ({ ...e, name: e.name.replace(/\\/g, "/") }))
    .filter((e) => !e.name.endsWith("/") && !e.name.startsWith("__MACOSX/"));
  const top = commonTopFolder(entries.map((e) => e.name));
  const rel = (name: string) => (top ? name.slice(top.length + 1) : name);
  const byPath = new Map(entries.map((e) => [rel(e.name), e] as const));
  return {
    kind: "zip",
    paths: [...byPath.keys()],
    strippedPrefix: top,
    hostFiles() {
      const budget = new Budget();
      const read = (e: (typeof entries)[number], max: number) => {
        const r = readEntry(bytes, e, max, budget);
        if (r instanceof Uint8Array) return r;
        throw "size" in r ? hostError("EFBIG", `${e.name}: over ${max} bytes`) : hostError("EIO", r.error);
      };
      return new Map([...byPath].map(([p, e]) => [p, { size: e.size, read: (max: number) => read(e, max) }]));
    },
    async read(paths, maxSize, progress) {
      const out: Read = new Map();
      const budget = new Budget();
      let last = 0;
      paths.forEach((p, i) => {
        const e = byPath.get(p);
        out.set(p, e ? readEntry(bytes, e, maxSize, budget) : { error: "cannot read file: not in the zip" });
        const now = performance.now();
        if (progress && (now - last > 40 || i + 1 === paths.length)) {
          last = now;
          progress(i + 1, paths.length);
        }
      });
      return out;
    },
    async *stream(paths, maxSize) {
      // Inflated one entry at a time, on demand.
      const budget = new Budget();
      for (const path of paths) {
        const e = byPath.get(path);
        const data = e ? readEntry(bytes, e, maxSize, budget) : { error: "cannot read file: not in the zip" };
        yield { path, data, size: data instanceof Uint8Array ? data.length : 0 };
      }
    },
  };
}

const encoder = new TextEncoder();

/** A file held in memory. */
function bytesFile(b: Uint8Array): HostFile {
  return { size: b.length, read: () => b };
}

function textsInput(files: { path: string; contents: string }[]): Input {
  const byPath = new Map(files.map((f) => [f.path, encoder.encode(f.contents)] as const));
  return {
    kind: "texts",
    paths: [...byPath.keys()],
    strippedPrefix: null,
    hostFiles: () => new Map([...byPath].map(([p, b]) => [p, bytesFile(b)])),
    async read(paths) {
      // Pasted text is checked against the size limit by the core.
      const out: Read = new Map();
      for (const p of paths) out.set(p, byPath.get(p) ?? { error: "cannot read file: not loaded" });
      return out;
    },
    async *stream(paths) {
      for (const path of paths) {
        const data = byPath.get(path) ?? { error: "cannot read file: not loaded" };
        yield { path, data, size: data instanceof Uint8Array ? data.length : 0 };
      }
    },
  };
}

/** Files handed over by `stage` requests, for the next `lint` request. */
let staged: { path: string; file: File }[] = [];

async function makeInput(source: Source): Promise<Input> {
  if (source.kind === "files") {
    const files = source.staged ? staged.concat(source.files) : source.files;
    staged = [];
    return { ...filesInput(files), skipped: source.skipped };
  }
  if (source.kind === "texts") return textsInput(source.files);
  return zipInput(new Uint8Array(await source.file.arrayBuffer()));
}

// ---------------------------------------------------------------------------------------------
// Runs

/** Progress messages while checking: at most one per this many milliseconds. */
const PROGRESS_MS = 50;

/** The configuration file's name: the config box stands in for the folder's own. */
const CONFIG_FILE = "silt.toml";

interface Current {
  input: Input;
  /** Keeps the run's per-file results: exports and the access view come from them. */
  linter: Linter;
}

/** The last input given, and the last successful run (which keeps its own input). */
let loaded: Input | null = null;
let current: Current | null = null;

/** Turn a thrown error into a message, and a configuration error into its parts (the Wasm module's
 * configuration errors carry `file`, `line`, `column` and `reason`). */
function problem(e: unknown): { error: string; config?: ConfigProblem } {
  const error = e instanceof Error ? e.message : String(e);
  const c = e as ConfigError;
  if (typeof c?.file === "string") return { error, config: { file: c.file, line: c.line, column: c.column, message: c.reason ?? error } };
  return { error };
}

function bytesOf(read: Read, path: string): Uint8Array | null {
  const b = read.get(path);
  return b instanceof Uint8Array ? b : null;
}

/** A folder of at least this many files gets a second worker (which costs tens of milliseconds). */
const CHECKER_MIN_FILES = 64;
/** A checker that sends nothing for this long is given up on. */
const CHECKER_STALL_MS = 30_000;

/**
 * Start the checker worker (checker.ts) on about half of a big folder's bytes, when there is a second
 * core: the files it was given (`pending`, path → size, until its result is kept; `kept` is told each
 * one's size) and a promise that settles when it is done (or has failed, or stalled).
 */
async function checkerShare(input: Input, linter: Linter, readable: string[], kept: (size: number) => void) {
  const spec = linter.spec();
  if (!input.file || !spec || readable.length < CHECKER_MIN_FILES || (navigator.hardwareConcurrency ?? 1) < 2) return null;
  // Largest first, each to the side with fewer bytes so far; files over the size limit stay here.
  const sized = readable
    .map((path) => ({ path, file: input.file!(path) }))
    .filter((f): f is { path: string; file: File } => f.file !== undefined && f.file.size <= linter.maxFileSize)
    .sort((a, b) => b.file.size - a.file.size);
  const mine: { path: string; file: File }[] = [];
  let [ours, theirs] = [0, 0];
  for (const f of sized) {
    if (theirs < ours) {
      mine.push(f);
      theirs += f.file.size;
    } else ours += f.file.size;
  }
  let worker: Worker;
  try {
    worker = new Worker(new URL("./checker.ts", import.meta.url), { type: "module", name: "silt-check" });
  } catch {
    return null;
  }
  const pending = new Map(mine.map((f) => [f.path, f.file.size] as const));
  const finished = new Promise<void>((resolve) => {
    let timer = setTimeout(resolve, CHECKER_STALL_MS);
    const end = () => {
      clearTimeout(timer);
      worker.terminate();
      resolve();
    };
    worker.onmessage = (e: MessageEvent<CheckerReply>) => {
      const m = e.data;
      if ("done" in m) return end();
      clearTimeout(timer);
      timer = setTimeout(end, CHECKER_STALL_MS);
      const size = pending.get(m.path);
      if (size !== undefined && linter.keepEncoded(m.path, m.bytes)) {
        pending.delete(m.path);
        kept(size);
      }
    };
    // Handled here: an error the checker worker does not handle must not become the lint worker's own.
    worker.onerror = (e) => {
      e.preventDefault();
      end();
    };
    worker.onmessageerror = end;
  });
  worker.postMessage({ module: await wasmModule, spec, files: mine } satisfies CheckerJob);
  return { pending, finished };
}

async function lintRun(input: Input, boxConfig: string | null, progress: (p: Progress) => void): Promise<LintResult> {
  const started = performance.now();
  const files = input.hostFiles();
  const folderConfig = files.get(CONFIG_FILE);
  const box = boxConfig !== null && boxConfig.trim() !== "";
  if (box) files.set(CONFIG_FILE, bytesFile(encoder.encode(boxConfig)));
  // What `silt lint <folder>` reads, with the configuration it finds: decided by silt.
  const ws = new Workspace(memoryHost(files), {});
  let linter: Linter;
  let entries: ReturnType<Workspace["files"]>;
  let warnings: string[];
  let from: LintResult["configFrom"];
  try {
    linter = ws.linter();
    entries = ws.files();
    warnings = ws.warnings();
    from = box ? "box" : ws.configPath ? "folder" : null;
  } finally {
    ws.free();
  }
  const paths = entries.map((e) => e.path);
  const readable = entries.filter((e) => !("error" in e)).map((e) => e.path);
  // Streaming: each file is read (a few ahead), checked by the linter, which keeps only its result
  // (`Linter.update`), and dropped; the report joins the results at the end, and the linter keeps them
  // for exports and the access view (no file is read again).
  let report: Report;
  try {
    for (const e of entries) if ("error" in e) linter.update(e.path, { error: e.error });
    const total = paths.length;
    const totalBytes = readable.reduce((n, p) => {
      const size = files.get(p)?.size ?? 0;
      return size <= linter.maxFileSize ? n + size : n;
    }, 0);
    let done = total - readable.length;
    let bytes = 0;
    let last = performance.now();
    const counted = (size: number) => {
      done++;
      bytes += size;
      const now = performance.now();
      if (now - last > PROGRESS_MS) {
        last = now;
        progress({ phase: "lint", done, total, bytes, totalBytes });
      }
    };
    progress({ phase: "lint", done, total, bytes, totalBytes });
    const share = await checkerShare(input, linter, readable, counted);
    const here = share ? readable.filter((p) => !share.pending.has(p)) : readable;
    for await (const f of input.stream(here, linter.maxFileSize)) {
      linter.update(f.path, f.data);
      counted(f.size);
    }
    if (share) {
      await share.finished;
      // What the checker did not deliver (it failed, or a file could not be read there).
      for await (const f of input.stream([...share.pending.keys()], linter.maxFileSize)) {
        linter.update(f.path, f.data);
        counted(f.size);
      }
    }
    progress({ phase: "lint", done, total, bytes, totalBytes });
    report = linter.report({}) as Report;
  } catch (e) {
    linter.free();
    throw e;
  }
  current?.linter.free();
  current = { input, linter };
  return {
    report,
    paths,
    seen: input.paths.length + (input.skipped ?? 0),
    configFrom: from,
    folderConfig: folderConfig ? decodeSource(folderConfig.read(linter.maxFileSize)).replace(/^\uFEFF/, "") : null,
    strippedPrefix: input.strippedPrefix,
    warnings,
    millis: Math.round(performance.now() - started),
  };
}

/** What the linter is given: bytes, `{error}`, or `{size}` for a file over the size limit. */
function inputFiles(paths: string[], read: Read): InputFile[] {
  return paths.map((path) => {
    const b = read.get(path)!;
    return b instanceof Uint8Array ? { path, contents: b } : { path, ...b };
  });
}

/** Compare mode: one version's files as `lint` selects and reads them (silt's discovery, with the
 * config box standing in for the folder's silt.toml), and the configuration text it holds. Kept apart
 * from `loaded`/`current`: comparing does not replace the checked files. */
async function diffSide(source: Source, boxConfig: string | null, progress: (p: Progress) => void) {
  const input = await makeInput(source);
  const files = input.hostFiles();
  if (boxConfig !== null) files.set(CONFIG_FILE, bytesFile(encoder.encode(boxConfig)));
  const ws = new Workspace(memoryHost(files), {});
  let entries: ReturnType<Workspace["files"]>;
  let maxSize: number;
  let warnings: string[];
  try {
    const linter = ws.linter();
    maxSize = linter.maxFileSize;
    linter.free();
    entries = ws.files();
    warnings = ws.warnings();
  } finally {
    ws.free();
  }
  const readable = entries.filter((e) => !("error" in e)).map((e) => e.path);
  const read = await input.read(readable, maxSize, (done, total) => progress({ phase: input.kind === "zip" ? "unzip" : "read", done, total }));
  for (const e of entries) if ("error" in e) read.set(e.path, { error: e.error });
  const config = files.get(CONFIG_FILE);
  const text = (path: string) => {
    const f = files.get(path);
    return f ? decodeSource(f.read(maxSize)).replace(/^\uFEFF/, "") : null;
  };
  return { files: inputFiles(entries.map((e) => e.path), read), config: config ? text(CONFIG_FILE) : null, text, warnings };
}

async function diffRun(req: Extract<Request, { type: "diff" }>, progress: (p: Progress) => void): Promise<DiffResult> {
  const started = performance.now();
  const box = req.config !== null && req.config.trim() !== "" ? req.config : null;
  const base = await diffSide(req.base, box, progress);
  const head = await diffSide(req.head, box, progress);
  progress({ phase: "lint", done: 0, total: base.files.length + head.files.length });
  // One configuration for both versions (the box, else the after version's silt.toml), with the
  // custom rule files it names read from the after version.
  const config = head.config;
  const customRules = config
    ? customRuleFiles(config, CONFIG_FILE).map((path) => {
        const contents = head.text(path);
        return contents === null ? { path, error: "cannot read file: not in the after version" } : { path, contents };
      })
    : [];
  const report = diff(base.files, head.files, { ...(config === null ? {} : { config, customRules }), base: req.base.label, head: req.head.label }) as DiffReport;
  const warnings = [...base.warnings.map((w) => `before: ${w}`), ...head.warnings.map((w) => `after: ${w}`)];
  return { report, files: { base: base.files.length, head: head.files.length }, warnings, millis: Math.round(performance.now() - started) };
}

async function handle(id: number, req: Request): Promise<unknown> {
  await ready;
  const progress = (p: Progress) => post({ id, progress: p });
  switch (req.type) {
    case "init":
      return { version: version(), skippedDirs: skippedDirs(), rules: rules() as RuleMeta[], starterConfig: starterConfig() } satisfies InitResult;
    case "classify":
      return classify(req.path) ?? null;
    case "select":
      return handOver(req.paths, req.configured);
    case "explain":
      return current ? current.linter.explain(req.rule) : explain(req.rule);
    case "stage":
      staged.push(...req.files);
      return null;
    case "lint": {
      const started = performance.now();
      loaded = null;
      const input = await makeInput(req.source);
      loaded = input;
      const r = await lintRun(input, req.config, progress);
      return { ...r, millis: Math.round(performance.now() - started) } satisfies LintResult;
    }
    case "relint": {
      if (!loaded) throw new Error("nothing is loaded yet");
      return lintRun(loaded, req.config, progress);
    }
    case "export":
      // The run's results, in the format asked for.
      if (!current) throw new Error("nothing is loaded yet");
      return current.linter.reportText({ format: req.format }).text;
    case "access":
      // Effective access of every integration user (the summary of `silt access`), over the run's results.
      if (!current) throw new Error("nothing is loaded yet");
      return current.linter.access({});
    case "diff":
      return diffRun(req, progress);
    case "source": {
      if (!current) throw new Error("nothing is loaded yet");
      const b = bytesOf(await current.input.read([req.path], current.linter.maxFileSize), req.path);
      if (!b) throw new Error(`${req.path} cannot be read`);
      return decodeSource(b);
    }
  }
}

// One request at a time, in order: a run never sees the files of the next one.
let queue: Promise<void> = Promise.resolve();
scope.onmessage = (e: MessageEvent) => {
  const { id, req } = e.data as { id: number; req: Request };
  queue = queue.then(() =>
    handle(id, req).then(
      (value) => post({ id, ok: true, value }),
      (err) => post({ id, ok: false, ...problem(err) }),
    ),
  );
};
