// Which files of a workspace silt reads: the same choices as the native CLI (crates/silt-cli/src/
// discover.rs): the SFDX project root is the lint root, package directories and config/ are linted
// fully, user data (CSV, JSON, bulk XML, user and scratch definitions) anywhere, `.forceignore` and
// `.gitignore` honoured, node_modules/.git/.sfdx/.sf and hidden folders skipped.

import * as fs from "fs";
import * as path from "path";
import ignore, { type Ignore } from "ignore";

export const PROJECT_FILE = "sfdx-project.json";
export const CONFIG_FILE = "silt.toml";
const SKIPPED_DIRS = new Set(["node_modules", ".sfdx", ".sf", ".git"]);
const IGNORE_FILES = [".gitignore", ".forceignore"];

/** Kinds read wherever they are in a project (discover.rs `is_user_data_kind`). */
const USER_DATA_KINDS = new Set(["Csv", "JsonData", "BulkXml", "UserDef", "ScratchDef", "SfdxProject"]);

/** `abs` relative to `root` with forward slashes, or undefined when outside. */
export function relPath(root: string, abs: string): string | undefined {
  const rel = path.relative(root, abs);
  if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) {
    return undefined;
  }
  return rel.split(path.sep).join("/");
}

export function isUnder(rel: string, dir: string): boolean {
  return dir === "" || rel === dir || rel.startsWith(dir + "/");
}

/** Package directories of an SFDX project, relative to it (`null`: unknown, lint everything). */
export function packageDirs(root: string, log?: (m: string) => void): string[] | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, PROJECT_FILE), "utf8");
  } catch {
    return null;
  }
  try {
    const value = JSON.parse(text.replace(/^\uFEFF/, "")) as { packageDirectories?: { path?: unknown }[] };
    if (!Array.isArray(value.packageDirectories)) {
      return null;
    }
    const out: string[] = [];
    for (const d of value.packageDirectories) {
      if (typeof d?.path !== "string") continue;
      const rel = relPath(root, path.resolve(root, d.path));
      if (rel !== undefined) {
        out.push(rel);
      } else if (path.resolve(root, d.path) === root) {
        out.push("");
      } else {
        log?.(`package directory \`${d.path}\` in ${PROJECT_FILE} is outside the project; not linted`);
      }
    }
    return out;
  } catch {
    return null; // a broken sfdx-project.json is reported by silt itself
  }
}

/** Folders with an sfdx-project.json at or below `folder` (not inside skipped or hidden folders). */
export function findProjectRoots(folder: string, maxDepth = 8): string[] {
  const found: string[] = [];
  const visit = (dir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => e.name === PROJECT_FILE && (e.isFile() || e.isSymbolicLink()))) {
      found.push(dir);
    }
    if (depth >= maxDepth) return;
    for (const e of entries) {
      if (e.isDirectory() && !e.name.startsWith(".") && !SKIPPED_DIRS.has(e.name)) {
        visit(path.join(dir, e.name), depth + 1);
      }
    }
  };
  visit(folder, 0);
  return found;
}

