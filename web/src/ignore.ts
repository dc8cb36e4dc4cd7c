// gitignore-syntax matching for `.gitignore`, `.ignore` and `.forceignore`, the way the native CLI's
// walker (the `ignore` crate) applies them: per file kind the deepest folder's file decides, the last
// matching line of a file wins, `.forceignore` beats `.ignore` beats `.gitignore`, and an ignored folder
// hides everything below it.
//
// Globs are not turned into regular expressions: a backtracking engine takes exponential time on
// `*a*a*a*b` against a long name. Each glob is a small automaton run once over a path, all its states
// at a time, so a path costs its length times the glob's length, and one run answers for the path and
// every folder above it.

/** One step of a glob. `dirs` is `**∕` (zero or more folders), `any` a trailing `**`. */
type Token =
  | { kind: "char"; code: number }
  | { kind: "one" } // `?`: one character but `/`
  | { kind: "class"; negated: boolean; ranges: number[] } // [lo, hi, lo, hi, …] in UTF-16 code units
  | { kind: "star" } // `*`: any run without `/`
  | { kind: "any" } // any run
  | { kind: "dirs" }; // `(.*/)?`

interface Pattern {
  tokens: Token[];
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

const SLASH = 0x2f;

/**
 * A bracket expression's body (between `[` or `[!` and `]`) as code-unit ranges; every character is
 * literal and `a-z` is a range. `null` for a reversed range such as `z-a` (the line is skipped).
 */
function classRanges(body: string): number[] | null {
  const ranges: number[] = [];
  let i = 0;
  while (i < body.length) {
    const lo = body.charCodeAt(i);
    if (body[i + 1] === "-" && i + 2 < body.length) {
      const hi = body.charCodeAt(i + 2);
      if (hi < lo) return null;
      ranges.push(lo, hi);
      i += 3;
    } else {
      ranges.push(lo, lo);
      i += 1;
    }
  }
  return ranges;
}

/** A glob (gitignore flavour, no leading `!`) as tokens matching the whole path, or `null`. */
function globTokens(glob: string): Token[] | null {
  const tokens: Token[] = [];
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
            tokens.push({ kind: "any" });
            i += 2;
          } else {
            // `**/`: zero or more folders.
            tokens.push({ kind: "dirs" });
            i += 3;
          }
          continue;
        }
        tokens.push({ kind: "star" });
        i += 2;
        continue;
      }
      tokens.push({ kind: "star" });
      i += 1;
    } else if (c === "?") {
      tokens.push({ kind: "one" });
      i += 1;
    } else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) {
        tokens.push({ kind: "char", code: glob.charCodeAt(i) });
        i += 1;
        continue;
      }
      let body = glob.slice(i + 1, end);
      let negated = false;
      if (body.startsWith("!") || body.startsWith("^")) {
        negated = true;
        body = body.slice(1);
      }
      const ranges = classRanges(body);
      if (ranges === null) return null;
      tokens.push({ kind: "class", negated, ranges });
      i = end + 1;
    } else if (c === "\\" && i + 1 < glob.length) {
      tokens.push({ kind: "char", code: glob.charCodeAt(i + 1) });
      i += 2;
    } else {
      tokens.push({ kind: "char", code: glob.charCodeAt(i) });
      i += 1;
    }
  }
  return tokens;
}

function inClass(t: { negated: boolean; ranges: number[] }, code: number): boolean {
  let hit = false;
  for (let k = 0; k < t.ranges.length && !hit; k += 2) hit = t.ranges[k] <= code && code <= t.ranges[k + 1];
  return hit !== t.negated;
}

/**
 * Run a glob over `path` from `from`: for each `stop` (ascending offsets ≥ `from`), whether the glob
 * matches `path.slice(from, stop)`. One pass, all automaton states at a time: O(length × tokens).
 */
export function matchStops(tokens: Token[], path: string, from: number, stops: number[]): boolean[] {
  const n = tokens.length;
  // at[i]: the tokens before i have matched; inside[i]: a `dirs` token i has consumed a folder prefix.
  let at = new Uint8Array(n + 1);
  let inside = new Uint8Array(n + 1);
  let nextAt = new Uint8Array(n + 1);
  let nextInside = new Uint8Array(n + 1);
  // Tokens that may match nothing let the next token start at once.
  const close = (s: Uint8Array) => {
    for (let i = 0; i < n; i++) {
      const k = tokens[i].kind;
      if (s[i] && (k === "star" || k === "any" || k === "dirs")) s[i + 1] = 1;
    }
  };
  at[0] = 1;
  close(at);
  const out: boolean[] = [];
  let s = 0;
  let alive = true;
  for (let p = from; ; p++) {
    while (s < stops.length && stops[s] === p) {
      out.push(at[n] === 1);
      s++;
    }
    if (s === stops.length || p >= path.length) break;
    if (!alive) {
      // No state left: nothing further matches.
      while (out.length < stops.length) out.push(false);
      return out;
    }
    const code = path.charCodeAt(p);
    nextAt.fill(0);
    nextInside.fill(0);
    for (let i = 0; i <= n; i++) {
      if (inside[i]) {
        nextInside[i] = 1;
        if (code === SLASH) nextAt[i + 1] = 1;
      }
      if (!at[i] || i === n) continue;
      const t = tokens[i];
      switch (t.kind) {
        case "char":
          if (code === t.code) nextAt[i + 1] = 1;
          break;
        case "one":
          if (code !== SLASH) nextAt[i + 1] = 1;
          break;
        case "class":
          if (inClass(t, code)) nextAt[i + 1] = 1;
          break;
        case "star":
          if (code !== SLASH) nextAt[i] = 1;
          break;
        case "any":
          nextAt[i] = 1;
          break;
        case "dirs":
          nextInside[i] = 1;
          if (code === SLASH) nextAt[i + 1] = 1;
          break;
      }
    }
    close(nextAt);
    alive = nextAt.includes(1) || nextInside.includes(1);
    [at, nextAt] = [nextAt, at];
    [inside, nextInside] = [nextInside, inside];
  }
  while (out.length < stops.length) out.push(false);
  return out;
}

