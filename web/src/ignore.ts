// gitignore-syntax matching for `.gitignore`, `.ignore` and `.forceignore`, the way the native CLI's
// walker (the `ignore` crate) applies them: per file kind the deepest folder's file decides, the last
// matching line of a file wins, `.forceignore` beats `.ignore` beats `.gitignore`, and an ignored folder
// hides everything below it.

interface Pattern {
  re: RegExp;
  negated: boolean;
  dirOnly: boolean;
}

/** One ignore file: its folder (relative to the lint root, "" for the root) and its patterns. */
export interface IgnoreFile {
  dir: string;
  patterns: Pattern[];
}

/** Ignore file names in order of precedence, strongest first. */
export const IGNORE_FILES = [".forceignore", ".ignore", ".gitignore"] as const;

function escapeRe(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** A glob (gitignore flavour, no leading `!`) to a regular expression source for the whole path. */
function globToRe(glob: string): string {
  let re = "";
  let i = 0;
  while (i < glob.length) {
    const c = glob[i];
    if (c === "*") {
      if (glob[i + 1] === "*") {
        const atStart = i === 0 || glob[i - 1] === "/";
        const atEnd = i + 2 === glob.length || glob[i + 2] === "/";
        if (atStart && atEnd) {
          if (i + 2 === glob.length) {
            // `foo/**`: everything inside; `**` alone: everything.
            re += ".*";
            i += 2;
          } else {
            // `**/`: zero or more folders.
            re += "(?:.*/)?";
            i += 3;
          }
          continue;
        }
        re += "[^/]*";
        i += 2;
        continue;
      }
      re += "[^/]*";
      i += 1;
    } else if (c === "?") {
      re += "[^/]";
      i += 1;
    } else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) {
        re += "\\[";
        i += 1;
        continue;
      }
      let body = glob.slice(i + 1, end);
      let neg = false;
      if (body.startsWith("!") || body.startsWith("^")) {
        neg = true;
        body = body.slice(1);
      }
      body = body.replace(/\\/g, "\\\\").replace(/\]/g, "\\]");
      re += `[${neg ? "^" : ""}${body}]`;
      i = end + 1;
    } else if (c === "\\" && i + 1 < glob.length) {
      re += escapeRe(glob[i + 1]);
      i += 2;
    } else {
      re += escapeRe(c);
      i += 1;
    }
  }
  return re;
}

export function parseIgnore(dir: string, text: string): IgnoreFile {
  const patterns: Pattern[] = [];
  for (let raw of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
    // Trailing spaces are dropped unless escaped.
    raw = raw.replace(/(?<!\\)\s+$/, "");
    if (raw === "" || raw.startsWith("#")) continue;
    let line = raw;
    let negated = false;
    if (line.startsWith("!")) {
      negated = true;
      line = line.slice(1);
    } else if (line.startsWith("\\!") || line.startsWith("\\#")) {
      line = line.slice(1);
    }
    let dirOnly = false;
    if (line.endsWith("/") && line.length > 1) {
      dirOnly = true;
      line = line.slice(0, -1);
    }
    if (line === "" || line === "/") continue;
    // A slash anywhere but the end anchors the pattern to the file's folder.
    const anchored = line.includes("/");
    if (line.startsWith("/")) line = line.slice(1);
    let source = globToRe(line);
    if (!anchored) source = `(?:.*/)?${source}`;
    try {
      patterns.push({ re: new RegExp(`^${source}$`, "s"), negated, dirOnly });
    } catch {
      // An unparsable line is skipped, as the CLI's walker skips it.
    }
  }
  return { dir, patterns };
}

function within(path: string, dir: string): string | null {
  if (dir === "") return path;
  return path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : null;
}

/** The set of ignore files of a folder tree. */
export class IgnoreSet {
  /** name (`.gitignore`…) → folder → parsed file */
  private files = new Map<string, Map<string, IgnoreFile>>();

  add(name: string, dir: string, text: string): void {
    let byDir = this.files.get(name);
    if (!byDir) {
      byDir = new Map();
      this.files.set(name, byDir);
    }
    byDir.set(dir, parseIgnore(dir, text));
  }

  get empty(): boolean {
    return this.files.size === 0;
  }

  /** Whether `path` itself matches (not looking at its folders). */
  private matched(path: string, isDir: boolean): boolean {
    const parts = path.split("/");
    for (const name of IGNORE_FILES) {
      const byDir = this.files.get(name);
      if (!byDir) continue;
      // The deepest folder first.
      for (let n = parts.length - 1; n >= 0; n--) {
        const dir = parts.slice(0, n).join("/");
        const file = byDir.get(dir);
        if (!file) continue;
        const rel = within(path, dir);
        if (rel === null) continue;
        for (let i = file.patterns.length - 1; i >= 0; i--) {
          const p = file.patterns[i];
          if (p.dirOnly && !isDir) continue;
          if (p.re.test(rel)) return !p.negated;
        }
      }
    }
    return false;
  }

  /** Whether the walker skips the file at `path`: it or one of its folders is ignored. */
  ignores(path: string): boolean {
    if (this.empty) return false;
    const parts = path.split("/");
    for (let n = 1; n < parts.length; n++) {
      if (this.matched(parts.slice(0, n).join("/"), true)) return true;
    }
    return this.matched(path, false);
  }
}
