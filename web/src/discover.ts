// Which of the given files a lint run reads: the browser version of the native CLI's discovery
// (crates/silt-cli/src/discover.rs) over a list of paths relative to the lint root.
//
// - Hidden files and folders (a name starting with `.`), and node_modules/.sfdx/.sf/.git, are skipped.
// - `.forceignore`, `.ignore` and `.gitignore` files anywhere in the tree are honoured.
// - Only files `classify(path)` accepts are read (or the configuration's `user_data` globs name), within
//   its `include`/`exclude` globs; `silt.toml` is the configuration, not an input.
// - With `sfdx-project.json` at the root, metadata is read only inside its package directories and
//   `config/`; user data (CSV, JSON, user and scratch definitions) is read anywhere; the project file
//   and `config/*.json` are always read.

import { IgnoreSet, IGNORE_FILES } from "./ignore.ts";

export const PROJECT_FILE = "sfdx-project.json";
export const CONFIG_FILE = "silt.toml";
const SKIPPED_DIRS = new Set(["node_modules", ".sfdx", ".sf", ".git"]);
const USER_DATA_KINDS = new Set(["Csv", "JsonData", "BulkXml", "UserDef", "ScratchDef", "SfdxProject"]);

export type Classify = (path: string) => string | null | undefined;

/** Files the selection needs to read first: ignore files, the project file, silt.toml. */
export function isControlFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return (IGNORE_FILES as readonly string[]).includes(name) || path === PROJECT_FILE || path === CONFIG_FILE;
}

/** Compare like Rust's `str` ordering (UTF-8 bytes, that is code points), not UTF-16 units. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function under(rel: string, dir: string): boolean {
  return dir === "" || rel === dir || rel.startsWith(`${dir}/`);
}

/** `packageDirectories[].path` of sfdx-project.json, normalised; `null` when unknown (lint all). */
export function packageDirs(projectJson: string, allPaths: string[], warnings: string[]): string[] | null {
  let value: unknown;
  try {
    value = JSON.parse(projectJson.replace(/^\uFEFF/, ""));
  } catch {
    return null;
  }
  const dirs = (value as { packageDirectories?: unknown })?.packageDirectories;
  if (!Array.isArray(dirs)) return null;
  const out: string[] = [];
  for (const d of dirs) {
    const p = (d as { path?: unknown })?.path;
    if (typeof p !== "string") continue;
    const parts: string[] = [];
    let outside = false;
    for (const seg of p.replace(/\\/g, "/").split("/")) {
      if (seg === "" || seg === ".") continue;
      if (seg === "..") {
        if (parts.length === 0) outside = true;
        else parts.pop();
      } else parts.push(seg);
    }
    const rel = parts.join("/");
    if (outside) {
      warnings.push(`package directory \`${p}\` in ${PROJECT_FILE} is outside the project; not linted`);
    } else if (rel !== "" && !allPaths.some((f) => f.startsWith(`${rel}/`))) {
      warnings.push(`package directory \`${p}\` in ${PROJECT_FILE} does not exist`);
    } else {
      out.push(rel);
    }
  }
  return out;
}

export interface Selection {
  /** Paths to lint, sorted like the CLI sorts them. */
  paths: string[];
  warnings: string[];
}

/** The configuration's file globs (the Wasm `Linter`'s `isIncluded` / `isUserData`). */
export interface Globs {
  isIncluded(path: string): boolean;
  isUserData(path: string): boolean;
}

/**
 * Select the files to lint, as `silt lint <root>` does. `texts` holds the contents of the control
 * files (see `isControlFile`) among `allPaths`.
 */
export function select(allPaths: string[], texts: Map<string, string>, classify: Classify, globs: Globs): Selection {
  const warnings: string[] = [];
  const ignores = new IgnoreSet();
  for (const path of allPaths) {
    const slash = path.lastIndexOf("/");
    const name = path.slice(slash + 1);
    if ((IGNORE_FILES as readonly string[]).includes(name) && texts.has(path)) {
      const dir = slash < 0 ? "" : path.slice(0, slash);
      if (!isHiddenOrSkipped(dir)) ignores.add(name, dir, texts.get(path)!);
    }
  }
  const projectText = texts.get(PROJECT_FILE);
  const isProject = projectText !== undefined;
  const pkgs = isProject ? packageDirs(projectText, allPaths, warnings) : null;

  const accept = (rel: string): boolean => {
    if (!globs.isIncluded(rel)) return false;
    const kind = classify(rel);
    if (!kind || kind === "Config") return globs.isUserData(rel);
    if (!isProject) return true;
    // The whole project: package directories and config/ fully, user data anywhere.
    const inSources = under(rel, "config") || pkgs === null || pkgs.some((d) => under(rel, d));
    return inSources || USER_DATA_KINDS.has(kind);
  };

  const chosen = new Set<string>();
  for (const path of allPaths) {
    if (isHiddenOrSkipped(path)) continue;
    if (ignores.ignores(path)) continue;
    if (accept(path)) chosen.add(path);
  }
  if (isProject) {
    // The project file and config/*.json are read whatever the ignore files say.
    for (const path of allPaths) {
      if (path === PROJECT_FILE) chosen.add(path);
      const m = /^config\/([^/]+)$/.exec(path);
      if (m) {
        const name = m[1].toLowerCase();
        if (name.endsWith(".json") && !name.startsWith(".")) chosen.add(path);
      }
    }
  }
  const paths = [...chosen].sort(compareCodePoints);
  return { paths, warnings: [...new Set(warnings)] };
}

/** A path with a hidden segment or one under node_modules/.sfdx/.sf/.git. */
export function isHiddenOrSkipped(path: string): boolean {
  if (path === "") return false;
  return path.split("/").some((seg) => seg.startsWith(".") || SKIPPED_DIRS.has(seg));
}

/**
 * The single top folder all entries share (a zip of `unpackaged/…` or `my-project/…`), or null.
 * macOS `__MACOSX/` entries are not counted.
 */
export function commonTopFolder(paths: string[]): string | null {
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
