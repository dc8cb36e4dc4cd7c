// The lint worker: loads the silt Wasm module, lists what the user gave (folder, zip, text), selects
// what `silt lint <folder>` would read, reads only that, lints and answers the page. Nothing is
// stored: the input stays in this worker's memory (File handles, the zip's bytes, pasted text) for
// re-runs, exports and the source view until the next input replaces it.

import init, { Linter, classify, customRuleFiles, explain, rules, starterConfig, version } from "silt-lint/web";
import type { ConfigErrorFields, InputFile } from "silt-lint/web";
import { Budget, listZip, readEntry } from "./zip.ts";
import { CONFIG_FILE, commonTopFolder, isControlFile, select } from "./discover.ts";
import type { ConfigProblem, InitResult, LintResult, Progress, Reply, Report, Request, RuleMeta, Source } from "./types.ts";

interface WorkerScope {
  postMessage(message: unknown): void;
  onmessage: ((e: MessageEvent) => void) | null;
}
const scope = self as unknown as WorkerScope;

const ready = init();

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
type Read = Map<string, Uint8Array | { error: string } | { size: number }>;

interface Input {
  kind: Source["kind"];
  /** Every file's path, relative to the lint root. */
  paths: string[];
  /** A top folder removed from zip entry paths (`unpackaged`). */
  strippedPrefix: string | null;
  /** Files over `maxSize` bytes are not read: their size is given instead. */
  read(paths: string[], maxSize: number, progress?: (done: number, total: number) => void): Promise<Read>;
}

/** The size limit before a configuration is known (silt.toml, ignore files, custom rules). */
let defaultMaxSize = 0;

function filesInput(files: { path: string; file: File }[]): Input {
  const byPath = new Map(files.map((f) => [f.path, f.file] as const));
  return {
    kind: "files",
    paths: [...byPath.keys()],
    strippedPrefix: null,
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
            out.set(path, { error: `cannot read file: ${e instanceof Error ? e.message : String(e)}` });
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
  };
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
  };
}

function textsInput(files: { path: string; contents: string }[]): Input {
  const enc = new TextEncoder();
  const byPath = new Map(files.map((f) => [f.path, enc.encode(f.contents)] as const));
  return {
    kind: "texts",
    paths: [...byPath.keys()],
    strippedPrefix: null,
    async read(paths) {
      // Pasted text is checked against the size limit by the core.
      const out: Read = new Map();
      for (const p of paths) out.set(p, byPath.get(p) ?? { error: "cannot read file: not loaded" });
      return out;
    },
  };
}

async function makeInput(source: Source): Promise<Input> {
  if (source.kind === "files") return filesInput(source.files);
  if (source.kind === "texts") return textsInput(source.files);
  return zipInput(new Uint8Array(await source.file.arrayBuffer()));
}

// ---------------------------------------------------------------------------------------------
// Runs

interface Current {
  input: Input;
  /** Ignore files, sfdx-project.json, silt.toml: path → text. */
  controls: Map<string, string>;
  linter: Linter;
  selected: string[];
  warnings: string[];
}

/** The last input given, and the last successful run (which keeps its own input). */
let loaded: { input: Input; controls: Map<string, string> } | null = null;
let current: Current | null = null;

/** Turn a thrown error into a message, and a configuration error into its parts (the Wasm module's
 * configuration errors carry `file`, `line`, `column` and `reason`). */
function problem(e: unknown): { error: string; config?: ConfigProblem } {
  const error = e instanceof Error ? e.message : String(e);
  const c: Partial<ConfigErrorFields> = typeof e === "object" && e !== null ? e : {};
  if (typeof c.file !== "string") return { error };
  return { error, config: { file: c.file, line: c.line, column: c.column, message: c.reason ?? error } };
}

