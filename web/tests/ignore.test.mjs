// Unit tests of the browser page's ignore-file matcher (web/src/ignore.ts), without a browser:
// the module is compiled with TypeScript's transpiler and imported (web/scripts/import-ts.mjs).
//
// - Its answers are those of the regular-expression matcher it replaced (kept below as the oracle),
//   on thousands of generated ignore files and paths.
// - Its cost is linear in the path: t(4n) / t(n), measured in one run, stays far below the ratio of a
//   quadratic (16) or a backtracking matcher (the old one: ~57 for `*a*a*b` on 500 → 2,000 characters,
//   ~64 on 250 → 1,000 folders, ~17 for trimming a 5,000 → 20,000-character line).
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { importTs } from "../scripts/import-ts.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const { IgnoreSet } = await importTs(path.join(here, "..", "src", "ignore.ts"));

// --- the oracle: the regular-expression matcher ignore.ts had before (same semantics, exponential
// time on some globs, so it only sees short paths here) ------------------------------------------

function escapeRe(c) {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

function globToRe(glob) {
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
            re += ".*";
            i += 2;
          } else {
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

function oracleParse(text) {
  const patterns = [];
  for (let raw of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
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
    const anchored = line.includes("/");
    if (line.startsWith("/")) line = line.slice(1);
    let source = globToRe(line);
    if (!anchored) source = `(?:.*/)?${source}`;
    try {
      patterns.push({ re: new RegExp(`^${source}$`, "s"), negated, dirOnly });
    } catch {
      // skipped
    }
  }
  return patterns;
}

class OracleSet {
  files = new Map();
  add(name, dir, text) {
    if (!this.files.has(name)) this.files.set(name, new Map());
    this.files.get(name).set(dir, oracleParse(text));
  }
  matched(p, isDir) {
    const parts = p.split("/");
    for (const name of [".forceignore", ".ignore", ".gitignore"]) {
      const byDir = this.files.get(name);
      if (!byDir) continue;
      for (let n = parts.length - 1; n >= 0; n--) {
        const dir = parts.slice(0, n).join("/");
        const patterns = byDir.get(dir);
        if (!patterns) continue;
        const rel = dir === "" ? p : p.startsWith(`${dir}/`) ? p.slice(dir.length + 1) : null;
        if (rel === null) continue;
        for (let i = patterns.length - 1; i >= 0; i--) {
          const pat = patterns[i];
          if (pat.dirOnly && !isDir) continue;
          if (pat.re.test(rel)) return !pat.negated;
        }
      }
    }
    return false;
  }
  ignores(p) {
    if (this.files.size === 0) return false;
    const parts = p.split("/");
    for (let n = 1; n < parts.length; n++) if (this.matched(parts.slice(0, n).join("/"), true)) return true;
    return this.matched(p, false);
  }
}

// --- generated cases --------------------------------------------------------------------------

/** A small deterministic generator (xorshift32). */
function rng(seed) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  return {
    below: (n) => next() % n,
    pick(xs) {
      return xs[next() % xs.length];
    },
  };
}

const GLOB_PIECES = ["a", "b", "c", ".", "/", "*", "**", "**/", "?", "[ab]", "[!a]", "[^b]", "[a-c]", "[c-a]", "[]a]", "[", "]", "\\*", "\\[", "\\", " ", "é", "😀"];
const NAME_PIECES = ["a", "b", "c", "ab", ".", "é", "😀", "*", "[", " "];

/** A glob; `seen` collects the paths some globs are made from, to test them later. */
function glob(r, seen) {
  let g = "";
  if (r.below(3) === 0) {
    // A path with some characters turned into wildcards: matches often.
    const base = relPath(r, 1 + r.below(2));
    seen.push(base);
    for (const c of base) g += r.below(4) === 0 ? r.pick(["*", "?", "**"]) : c;
  } else {
    const n = 1 + r.below(5);
    for (let i = 0; i < n; i++) g += r.pick(GLOB_PIECES);
  }
  const prefix = r.pick(["", "", "", "!", "/", "\\!", "\\#", "#"]);
  const suffix = r.pick(["", "", "", "/", "  ", "\\ ", "\\  "]);
  return prefix + g + suffix;
}

function name(r) {
  let s = "";
  const n = 1 + r.below(3);
  for (let i = 0; i < n; i++) s += r.pick(NAME_PIECES);
  return s;
}

function relPath(r, depth) {
  const parts = [];
  for (let i = 0; i < depth; i++) parts.push(r.pick(["a", "b", "ab", "x", name(r)]));
  return parts.join("/");
}

test("the automaton matcher answers as the regular-expression matcher it replaced", (t) => {
  const r = rng(0x5117);
  let cases = 0;
  let ignored = 0;
  for (let round = 0; round < 400; round++) {
    const mine = new IgnoreSet();
    const oracle = new OracleSet();
    const seen = [];
    const files = 1 + r.below(3);
    for (let f = 0; f < files; f++) {
      const kind = r.pick([".gitignore", ".ignore", ".forceignore"]);
      const dir = r.below(2) === 0 ? "" : relPath(r, 1 + r.below(2));
      const lines = [];
      for (let l = 0; l < 1 + r.below(4); l++) lines.push(glob(r, seen));
      const text = lines.join(r.pick(["\n", "\r\n"]));
      mine.add(kind, dir, text);
      oracle.add(kind, dir, text);
    }
    for (let p = 0; p < 25; p++) {
      const file =
        seen.length > 0 && r.below(2) === 0
          ? [relPath(r, r.below(2)), r.pick(seen), relPath(r, r.below(2))].filter((x) => x !== "").join("/")
          : relPath(r, 1 + r.below(4));
      const expected = oracle.ignores(file);
      assert.equal(mine.ignores(file), expected, `${file} with ${JSON.stringify([...oracle.files].map(([k, v]) => [k, [...v.keys()]]))}`);
      cases++;
      if (expected) ignored++;
    }
  }
  // Both answers occur often enough for the comparison to mean something.
  t.diagnostic(`${cases} paths, ${ignored} ignored`);
  assert.ok(ignored > cases / 10 && ignored < (cases * 9) / 10, `${ignored} of ${cases} ignored`);
});

test("hand-picked globs", () => {
  const set = new IgnoreSet();
  set.add(".gitignore", "", "*.log\n/build/\n**/tmp/**\nsrc/**/gen/*.xml\n!keep.log\n[!a]?.txt\n");
  set.add(".forceignore", "force-app", "**/profiles/Admin.profile-meta.xml\n");
  const cases = {
    "a.log": true,
    "x/keep.log": false,
    "build/out.xml": true,
    "x/build/out.xml": false,
    "x/tmp/y/z": true,
    "src/gen/a.xml": true,
    "src/a/b/gen/a.xml": true,
    "src/a/b/gen/sub/a.xml": false,
    "bc.txt": true,
    "ac.txt": false,
    "force-app/main/default/profiles/Admin.profile-meta.xml": true,
    "other/profiles/Admin.profile-meta.xml": false,
  };
  for (const [p, expected] of Object.entries(cases)) assert.equal(set.ignores(p), expected, p);
});

// --- cost -------------------------------------------------------------------------------------

/**
 * CPU milliseconds (of this process: other processes on a busy machine do not count) for `reps`
 * calls of `run(size)`; `reps` is chosen on `n` so a measurement lasts at least 20 ms, and the same
 * `reps` is used for `4n`. The sizes are measured in turn three times, the best of each kept.
 */
function ratio(run, n) {
  let reps = 1;
  const time = (size) => {
    const t0 = process.cpuUsage();
    for (let i = 0; i < reps; i++) run(size);
    const t = process.cpuUsage(t0);
    return (t.user + t.system) / 1000;
  };
  run(n); // warm up
  while (time(n) < 20) reps *= 2;
  let small = Infinity;
  let large = Infinity;
  for (let k = 0; k < 3; k++) {
    small = Math.min(small, time(n));
    large = Math.min(large, time(4 * n));
  }
  return { small, large, ratio: large / small, reps };
}

test("many `*` against a long name: linear in the name", (t) => {
  const set = new IgnoreSet();
  set.add(".gitignore", "", "*a*a*b\n");
  const m = ratio((n) => set.ignores(`dir/${"a".repeat(n)}`), 500);
  assert.ok(m.ratio < 10, `t(2000) / t(500) = ${m.ratio.toFixed(1)} (${m.small.toFixed(1)} → ${m.large.toFixed(1)} ms, ${m.reps} reps)`);
  t.diagnostic(`t(2000) / t(500) = ${m.ratio.toFixed(1)} (${m.small.toFixed(1)} → ${m.large.toFixed(1)} ms, ${m.reps} reps)`);
  // The case: eight `*`, a 10,000-character name.
  const many = new IgnoreSet();
  many.add(".gitignore", "", "*a*a*a*a*a*a*a*b\n");
  const long = "a".repeat(10_000);
  assert.equal(many.ignores(`dir/${long}`), false);
  assert.equal(many.ignores(`dir/${long}b`), true);
  assert.equal(many.ignores(`dir/${long}/b`), false);
});

test("a deep path: linear in its depth", (t) => {
  const set = new IgnoreSet();
  set.add(".gitignore", "", "*.log\nb*/\n!keep\n");
  set.add(".forceignore", "a", "**/x/**\n");
  const m = ratio((d) => set.ignores(`${"a/".repeat(d)}f.xml`), 250);
  assert.ok(m.ratio < 10, `t(1000) / t(250) = ${m.ratio.toFixed(1)} (${m.small.toFixed(1)} → ${m.large.toFixed(1)} ms, ${m.reps} reps)`);
  t.diagnostic(`t(1000) / t(250) = ${m.ratio.toFixed(1)} (${m.small.toFixed(1)} → ${m.large.toFixed(1)} ms, ${m.reps} reps)`);
  assert.equal(set.ignores(`${"a/".repeat(1000)}f.log`), true);
  assert.equal(set.ignores(`${"a/".repeat(1000)}x/f.xml`), true);
  assert.equal(set.ignores(`${"a/".repeat(1000)}f.xml`), false);
});

test("an ignore file with long lines of trailing-looking white space parses in linear time", (t) => {
  // A comment line: trimmed (where a `\s+$` regex backtracks), then skipped.
  const m = ratio((n) => new IgnoreSet().add(".gitignore", "", `#${" ".repeat(n)}y\n`), 5_000);
  assert.ok(m.ratio < 10, `t(20000) / t(5000) = ${m.ratio.toFixed(1)} (${m.small.toFixed(1)} → ${m.large.toFixed(1)} ms, ${m.reps} reps)`);
  t.diagnostic(`t(20000) / t(5000) = ${m.ratio.toFixed(1)} (${m.small.toFixed(1)} → ${m.large.toFixed(1)} ms, ${m.reps} reps)`);
  const set = new IgnoreSet();
  set.add(".gitignore", "", "a.txt   \nb\\ \\  \nc\\   \n");
  assert.equal(set.ignores("a.txt"), true);
  assert.equal(set.ignores("b  "), true);
  assert.equal(set.ignores("c "), true);
  assert.equal(set.ignores("c"), false);
});
