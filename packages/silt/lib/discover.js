// Which files `silt lint` reads: the JavaScript twin of crates/silt-cli/src/discover.rs. Keep the two in
// step: the parity test (test/parity.test.mjs) compares this CLI's output with the native one's.
//
// The project root is the first folder holding `sfdx-project.json` from the first path upwards; the lint
// root (what finding paths are relative to) is the deepest folder holding the project and every path.
// Walks skip node_modules, .git, .sfdx, .sf and hidden entries, and honour `.forceignore`, `.ignore`,
// `.gitignore` (in the walked folders and all their parents) and `.git/info/exclude`, with the
// precedence of the Rust `ignore` crate the native CLI uses.
import fs from "node:fs";
import path from "node:path";
import ignore from "ignore";
import { classify } from "../index.js";

export const PROJECT_FILE = "sfdx-project.json";
const SKIPPED_DIRS = new Set(["node_modules", ".sfdx", ".sf", ".git"]);
const USER_DATA_KINDS = new Set(["Csv", "JsonData", "BulkXml", "UserDef", "ScratchDef", "SfdxProject"]);

/** An error that ends the run with exit code 2. */
export class Fatal extends Error {}

// Rust's io::Error text for the errors a walk meets, so messages match the native CLI.
const ERRNO_TEXT = {
  EPERM: "Operation not permitted",
  ENOENT: "No such file or directory",
  EIO: "Input/output error",
  ENXIO: "No such device or address",
  EACCES: "Permission denied",
  EBUSY: "Device or resource busy",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  EINVAL: "Invalid argument",
  EMFILE: "Too many open files",
  ENAMETOOLONG: "File name too long",
  ELOOP: "Too many levels of symbolic links",
  ENOSPC: "No space left on device",
  EROFS: "Read-only file system",
  EEXIST: "File exists",
};