/** The SFDX project containing `dir` (itself or an ancestor), if any. */
export function enclosingProject(dir: string): string | undefined {
  let d = path.resolve(dir);
  for (;;) {
    if (isFile(path.join(d, PROJECT_FILE))) return d;
    const parent = path.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

/** The first silt.toml from `dir` upwards. */
export function findConfig(dir: string): string | undefined {
  let d = path.resolve(dir);
  for (;;) {
    const p = path.join(d, CONFIG_FILE);
    if (isFile(p)) return p;
    const parent = path.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

export function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** What a project's file selection needs to know. */
export interface Selection {
  classify(rel: string): string | null;
  isIncluded(rel: string): boolean;
  isUserData(rel: string): boolean;
}

/** Kinds that are just "some JSON/CSV/XML file" by name: read outside SFDX projects only when declared. */
const GENERIC_DATA_KINDS = new Set(["Csv", "JsonData", "BulkXml"]);

/**
 * Whether silt reads the file at `rel` (relative to the lint root) in a project with these package
 * directories. `hasProject` false: a folder without sfdx-project.json (a Metadata API `src/` folder,
 * say), where metadata and user/scratch definitions are read but generic JSON, CSV and XML files only
 * when `[files] user_data` names them: an editor workspace is full of JSON that is not org data.
 */
export function accepts(sel: Selection, rel: string, hasProject: boolean, pkgs: string[] | null): boolean {
  if (!sel.isIncluded(rel)) {
    return false;
  }
  const kind = sel.classify(rel);
  if (kind === null || kind === "Config") {
    return sel.isUserData(rel);
  }
  if (!hasProject) {
    return !GENERIC_DATA_KINDS.has(kind) || sel.isUserData(rel);
  }
  if (pkgs === null || USER_DATA_KINDS.has(kind)) {
    return true;
  }
  return isUnder(rel, "config") || pkgs.some((d) => isUnder(rel, d));
}

/** The ignore matchers in force in a folder: its own and its ancestors' (up to the walk's start). */
interface IgnoreLayer {
  base: string; // relative to the walk root, "" for the root
  ig: Ignore;
}

function readIgnoreLayer(absDir: string, relDir: string): IgnoreLayer | undefined {
  let ig: Ignore | undefined;
  for (const name of IGNORE_FILES) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(absDir, name), "utf8");
    } catch {
      continue;
    }
    ig ??= ignore();
    ig.add(text);
  }
  return ig ? { base: relDir, ig } : undefined;
}

function ignoredBy(layers: IgnoreLayer[], rel: string, isDir: boolean): boolean {
  for (const l of layers) {
    const sub = l.base === "" ? rel : rel.slice(l.base.length + 1);
    if (!sub) continue;
    try {
      if (l.ig.ignores(isDir ? sub + "/" : sub)) return true;
    } catch {
      // `ignore` throws for paths it considers invalid: treat as not ignored
    }
  }
  return false;
}

/** The ignore layers that apply to `rel` (a file relative to `root`), for a single-file check. */
export function isIgnored(root: string, rel: string): boolean {
  const parts = rel.split("/");
  const layers: IgnoreLayer[] = [];
  let relDir = "";
  for (let i = 0; i < parts.length; i++) {
    const layer = readIgnoreLayer(relDir === "" ? root : path.join(root, relDir), relDir);
    if (layer) layers.push(layer);
    const isLast = i === parts.length - 1;
    const part = parts[i];
    if (!isLast && (SKIPPED_DIRS.has(part) || part.startsWith("."))) return true;
    relDir = relDir === "" ? part : relDir + "/" + part;
    if (ignoredBy(layers, relDir, !isLast)) return true;
  }
  return false;
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Walk `root` and return the files silt reads (relative path → absolute path), sorted.
 * `nested`: roots of other projects below this one, skipped (their files are theirs).
 * sfdx-project.json and config/*.json are always read, whatever the ignore files say.
 */
export function walkProject(
  root: string,
  accept: (rel: string) => boolean,
  nested: string[] = [],
): Map<string, string> {
  const found = new Map<string, string>();
  const nestedSet = new Set(nested.map((n) => path.resolve(n)));
  const visit = (abs: string, rel: string, layers: IgnoreLayer[]): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    const own = readIgnoreLayer(abs, rel);
    const here = own ? [...layers, own] : layers;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith(".")) continue; // hidden files and folders (the CLI's `hidden(true)`)
      const childAbs = path.join(abs, e.name);
      const childRel = rel === "" ? e.name : rel + "/" + e.name;
      // Links are never followed (the CLI's symbolic link policy): a target inside the project is
      // linted at its own path, one outside is never read.
      if (e.isSymbolicLink()) continue;
      const isDir = e.isDirectory();
      const isFileEntry = e.isFile();
      if (isDir) {
        if (SKIPPED_DIRS.has(e.name) || nestedSet.has(path.resolve(childAbs))) continue;
        if (ignoredBy(here, childRel, true)) continue;
        visit(childAbs, childRel, here);
      } else if (isFileEntry) {
        if (ignoredBy(here, childRel, false)) continue;
        if (accept(childRel)) found.set(childRel, childAbs);
      }
    }
  };
  visit(root, "", []);
  // Always: the project file and config/*.json (discover.rs `always_include`).
  if (isFile(path.join(root, PROJECT_FILE))) {
    found.set(PROJECT_FILE, path.join(root, PROJECT_FILE));
    try {
      for (const name of fs.readdirSync(path.join(root, "config"))) {
        const lower = name.toLowerCase();
        const abs = path.join(root, "config", name);
        if (lower.endsWith(".json") && !lower.startsWith(".") && !isLink(abs) && isFile(abs)) {
          found.set("config/" + name, abs);
        }
      }
    } catch {
      // no config/ folder
    }
  }
  return new Map([...found.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}