/** `a/./b/../c` → `a/c`: custom rule paths are relative to silt.toml, which sits at the root. */
function normalise(p: string): string {
  const parts: string[] = [];
  for (const seg of p.replace(/\\/g, "/").split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return parts.join("/");
}

function bytesOf(read: Read, path: string): Uint8Array | null {
  const b = read.get(path);
  return b instanceof Uint8Array ? b : null;
}

/** The configured linter for a run: the config box when filled, else the folder's silt.toml. */
async function configure(
  input: Input,
  controls: Map<string, string>,
  boxConfig: string | null,
): Promise<{ linter: Linter; from: LintResult["configFrom"] }> {
  const folderConfig = controls.get(CONFIG_FILE) ?? null;
  let text: string | null = null;
  let from: LintResult["configFrom"] = null;
  if (boxConfig !== null && boxConfig.trim() !== "") {
    text = boxConfig;
    from = "box";
  } else if (folderConfig !== null) {
    text = folderConfig;
    from = "folder";
  }
  if (text === null) return { linter: new Linter(), from };
  const customRules: { path: string; contents: Uint8Array }[] = [];
  const wanted = customRuleFiles(text, CONFIG_FILE);
  if (wanted.length) {
    const known = new Set(input.paths);
    const paths = wanted.map(normalise);
    const read = await input.read(paths.filter((p) => known.has(p)), defaultMaxSize);
    wanted.forEach((given, i) => {
      const b = bytesOf(read, paths[i]);
      if (!b) {
        const reason = `cannot read custom rule file \`${given}\`: it is not among the loaded files`;
        throw Object.assign(new Error(`${CONFIG_FILE}: ${reason}`), { file: CONFIG_FILE, reason });
      }
      customRules.push({ path: paths[i], contents: b });
    });
  }
  return { linter: new Linter({ config: text, configPath: CONFIG_FILE, customRules }), from };
}

async function lintRun(input: Input, controls: Map<string, string>, boxConfig: string | null, progress: (p: Progress) => void): Promise<LintResult> {
  const started = performance.now();
  const { linter, from } = await configure(input, controls, boxConfig);
  const kinds = new Map<string, string | null>();
  const kind = (p: string) => {
    let k = kinds.get(p);
    if (k === undefined) kinds.set(p, (k = classify(p) ?? null));
    return k;
  };
  const sel = select(input.paths, controls, kind, linter);
  const phase = input.kind === "zip" ? "unzip" : "read";
  const read = await input.read(sel.paths, linter.maxFileSize, (done, total) => progress({ phase, done, total }));
  const files = inputFiles(sel.paths, read);
  progress({ phase: "lint", done: 0, total: files.length });
  const report = linter.lint(files) as Report;
  current?.linter.free();
  current = { input, controls, linter, selected: sel.paths, warnings: sel.warnings };
  return {
    report,
    paths: sel.paths,
    seen: input.paths.length,
    configFrom: from,
    folderConfig: controls.get(CONFIG_FILE) ?? null,
    strippedPrefix: input.strippedPrefix,
    warnings: sel.warnings,
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

async function readControls(input: Input): Promise<Map<string, string>> {
  const read = await input.read(input.paths.filter(isControlFile), defaultMaxSize);
  const controls = new Map<string, string>();
  for (const [p, b] of read) if (b instanceof Uint8Array) controls.set(p, decodeSource(b).replace(/^\uFEFF/, ""));
  return controls;
}

async function handle(id: number, req: Request): Promise<unknown> {
  await ready;
  if (!defaultMaxSize) {
    const l = new Linter();
    defaultMaxSize = l.maxFileSize;
    l.free();
  }
  const progress = (p: Progress) => post({ id, progress: p });
  switch (req.type) {
    case "init":
      return { version: version(), rules: rules() as RuleMeta[], starterConfig: starterConfig() } satisfies InitResult;
    case "classify":
      return classify(req.path) ?? null;
    case "explain":
      return current ? current.linter.explain(req.rule) : explain(req.rule);
    case "lint": {
      const started = performance.now();
      loaded = null;
      const input = await makeInput(req.source);
      const controls = await readControls(input);
      loaded = { input, controls };
      const r = await lintRun(input, controls, req.config, progress);
      return { ...r, millis: Math.round(performance.now() - started) } satisfies LintResult;
    }
    case "relint": {
      if (!loaded) throw new Error("nothing is loaded yet");
      return lintRun(loaded.input, loaded.controls, req.config, progress);
    }
    case "export": {
      if (!current) throw new Error("nothing is loaded yet");
      const { input, linter, selected } = current;
      const read = await input.read(selected, linter.maxFileSize);
      return linter.lintText(inputFiles(selected, read), { format: req.format }).text;
    }
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