/** `Permission denied (os error 13)`, as Rust prints an OS error. */
export function ioMessage(e) {
  if (e && typeof e.errno === "number" && ERRNO_TEXT[e.code]) {
    return `${ERRNO_TEXT[e.code]} (os error ${Math.abs(e.errno)})`;
  }
  return e && e.message ? e.message : String(e);
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const utf8Lossy = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** Read a file as UTF-8 text like Rust's `fs::read_to_string` (BOM kept, invalid UTF-8 an error). */
export function readText(p) {
  const bytes = fs.readFileSync(p);
  try {
    return utf8.decode(bytes);
  } catch {
    const err = new Error("stream did not contain valid UTF-8");
    throw err;
  }
}

/** Lowercase ASCII letters only (Rust's `to_ascii_lowercase`). */
export function asciiLower(s) {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

// Paths are strings; a path with a non-UTF-8 component is a Buffer (Node's fs takes both).
function join(parent, name) {
  if (typeof parent === "string" && typeof name === "string") return parent === "/" ? `/${name}` : `${parent}/${name}`;
  const p = Buffer.isBuffer(parent) ? parent : Buffer.from(parent);
  const n = Buffer.isBuffer(name) ? name : Buffer.from(name);
  return Buffer.concat([p, p.length && p[p.length - 1] === 0x2f ? Buffer.alloc(0) : Buffer.from("/"), n]);
}

function lossy(p) {
  return typeof p === "string" ? p : utf8Lossy.decode(p);
}

function components(p) {
  return p.split("/").filter((c) => c !== "" && c !== ".");
}

/** `p` relative to `root` with `/`; `{ok: false, rel: lossy}` when not UTF-8. Outside `root`: all of `p`. */
function relPath(root, p) {
  const text = lossy(p);
  const r = components(root);
  const c = components(text);
  const under = r.length <= c.length && r.every((x, i) => x === c[i]);
  const rel = (under ? c.slice(r.length) : c).join("/");
  return { ok: typeof p === "string", rel };
}

function startsWithPath(p, prefix) {
  const a = components(p);
  const b = components(prefix);
  return b.length <= a.length && b.every((x, i) => x === a[i]);
}

function statOrNull(p) {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

const isFile = (p) => statOrNull(p)?.isFile() ?? false;
const isDir = (p) => statOrNull(p)?.isDirectory() ?? false;

function ancestors(p) {
  const out = [p];
  for (let d = p; path.dirname(d) !== d; ) {
    d = path.dirname(d);
    out.push(d);
  }
  return out;
}

function commonAncestor(paths) {
  if (!paths.length) return null;
  let common = components(paths[0]);
  for (const p of paths.slice(1)) {
    const c = components(p);
    let i = 0;
    while (i < common.length && i < c.length && common[i] === c[i]) i++;
    common = common.slice(0, i);
  }
  return "/" + common.join("/");
}

/** Resolve the given paths (the current folder when none) into `{root, project, paths}`. */
export function plan(given) {
  const cwd = process.cwd();
  const inputs = given.length ? given : [cwd];
  const canonical = [];
  for (const p of inputs) {
    try {
      fs.statSync(p);
    } catch (e) {
      if (e.code === "ENOENT") throw new Fatal(`path \`${p}\` does not exist`);
      throw new Fatal(`cannot access \`${p}\`: ${ioMessage(e)}`);
    }
    let c;
    try {
      c = fs.realpathSync.native(p);
    } catch (e) {
      throw new Fatal(`cannot access \`${p}\`: ${ioMessage(e)}`);
    }
    if (isDir(c)) {
      try {
        fs.readdirSync(c);
      } catch (e) {
        throw new Fatal(`cannot read folder \`${p}\`: ${ioMessage(e)}`);
      }
    }
    canonical.push(c);
  }
  const dirOf = (p) => (isDir(p) ? p : path.dirname(p));
  const start = canonical.length ? dirOf(canonical[0]) : cwd;
  const project = ancestors(start).find((d) => isFile(path.join(d, PROJECT_FILE))) ?? null;
  const bases = [...(project ? [project] : []), ...canonical.map(dirOf)];
  const root = commonAncestor(bases) ?? start;
  const wholeProject = given.length === 0 || (project !== null && canonical.every((p) => p === project));
  const paths = wholeProject && project ? [] : canonical;
  return { root, project, paths };
}

/** Package directories of the project, relative to it (`null`: unknown, lint everything). */
function packageDirs(project, warnings) {
  let value;
  try {
    value = JSON.parse(fs.readFileSync(path.join(project, PROJECT_FILE), "utf8").replace(/^\uFEFF+/, ""));
  } catch {
    return null;
  }
  const dirs = value?.packageDirectories;
  if (!Array.isArray(dirs)) return null;
  const out = [];
  for (const d of dirs) {
    const p = d !== null && typeof d === "object" && !Array.isArray(d) ? d.path : undefined;
    if (typeof p !== "string") continue;
    let c;
    try {
      c = fs.realpathSync.native(path.resolve(project, p));
    } catch {
      warnings.push(`package directory \`${p}\` in ${PROJECT_FILE} does not exist`);
      continue;
    }
    if (startsWithPath(c, project)) {
      out.push(relPath(project, c).rel);
    } else {
      warnings.push(`package directory \`${p}\` in ${PROJECT_FILE} is outside the project; not linted`);
    }
  }
  return out;
}

function under(rel, dir) {
  return dir === "" || rel === dir || (rel.startsWith(dir) && rel[dir.length] === "/");
}

/**
 * The files to lint for a plan, sorted by path: `[{rel, abs}]` or `[{rel, error}]` for files that
 * cannot be read, and warnings for stderr. `linter` is a configured `Linter` (include/exclude globs).
 */
export function files(p, linter) {
  const found = new Map();
  const warnings = [];
  const { root, project } = p;
  const readableKind = (rel) => {
    const kind = classify(rel);
    if (kind === "Config" || kind === null) return linter.isUserData(rel);
    return true;
  };
  if (project && p.paths.length === 0) {
    const pkgs = packageDirs(project, warnings);
    const projectPrefix = relPath(root, project).rel;
    const accept = (rel) => {
      if (!linter.isIncluded(rel)) return false;
      const inProject = rel.startsWith(projectPrefix) ? rel.slice(projectPrefix.length).replace(/^\/+/, "") : rel;
      const inSources = under(inProject, "config") || pkgs === null || pkgs.some((d) => under(inProject, d));
      const kind = classify(rel);
      if (kind === "Config" || kind === null) return linter.isUserData(rel);
      return inSources || USER_DATA_KINDS.has(kind);
    };
    walk(root, project, accept, found, warnings);
    alwaysInclude(root, project, () => true, found, warnings);
  } else {
    for (const start of p.paths) {
      if (isFile(start)) {
        // A file named on the command line is linted whatever the ignore files say.
        addFile(root, start, found);
        continue;
      }
      walk(root, start, (rel) => linter.isIncluded(rel) && readableKind(rel), found, warnings);
    }
    if (project) {
      alwaysInclude(root, project, (name) => name.includes("scratch-def") || name.includes("scratchdef"), found, warnings);
    }
  }
  const entries = [...found.values()];
  const uniqueWarnings = [...new Set(warnings)];
  const key = new Map(entries.map((e) => [e, Buffer.from(e.rel)]));
  entries.sort((a, b) => Buffer.compare(key.get(a), key.get(b)));
  return { entries, warnings: uniqueWarnings };
}

function addFile(root, p, found) {
  const { ok, rel } = relPath(root, p);
  if (found.has(rel)) return;
  found.set(rel, ok ? { rel, abs: p } : { rel, error: "file name is not valid UTF-8; rename the file" });
}

/** `sfdx-project.json` and `config/*.json` whose lowercase name passes `pick`. */
function alwaysInclude(root, project, pick, found, warnings) {
  const projectFile = path.join(project, PROJECT_FILE);
  if (isFile(projectFile)) addFile(root, projectFile, found);
  let names;
  try {
    names = fs.readdirSync(path.join(project, "config"), { encoding: "buffer" });
  } catch {
    return;
  }
  for (const raw of names) {
    const name = asciiLower(utf8Lossy.decode(raw));
    const p = join(path.join(project, "config"), isUtf8(raw) ? raw.toString("utf8") : raw);
    if (!name.endsWith(".json") || name.startsWith(".") || !pick(name)) continue;
    if (isLink(p)) {
      const w = linkWarning(root, p);
      if (w) warnings.push(w);
    } else if (isFile(p)) addFile(root, p, found);
  }
}

function isUtf8(buf) {
  try {
    utf8.decode(buf);
    return true;
  } catch {
    return false;
  }
}

// --- ignore files --------------------------------------------------------------------------------

const KINDS = [".forceignore", ".ignore", ".gitignore", "exclude"];

/** The ignore matchers of one folder: `{dir, byKind: [matcher|null × 4]}`. */
function loadMatchers(dir) {
  const read = (p) => {
    try {
      return fs.readFileSync(p, "utf8");
    } catch {
      return null;
    }
  };
  const byKind = KINDS.map((kind) => {
    const text = kind === "exclude" ? (isDir(join(dir, ".git")) ? read(join(join(join(dir, ".git"), "info"), "exclude")) : null) : read(join(dir, kind));
    if (text === null) return null;
    const ig = ignore({ ignorecase: false, allowRelativePaths: true });
    ig.add(text);
    return ig;
  });
  return { dir: lossy(dir), byKind };
}

/** gitignore semantics for one path, without looking at its parents (the walk already did). */
function test(ig, rel) {
  // `_rules.test(path, checkUnignored, "checkRegex")` is exactly `git check-ignore` on one path, like the
  // Rust `ignore` crate; `test()` would also apply the rules to every parent folder.
  if (ig._rules && typeof ig._rules.test === "function") return ig._rules.test(rel, true, "checkRegex");
  return ig.test(rel);
}

/** "ignore", "whitelist" or null, with the Rust `ignore` crate's precedence. */
function matched(chain, abs, dir) {
  const text = lossy(abs);
  for (let k = 0; k < KINDS.length; k++) {
    for (let i = chain.length - 1; i >= 0; i--) {
      const m = chain[i];
      const ig = m.byKind[k];
      if (!ig) continue;
      const rel = relPath(m.dir, text).rel;
      if (!rel) continue;
      const r = test(ig, dir ? `${rel}/` : rel);
      if (r.ignored) return "ignore";
      if (r.unignored) return "whitelist";
    }
  }
  return null;
}

// --- the walk ------------------------------------------------------------------------------------

function walk(root, start, accept, found, warnings) {
  const shown = (p) => relPath(root, p).rel;
  const ioError = (p, e) => {
    if (e.code === "ENOENT") {
      warnings.push(`\`${shown(p)}\`: broken symbolic link or vanished file; skipped`);
      return;
    }
    const rel = shown(p);
    const dir = isDir(p);
    if (dir || accept(rel)) {
      if (!found.has(rel)) found.set(rel, { rel, error: `cannot read ${dir ? "folder" : "file"}: ${ioMessage(e)}` });
    } else {
      warnings.push(`\`${rel}\`: ${ioMessage(e)}`);
    }
  };
  // Ignore files of the start folder's parents apply too.
  const parents = ancestors(start).slice(1).reverse().map(loadMatchers);
  const st = statOrNull(start);
  if (!st || !st.isDirectory()) return;
  const visit = (dir, chain) => {
    let names;
    try {
      names = fs.readdirSync(dir, { encoding: "buffer" });
    } catch (e) {
      ioError(dir, e);
      return;
    }
    const here = [...chain, loadMatchers(dir)];
    for (const raw of names) {
      const nameText = utf8Lossy.decode(raw);
      const p = join(dir, isUtf8(raw) ? raw.toString("utf8") : raw);
      let lst;
      try {
        lst = fs.lstatSync(p);
      } catch (e) {
        ioError(p, e);
        continue;
      }
      if (SKIPPED_DIRS.has(nameText)) continue;
      // A link is never followed (as the native CLI): one inside the root is skipped silently, as
      // its target is linted at its own path; one out of the root or broken, with a warning.
      const isLink = lst.isSymbolicLink();
      const isDirectory = !isLink && lst.isDirectory();
      const m = matched(here, p, isDirectory);
      if (m === "ignore" || (m === null && nameText.startsWith("."))) continue;
      if (isLink) {
        const w = linkWarning(root, p);
        if (w) warnings.push(w);
        continue;
      }
      if (isDirectory) {
        visit(p, here);
      } else if (lst.isFile()) {
        const { ok, rel } = relPath(root, p);
        if (!accept(rel) || found.has(rel)) continue;
        found.set(rel, ok ? { rel, abs: p } : { rel, error: "file name is not valid UTF-8; rename the file" });
      }
    }
  };
  visit(start, parents);
}

/** The symbolic link policy's warning for the link `p`, or null when it points inside `root`. */
function linkWarning(root, p) {
  const shown = relPath(root, p).rel;
  let real;
  try {
    real = fs.realpathSync.native(p);
  } catch {
    return `\`${shown}\`: broken symbolic link; skipped`;
  }
  const inside = real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
  return inside ? null : `\`${shown}\`: symbolic link pointing outside the lint root; skipped`;
}

function isLink(p) {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