/** Trailing white space (JavaScript `\s`) dropped, unless its first character is escaped with `\`. */
function trimEnd(line: string): string {
  let e = line.length;
  while (e > 0 && /\s/.test(line[e - 1])) e--;
  if (e === line.length) return line;
  if (e > 0 && line[e - 1] === "\\") e++;
  return line.slice(0, e);
}

export function parseIgnore(dir: string, text: string): IgnoreFile {
  const patterns: Pattern[] = [];
  for (let raw of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
    // Trailing spaces are dropped unless escaped.
    raw = trimEnd(raw);
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
    const tokens = globTokens(line);
    // An unparsable line is skipped, as the CLI's walker skips it.
    if (tokens === null) continue;
    if (!anchored) tokens.unshift({ kind: "dirs" });
    patterns.push({ tokens, negated, dirOnly });
  }
  return { dir, patterns };
}

/** Folders holding ignore files, as a tree of path components. */
interface DirNode {
  children: Map<string, DirNode>;
  /** name (`.gitignore`…) → parsed file */
  files: Map<string, IgnoreFile>;
}

const newNode = (): DirNode => ({ children: new Map(), files: new Map() });

/** The set of ignore files of a folder tree. */
export class IgnoreSet {
  private root = newNode();
  private count = 0;

  add(name: string, dir: string, text: string): void {
    let node = this.root;
    if (dir !== "") {
      for (const part of dir.split("/")) {
        let child = node.children.get(part);
        if (!child) {
          child = newNode();
          node.children.set(part, child);
        }
        node = child;
      }
    }
    node.files.set(name, parseIgnore(dir, text));
    this.count++;
  }

  get empty(): boolean {
    return this.count === 0;
  }

  /**
   * Whether the walker skips the file at `path`: it or one of its folders is ignored. Folder k of the
   * path (k = 0 the first, the last is the file itself) is ignored when, for the strongest ignore file
   * kind that decides, the deepest ignore file above it with a matching line says so (its last
   * matching line wins). Each glob runs once over the path, so a path costs its length, not its
   * length times its depth.
   */
  ignores(path: string): boolean {
    if (this.empty) return false;
    const parts = path.split("/");
    // ends[k]: where the path's first k + 1 components end; files[j]: the ignore files of the folder
    // made of the first j components (j = 0: the root).
    const ends: number[] = [];
    const files: (Map<string, IgnoreFile> | undefined)[] = [];
    let node: DirNode | undefined = this.root;
    let end = -1;
    for (const part of parts) {
      files.push(node?.files);
      node = node?.children.get(part);
      end += part.length + 1;
      ends.push(end);
    }
    // Per pattern, whether it matches each component's path relative to the pattern's folder.
    const results = new Map<Pattern, boolean[]>();
    const matches = (p: Pattern, j: number, k: number): boolean => {
      let r = results.get(p);
      if (!r) {
        const from = j === 0 ? 0 : ends[j - 1] + 1;
        r = matchStops(p.tokens, path, from, ends.slice(j));
        results.set(p, r);
      }
      return r[k - j];
    };
    // The folders on the path that hold ignore files, deepest last.
    const holders: number[] = [];
    files.forEach((f, j) => {
      if (f && f.size > 0) holders.push(j);
    });
    for (let k = 0; k < parts.length; k++) {
      const isDir = k < parts.length - 1;
      if (this.decides(files, holders, k, isDir, matches)) return true;
    }
    return false;
  }

  /** Whether component k (a folder when `isDir`) is ignored by itself. */
  private decides(
    files: (Map<string, IgnoreFile> | undefined)[],
    holders: number[],
    k: number,
    isDir: boolean,
    matches: (p: Pattern, j: number, k: number) => boolean,
  ): boolean {
    for (const name of IGNORE_FILES) {
      // The deepest folder first.
      for (let h = holders.length - 1; h >= 0; h--) {
        const j = holders[h];
        if (j > k) continue;
        const file = files[j]?.get(name);
        if (!file) continue;
        for (let i = file.patterns.length - 1; i >= 0; i--) {
          const p = file.patterns[i];
          if (p.dirOnly && !isDir) continue;
          if (matches(p, j, k)) return !p.negated;
        }
      }
    }
    return false;
  }
}
